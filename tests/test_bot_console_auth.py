"""Console sign-in: salted hashes, sessions, CSRF on every form, a rate limit, role checks."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from bot.core.services import Services
from bot.staff.roster import Staff

PASSWORD = "correct horse battery"


def set_password(app: Flask, name: str, password: str = PASSWORD) -> None:
    result = app.test_cli_runner().invoke(args=["accounts", "set-password", name, "--password",
                                                password])
    assert result.exit_code == 0, result.output


def csrf(client: FlaskClient, path: str = "/console/login") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def sign_in(client: FlaskClient, name: str, password: str = PASSWORD, next_path: str = ""):
    token = csrf(client)
    query = f"?next={next_path}" if next_path else ""
    return client.post(f"/console/login{query}",
                       data={"name": name, "password": password, "csrf": token})


def test_passwords_are_stored_as_salted_hashes(app, services: Services, roster) -> None:
    set_password(app, "示例·周")
    set_password(app, "示例·吴")
    with services.db.session() as session:
        rows = session.query(Staff).filter(Staff.password_hash.isnot(None))
        hashes = [s.password_hash or "" for s in rows]
    assert len(hashes) == 2 and PASSWORD not in "".join(hashes) and hashes[0] != hashes[1]


def test_a_short_password_is_refused(app, roster) -> None:
    result = app.test_cli_runner().invoke(args=["accounts", "set-password", "示例·周",
                                                "--password", "short"])
    assert result.exit_code == 1 and "10 characters" in result.output


def test_sign_in_and_out(app, client, roster) -> None:
    set_password(app, "示例·周")
    assert client.get("/console/").status_code == 302  # not signed in: to the sign-in page
    assert "Wrong name or password" in sign_in(client, "示例·周", "wrong password!").get_data(
        as_text=True)
    response = sign_in(client, "示例·周")
    assert response.status_code == 302 and response.headers["Location"].endswith("/console/")
    assert "您好，示例·周" in client.get("/console/").get_data(as_text=True)
    client.post("/console/logout", data={"csrf": csrf(client, "/console/")})
    assert client.get("/console/").status_code == 302


def test_a_forged_form_is_refused(app, client, roster) -> None:
    set_password(app, "示例·周")
    client.get("/console/login")
    response = client.post("/console/login", data={"name": "示例·周", "password": PASSWORD,
                                                   "csrf": "forged"})
    assert response.status_code == 400
    assert client.get("/console/").status_code == 302


def test_repeated_failures_lock_the_address_out(app, client, roster) -> None:
    set_password(app, "示例·周")
    for _ in range(10):
        sign_in(client, "示例·周", "not the password")
    locked = sign_in(client, "示例·周")  # even the right password now waits
    assert "Too many attempts" in locked.get_data(as_text=True)
    assert client.get("/console/").status_code == 302


def test_next_never_leaves_the_console(app, client, roster) -> None:
    set_password(app, "示例·周")
    response = sign_in(client, "示例·周", next_path="//evil.example/")
    assert response.headers["Location"].endswith("/console/")


def test_staff_see_their_own_count_and_the_director_everything(app, wechat, roster, clock,
                                                               client) -> None:
    clock("2026-11-30T10:00")
    for building in ("3", "5", "7"):  # 周 gets 3 (owner) and 5 (A role); 7 goes to 周 too
        wechat.say("楼道灯坏了")
        wechat.say(f"{building}号楼")
        wechat.say("13800001111")
    wechat.say("电梯坏了", openid="o-other")
    wechat.say("1号楼", openid="o-other")
    wechat.say("13900001111", openid="o-other")
    set_password(app, "示例·吴")
    set_password(app, "示例·林主任")
    sign_in(client, "示例·吴")
    assert '"open-count">0<' in client.get("/console/").get_data(as_text=True)
    client.post("/console/logout", data={"csrf": csrf(client, "/console/")})
    sign_in(client, "示例·林主任")
    assert '"open-count">4<' in client.get("/console/").get_data(as_text=True)


def test_an_administrator_creates_a_colleagues_console_account(app, client, roster) -> None:
    set_password(app, "示例·林主任")
    sign_in(client, "示例·林主任")
    token = csrf(client, "/console/staff")
    zhou = roster["示例·周"]
    response = client.post(f"/console/staff/{zhou}/account",
                           data={"csrf": token, "password": "a new long password"})
    assert response.status_code == 302
    client.post("/console/logout", data={"csrf": csrf(client, "/console/")})
    assert sign_in(client, "示例·周", "a new long password").status_code == 302
    assert "您好，示例·周" in client.get("/console/").get_data(as_text=True)


def test_a_plain_staff_member_cannot_set_passwords(app, client, services, roster) -> None:
    set_password(app, "示例·周")
    sign_in(client, "示例·周")
    token = csrf(client, "/console/")
    wu = roster["示例·吴"]
    response = client.post(f"/console/staff/{wu}/account",
                           data={"csrf": token, "password": "taken over!!", "admin": "1"})
    assert response.status_code == 403
    with services.db.session() as session:
        person = session.get(Staff, wu)
        assert person is not None and person.password_hash is None and not person.is_admin


def test_a_short_password_from_the_console_is_refused(app, client, services, roster) -> None:
    set_password(app, "示例·林主任")
    sign_in(client, "示例·林主任")
    token = csrf(client, "/console/staff")
    zhou = roster["示例·周"]
    client.post(f"/console/staff/{zhou}/account", data={"csrf": token, "password": "short"})
    assert "10 characters" in client.get("/console/staff").get_data(as_text=True)
    with services.db.session() as session:
        person = session.get(Staff, zhou)
        assert person is not None and person.password_hash is None

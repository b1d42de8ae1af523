"""The console under attack: simulator, dead cookies, lockouts, redirects, headers, passwords."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from bot import create_app
from bot.core.services import Services, install_services
from bot.core.settings import Settings
from bot.staff.roster import Staff
from bot.web.console.simulator import WEBHOOK_URL_CONFIG
from tests.test_bot_console_auth import PASSWORD, csrf, set_password, sign_in

PHONE = "13800001111"
ROSTER = Path(__file__).resolve().parent.parent / "data" / "roster.sample.yaml"


def _serve(wsgi: Callable[..., Any]) -> Iterator[int]:
    server = make_server("127.0.0.1", 0, wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def live_port(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Serve the app over HTTP on the loopback port the simulator is configured with."""
    for port in _serve(app):
        services = app.extensions["linli.services"]
        monkeypatch.setattr(services, "settings", services.settings.with_changes(web_port=port))
        yield port


@pytest.fixture
def evil_server() -> Iterator[tuple[int, list[str]]]:
    """An attacker's server on this machine that records every request sent to it."""
    seen: list[str] = []

    @Request.application
    def record(request: Request) -> Response:
        seen.append(request.full_path)
        return Response("<xml></xml>")

    for port in _serve(record):
        yield port, seen


@pytest.fixture
def director(app: Flask, client: FlaskClient, roster: dict[str, int]) -> FlaskClient:
    """Return the test client signed in as the director."""
    set_password(app, "示例·林主任")
    assert sign_in(client, "示例·林主任").status_code == 302
    return client


def _resident_reports(wechat: Any) -> str:
    """A real resident reports a broken light and gives a phone; return the reply."""
    wechat.say("楼道灯坏了")
    wechat.say("9号楼1单元")
    return str(wechat.say(PHONE))


def _simulate(client: FlaskClient, **fields: str) -> Any:
    token = csrf(client, "/console/")
    return client.post("/console/simulator/send", data={"csrf": token, **fields})


# 1. The simulator: administrators only, as their own test identities, to this server only.

def test_plain_staff_cannot_open_the_simulator_or_its_call_log(app: Flask, client: FlaskClient,
                                                               roster: dict[str, int]) -> None:
    set_password(app, "示例·周")
    sign_in(client, "示例·周")
    assert client.get("/console/simulator").status_code == 403
    assert client.get("/console/simulator/calls?since=0").status_code == 403
    sent = _simulate(client, who="resident", kind="text", text="工单")
    assert sent.status_code == 403


def test_the_simulator_never_speaks_as_a_colleague_or_a_typed_in_resident(
        director: FlaskClient, app: Flask, wechat: Any, roster: dict[str, int]) -> None:
    app.config[WEBHOOK_URL_CONFIG] = "http://127.0.0.1:9/wechat"  # nothing may be sent at all
    assert "工单号 #" in _resident_reports(wechat)
    as_colleague = _simulate(director, who=f"staff:{roster['示例·周']}", kind="text",
                             text="我的工单")
    as_volunteer = _simulate(director, who="volunteer:1", kind="text", text="我的工单")
    assert as_colleague.status_code == 400 and as_volunteer.status_code == 400


def test_a_typed_in_openid_reaches_only_the_admins_own_test_resident(
        director: FlaskClient, app: Flask, wechat: Any, live_port: int) -> None:
    number = _resident_reports(wechat).split("#")[1][:8]
    ticket = "".join(ch for ch in number if ch.isdigit())
    reply = _simulate(director, who="resident", openid="o-resident-1", resident="o-resident-1",
                      kind="menu", key="my_tickets")
    assert reply.status_code == 200, reply.get_data(as_text=True)
    shown = reply.get_json()["reply"]
    assert PHONE not in shown and f"#{ticket}" not in shown


def test_a_forged_host_header_never_gets_a_signed_callback(
        director: FlaskClient, live_port: int, evil_server: tuple[int, list[str]]) -> None:
    evil_port, seen = evil_server
    token = csrf(director, "/console/simulator")
    # The cookie a browser would send to the host named in the request.
    director.set_cookie("session", _cookie(director), domain="127.0.0.1")
    response = director.post("/console/simulator/send",
                             data={"csrf": token, "who": "resident", "kind": "text",
                                   "text": "敬老卡怎么办"},
                             headers={"Host": f"127.0.0.1:{evil_port}"})
    assert seen == []  # the attacker's server heard nothing, let alone a valid signature
    assert response.status_code == 200 and "敬老卡" in response.get_json()["reply"]


def test_the_call_log_masks_phone_numbers(director: FlaskClient, app: Flask, live_port: int,
                                          run_jobs: Callable[[], None]) -> None:
    for said in ("楼道灯坏了", "9号楼1单元", PHONE):
        reply = _simulate(director, who="resident", kind="text", text=said)
        assert reply.status_code == 200, reply.get_data(as_text=True)
    run_jobs()
    calls = director.get("/console/simulator/calls?since=0")
    shown = calls.get_data(as_text=True)
    assert any(c["path"] == "message/custom/send" for c in calls.get_json()["calls"])
    assert PHONE not in shown and "138****1111" in shown


# 2. Signing out, or a new password, ends the session on the server too.

def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _with_cookie(app: Flask, value: str) -> FlaskClient:
    replay = app.test_client()
    replay.set_cookie("session", value)
    return replay


def test_a_cookie_captured_before_sign_out_is_dead_after(app: Flask, client: FlaskClient,
                                                         roster: dict[str, int]) -> None:
    set_password(app, "示例·周")
    sign_in(client, "示例·周")
    stolen = _cookie(client)
    assert _with_cookie(app, stolen).get("/console/").status_code == 200
    client.post("/console/logout", data={"csrf": csrf(client, "/console/")})
    replayed = _with_cookie(app, stolen).get("/console/")
    assert replayed.status_code == 302 and "/console/login" in replayed.headers["Location"]


def test_a_new_password_ends_every_other_session(app: Flask, client: FlaskClient,
                                                 roster: dict[str, int]) -> None:
    set_password(app, "示例·周")
    sign_in(client, "示例·周")
    set_password(app, "示例·周", "another Secret 42")  # from the command line
    assert client.get("/console/").status_code == 302

    set_password(app, "示例·林主任")
    admin = app.test_client()
    sign_in(admin, "示例·林主任")
    sign_in(client, "示例·周", "another Secret 42")
    token = csrf(admin, "/console/staff")
    admin.post(f"/console/staff/{roster['示例·周']}/account",
               data={"csrf": token, "password": "yet another Secret 7"})
    assert client.get("/console/").status_code == 302  # 周's browser is signed out
    # The administrator changing their own password stays signed in where they did it.
    admin.post(f"/console/staff/{roster['示例·林主任']}/account",
               data={"csrf": token, "password": "my own new Secret 9", "admin": "1"})
    assert admin.get("/console/").status_code == 200


# 3. The lockout counts per account name and per client address, behind a trusted proxy.

@pytest.fixture
def proxied_app(settings: Settings) -> Iterator[Flask]:
    """Yield an app behind one trusted reverse proxy."""
    application = create_app(settings.with_changes(trusted_proxies=1))
    yield application
    services: Services = application.extensions["linli.services"]
    services.db.dispose()
    install_services(None)


def _sign_in_from(client: FlaskClient, address: str, name: str, password: str) -> str:
    token = csrf(client)
    response = client.post("/console/login", data={"name": name, "password": password,
                                                   "csrf": token},
                           headers={"X-Forwarded-For": address})
    return response.get_data(as_text=True) if response.status_code != 302 else "signed in"


def _load_roster(application: Flask) -> None:
    result = application.test_cli_runner().invoke(
        args=["staff", "import", str(ROSTER)])
    assert result.exit_code == 0, result.output


def test_one_attacker_behind_the_proxy_does_not_lock_everyone_out(proxied_app: Flask) -> None:
    _load_roster(proxied_app)
    set_password(proxied_app, "示例·周")
    set_password(proxied_app, "示例·吴")
    attacker, colleague = proxied_app.test_client(), proxied_app.test_client()
    for _ in range(10):
        _sign_in_from(attacker, "203.0.113.66", "示例·周", "not the password")
    assert "Too many attempts" in _sign_in_from(attacker, "203.0.113.66", "示例·吴", PASSWORD)
    assert _sign_in_from(colleague, "198.51.100.7", "示例·吴", PASSWORD) == "signed in"


def test_rotating_addresses_do_not_escape_the_account_lock(proxied_app: Flask) -> None:
    _load_roster(proxied_app)
    set_password(proxied_app, "示例·周")
    attacker = proxied_app.test_client()
    for n in range(10):
        _sign_in_from(attacker, f"203.0.113.{n}", "示例·周", "not the password")
    owner = proxied_app.test_client()
    assert "Too many attempts" in _sign_in_from(owner, "198.51.100.7", "示例·周", PASSWORD)


def test_forwarded_for_is_not_believed_without_a_trusted_proxy(app: Flask, client: FlaskClient,
                                                               roster: dict[str, int]) -> None:
    set_password(app, "示例·吴")
    for n in range(10):  # a new name and a new claimed address each time: still one address
        _sign_in_from(client, f"203.0.113.{n}", f"nobody-{n}", "not the password")
    assert "Too many attempts" in _sign_in_from(client, "198.51.100.7", "示例·吴", PASSWORD)


# 4. `next` is followed only to a path on this site.

@pytest.mark.parametrize("target", [
    "/console/%0d%0aSet-Cookie:%20evil=1", "/console/%0aX:1", "/console/%09", "//evil.example/",
    "https://evil.example/", "/\\evil.example", "///evil.example", "javascript:alert(1)",
    "http:/evil.example", "%2F%2Fevil.example",
])
def test_next_never_leads_off_the_site_or_breaks_the_response(app: Flask, client: FlaskClient,
                                                              roster: dict[str, int],
                                                              target: str) -> None:
    set_password(app, "示例·周")
    response = sign_in(client, "示例·周", next_path=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/console/"
    assert "evil" not in response.headers.get("Set-Cookie", "")


def test_next_to_a_console_page_is_followed(app: Flask, client: FlaskClient,
                                            roster: dict[str, int]) -> None:
    set_password(app, "示例·周")
    response = sign_in(client, "示例·周", next_path="/console/tickets")
    assert response.headers["Location"] == "/console/tickets"


# 5. Headers that keep the console out of frames and scripts out of its pages.

def test_every_console_response_carries_the_security_headers(director: FlaskClient) -> None:
    for path in ("/console/", "/console/login", "/console/static/pico.min.css",
                 "/console/no-such-page"):
        headers = director.get(path).headers
        policy = headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        script = next(part for part in policy.split(";") if "script-src" in part)
        assert "unsafe-inline" not in script, path
        assert headers.get("X-Frame-Options") == "DENY", path
        assert headers.get("X-Content-Type-Options") == "nosniff", path
        assert headers.get("Referrer-Policy") == "same-origin", path


def test_no_page_needs_an_inline_script(director: FlaskClient, roster: dict[str, int]) -> None:
    for path in ("/console/", "/console/staff", "/console/volunteers", "/console/simulator",
                 "/console/roster", "/console/tickets", "/console/guide"):
        page = director.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert not re.search(r"\son[a-z]+\s*=", page), path  # onclick= and the like
    assert 'data-confirm="停用' in director.get("/console/staff").get_data(as_text=True)


def test_the_session_cookie_is_http_only_same_site_and_secure_in_production(
        settings: Settings, app: Flask, client: FlaskClient, roster: dict[str, int]) -> None:
    set_password(app, "示例·周")
    cookie = sign_in(client, "示例·周").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    production = create_app(settings.with_changes(environment="production",
                                                  secret_key="p" * 40))
    try:
        assert production.config["SESSION_COOKIE_SECURE"] is True
        assert production.config["SESSION_COOKIE_HTTPONLY"] is True
    finally:
        production.extensions["linli.services"].db.dispose()
        install_services(app.extensions["linli.services"])


# 6. Weak passwords are refused, saying why, from the command line and from the console.

WEAK = [
    ("aaaaaaaaaaaa", "repeated character"), ("abcdefghijkl", "simple sequence"),
    ("9876543210", "simple sequence"), ("password123", "common password"),
    ("Linli123456", "common password"), ("abababababab", "different characters"),
    ("lowercaseonly", "Mix at least 3"), ("short", "10 characters"),
]


@pytest.mark.parametrize(("password", "why"), WEAK)
def test_a_weak_password_is_refused_at_the_command_line(app: Flask, roster: dict[str, int],
                                                        password: str, why: str) -> None:
    result = app.test_cli_runner().invoke(args=["accounts", "set-password", "示例·周",
                                                "--password", password])
    assert result.exit_code == 1 and why in result.output


@pytest.mark.parametrize(("password", "why"), WEAK[:3])
def test_a_weak_password_is_refused_in_the_console(director: FlaskClient, services: Services,
                                                   roster: dict[str, int], password: str,
                                                   why: str) -> None:
    token = csrf(director, "/console/staff")
    director.post(f"/console/staff/{roster['示例·周']}/account",
                  data={"csrf": token, "password": password})
    assert why in director.get("/console/staff").get_data(as_text=True)
    with services.db.session() as session:
        person = session.get(Staff, roster["示例·周"])
        assert person is not None and person.password_hash is None


@pytest.mark.parametrize("password", ["Xk7#pq2Lm9", "correct horse battery"])
def test_a_strong_password_or_passphrase_is_kept(app: Flask, roster: dict[str, int],
                                                 password: str) -> None:
    result = app.test_cli_runner().invoke(args=["accounts", "set-password", "示例·周",
                                                "--password", password])
    assert result.exit_code == 0, result.output

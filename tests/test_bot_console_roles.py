"""Every console route tried as each role: nobody signed out gets in, a colleague never sees a
resident's full phone number, no route fails with 500, and no form works without its token."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.tickets.opening import list_tickets
from tests.test_bot_console_auth import set_password, sign_in

PHONE = "13800001111"
OPEN_TO_ALL = {"console.login", "console.static"}


def _urls(app: Flask, method: str, ticket_id: int) -> list[tuple[str, str]]:
    """Return (endpoint, URL) for every console route taking METHOD, arguments filled in."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/console") or method not in (rule.methods or ()):
            continue
        values: dict[str, Any] = {}
        for name in rule.arguments:
            converter = rule._converters[name].__class__.__name__
            values[name] = ticket_id if "Integer" in converter else "x"
        url = rule.build(values, append_unknown=False)
        found.append((rule.endpoint, url[1] if isinstance(url, tuple) else str(url)))
    return found


@pytest.fixture
def ticket_id(wechat: Any, services: Any, roster: dict[str, int]) -> int:
    """A resident reports a broken light with a phone number; return the ticket's id."""
    wechat.say("楼道灯坏了")
    wechat.say("9号楼1单元")
    assert "工单号" in wechat.say(PHONE)
    return int(list_tickets(services.db)[0].id)


def test_signed_out_every_route_but_sign_in_sends_to_sign_in(app: Flask, client: FlaskClient,
                                                          ticket_id: int) -> None:
    for endpoint, url in _urls(app, "GET", ticket_id):
        if endpoint in OPEN_TO_ALL:
            continue
        response = client.get(url)
        assert response.status_code in (302, 401, 403, 404), (url, response.status_code)
        assert PHONE not in response.get_data(as_text=True)


def test_a_colleague_never_sees_a_residents_full_phone_on_any_page(
        app: Flask, client: FlaskClient, ticket_id: int) -> None:
    set_password(app, "示例·周")  # not the director, not an administrator
    assert sign_in(client, "示例·周").status_code == 302
    for _, url in _urls(app, "GET", ticket_id):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        assert PHONE not in response.get_data(as_text=True), url


def test_the_director_reaches_every_page_without_an_error(app: Flask, client: FlaskClient,
                                                          ticket_id: int) -> None:
    set_password(app, "示例·林主任")
    assert sign_in(client, "示例·林主任").status_code == 302
    for _, url in _urls(app, "GET", ticket_id):
        assert client.get(url).status_code < 500, url


def test_no_form_works_without_its_csrf_token(app: Flask, client: FlaskClient,
                                              ticket_id: int) -> None:
    set_password(app, "示例·林主任")
    assert sign_in(client, "示例·林主任").status_code == 302
    for endpoint, url in _urls(app, "POST", ticket_id):
        if endpoint == "console.login":
            continue
        response = client.post(url, data={"text": "x", "name": "x"})
        assert response.status_code in (400, 403, 404), (url, response.status_code)


def test_the_director_sees_notices_that_never_arrived(app: Flask, client: FlaskClient,
                                                      services: Any, ticket_id: int) -> None:
    from bot.core.outbox import Notification

    with services.db.session() as session:
        for note in session.query(Notification).filter_by(ticket_id=ticket_id):
            note.status, note.last_error = "failed", "48001 api unauthorized"
        session.commit()
    set_password(app, "示例·周")
    assert sign_in(client, "示例·周").status_code == 302
    assert "未送达的通知" not in client.get("/console/").get_data(as_text=True)  # not theirs
    client = app.test_client()  # a second browser
    set_password(app, "示例·林主任")
    assert sign_in(client, "示例·林主任").status_code == 302
    page = client.get("/console/").get_data(as_text=True)
    assert "未送达的通知" in page and f"#{ticket_id}" in page and "48001" in page

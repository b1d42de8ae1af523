"""The web simulator: signed callbacks to the webhook over real HTTP, the fake API's calls."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from bot import create_app
from bot.core.services import Services, install_services
from bot.core.settings import Settings
from bot.web.console.simulator import WEBHOOK_URL_CONFIG
from tests.conftest import AES_KEY
from tests.test_bot_console_auth import csrf, set_password, sign_in

ROSTER = Path(__file__).resolve().parent.parent / "data" / "roster.sample.yaml"


@pytest.fixture
def live_webhook(app: Flask) -> Iterator[str]:
    """Serve the same app over real HTTP in a thread and point the simulator at its webhook."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/wechat"
    app.config[WEBHOOK_URL_CONFIG] = url
    yield url
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def director(app: Flask, client: FlaskClient, roster: dict[str, int]) -> FlaskClient:
    """Return the test client signed in as the director."""
    set_password(app, "示例·林主任")
    assert sign_in(client, "示例·林主任").status_code == 302
    return client


def _send(client: FlaskClient, **fields: str) -> dict[str, str]:
    token = csrf(client, "/console/simulator")
    response = client.post("/console/simulator/send", data={"csrf": token, **fields})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()  # type: ignore[no-any-return]


def test_a_resident_is_answered_through_the_real_webhook(director: FlaskClient, live_webhook: str,
                                                         run_jobs, roster: dict[str, int]) -> None:
    said = {"who": "resident", "resident": "1", "kind": "text"}
    # The webhook refuses a bad signature, so an answer proves the callback was signed right.
    assert "敬老卡" in _send(director, **said, text="敬老卡怎么办")["reply"]
    assert "地点" in _send(director, **said, text="楼道灯坏了")["reply"]
    assert "电话" in _send(director, **said, text="9号楼1单元")["reply"]
    done = _send(director, **said, text="13800001111")["reply"]
    assert "工单号 #" in done

    run_jobs()
    calls = director.get("/console/simulator/calls?since=0").get_json()
    sent = [c for c in calls["calls"] if c["path"] == "message/custom/send"]
    assert len(sent) == 1 and "9号楼1单元" in sent[0]["text"]
    assert sent[0]["to_name"] in roster  # routed to a bound staff member, shown by name
    later = director.get(f"/console/simulator/calls?since={calls['next']}").get_json()
    assert later["calls"] == [] and later["next"] == calls["next"]


def test_the_director_speaks_as_themselves_and_taps_the_menu(director: FlaskClient,
                                                             live_webhook: str,
                                                             roster: dict[str, int]) -> None:
    page = director.get("/console/simulator").get_data(as_text=True)
    # Only the director's own identities are offered: no colleague's name, no OpenID.
    assert "Myself as staff" in page and "示例·周" not in page and "o-zhou" not in page
    assert f"sim-resident-{roster['示例·林主任']}" in page
    assert 'href="/console/simulator"' in director.get("/console/").get_data(as_text=True)
    reply = _send(director, who="me", kind="menu", key="my_tickets")
    assert reply["reply"]
    help_reply = _send(director, who="resident", resident="2", kind="menu", key="help")
    assert help_reply["reply"]


def test_nonsense_choices_are_refused(director: FlaskClient, live_webhook: str) -> None:
    token = csrf(director, "/console/simulator")
    for fields in ({"who": "staff:999999", "kind": "text", "text": "hi"},
                   {"who": "resident", "kind": "text", "text": ""},
                   {"who": "resident", "resident": "x", "kind": "menu", "key": "drop_tables"},
                   {"who": "resident", "resident": "../o-zhou", "kind": "text", "text": "hi"},
                   {"who": "admin:1", "kind": "text", "text": "hi"}):
        response = director.post("/console/simulator/send", data={"csrf": token, **fields})
        assert response.status_code == 400, fields


def test_the_simulator_needs_a_signed_in_user_and_a_real_form(app: Flask, client: FlaskClient,
                                                              roster: dict[str, int]) -> None:
    response = client.get("/console/simulator")
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    assert client.get("/console/simulator/calls").status_code == 302
    set_password(app, "示例·周")
    sign_in(client, "示例·周")
    forged = client.post("/console/simulator/send", data={"csrf": "forged", "who": "resident",
                                                          "text": "hi"})
    assert forged.status_code == 400
    missing = client.post("/console/simulator/send", data={"who": "resident", "text": "hi"})
    assert missing.status_code == 400


def test_the_webhook_being_down_is_reported(director: FlaskClient, app: Flask) -> None:
    app.config[WEBHOOK_URL_CONFIG] = "http://127.0.0.1:9/wechat"  # discard port: nothing answers
    token = csrf(director, "/console/simulator")
    response = director.post("/console/simulator/send", data={
        "csrf": token, "who": "resident", "kind": "text", "text": "hi"})
    assert response.status_code == 502 and "cannot reach" in response.get_json()["error"]


def _app_with(settings: Settings, **changes: object) -> Iterator[Flask]:
    application = create_app(settings.with_changes(**changes))
    yield application
    services: Services = application.extensions["linli.services"]
    services.db.dispose()
    install_services(None)


@pytest.fixture
def off_app(settings: Settings) -> Iterator[Flask]:
    """Yield an app with the simulator switched off, as in production."""
    yield from _app_with(settings, is_simulator_on=False)


def test_off_means_not_found_even_when_signed_in(off_app: Flask) -> None:
    client = off_app.test_client()
    for path in ("/console/simulator", "/console/simulator/calls"):
        assert client.get(path).status_code == 404
    assert client.post("/console/simulator/send", data={}).status_code in (400, 404)
    assert not Settings.from_env({"LINLI_ENV": "production", **_production()}).is_simulator_on


def _production() -> dict[str, str]:
    return {"LINLI_WECHAT_TOKEN": "prodToken42", "LINLI_WECHAT_APPID": "wx1",
            "LINLI_WECHAT_SECRET": "0123456789abcdef0123456789abcdef",
            "REDIS_URL": "redis://127.0.0.1:6379/0", "DATABASE_URL": "sqlite:///x.db",
            "LINLI_SECRET_KEY": "Qm8vT2x9Lp4RsW7yZc1NdF6hJk3-aB5eG0iU_oX"}


@pytest.fixture
def safe_app(settings: Settings) -> Iterator[Flask]:
    """Yield an app in WeChat's safe mode (encrypted callbacks)."""
    yield from _app_with(settings, wechat_aes_key=AES_KEY)


def test_safe_mode_messages_are_encrypted_and_answered(safe_app: Flask) -> None:
    server = make_server("127.0.0.1", 0, safe_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    safe_app.config[WEBHOOK_URL_CONFIG] = f"http://127.0.0.1:{server.server_port}/wechat"
    try:
        runner = safe_app.test_cli_runner()
        result = runner.invoke(args=["staff", "import", str(ROSTER)])
        assert result.exit_code == 0, result.output
        client = safe_app.test_client()
        set_password(safe_app, "示例·林主任")
        sign_in(client, "示例·林主任")
        assert "敬老卡" in _send(client, who="resident", kind="text",
                                text="敬老卡怎么办")["reply"]
    finally:
        server.shutdown()
        thread.join(timeout=5)

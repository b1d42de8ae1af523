"""The fake WeChat API answers like WeChat does and records what it was sent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from bot.wechat.fake_api import FakeWeChatServer, create_fake_wechat, serve_fake_wechat

APPID, SECRET = "wx-test", "test-secret"


@pytest.fixture
def fake() -> Iterator[FakeWeChatServer]:
    """Serve a fresh fake WeChat API for one test."""
    server = serve_fake_wechat()
    yield server
    server.shutdown()


def _token(fake: FakeWeChatServer) -> str:
    answer = requests.get(f"{fake.base_url}token", params={
        "grant_type": "client_credential", "appid": APPID, "secret": SECRET}, timeout=5).json()
    return str(answer["access_token"])


def _post(fake: FakeWeChatServer, path: str, body: Any, access_token: str) -> dict[str, Any]:
    # Encoded the way wechatpy does it: UTF-8 bytes and no JSON content type.
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    response = requests.post(f"{fake.base_url}{path}", params={"access_token": access_token},
                             data=data, timeout=5)
    result: dict[str, Any] = response.json()
    return result


def _text(openid: str, content: str) -> dict[str, Any]:
    return {"touser": openid, "msgtype": "text", "text": {"content": content}}


def test_token_is_issued_and_counted(fake: FakeWeChatServer) -> None:
    answer = requests.get(f"{fake.base_url}token", params={
        "grant_type": "client_credential", "appid": APPID, "secret": SECRET}, timeout=5).json()
    assert answer["expires_in"] == 7200 and len(answer["access_token"]) > 20
    assert requests.get(f"{fake.base_url}../_stats", timeout=5).json() == {"token_fetches": 1}
    assert fake.token_fetches == 1


@pytest.mark.parametrize(("params", "errcode"), [
    ({"grant_type": "client_credential", "secret": SECRET}, 41002),
    ({"grant_type": "client_credential", "appid": APPID}, 41004),
])
def test_token_without_credentials_is_refused(fake: FakeWeChatServer, params: dict[str, str],
                                              errcode: int) -> None:
    answer = requests.get(f"{fake.base_url}token", params=params, timeout=5).json()
    assert answer["errcode"] == errcode
    assert fake.token_fetches == 0


def test_custom_message_is_recorded_with_chinese_intact(fake: FakeWeChatServer) -> None:
    answer = _post(fake, "message/custom/send", _text("o-resident", "您的报修已受理"), _token(fake))
    assert answer == {"errcode": 0, "errmsg": "ok"}
    [call] = fake.calls("message/custom/send")
    assert call["method"] == "POST" and call["errcode"] == 0
    assert call["body"]["text"]["content"] == "您的报修已受理"


def test_unknown_token_is_an_invalid_credential(fake: FakeWeChatServer) -> None:
    answer = _post(fake, "message/custom/send", _text("o-resident", "hi"), "not-a-token")
    assert answer["errcode"] == 40001
    assert "access_token is invalid" in answer["errmsg"]


def test_template_messages_get_increasing_msgids(fake: FakeWeChatServer) -> None:
    access_token = _token(fake)
    body = {"touser": "o-resident", "template_id": "tpl-1", "data": {}}
    first = _post(fake, "message/template/send", body, access_token)
    second = _post(fake, "message/template/send", body, access_token)
    assert first["errcode"] == 0 and second["msgid"] == first["msgid"] + 1


def test_qrcodes_temporary_and_permanent_and_their_image(fake: FakeWeChatServer) -> None:
    access_token = _token(fake)
    scene = {"scene": {"scene_str": "building-3"}}
    temporary = _post(fake, "qrcode/create", {"expire_seconds": 600, "action_name": "QR_STR_SCENE",
                                              "action_info": scene}, access_token)
    permanent = _post(fake, "qrcode/create", {"action_name": "QR_LIMIT_STR_SCENE",
                                              "action_info": scene}, access_token)
    assert temporary["expire_seconds"] == 600 and "expire_seconds" not in permanent
    assert permanent["url"].startswith("http://weixin.qq.com/q/")
    image = requests.get(f"{fake.base_url}showqrcode", params={"ticket": permanent["ticket"]},
                         timeout=5)
    assert image.headers["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG") and len(image.content) > 200


def test_menu_get_returns_what_was_created(fake: FakeWeChatServer) -> None:
    access_token = _token(fake)
    no_menu = requests.get(f"{fake.base_url}menu/get", params={"access_token": access_token},
                           timeout=5).json()
    assert no_menu["errcode"] == 46003
    buttons = [{"type": "click", "name": "报修", "key": "REPAIR"}]
    assert _post(fake, "menu/create", {"button": buttons}, access_token)["errcode"] == 0
    menu = requests.get(f"{fake.base_url}menu/get", params={"access_token": access_token},
                        timeout=5).json()
    assert menu == {"menu": {"button": buttons}}


def test_injected_errors_hit_the_next_matching_calls_only(fake: FakeWeChatServer) -> None:
    access_token = _token(fake)
    requests.post(f"{fake.base_url}../_fail", timeout=5, json={
        "path": "message/custom/send", "errcode": 45015, "times": 1, "touser": "o-gone",
        "errmsg": "response out of time limit or subscription is canceled"})
    answers = [_post(fake, "message/custom/send", _text(openid, "x"), access_token)["errcode"]
               for openid in ("o-here", "o-gone", "o-gone")]
    assert answers == [0, 45015, 0]


def test_injected_http_500(fake: FakeWeChatServer) -> None:
    fake.fail("/cgi-bin/message/custom/send", status=500)
    response = requests.post(f"{fake.base_url}message/custom/send", timeout=5,
                             params={"access_token": _token(fake)}, json=_text("o-a", "x"))
    assert response.status_code == 500
    assert fake.calls("message/custom/send")[0]["status"] == 500


def test_calls_filter_since_and_clear(fake: FakeWeChatServer) -> None:
    access_token = _token(fake)
    _post(fake, "message/custom/send", _text("o-a", "one"), access_token)
    _post(fake, "message/custom/send", _text("o-b", "two"), access_token)
    calls_url = f"{fake.base_url}../_calls"
    everything = requests.get(calls_url, timeout=5).json()
    assert [c["path"] for c in everything] == ["token"] + ["message/custom/send"] * 2
    sends = requests.get(calls_url, params={"path": "message/custom/send"}, timeout=5).json()
    assert [c["body"]["touser"] for c in sends] == ["o-a", "o-b"]
    assert [c["body"]["touser"] for c in requests.get(calls_url, params={"since": 2},
                                                      timeout=5).json()] == ["o-b"]
    fake.fail("message/custom/send", 45047)
    assert requests.delete(calls_url, timeout=5).json()["errcode"] == 0
    assert fake.calls() == [] and fake.token_fetches == 0
    # The injected failure went too, and tokens issued before stay valid, as at WeChat.
    assert _post(fake, "message/custom/send", _text("o-a", "x"), access_token)["errcode"] == 0


def test_two_fake_apps_do_not_share_state() -> None:
    first, second = create_fake_wechat().test_client(), create_fake_wechat().test_client()
    query = {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}
    issued = first.get("/cgi-bin/token", query_string=query).get_json()["access_token"]
    answer = second.post("/cgi-bin/message/custom/send", query_string={"access_token": issued},
                         json=_text("o-a", "x")).get_json()
    assert answer["errcode"] == 40001
    assert first.get("/_stats").get_json() == {"token_fetches": 1}
    assert second.get("/_stats").get_json() == {"token_fetches": 0}

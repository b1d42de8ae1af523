"""LinliWeChatClient against the fake WeChat API and a real Redis (DB 13)."""

from __future__ import annotations

import pickle
import socket
import threading
from collections.abc import Callable, Iterator

import pytest
import requests
from redis import Redis

from bot.wechat.api import (
    TOKEN_MARGIN_SECONDS,
    LinliWeChatClient,
    WeChatApiError,
    make_wechat_client,
    wechat_errors,
)
from bot.wechat.fake_api import FakeWeChatServer, serve_fake_wechat

APPID, SECRET = "wx-test", "test-secret"
TOKEN_KEY = f"linli:wechat:{APPID}_access_token"
Factory = Callable[..., LinliWeChatClient]


@pytest.fixture
def redis_db(redis: Redis) -> Redis:
    """Return this run's own Redis database, empty before and after the test."""
    return redis


@pytest.fixture
def fake() -> Iterator[FakeWeChatServer]:
    """Serve a fresh fake WeChat API for one test."""
    server = serve_fake_wechat()
    yield server
    server.shutdown()


@pytest.fixture
def new_client(fake: FakeWeChatServer, redis_db: Redis) -> Factory:
    """Return a factory of clients sharing DB 13, aimed at the fake unless told otherwise."""
    def build(api_base: str = fake.base_url) -> LinliWeChatClient:
        return make_wechat_client(APPID, SECRET, api_base, redis_db, timeout=2.0)
    return build


def _closed_port_base() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/cgi-bin/"


def test_text_reaches_wechat_with_chinese_intact(fake: FakeWeChatServer,
                                                 new_client: Factory) -> None:
    new_client().send_text("o-resident", "您的报修（3号楼）已受理")
    [call] = fake.calls("message/custom/send")
    assert call["errcode"] == 0
    assert call["body"]["touser"] == "o-resident"
    assert call["body"]["text"]["content"] == "您的报修（3号楼）已受理"


def test_token_is_fetched_once_and_shared_with_a_short_ttl(
        fake: FakeWeChatServer, new_client: Factory, redis_db: Redis) -> None:
    new_client().send_text("o-a", "one")
    new_client().send_text("o-b", "two")
    assert fake.token_fetches == 1
    assert 0 < redis_db.ttl(TOKEN_KEY) <= 7200 - TOKEN_MARGIN_SECONDS


def test_eight_cold_clients_make_one_token_fetch(fake: FakeWeChatServer,
                                                 new_client: Factory) -> None:
    clients = [new_client() for _ in range(8)]
    start, errors = threading.Barrier(8), []

    def send(number: int) -> None:
        start.wait()
        try:
            clients[number].send_text(f"o-{number}", "hello")
        except WeChatApiError as error:
            errors.append(error)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert fake.token_fetches == 1
    assert len(fake.calls("message/custom/send")) == 8


def test_a_rejected_token_is_replaced_and_the_send_retried(
        fake: FakeWeChatServer, new_client: Factory, redis_db: Redis) -> None:
    client = new_client()
    client.send_text("o-a", "warm up")
    fake.fail("message/custom/send", 40001)
    client.send_text("o-a", "after refresh")
    assert fake.token_fetches == 2
    assert [c["errcode"] for c in fake.calls("message/custom/send")] == [0, 40001, 0]
    assert 0 < redis_db.ttl(TOKEN_KEY) <= 7200 - TOKEN_MARGIN_SECONDS


def test_a_token_another_process_already_replaced_is_reused(fake: FakeWeChatServer,
                                                            new_client: Factory) -> None:
    client = new_client()
    client.send_text("o-a", "warm up")
    # A request made with an outdated token: Redis already holds a newer one, so no fetch.
    with wechat_errors():
        client.post("message/custom/send", params={"access_token": "outdated"},
                    data={"touser": "o-a", "msgtype": "text", "text": {"content": "x"}})
    assert fake.token_fetches == 1


def test_a_token_refused_again_is_an_error_not_a_loop(fake: FakeWeChatServer,
                                                      new_client: Factory) -> None:
    fake.fail("message/custom/send", 40001, times=10)
    with pytest.raises(WeChatApiError) as caught:
        new_client().send_text("o-a", "x")
    assert caught.value.errcode == 40001
    assert fake.token_fetches == 2


def test_an_old_own_token_is_not_refetched_while_redis_has_one(
        fake: FakeWeChatServer, new_client: Factory) -> None:
    client = new_client()
    client.send_text("o-a", "x")
    client.expires_at = 0  # wechatpy alone would refresh now
    client.send_text("o-a", "y")
    assert fake.token_fetches == 1


def test_closed_window_is_undeliverable(fake: FakeWeChatServer, new_client: Factory) -> None:
    fake.fail("message/custom/send", 45015, touser="o-gone")
    with pytest.raises(WeChatApiError) as caught:
        new_client().send_text("o-gone", "x")
    assert caught.value.errcode == 45015 and caught.value.is_undeliverable
    assert "45015" in str(caught.value)
    restored = pickle.loads(pickle.dumps(caught.value))
    assert (restored.errcode, restored.is_undeliverable) == (45015, True)


def test_http_500_is_an_api_error_without_errcode(fake: FakeWeChatServer,
                                                  new_client: Factory) -> None:
    fake.fail("message/custom/send", status=500)
    with pytest.raises(WeChatApiError) as caught:
        new_client().send_text("o-a", "x")
    assert caught.value.errcode is None and not caught.value.is_undeliverable
    assert "500" in str(caught.value)


def test_token_endpoint_errors_are_api_errors(fake: FakeWeChatServer,
                                              new_client: Factory) -> None:
    fake.fail("token", 40125, "invalid appsecret")
    with pytest.raises(WeChatApiError) as caught:
        new_client().send_text("o-a", "x")
    assert (caught.value.errcode, caught.value.errmsg) == (40125, "invalid appsecret")


@pytest.mark.parametrize("warm", [False, True])
def test_unreachable_api_is_an_api_error_without_errcode(
        fake: FakeWeChatServer, new_client: Factory, warm: bool) -> None:
    if warm:  # token cached, so the send itself meets the closed port
        new_client().send_text("o-a", "x")
    with pytest.raises(WeChatApiError) as caught:
        new_client(_closed_port_base()).send_text("o-a", "y")
    assert caught.value.errcode is None
    assert isinstance(caught.value.__cause__, requests.ConnectionError)


def test_qrcode_created_and_its_image_fetched(new_client: Factory) -> None:
    client = new_client()
    with wechat_errors():
        created = client.qrcode.create({"action_name": "QR_LIMIT_STR_SCENE",
                                        "action_info": {"scene": {"scene_str": "building-3"}}})
    assert "expire_seconds" not in created
    image = requests.get(client.qrcode_url(created["ticket"]), timeout=5)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_qrcode_url_of_the_real_api_is_on_mp_weixin(new_client: Factory) -> None:
    client = new_client("https://api.weixin.qq.com/cgi-bin/")
    assert client.qrcode_url("t+1").startswith("https://mp.weixin.qq.com/cgi-bin/showqrcode?")

"""A database that hangs (accepts the connection, never answers) costs a resident seconds, not
the webhook: the reply still comes within WeChat's 5 s."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from flask import Flask

from bot.core.database import Database
from bot.core.services import Services
from bot.core.settings import Settings
from tests.conftest import WeChat

WECHAT_LIMIT = 5.0
pytestmark = pytest.mark.slow  # each hung connection is waited out: seconds per message


@pytest.fixture
def black_hole() -> Iterator[int]:
    """Yield the port of a server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_a_hung_database_still_gets_the_resident_an_answer_in_time(
        app: Flask, services: Services, black_hole: int) -> None:
    services.__dict__["db"] = Database(f"postgresql+psycopg://linli@127.0.0.1:{black_hole}/x")
    wechat = WeChat(app.test_client())
    for text in ("敬老卡怎么办", "楼道灯坏了"):  # an answer, then a hand-off needing the database
        start = time.monotonic()
        reply = wechat.say(text, openid="o-hung")
        assert time.monotonic() - start < WECHAT_LIMIT
        assert reply  # something the resident can read, never silence


def test_a_hung_redis_still_gets_the_resident_an_answer_in_time(
        app: Flask, services: Services, settings: Settings, black_hole: int) -> None:
    services.settings = settings.with_changes(redis_url=f"redis://127.0.0.1:{black_hole}/0")
    for name in ("redis", "turns", "jobs"):
        services.__dict__.pop(name, None)  # rebuilt on the hung server
    wechat = WeChat(app.test_client())
    for text in ("敬老卡怎么办", "5号楼楼道灯坏了 13800001111"):  # the second opens a ticket
        start = time.monotonic()
        reply = wechat.say(text, openid="o-hung")
        took = time.monotonic() - start
        assert took < WECHAT_LIMIT, took
        assert reply


def test_after_a_timeout_redis_is_skipped_for_a_moment_then_tried_again(black_hole: int,
                                                                        redis_url: str) -> None:
    from redis.exceptions import RedisError

    from bot.core import redis_breaker

    hung = redis_breaker.redis_with_breaker(f"redis://127.0.0.1:{black_hole}/0",
                                            socket_timeout=0.5, socket_connect_timeout=0.5)
    for expected in (0.5, 0.0, 0.0):  # the first waits for the timeout, the next fail at once
        start = time.monotonic()
        with pytest.raises(RedisError):
            hung.get("k")
        assert abs(time.monotonic() - start - expected) < 0.3
    live = redis_breaker.redis_with_breaker(redis_url)
    assert live.ping()  # each client has its own breaker

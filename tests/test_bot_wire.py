"""The webhook's Redis scripts survive a script flush and a dropped connection."""

from __future__ import annotations

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.core.conversation import TurnStore
from bot.core.wire import ScriptWire


def test_scripts_are_reloaded_after_redis_forgets_them(redis: Redis) -> None:
    wire = ScriptWire(redis)
    assert wire.run("return ARGV[1]", [], ["a"]) == b"a"
    redis.script_flush()  # what a restarted Redis looks like
    assert wire.run("return ARGV[1]", [], ["b"]) == b"b"


def test_a_dropped_connection_fails_once_then_reconnects(redis: Redis) -> None:
    wire = ScriptWire(redis)
    wire.run("return 1", [], [])
    redis.client_kill_filter(_type="normal", skipme=True)  # drop every other connection
    with pytest.raises((RedisConnectionError, OSError)):
        wire.run("return 1", [], [])
    assert wire.run("return 2", [], []) == 2


def test_a_retry_reads_the_stored_reply_and_session(redis: Redis) -> None:
    store = TurnStore(redis, dedup_seconds=60, session_seconds=60)
    first = store.begin("gh", "msg:1", "o-1")
    assert first.is_first and first.stored_reply is None
    first.session.start("handoff", item="x")
    store.finish("gh", "msg:1", "o-1", "<xml>reply</xml>", first.session)
    again = store.begin("gh", "msg:1", "o-1")
    assert not again.is_first and again.stored_reply == "<xml>reply</xml>"
    assert again.session.flow == "handoff"
    assert redis.ttl("linli:window:o-1") > 47 * 3600  # writing reopened the 48-hour window

"""Unanswered messages are counted per day, redacted, and listed by `guide gaps`."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from flask import Flask
from redis import Redis

from bot.gaps import GAPS_TTL_SECONDS, record_gap, top_gaps
from tests.conftest import WeChat

DAY = date(2026, 11, 20)


def test_gaps_are_counted_across_days_most_frequent_first(redis: Redis) -> None:
    for day_offset, text in [(0, "猫丢了"), (1, "猫丢了"), (1, "猫丢了"), (2, "股票")]:
        record_gap(redis, "c1", text, "none", DAY + timedelta(days=day_offset))
    gaps = top_gaps(redis, "c1", DAY, DAY + timedelta(days=2))
    assert [(g.text, g.count, g.days) for g in gaps] == [("猫丢了", 3, 2), ("股票", 1, 1)]
    assert top_gaps(redis, "c1", DAY + timedelta(days=2), DAY + timedelta(days=2))[0].text == "股票"
    assert top_gaps(redis, "other", DAY, DAY) == []


def test_gaps_expire_and_a_flood_cannot_fill_redis(redis: Redis,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.gaps.MAX_GAPS_PER_DAY", 3)
    record_gap(redis, "c1", "常见问题", "none", DAY)
    record_gap(redis, "c1", "常见问题", "none", DAY)
    for n in range(10):
        record_gap(redis, "c1", f"刷屏{'啊' * n}", "none", DAY)
    [key] = redis.keys("linli:gaps:c1:*")
    assert 0 < redis.ttl(key) <= GAPS_TTL_SECONDS
    assert redis.zcard(key) == 3
    assert top_gaps(redis, "c1", DAY, DAY)[0].text == "常见问题"


def test_with_redis_down_a_gap_is_skipped_quietly() -> None:
    down = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    assert record_gap(down, "c1", "猫丢了", "none", DAY) is False


def test_unanswered_and_listed_messages_show_in_guide_gaps_without_phone_numbers(
        app: Flask, wechat: WeChat) -> None:
    wechat.say("我家猫丢了，电话13800001111")
    wechat.say("我家猫丢了，电话13900002222")
    wechat.say("补办")  # a numbered list
    wechat.say("敬老卡怎么办")  # answered: not a gap
    result = app.test_cli_runner().invoke(args=["guide", "gaps", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0] == {"text": "我家猫丢了,电话#", "outcome": "none", "count": 2, "days": 1}
    assert {"text": "补办", "outcome": "clarify", "count": 1, "days": 1} in rows
    assert len(rows) == 2
    assert "1380000" not in result.stdout
    table = app.test_cli_runner().invoke(args=["guide", "gaps", "--days", "7"])
    assert "    2  none     我家猫丢了,电话#" in table.stdout

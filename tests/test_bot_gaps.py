"""Unanswered messages are counted per day, redacted, and listed by `guide gaps`."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from redis import Redis

from bot import create_app
from bot.core.gaps import GAPS_TTL_SECONDS, record_gap, top_gaps
from bot.core.services import Services, install_services
from bot.core.settings import Settings
from knowledge.loader import load_guide
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
    monkeypatch.setattr("bot.core.gaps.MAX_GAPS_PER_DAY", 3)
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


def test_unanswered_messages_are_grouped_in_guide_gaps_without_phone_numbers(
        app: Flask, wechat: WeChat) -> None:
    wechat.say("我家猫丢了，电话13800001111")
    wechat.say("我家猫丢了，电话13900002222")
    wechat.say("我家的猫丢了怎么办")
    wechat.say("补办")  # a numbered list
    wechat.say("敬老卡怎么办")  # answered: not a gap
    result = app.test_cli_runner().invoke(args=["guide", "gaps", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["cluster"], r["text"], r["count"]) for r in rows] == [
        (1, "我家猫丢了,电话#", 3), (2, "补办", 1)]
    assert rows[0]["outcomes"] == {"none": 3} and rows[1]["outcomes"] == {"clarify": 1}
    assert [m["text"] for m in rows[0]["messages"]] == ["我家猫丢了,电话#", "我家的猫丢了怎么办"]
    assert rows[1]["nearest"] is not None  # 补办 is near the items a lost card may be
    assert "1380000" not in result.stdout
    table = app.test_cli_runner().invoke(args=["guide", "gaps", "--days", "7"]).stdout
    assert "[1]    3×  我家猫丢了,电话#" in table
    assert "同类问法 also: 我家的猫丢了怎么办 (1)" in table


# Teaching the guide a wording: `guide learn`.

QUESTION = "尤克里里培训班在哪里报名"
ITEMS = "items/neighbourhood.yaml"


@pytest.fixture
def editable(settings: Settings, guide_dir: Path, tmp_path: Path) -> Iterator[Flask]:
    """Yield an app serving a copy of the guide, with a clerk's comment inside an item."""
    target = tmp_path / "guide"
    shutil.copytree(guide_dir, target)
    path = target / ITEMS
    note = "  - code: interest-classes\n    # 张老师负责 (clerk's note)\n"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - code: interest-classes\n", note, 1), encoding="utf-8")
    application = create_app(settings.with_changes(guide_dir=target))
    yield application
    application.extensions["linli.services"].db.dispose()
    install_services(None)


def _learn(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=["guide", "learn", *args])


def _file(app: Flask) -> str:
    return (Path(app.extensions["linli.services"].settings.guide_dir) / ITEMS).read_text(
        encoding="utf-8")


def test_an_alias_lands_in_the_file_keeping_comments_and_the_matcher_then_answers(
        editable: Flask) -> None:
    services: Services = editable.extensions["linli.services"]
    assert services.index.matcher.match(QUESTION).outcome == "none"
    before = _file(editable)
    result = _learn(editable, "尤克里里", "--item", "interest-classes", "--as", "alias")
    assert result.exit_code == 0, result.output
    assert "within 5 s" in result.stdout and "Now answered by interest-classes" in result.stdout
    after = _file(editable)
    assert "# 张老师负责 (clerk's note)" in after and after.startswith("# Neighbourhood life")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert len(changed) == 1 and changed[0].endswith(", 尤克里里]")
    assert len(after.splitlines()) == len(before.splitlines())
    match = services.index.matcher.match(QUESTION)
    assert match.item is not None and match.item.code == "interest-classes"


def test_an_example_is_added_to_the_block_list(editable: Flask) -> None:
    result = _learn(editable, "周末有没有书法班", "--item", "interest-classes")
    assert result.exit_code == 0, result.output
    item = load_guide(editable.extensions["linli.services"].settings.guide_dir).item(
        "interest-classes")
    assert item.examples[-1] == "周末有没有书法班"
    assert "      - 周末有没有书法班\n" in _file(editable)


@pytest.mark.parametrize(("args", "why"), [
    (["敬老卡", "--item", "interest-classes", "--as", "alias"], "item 'senior-card'"),
    (["尤克里里", "--item", "no-such-item", "--as", "alias"], "no such item"),
    (["我家猫丢了,电话#", "--item", "interest-classes"], "redaction placeholder"),
    (["see <link>", "--item", "interest-classes"], "redaction placeholder"),
    (["   ", "--item", "interest-classes"], "empty"),
    (["书法" * 20, "--item", "interest-classes", "--as", "alias"], "at most 24"),
])
def test_a_refused_edit_says_why_and_leaves_the_file_alone(editable: Flask, args: list[str],
                                                           why: str) -> None:
    before = _file(editable)
    result = _learn(editable, *args)
    assert result.exit_code == 1
    assert "refused, the file is unchanged" in result.stderr and why in result.stderr
    assert _file(editable) == before


def test_a_question_is_learned_by_its_number_in_the_last_listing(editable: Flask,
                                                                 wechat_on_copy: WeChat) -> None:
    wechat_on_copy.say("股票怎么买")
    wechat_on_copy.say(QUESTION)
    wechat_on_copy.say(QUESTION)
    assert _learn(editable, "--cluster", "1", "--item", "interest-classes").exit_code == 1
    listing = editable.test_cli_runner().invoke(args=["guide", "gaps"]).stdout
    assert f"[1]    2×  {QUESTION}" in listing
    wechat_on_copy.say("股票怎么买")  # the order changes; the numbers of the listing do not
    wechat_on_copy.say("股票怎么买")
    result = _learn(editable, "--cluster", "1", "--item", "interest-classes")
    assert result.exit_code == 0, result.output
    assert f"      - {QUESTION}\n" in _file(editable)


@pytest.fixture
def wechat_on_copy(editable: Flask) -> WeChat:
    """Return a WeChat signer talking to the app on the copied guide."""
    return WeChat(editable.test_client())

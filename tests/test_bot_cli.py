"""The command line: guide check and match, tickets list, db upgrade."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from flask import Flask
from sqlalchemy import create_engine, inspect

from bot import create_app
from bot.core.models import Base
from bot.core.services import Services, install_services
from bot.core.settings import Settings
from knowledge.loader import GuideError
from tests.conftest import APPID, TOKEN, WeChat


def invoke(app: Flask, *args: str, stdin: str | None = None) -> Result:
    return app.test_cli_runner().invoke(args=list(args), input=stdin)


def json_lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture
def make_app() -> Iterator[Any]:
    """Return a factory of extra apps, each disposed of after the test."""
    made: list[Flask] = []

    def make(settings: Settings) -> Flask:
        application = create_app(settings)
        made.append(application)
        return application

    yield make
    for application in made:
        services: Services = application.extensions["linli.services"]
        if "db" in vars(services):  # only an engine that was built needs disposing
            services.db.dispose()
    install_services(None)


@pytest.fixture
def offline(tmp_path: Path) -> Settings:
    """Return settings on a private SQLite file, for commands that need no Redis or WeChat."""
    return Settings(wechat_token=TOKEN, wechat_appid=APPID, wechat_secret="test-secret",
                    database_url=f"sqlite:///{tmp_path / 'linli.db'}", environment="test")


def test_guide_check_reports_the_item_count_and_the_sample_contacts(app: Flask) -> None:
    guide = app.extensions["linli.services"].index.guide
    result = invoke(app, "guide", "check")
    assert result.exit_code == 0, result.output
    assert f"guide OK: {len(guide.items)} items" in result.stdout
    for disposition in ("answer", "handoff", "refer"):
        count = sum(1 for item in guide.items if item.disposition == disposition)
        assert f"{count} {disposition}" in result.stdout
    assert f"{len(guide.samples())} sample contacts to replace" in result.stdout
    for sample in guide.samples():
        assert f"  - {sample}\n" in result.stdout
    assert "office police-fenglin" in result.stdout
    assert "hotline-12345" not in result.stdout


def test_guide_check_on_a_broken_guide_exits_1_naming_file_and_field(
        offline: Settings, guide_dir: Path, tmp_path: Path, make_app: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "guide"
    shutil.copytree(guide_dir, broken)
    items_file = broken / "items" / "health.yaml"
    data = yaml.safe_load(items_file.read_text(encoding="utf-8"))
    data["items"][0].pop("summary_en")
    items_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    result = invoke(make_app(offline.with_changes(guide_dir=broken)), "guide", "check")
    assert result.exit_code == 1
    assert "guide is invalid" in result.stderr
    assert str(items_file) in result.stderr
    assert f"item '{data['items'][0]['code']}'" in result.stderr
    assert "'summary_en'" in result.stderr
    assert "guide OK" not in result.stdout


def test_an_app_on_a_broken_guide_fails_to_start_outside_the_cli(
        offline: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    empty = tmp_path / "empty-guide"
    empty.mkdir()
    try:
        with pytest.raises(GuideError, match=r"committee\.yaml"):
            create_app(offline.with_changes(guide_dir=empty))
    finally:
        install_services(None)


MATCHES = [
    ("敬老卡怎么办", "answer", "senior-card"),
    ("厨房着火了", "emergency", None),
    ("楼道灯坏了", "handoff", "facility-repair"),
    ("今天天气不错", "none", None),
]


def check_match(row: dict[str, Any], text: str, disposition: str, code: str | None) -> None:
    assert {"text", "disposition", "item", "candidates", "score"} <= set(row)
    assert row["text"] == text
    assert row["disposition"] == disposition, row
    assert (row["item"] or {}).get("code") == code
    assert isinstance(row["score"], float | int)
    for candidate in row["candidates"]:
        assert set(candidate) == {"code", "name", "name_en", "score"}
    if code is not None:
        assert row["candidates"][0]["code"] == code
        assert row["item"]["name"] and row["item"]["name_en"]


def test_guide_match_prints_one_json_object_per_argument(app: Flask) -> None:
    result = invoke(app, "guide", "match", *(text for text, _, _ in MATCHES))
    assert result.exit_code == 0, result.output
    rows = json_lines(result)
    assert len(rows) == len(MATCHES) == len(result.stdout.splitlines())
    for row, (text, disposition, code) in zip(rows, MATCHES, strict=True):
        check_match(row, text, disposition, code)


def test_guide_match_reads_lines_from_stdin_skipping_blank_ones(app: Flask) -> None:
    stdin = "\n".join(text for text, _, _ in MATCHES[:2]) + "\n\n  \n" + "\n".join(
        text for text, _, _ in MATCHES[2:]) + "\n"
    result = invoke(app, "guide", "match", stdin=stdin)
    assert result.exit_code == 0, result.output
    rows = json_lines(result)
    assert [row["text"] for row in rows] == [text for text, _, _ in MATCHES]
    for row, (text, disposition, code) in zip(rows, MATCHES, strict=True):
        check_match(row, text, disposition, code)


def test_guide_match_keeps_chinese_readable_in_its_json(app: Flask) -> None:
    result = invoke(app, "guide", "match", "敬老卡怎么办")
    assert "敬老卡申领" in result.stdout and "\\u" not in result.stdout


def hand_off_a_broken_light(wechat: WeChat) -> None:
    wechat.say("楼道灯坏了")
    wechat.say("5号楼")
    assert "工单号" in wechat.say("13800001111")


def test_tickets_list_json_masks_the_phone_number(app: Flask, wechat: WeChat) -> None:
    hand_off_a_broken_light(wechat)
    result = invoke(app, "tickets", "list", "--json")
    assert result.exit_code == 0, result.output
    [row] = json_lines(result)
    assert row["item"] == "facility-repair" and row["kind"] == "handoff"
    assert row["line"] == "property-repair" and row["status"] == "new"
    assert row["text"] == "楼道灯坏了"
    assert row["details"] == {"location": "5号楼", "phone": "138****1111"}
    assert [event["kind"] for event in row["events"]] == ["created", "unassigned"]
    assert "13800001111" not in result.stdout


def test_tickets_list_reveal_shows_the_phone_number_in_full(app: Flask, wechat: WeChat) -> None:
    hand_off_a_broken_light(wechat)
    [row] = json_lines(invoke(app, "tickets", "list", "--json", "--reveal"))
    assert row["details"]["phone"] == "13800001111"


def test_tickets_list_prints_a_table_and_filters_by_status(app: Flask, wechat: WeChat) -> None:
    hand_off_a_broken_light(wechat)
    table = invoke(app, "tickets", "list")
    assert table.exit_code == 0, table.output
    [line] = table.stdout.splitlines()
    assert line.startswith("#") and "facility-repair" in line and "new" in line
    assert "13800001111" not in table.stdout
    assert invoke(app, "tickets", "list", "--status", "closed").stdout == ""
    assert len(json_lines(invoke(app, "tickets", "list", "--json", "--status", "new"))) == 1


def test_tickets_list_with_no_tickets_prints_nothing(app: Flask) -> None:
    result = invoke(app, "tickets", "list", "--json")
    assert result.exit_code == 0 and result.stdout == ""


def test_db_upgrade_creates_the_tables_in_a_fresh_sqlite_file(
        offline: Settings, tmp_path: Path, make_app: Any) -> None:
    path = tmp_path / "fresh" / "linli.db"
    url = f"sqlite:///{path}"
    assert not path.exists()
    result = invoke(make_app(offline.with_changes(database_url=url)), "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "database is up to date" in result.stdout
    engine = create_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_db_upgrade_twice_is_harmless(offline: Settings, make_app: Any) -> None:
    application = make_app(offline)
    assert invoke(application, "db", "upgrade").exit_code == 0
    second = invoke(application, "db", "upgrade")
    assert second.exit_code == 0, second.output


def test_menu_push_creates_the_menu_whose_buttons_the_bot_answers(app, fake_wechat,
                                                                  wechat) -> None:
    result = app.test_cli_runner().invoke(args=["menu", "push"])
    assert result.exit_code == 0, result.output
    [call] = fake_wechat.calls("menu/create")
    keys = [button["key"] for button in call["body"]["button"]]
    assert keys == ["help", "my_tickets", "duty"]
    for key, expected in zip(keys, ["我的工单", "没有工单", "开放时间"], strict=True):
        assert expected in wechat.send("event", Event="CLICK", EventKey=key)


def test_menu_push_reports_a_refusal_in_one_line(app, fake_wechat) -> None:
    fake_wechat.fail("menu/create", errcode=48001, errmsg="api unauthorized")
    result = app.test_cli_runner().invoke(args=["menu", "push"])
    assert result.exit_code == 1 and "48001" in result.output
    assert "Traceback" not in result.output

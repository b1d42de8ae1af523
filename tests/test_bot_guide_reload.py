"""A clerk edits the guide: running processes pick it up, a broken edit is refused."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask

from bot import create_app
from bot.core.services import Services, install_services
from bot.core.settings import Settings
from tests.conftest import WeChat

NEW_WORDS = "尤克里里"


@pytest.fixture
def editable(guide_dir: Path, tmp_path: Path) -> Path:
    """Return a copy of the shipped guide that the test edits like a clerk would."""
    target = tmp_path / "guide"
    shutil.copytree(guide_dir, target)
    return target


@pytest.fixture
def live(settings: Settings, editable: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """Yield an app serving the editable guide, checking for edits on every message."""
    monkeypatch.setattr("bot.core.services.GUIDE_CHECK_SECONDS", 0.0)
    application = create_app(settings.with_changes(guide_dir=editable))
    yield application
    application.extensions["linli.services"].db.dispose()
    install_services(None)


def add_alias(root: Path, code: str, alias: str) -> None:
    """Add an alias to an item the way a clerk edits the file: as text."""
    path = root / "items" / "neighbourhood.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"code: {code}")
    at = text.index("aliases: [", start) + len("aliases: [")
    path.write_text(text[:at] + alias + ", " + text[at:], encoding="utf-8")


def break_guide(root: Path) -> None:
    """Save a half-edited file, as a clerk might: a disposition no one knows."""
    path = root / "items" / "health.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "disposition: refer", "disposition: referr", 1), encoding="utf-8")


def invoke(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=list(args))


def test_an_edited_guide_is_served_without_a_restart(live: Flask, editable: Path) -> None:
    wechat = WeChat(live.test_client())
    assert "兴趣班" not in wechat.say(NEW_WORDS)
    add_alias(editable, "interest-classes", NEW_WORDS)
    assert "兴趣班" in wechat.say(NEW_WORDS)


def test_a_broken_edit_is_refused_and_the_old_guide_keeps_answering(
        live: Flask, editable: Path) -> None:
    services: Services = live.extensions["linli.services"]
    wechat = WeChat(live.test_client())
    before = services.index
    break_guide(editable)
    assert "敬老卡" in wechat.say("敬老卡怎么办")
    assert services.index is before
    assert services.guide_error is not None and "referr" in str(services.guide_error)
    add_alias(editable, "interest-classes", NEW_WORDS)  # still broken elsewhere
    assert "兴趣班" not in wechat.say(NEW_WORDS)
    path = editable / "items" / "health.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("referr", "refer"),
                    encoding="utf-8")
    assert "兴趣班" in wechat.say(NEW_WORDS)
    assert services.guide_error is None


def test_guide_reload_validates_and_says_when_it_is_picked_up(live: Flask,
                                                              editable: Path) -> None:
    add_alias(editable, "interest-classes", NEW_WORDS)
    result = invoke(live, "guide", "reload")
    assert result.exit_code == 0, result.output
    assert "guide OK" in result.stdout and "no restart" in result.stdout


def test_guide_reload_refuses_a_broken_guide_naming_the_field(live: Flask,
                                                              editable: Path) -> None:
    services: Services = live.extensions["linli.services"]
    before = services.index
    break_guide(editable)
    result = invoke(live, "guide", "reload")
    assert result.exit_code == 1
    assert "guide is invalid" in result.stderr and "'disposition'" in result.stderr
    assert "previous guide" in result.stderr
    assert services.index is before

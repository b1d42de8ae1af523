"""The Guide page's unmatched questions: grouped, with the nearest item, and taught in one step."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from bot import create_app
from bot.core.services import Services, install_services
from bot.core.settings import Settings
from bot.staff.roster_import import import_roster
from tests.conftest import WeChat
from tests.test_bot_console_auth import csrf, set_password, sign_in
from tests.test_bot_console_pages import CLERK, DIRECTOR, page

QUESTION = "尤克里里培训班在哪里报名"


@pytest.fixture
def editable(settings: Settings, guide_dir: Path, tmp_path: Path) -> Iterator[Flask]:
    """Yield an app serving a copy of the guide, with the sample roster and passwords."""
    target = tmp_path / "guide"
    shutil.copytree(guide_dir, target)
    application = create_app(settings.with_changes(guide_dir=target))
    services: Services = application.extensions["linli.services"]
    data = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" /
                           "roster.sample.yaml").read_text(encoding="utf-8"))
    with services.db.session() as session:
        import_roster(session, services.index.guide.committee.code, data)
        session.commit()
    for name in (DIRECTOR, CLERK):
        set_password(application, name)
    yield application
    services.db.dispose()
    install_services(None)


def _signed_in(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, name)
    return client


def _items_file(app: Flask) -> Path:
    return Path(app.extensions["linli.services"].settings.guide_dir) / "items" / \
        "neighbourhood.yaml"


def test_the_page_groups_wordings_and_the_director_adds_an_alias(editable: Flask) -> None:
    wechat = WeChat(editable.test_client())
    wechat.say(QUESTION)
    wechat.say(QUESTION)
    wechat.say("尤克里里培训班哪里报名啊")
    director = _signed_in(editable, DIRECTOR)
    text = page(director, "/console/guide")
    assert text.count('data-testid="gap"') == 1 and "2 种问法 wordings" in text
    assert f'name="text" value="{QUESTION}"' in text
    before = _items_file(editable).read_text(encoding="utf-8")
    response = director.post("/console/guide/learn", follow_redirects=True, data={
        "csrf": csrf(director, "/console/guide"), "text": "尤克里里", "item": "interest-classes",
        "as": "alias"})
    shown = response.get_data(as_text=True)
    assert "Now answered by interest-classes" in shown and "within 5 s" in shown
    after = _items_file(editable).read_text(encoding="utf-8")
    assert after.startswith("# Neighbourhood life") and ", 尤克里里]" in after
    assert len(after.splitlines()) == len(before.splitlines())
    assert "interest-classes" in page(director, f"/console/guide?q={QUESTION}")
    assert "现已能答 answered now" in page(director, "/console/guide")


def test_a_refused_edit_is_flashed_and_the_file_is_unchanged(editable: Flask) -> None:
    director = _signed_in(editable, DIRECTOR)
    before = _items_file(editable).read_text(encoding="utf-8")
    response = director.post("/console/guide/learn", follow_redirects=True, data={
        "csrf": csrf(director, "/console/guide"), "text": "敬老卡", "item": "interest-classes",
        "as": "alias"})
    shown = response.get_data(as_text=True)
    assert "Refused, the file is unchanged" in shown and "item &#39;senior-card&#39;" in shown
    assert _items_file(editable).read_text(encoding="utf-8") == before


def test_staff_without_the_permission_see_no_form_and_cannot_post(editable: Flask) -> None:
    WeChat(editable.test_client()).say(QUESTION)
    clerk = _signed_in(editable, CLERK)
    text = page(clerk, "/console/guide")
    assert QUESTION in text and "/console/guide/learn" not in text
    before = _items_file(editable).read_text(encoding="utf-8")
    response = clerk.post("/console/guide/learn", data={
        "csrf": csrf(clerk, "/console/guide"), "text": "尤克里里", "item": "interest-classes",
        "as": "alias"})
    assert response.status_code == 403
    assert _items_file(editable).read_text(encoding="utf-8") == before

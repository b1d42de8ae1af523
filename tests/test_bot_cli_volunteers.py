"""`flask volunteers` and `flask stations`: import, list, QR codes through the WeChat API, admin."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import Result
from flask import Flask

from bot.core.services import Services
from bot.volunteers.models import Volunteer
from tests.conftest import WeChat
from tests.volunteer_fixtures import (  # noqa: F401
    SAMPLE,
    book,
    sent_to,
    shift_of,
    stations_fixture,
    volunteer_fixture,
)

TUESDAY = date(2026, 12, 1)


def invoke(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=list(args))


def test_importing_listing_and_printing_station_qr_codes(app: Flask, roster, fake_wechat,
                                                        tmp_path: Path) -> None:
    assert "imported 2 stations" in invoke(app, "stations", "import", str(SAMPLE)).output
    listing = invoke(app, "stations", "list").output
    assert "room-1" in listing and "晚班 18:00-20:00×3" in listing and "示例·周" in listing
    target = tmp_path / "room-1.png"
    result = invoke(app, "stations", "qrcode", "room-1", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    [created] = fake_wechat.calls("qrcode/create")
    assert created["body"] == {"action_name": "QR_LIMIT_STR_SCENE",
                               "action_info": {"scene": {"scene_str": "checkin:room-1"}}}
    assert len(fake_wechat.calls("showqrcode")) == 1
    missing = invoke(app, "stations", "qrcode", "room-9")
    assert missing.exit_code == 1 and "no station has the code 'room-9'" in missing.output


def test_a_wechat_refusal_and_a_bad_file_exit_1_in_one_line(app: Flask, roster, fake_wechat,
                                                            tmp_path: Path) -> None:
    invoke(app, "stations", "import", str(SAMPLE))
    fake_wechat.fail("qrcode/create", 48001)  # an unverified account has no QR-code API
    refused = invoke(app, "stations", "qrcode", "room-1", "--out", str(tmp_path / "x.png"))
    assert refused.exit_code == 1 and "48001" in refused.output
    assert not (tmp_path / "x.png").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("stations:\n  - code: room-3\n    name: 3号\n    slots: []\n", "utf-8")
    wrong = invoke(app, "stations", "import", str(bad))
    assert wrong.exit_code == 1 and "stations[0] 'room-3': 'slots' must list" in wrong.output


def test_a_closure_in_the_file_calls_off_booked_shifts_and_tells_the_volunteers(
        app: Flask, services: Services, stations, volunteer, clock, run_jobs, fake_wechat,
        tmp_path: Path) -> None:
    clock("2026-11-30T10:00")
    book(services, volunteer("o-vol"), stations["room-1"], TUESDAY, 1)
    closure = tmp_path / "closure.yaml"
    closure.write_text(SAMPLE.read_text("utf-8") + "  - {station: room-1, day: 2026-12-01, "
                       "note: 设备检修}\n", "utf-8")
    assert "1 booked shifts called off" in invoke(app, "stations", "import", str(closure)).output
    run_jobs()
    assert sent_to(fake_wechat, "o-vol") == [
        "您预约的 周二 12-01 早班 1号垃圾箱房 因故取消（设备检修），不用到场。"]
    assert [s.status for s in shift_of(services, "o-vol")] == ["cancelled"]


def test_volunteers_are_listed_masked_paused_and_removed(app: Flask, wechat: WeChat,
                                                         services: Services, stations,
                                                         volunteer, clock) -> None:
    clock("2026-11-30T10:00")
    me = volunteer("o-vol", name="王芳")
    twin_ids = [volunteer(f"o-twin-{i}", name="李明") for i in (1, 2)]
    book(services, me, stations["room-1"], TUESDAY, 1)
    listing = invoke(app, "volunteers", "list").output
    assert "138****1111" in listing and "13800001111" not in listing and "o-vol" not in listing
    assert "已报名" not in wechat.say("排班", openid="o-vol")  # roles now cached
    assert "1 booked shifts released" in invoke(app, "volunteers", "pause", "王芳").output
    assert "已暂停" in wechat.say("排班", openid="o-vol")
    assert [s.status for s in shift_of(services, "o-vol")] == ["cancelled"]
    again = invoke(app, "volunteers", "pause", "王芳")
    assert again.exit_code == 1 and "is paused, not active" in again.output
    assert "active volunteer" in invoke(app, "volunteers", "approve", "王芳").output
    twins = invoke(app, "volunteers", "remove", "李明", "--yes")
    assert twins.exit_code == 1 and "use one of #{} (building 5), #{} (building 5)".format(
        *twin_ids) in twins.output
    assert "details erased" in invoke(app, "volunteers", "remove", f"#{twin_ids[0]}",
                                      "--yes").output
    assert invoke(app, "volunteers", "remove", "王芳").exit_code == 1  # not confirmed
    assert "details erased" in invoke(app, "volunteers", "remove", "王芳", "--yes").output
    assert "您还不是垃圾分类志愿者" in wechat.say("排班", openid="o-vol")  # the cached role went
    with services.db.session() as session:
        person = session.get(Volunteer, me)
        assert person is not None and (person.openid, person.phone) == (None, "")
    assert "王芳" not in invoke(app, "volunteers", "list").output
    bad = invoke(app, "volunteers", "report", "--month", "2026-13")
    assert bad.exit_code == 1 and "not a month like 2026-11" in bad.output

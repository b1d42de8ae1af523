"""The volunteers' sweep on a real RQ worker, with a controlled clock: reminders, coverage."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask

from bot.core.services import Services
from tests.conftest import WeChat
from tests.volunteer_fixtures import (  # noqa: F401
    book,
    scan,
    sent_to,
    shift_of,
    stations_fixture,
    volunteer_fixture,
)
from workers.volunteers import JOB
from workers.worker import LinliWorker

TUESDAY = date(2026, 12, 1)


def sweep(services: Services, clock: Any, run_jobs: Any, at: str, times: int = 1) -> None:
    """Stand the clock at AT, queue the sweep TIMES times and let the worker run everything."""
    clock(at)
    for _ in range(times):
        services.jobs.enqueue(JOB)
    run_jobs()


def reminders(fake_wechat: Any, openid: str) -> list[str]:
    """Return the reminders OPENID received (uncovered slots bring them cover requests too)."""
    return [text for text in sent_to(fake_wechat, openid) if "排班提醒" in text]


def test_reminders_go_out_the_evening_before_and_shortly_before_each_once(
        services: Services, stations, volunteer, clock, run_jobs, fake_wechat) -> None:
    clock("2026-11-30T14:00")
    book(services, volunteer("o-vol"), stations["room-1"], TUESDAY, 1)  # Tuesday 07:00
    midday = book(services, volunteer("o-noon"), stations["room-2"], TUESDAY, 2)  # 11:00
    sweep(services, clock, run_jobs, "2026-11-30T18:30")
    assert reminders(fake_wechat, "o-vol") == []
    sweep(services, clock, run_jobs, "2026-11-30T19:10", times=2)
    assert reminders(fake_wechat, "o-vol") == [  # past the cut-off: no 取消排班 offered
        "【明日排班提醒】周二 12-01 早班 07:00-09:00 1号垃圾箱房（小区东门内侧，1-6 号楼使用"
        "（示例））。来不了请尽早联系居委会。"]
    assert reminders(fake_wechat, "o-noon") == [  # 11:00 can still be cancelled until 23:00
        "【明日排班提醒】周二 12-01 午班 11:00-12:00 2号垃圾箱房（小区中心花园北侧，7-12 号楼"
        f"使用（示例））。来不了请在 23:00 前发送“取消排班 {midday}”。"]
    clock("2026-11-30T19:30")  # booked after the evening reminders went out: none for this
    book(services, volunteer("o-late"), stations["room-2"], TUESDAY, 1)
    sweep(services, clock, run_jobs, "2026-11-30T21:00")
    sweep(services, clock, run_jobs, "2026-12-01T05:30")
    assert reminders(fake_wechat, "o-late") == [] and len(reminders(fake_wechat, "o-vol")) == 1
    sweep(services, clock, run_jobs, "2026-12-01T06:10", times=2)
    for openid, station in (("o-vol", "1号垃圾箱房"), ("o-late", "2号垃圾箱房")):
        assert reminders(fake_wechat, openid)[-1].startswith(
            f"【排班提醒】07:00 开始：{station} 早班")
    assert len(reminders(fake_wechat, "o-vol")) == 2 and len(reminders(fake_wechat, "o-late")) == 1


def test_an_uncovered_slot_alerts_staff_and_the_first_standby_to_accept_takes_it(
        wechat: WeChat, app: Flask, services: Services, stations, volunteer, roster, clock,
        run_jobs, fake_wechat) -> None:
    clock("2026-11-30T10:00")
    book(services, volunteer("o-absent", name="缺席者"), stations["room-1"], TUESDAY, 1)
    book(services, volunteer("o-busy"), stations["room-2"], TUESDAY, 1)
    standby = [volunteer(f"o-standby{i}", name=f"候补{i}") for i in range(7)]
    clock("2026-12-01T07:00")
    assert "签到成功" in scan(wechat, "o-busy", station="room-2")  # room-2 is covered
    sweep(services, clock, run_jobs, "2026-12-01T07:05")
    assert fake_wechat.calls("message/custom/send") == []  # ten minutes' grace
    sweep(services, clock, run_jobs, "2026-12-01T07:11", times=2)
    [alert] = sent_to(fake_wechat, "o-feng")  # room-1's staff member, once
    assert alert == ("【值守缺岗】1号垃圾箱房 周二 12-01 早班（07:00-09:00）开始 11 分钟仍无志愿者"
                     "签到（预约 1 人）。已向 5 位志愿者发出接班邀请。")
    offers = {f"o-standby{i}": sent_to(fake_wechat, f"o-standby{i}") for i in range(7)}
    assert [len(texts) for texts in offers.values()] == [1, 1, 1, 1, 1, 0, 0]
    assert sent_to(fake_wechat, "o-busy") == sent_to(fake_wechat, "o-absent") == []
    offer = offers["o-standby0"][0]
    assert offer.startswith("【接班邀请】1号垃圾箱房 今天 早班 07:00-09:00 还没有志愿者到岗")
    code = offer.split("接班 ")[1].split("”")[0]
    assert "接班成功" in wechat.say(f"接班 {code}", openid="o-standby3")
    assert "已经有人接了" in wechat.say(f"接班 {code}", openid="o-standby1")
    assert "没有找到接班邀请 999" in wechat.say("接班 999", openid="o-standby1")
    run_jobs()
    assert sent_to(fake_wechat, "o-feng")[-1].startswith(
        "【已接班】志愿者候补3接下了 1号垃圾箱房 早班")
    clock("2026-12-01T07:20")
    assert "签到成功" in scan(wechat, "o-standby3")
    sweep(services, clock, run_jobs, "2026-12-01T09:05")
    assert [(s.status, s.check_out_method) for s in shift_of(services, "o-absent")] == [
        ("no_show", "")]
    assert [(s.source, s.check_out_method) for s in shift_of(services, "o-standby3")] == [
        ("standby", "auto")]  # never checked out: closed at the slot's end
    assert len(standby) == 7
    report = app.test_cli_runner().invoke(args=["volunteers", "report", "--month", "2026-12"])
    assert report.exit_code == 0, report.output
    lines = report.output.splitlines()
    assert any(line.split()[:4] == ["候补3", "5", "1", "1.7"] for line in lines)
    assert any("2026-12-01" in line and "缺席者" in line for line in lines)
    assert any(line.split()[:7] == ["1号垃圾箱房", "早班", "07:00-09:00", "1", "1", "2", "50"]
               for line in lines)
    csv = app.test_cli_runner().invoke(args=["volunteers", "report", "--month", "2026-12",
                                             "--csv"]).output
    assert "no_show,2026-12,缺席者,,1号垃圾箱房,早班,2026-12-01" in csv
    assert "hours,2026-12,候补3,5,,,,1,1.7,0" in csv


def test_the_worker_queues_the_sweep_at_every_maintenance(services: Services) -> None:
    worker = LinliWorker([services.jobs.queue], connection=services.redis)
    worker.run_maintenance_tasks()
    assert JOB in [job.func_name for job in services.jobs.queue.get_jobs()]


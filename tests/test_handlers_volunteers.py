"""Volunteers through the webhook: sign-up, shifts, cancelling, QR and location check-in."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from bot.core.services import Services
from bot.volunteers.models import Volunteer
from tests.dialogue import Dialogue
from tests.volunteer_fixtures import (  # noqa: F401
    ROOM_1,
    book,
    scan,
    sent_to,
    share_location,
    shift_of,
    stations_fixture,
    volunteer_fixture,
)

TUESDAY = date(2026, 12, 1)


def test_signing_up_asks_name_building_phone_and_consent(
        dialogue: Dialogue, services: Services, app: Flask, stations, clock, run_jobs,
        fake_wechat) -> None:
    clock("2026-11-30T10:00")
    dialogue.play(who="o-applicant", table=[
        ("报名志愿者", "请问您的姓名"),
        ("王", "请发送您的姓名"),
        ("王芳", "您住几号楼"),
        ("花园旁边", "请发送楼号"),
        ("5号楼", "联系电话"),
        ("123", "号码好像不对"),
        ("138 0000 2222", "王芳，5号楼，电话 13800002222"),
        ("好的", "需要您回复“同意”"),
        ("同意", "报名成功"),
        ("报名志愿者", "正在审核"),
        ("排班", "正在审核"),  # pending: told where the sign-up stands, not "not allowed"
    ])
    with services.db.session() as session:
        [person] = session.query(Volunteer).all()
        assert (person.name, person.building, person.phone, person.status) == (
            "王芳", "5", "13800002222", "pending")
        assert person.consent_at is not None
    result = app.test_cli_runner().invoke(args=["volunteers", "approve", "王芳"])
    assert result.exit_code == 0 and "active volunteer" in result.output
    run_jobs()
    assert any("报名已通过" in text for text in sent_to(fake_wechat, "o-applicant"))
    dialogue.play(who="o-applicant",
                  table=[("排班", "未来一周可报名的班次"), ("报名志愿者", "排班 —— ")])


def test_staff_hear_of_a_sign_up_and_approve_it_in_wechat(dialogue: Dialogue, stations,
                                                          clock) -> None:
    clock("2026-11-30T10:00")
    dialogue.play(who="o-applicant", table=[
        ("报名志愿者", "姓名"), ("王芳", "几号楼"), ("5号楼", "电话"), ("13800002222", "同意"),
        ("同意", "报名成功")])
    # The two garbage rooms' staff (示例·冯, 示例·周) hear of it, the phone masked.
    [to_feng] = dialogue.sent("o-feng")
    assert dialogue.sent("o-zhou") == [to_feng] and "王芳" in to_feng
    assert "13800002222" not in to_feng and "批准" in to_feng
    number = to_feng.split("#")[1].split("：")[0]
    dialogue.play(who="o-feng", table=[(f"批准 {number}", f"已批准志愿者 #{number} 王芳"),
                                       (f"批准 {number}", "已经通过审核"),
                                       ("批准 999", "没有编号")])
    assert any("报名已通过" in t for t in dialogue.sent("o-applicant"))
    dialogue.play(who="o-applicant", table=[("排班", ["未来一周可报名的班次", "12小时内不能取消"])])


def test_someone_who_never_signed_up_is_pointed_to_the_sign_up(dialogue: Dialogue) -> None:
    dialogue.play(who="o-stranger",
                  table=[("签到", "报名志愿者"), ("my shifts", "send 'volunteer'")])
    dialogue.assert_no_work()


@pytest.mark.parametrize("answers", [[], ["王芳"], ["王芳", "5"], ["王芳", "5", "13800002222"]])
def test_a_sign_up_can_be_cancelled_at_any_step_and_keeps_nothing(
        wechat, services: Services, answers: list[str]) -> None:
    for said in ["报名志愿者", *answers]:
        wechat.say(said, openid="o-applicant")
    assert "没有保存您的任何信息" in wechat.say("取消", openid="o-applicant")
    with services.db.session() as session:
        assert session.query(Volunteer).count() == 0


def test_signing_up_in_english(dialogue: Dialogue, services: Services) -> None:
    dialogue.play(who="o-amy", table=[
        ("volunteer", "Your name?"), ("Amy Chen", "Which building"),
        ("Building 12", "phone"), ("13800003333", "Reply 'agree'"),
        ("agree", "Thank you for signing up")])
    with services.db.session() as session:
        assert session.query(Volunteer).one().lang == "en"


def test_taking_shifts_from_the_list_weekly_and_cancelling(
        dialogue: Dialogue, wechat, services: Services, stations, volunteer, clock) -> None:
    clock("2026-11-30T10:00")  # Monday
    volunteer("o-vol")
    other = volunteer("o-other")
    theirs = book(services, other, stations["room-2"], TUESDAY, 1)
    listing = wechat.say("排班", openid="o-vol")
    assert "1. 周一 11-30 午班 11:00-12:00 1号垃圾箱房 余1" in listing
    assert "还有 20 个未列出" in listing  # 40 open slots this week; 20 are listed
    today = wechat.say("1", openid="o-vol")
    assert "已报名 #" in today and "11:00-12:00" in today
    today_id = int(today.split("#")[1].split("：")[0])
    dialogue.play(who="o-vol", table=[
        ("我的排班", f"#{today_id} 周一 11-30 午班 11:00-12:00 1号垃圾箱房"),
        ("排班 周三", "1. 周三 12-02 早班 07:00-09:00 1号垃圾箱房 余2"),
        ("每周 1", "已设为每周固定班：每周三 早班 07:00-09:00 1号垃圾箱房"),
        ("我的排班", "）：每周三 早班 07:00-09:00 1号垃圾箱房"),
        (f"取消排班 {today_id}", "12小时内不能取消"),
        (f"取消排班 {theirs}", f"排班 #{theirs} 不是您的"),
        ("取消排班 999", "没有找到排班 #999"),
        ("取消排班", "请在指令后写编号"),
    ])
    weekly = wechat.say("我的排班", openid="o-vol").split("每周固定（")[1].split("）")[0]
    dialogue.play(who="o-vol", table=[
        (f"取消每周 {weekly}", "已停止每周固定班：每周三 早班 1号垃圾箱房"),
        (f"取消每周 {weekly}", f"没有找到您的每周固定班 {weekly}"),
    ])
    [wednesday] = [s for s in shift_of(services, "o-vol") if s.day == date(2026, 12, 2)]
    dialogue.play(who="o-vol", table=[(f"取消排班 {wednesday.id}", f"已取消排班 #{wednesday.id}"),
                           (f"取消排班 {wednesday.id}", "已经不在预约状态")])
    assert [s.status for s in shift_of(services, "o-vol")] == ["booked", "cancelled"]


def test_a_full_slot_and_a_paused_volunteer_are_refused(
        wechat, services: Services, stations, volunteer, clock) -> None:
    clock("2026-11-30T10:00")
    volunteer("o-slow")
    volunteer("o-fast")
    volunteer("o-paused", status="paused")
    assert "1号垃圾箱房 余1" in wechat.say("排班", openid="o-slow")
    wechat.say("排班", openid="o-fast")
    assert "已报名" in wechat.say("1", openid="o-fast")
    assert "这一班已经报满了" in wechat.say("1", openid="o-slow")  # the list was out of date
    assert "请回复列表中的序号（1-20）" in wechat.say("99", openid="o-slow")
    for said in ("排班", "我的排班", "签到"):
        assert "已暂停" in wechat.say(said, openid="o-paused")
    assert "已暂停" in scan(wechat, "o-paused")
    assert shift_of(services, "o-slow") == shift_of(services, "o-paused") == []


def test_volunteer_commands_in_english(
        dialogue: Dialogue, wechat, stations, volunteer, clock) -> None:
    clock("2026-11-30T10:00")
    volunteer("o-en", lang="en")
    assert "Open shifts this coming week" in wechat.say("shifts", openid="o-en")
    wechat.say("shifts wed", openid="o-en")
    booked = wechat.say("1", openid="o-en")
    assert "Booked #" in booked and "Wed 12-02 Morning 07:00-09:00 Garbage room 1" in booked
    number = booked.split("#")[1].split(":")[0]
    dialogue.play(who="o-en", table=[("my shifts", f"#{number} Wed 12-02"),
                          (f"unbook {number}", f"Shift #{number}"),
                          ("my hours", "In November you served 0 shifts")])


def test_qr_check_in_and_out_with_scan_events(
        wechat, services: Services, stations, volunteer, clock) -> None:
    clock("2026-11-30T10:00")
    me = volunteer("o-vol")
    book(services, me, stations["room-1"], TUESDAY, 1)  # 07:00-09:00
    script = [
        ("06:30", "现在不在值班时间内，没有记录签到。下一班：周二 12-01 07:00-09:00"),
        ("06:50", "签到成功：1号垃圾箱房 早班（07:00-09:00），06:50 签到"),
        ("06:52", "您已在 06:50 签到，无需重复"),  # a double scan is not a check-out
        ("08:55", "签退成功，本次服务 115 分钟，本月累计 1.9 小时"),
        ("08:57", "您这一班已经签退了"),
    ]
    for at, expected in script:
        clock(f"2026-12-01T{at}")
        assert expected in scan(wechat, "o-vol"), at
    [shift] = shift_of(services, "o-vol")
    assert (shift.check_in_method, shift.check_out_method) == ("qr", "qr")
    assert "12月您已服务 1 次，共 1.9 小时" in wechat.say("我的时长", openid="o-vol")


def test_a_new_follower_scanning_gets_the_welcome_with_the_check_in(
        wechat, services: Services, stations, volunteer, clock) -> None:
    clock("2026-11-30T10:00")
    me = volunteer("o-refollow")
    book(services, me, stations["room-1"], TUESDAY, 1)
    clock("2026-12-01T07:05")
    reply = scan(wechat, "o-refollow", event="subscribe")  # EventKey qrscene_checkin:room-1
    assert reply.startswith("您好，欢迎关注") and "签到成功：1号垃圾箱房" in reply
    stranger = scan(wechat, "o-new-follower", event="subscribe")
    assert stranger.startswith("您好，欢迎关注") and "发送“报名志愿者”" in stranger
    assert "这是志愿者值班签到码，没有记录签到" in scan(wechat, "o-resident-1")
    assert "这个签到码已失效" in scan(wechat, "o-refollow", station="room-9")
    volunteer("o-pending", status="pending")
    assert "报名正在审核中" in scan(wechat, "o-pending")
    for openid in ("o-new-follower", "o-resident-1", "o-pending"):
        assert shift_of(services, openid) == []


def test_walking_in_takes_a_free_place_but_not_a_full_one(
        wechat, services: Services, stations, volunteer, clock) -> None:
    volunteer("o-first")
    volunteer("o-second")
    clock("2026-12-01T11:05")  # room-1's midday slot takes one volunteer
    assert "您没有预约这一班，已为您登记。签到成功" in scan(wechat, "o-first")
    assert "这一班已经报满了" in scan(wechat, "o-second")
    assert "您还在1号垃圾箱房签到中" in scan(wechat, "o-first", station="room-2")
    assert [s.source for s in shift_of(services, "o-first")] == ["walk_in"]
    assert shift_of(services, "o-second") == []


def test_checking_in_with_a_shared_location(
        dialogue: Dialogue, wechat, services: Services, stations, volunteer, clock) -> None:
    clock("2026-11-30T10:00")
    me = volunteer("o-vol")
    book(services, me, stations["room-1"], TUESDAY, 1)
    assert "现在没有进行中的班次" in wechat.say("签到", openid="o-vol")
    clock("2026-12-01T06:55")
    dialogue.play(who="o-vol", table=[("签到", "请发送您的位置"), ("取消", "已取消签到"),
                                      ("签到", "请发送您的位置")])
    latitude, longitude = ROOM_1
    assert "您距离1号垃圾箱房约 500 米" in share_location(wechat, "o-vol", latitude + 0.0045,
                                                         longitude)
    assert "签到成功：1号垃圾箱房" in share_location(wechat, "o-vol", latitude + 0.0005,
                                                  longitude)
    assert "您已在 06:55 签到" in share_location(wechat, "o-vol", latitude, longitude)
    clock("2026-12-01T08:00")
    dialogue.play(who="o-vol", table=[("签退", "本次服务 60 分钟"), ("签退", "没有签到中的班次"),
                                      ("我的排班", "（已签退，服务60分钟）")])
    [shift] = shift_of(services, "o-vol")
    assert (shift.check_in_method, shift.check_out_method) == ("location", "command")
    clock("2026-12-01T10:00")
    assert "现在没有进行中的班次" in share_location(wechat, "o-vol", latitude, longitude)
    assert "只能看懂文字和语音" in share_location(wechat, "o-resident-1", latitude, longitude)


def test_a_resident_asking_about_volunteering_can_sign_up(wechat) -> None:
    assert "请问您的姓名" in wechat.say("我要当志愿者")
    assert "没有保存" in wechat.say("算了")
    assert "您还不是志愿者" in wechat.say("志愿者帮助")


def test_quitting_erases_the_details_and_releases_shifts(
        wechat, services: Services, stations, volunteer, clock) -> None:
    clock("2026-11-30T10:00")
    me = volunteer("o-vol", name="王芳")
    book(services, me, stations["room-1"], TUESDAY, 1)
    assert "已删除" in wechat.say("退出志愿者", openid="o-vol")
    with services.db.session() as session:
        person = session.get(Volunteer, me)
        assert person is not None
        assert (person.openid, person.phone, person.status) == (None, "", "removed")
        assert "王芳" not in person.name
    assert "您还不是垃圾分类志愿者" in wechat.say("排班", openid="o-vol")  # erased: a stranger
    assert "请问您的姓名" in wechat.say("报名志愿者", openid="o-vol")  # may sign up again


def test_asking_the_guide_about_volunteering_points_to_the_sign_up_command(wechat) -> None:
    assert "报名志愿者" in wechat.say("我想当志愿者，怎么报名")

"""Staff commands in WeChat, binding, permissions, ratings, escalation and the full story."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.core.outbox import Notification
from bot.core.services import Services
from bot.staff.binding import issue_code
from bot.staff.roster import DutyChange, Staff
from bot.tickets.opening import list_tickets
from tests.conftest import WeChat
from tests.test_handlers_staff import leave, report


def sent_to(fake_wechat, openid: str) -> list[str]:
    """Return the texts the fake WeChat API delivered to OPENID."""
    return [c["body"]["text"]["content"] for c in fake_wechat.calls("message/custom/send")
            if c["body"]["touser"] == openid]


def invite(services: Services, issued_at: datetime) -> str:
    """Add a staff member and return a binding code issued for them at ISSUED_AT."""
    with services.db.session() as session:
        staff = Staff(committee=services.index.guide.committee.code, name="新同事")
        session.add(staff)
        session.flush()
        code = issue_code(session, staff, issued_at)
        session.commit()
    return code


def number_of(reply: str) -> str:
    return reply.split("#")[1].split("。")[0].split("（")[0].strip()


def test_binding_with_a_one_time_code(wechat: WeChat, services: Services, clock) -> None:
    code = invite(services, clock("2026-11-30T10:00"))
    assert "没有权限" in wechat.say("待办", openid="o-new-phone")
    assert "绑定成功" in wechat.say(f"绑定 {code}", openid="o-new-phone")
    assert "没有待办" in wechat.say("待办", openid="o-new-phone")
    assert "无效" in wechat.say(f"绑定 {code}", openid="o-someone-else")  # single use


def test_an_expired_code_is_refused(wechat: WeChat, services: Services, clock) -> None:
    code = invite(services, clock("2026-11-30T10:00") - timedelta(days=2))
    assert "无效或已过期" in wechat.say(f"绑定 {code}", openid="o-new-phone")
    assert "没有权限" in wechat.say("待办", openid="o-new-phone")


def test_a_stranger_cannot_touch_a_ticket(wechat, services, roster, clock) -> None:
    clock("2026-11-30T10:00")
    number = number_of(report(wechat))
    for command in (f"签收 {number}", f"办结 {number} 好了", f"转交 {number} 示例·吴",
                    f"工单 {number}", "待办"):
        assert "没有权限" in wechat.say(command, openid="o-stranger")
    [ticket] = list_tickets(services.db)
    assert ticket.status == "assigned" and [e.kind for e in ticket.events] == [
        "created", "assigned"]


def test_a_colleague_cannot_accept_someone_elses_ticket(wechat, roster, clock) -> None:
    clock("2026-11-30T10:00")
    number = number_of(report(wechat))  # building 3: 示例·周's
    assert "不是您负责的" in wechat.say(f"签收 {number}", openid="o-wu")
    detail = wechat.say(f"工单 {number}", openid="o-wu")
    assert "138****1111" in detail and "13800001111" not in detail
    assert "13800001111" in wechat.say(f"工单 {number}", openid="o-zhou")


def test_staff_commands_dialogue(wechat, services, roster, clock, run_jobs,
                                 fake_wechat) -> None:
    clock("2026-11-30T10:00")
    number = number_of(report(wechat))
    table = [
        ("待办", f"#{number}"),
        (f"签收 {number}", "已签收"),
        (f"备注 {number} 已联系物业", "添加备注"),
        (f"延期 {number} 2 等配件", "延期 2 个工作日"),
        (f"工单 {number}", "已联系物业"),
        (f"签手 {number}", f"签收 {number}"),  # did you mean
        ("帮助", "值班 —— 今天谁在前台"),
        ("值班", "前台值班"),
        (f"转交 {number} 示例·冯", "已转交示例·冯"),
    ]
    for said, expected in table:
        assert expected in wechat.say(said, openid="o-zhou"), said
    assert "不是您负责的" in wechat.say(f"办结 {number} 修好了", openid="o-zhou")
    assert "已办结" in wechat.say(f"办结 {number} 已更换灯泡", openid="o-feng")
    run_jobs()
    resident = sent_to(fake_wechat, "o-resident-1")
    assert any("已由工作人员签收" in text for text in resident)
    assert any("已更换灯泡" in text and "1-5" in text for text in resident)
    assert any(f"#{number}" in text for text in sent_to(fake_wechat, "o-feng"))
    kinds = [e.kind for e in list_tickets(services.db)[0].events if e.kind != "notified"]
    assert kinds == ["created", "assigned", "accepted", "note", "extended", "transferred",
                     "resolved"]


def test_a_misrouted_ticket_is_returned_to_the_director(wechat, services, roster, clock,
                                                        run_jobs, fake_wechat) -> None:
    clock("2026-11-30T10:00")
    number = number_of(report(wechat))
    assert "已退回" in wechat.say(f"退单 {number} 这是物业的事", openid="o-zhou")
    run_jobs()
    assert any("被退回" in t for t in sent_to(fake_wechat, "o-lin"))
    [ticket] = list_tickets(services.db)
    assert ticket.status == "new" and ticket.assignee_id is None
    todo = wechat.say("待办", openid="o-lin")
    assert f"#{number}" in todo and "待分派" in todo  # in the director's 待办 to assign again
    assert f"#{number}" not in wechat.say("待办", openid="o-zhou")


def test_a_transfer_to_a_colleague_without_wechat_tells_the_sender(dialogue, services, roster,
                                                                     clock, wechat) -> None:
    clock("2026-11-30T10:00")
    number = number_of(report(wechat))
    with services.db.session() as session:
        session.get(Staff, roster["示例·冯"]).openid = None  # never bound
        session.commit()
    [reply] = dialogue.play([(f"转交 {number} 示例·冯", "已转交示例·冯")], who="o-zhou")
    assert "示例·冯 还没有绑定微信" in reply
    assert [t for t in dialogue.sent() if f"#{number}" in t and "转交给您" in t] == []


def test_a_low_rating_reopens_and_alerts_the_director(wechat, services, roster, clock,
                                                      run_jobs, fake_wechat) -> None:
    clock("2026-11-30T10:00")
    number = number_of(report(wechat))
    wechat.say(f"办结 {number} 已修", openid="o-zhou")
    assert "重新打开" in wechat.say("1")
    run_jobs()
    assert any("1 分" in t for t in sent_to(fake_wechat, "o-lin"))
    [ticket] = list_tickets(services.db)
    assert ticket.status == "reopened" and ticket.rating == 1


def test_a_resident_can_cancel_their_own_ticket_only(wechat, services, roster, clock) -> None:
    clock("2026-11-30T10:00")
    number = number_of(report(wechat))
    assert "没有找到" in wechat.say(f"取消工单 {number}", openid="o-other-resident")
    assert "已取消" in wechat.say(f"取消工单 {number}")
    assert list_tickets(services.db)[0].status == "cancelled"


def test_outside_the_48_hour_window_a_message_is_recorded_not_sent(
        wechat, services, roster, clock, run_jobs, fake_wechat, redis) -> None:
    clock("2026-11-30T10:00")
    number = number_of(report(wechat))
    redis.delete("linli:window:o-resident-1")  # the resident last wrote more than 48 hours ago
    wechat.say(f"签收 {number}", openid="o-zhou")
    run_jobs()
    assert sent_to(fake_wechat, "o-resident-1") == []
    with services.db.session() as session:
        failed = session.query(Notification).filter_by(audience="resident").one()
        assert failed.status == "failed" and "48" in failed.last_error


def test_reminders_and_escalation_run_on_the_worker_with_a_controlled_clock(
        wechat, services, roster, clock, run_jobs, fake_wechat) -> None:
    from workers.escalation import JOB

    clock("2026-11-30T09:00")
    number = number_of(report(wechat))  # 3 working days: due Thursday 12-03 19:30
    run_jobs()
    fake_wechat.reset()

    clock("2026-11-30T10:30")  # 1.5 opening hours: too early to remind
    services.jobs.enqueue(JOB)
    run_jobs()
    assert sent_to(fake_wechat, "o-zhou") == []

    clock("2026-11-30T11:30")
    services.jobs.enqueue(JOB)
    services.jobs.enqueue(JOB)  # a second sweep sends nothing twice
    run_jobs()
    assert [t for t in sent_to(fake_wechat, "o-zhou") if "提醒" in t] != []
    assert len(sent_to(fake_wechat, "o-zhou")) == 1

    clock("2026-12-03T08:00")  # under a day left: the B role hears of it
    services.jobs.enqueue(JOB)
    run_jobs()
    assert any("预警" in t and f"#{number}" in t for t in sent_to(fake_wechat, "o-feng"))

    clock("2026-12-04T09:00")  # past the limit: B role and the director
    services.jobs.enqueue(JOB)
    run_jobs()
    assert any("超时" in t for t in sent_to(fake_wechat, "o-feng"))
    assert any("超时" in t for t in sent_to(fake_wechat, "o-lin"))


def test_the_full_story_of_a_corridor_light(wechat, services, roster, clock, run_jobs,
                                           fake_wechat) -> None:
    """Sunday report, owner off on Monday, the B role accepts and resolves, resident rates."""
    leave(services, roster["示例·周"], date(2026, 11, 30))
    clock("2026-11-29T20:00")  # Sunday evening
    reply = report(wechat, building="3")
    assert "非办公时间" in reply and "周一 11-30 08:30" in reply
    number = number_of(reply)
    run_jobs()
    assert any(f"#{number}" in t and "3号楼2单元" in t for t in sent_to(fake_wechat, "o-feng"))

    clock("2026-11-30T08:45")  # Monday morning
    assert "已签收" in wechat.say(f"签收 {number}", openid="o-feng")
    clock("2026-11-30T11:00")
    assert "已办结" in wechat.say(f"办结 {number} 已更换楼道灯", openid="o-feng")
    run_jobs()
    told = sent_to(fake_wechat, "o-resident-1")
    assert any("签收" in t for t in told) and any("已更换楼道灯" in t for t in told)
    assert "谢谢您的评价" in wechat.say("5")

    [ticket] = list_tickets(services.db)
    assert ticket.status == "closed" and ticket.rating == 5
    assert ticket.assignee_id == roster["示例·冯"]
    assert [e.kind for e in ticket.events] == [
        "created", "assigned", "notified", "accepted", "resolved", "notified", "notified",
        "rated", "closed"]
    with services.db.session() as session:
        assert session.query(DutyChange).count() == 1


def test_two_word_english_commands_take_arguments(wechat, services, roster, clock) -> None:
    clock("2026-11-30T10:00")
    number = number_of(report(wechat))
    assert "cancelled" in wechat.say(f"cancel ticket {number}")
    assert list_tickets(services.db)[0].status == "cancelled"


def test_todo_and_ticket_detail_read_as_chinese_prose(dialogue, roster, clock,
                                                      wechat) -> None:
    clock("2026-11-30T10:00")
    number = number_of(report(wechat))
    dialogue.play([(f"签收 {number}", "已签收")], who="o-zhou")
    dialogue.sent()  # the resident is told; the notice leaves its mark in the history
    todo, detail = dialogue.play([("待办", f"#{number}"), (f"工单 {number}", "已签收")],
                                 who="o-zhou")
    assert "已签收" in todo and "accepted" not in todo
    assert "11-30 10:00 示例·周 签收" in detail and "系统 已通知" in detail
    assert "地点：" in detail and "电话：" in detail
    for raw in ("accepted", "staff:", "system", "notification ", "location", "handoff"):
        assert raw not in detail, (raw, detail)
    refused = dialogue.play([(f"签收 {number}", "不能这样操作")], who="o-zhou")[0]
    assert "“已签收”" in refused and "accepted" not in refused


def test_an_extension_states_the_new_date_and_tells_the_resident(dialogue, roster, clock,
                                                                 wechat) -> None:
    clock("2026-11-30T10:00")
    number = number_of(report(wechat))
    dialogue.play([(f"签收 {number}", "已签收")], who="o-zhou")
    [reply] = dialogue.play([(f"延期 {number} 2 等配件", "新时限")], who="o-zhou")
    due = reply.split("新时限 ")[1].split("，")[0]
    told = [t for t in dialogue.sent("o-resident-1") if "需要多一些时间" in t]
    assert len(told) == 1 and due in told[0] and f"#{number}" in told[0]

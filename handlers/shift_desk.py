"""Volunteers take shifts in WeChat: open slots as a numbered list, weekly slots, theirs, hours."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.core.errors import RefusalError
from bot.dispatch.context import Context
from bot.dispatch.router import Routes
from bot.volunteers.attendance import month_hours, worked
from bot.volunteers.models import (
    Shift,
    Slot,
    Station,
    WeeklySlot,
    active_stations,
    find_slot,
    local_day,
)
from bot.volunteers.shifts import (
    CANCEL_CUTOFF_HOURS,
    book_shift,
    cancel_shift,
    open_slots,
    require_volunteer,
    set_weekly,
)
from bot.volunteers.texts import (
    VTEXTS,
    describe_day,
    describe_span,
    plan_values,
    refusal,
    slot_values,
    weekday_name,
)
from bot.wechat.messages import Incoming, Reply
from handlers import checkin
from handlers.checkin import move_on
from handlers.volunteering import number_after, where_i_stand

routes = Routes()
VOLUNTEER = ("volunteer",)
LIST_FLOW = "shift_list"
MAX_LISTED = 20
"""A WeChat reply must stay short: longer lists are narrowed by day or station."""
DAY_WORDS = {**{f"周{c}": i for i, c in enumerate("一二三四五六日")},
             **{f"星期{c}": i for i, c in enumerate("一二三四五六日")}, "周天": 6, "星期天": 6,
             **{d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}}


def _wanted(narrow: str, slot: Slot, station: Station, today: date) -> bool:
    """True when SLOT matches what the volunteer narrowed the list to (a day or a station)."""
    key = narrow.strip().lower()[:3] if narrow.isascii() else narrow.strip()
    if not key:
        return True
    if key in ("今天", "tod"):
        return slot.day == today
    if key in ("明天", "tom"):
        return slot.day == today + timedelta(days=1)
    if key in DAY_WORDS:
        return slot.day.weekday() == DAY_WORDS[key]
    return narrow.strip().lower() in (station.code, station.name.lower(), station.name_en.lower())


@routes.command("排班", "报名排班", "shifts", roles=VOLUNTEER)
def list_open_slots(message: Incoming, ctx: Context) -> Reply:
    """排班 [周三|明天|垃圾房] —— 未来一周可报名的班次，回复序号报名"""
    narrow = message.text.split(maxsplit=1)[1] if len(message.text.split()) > 1 else ""
    now, lang = ctx.now(), ctx.lang
    with ctx.services.db.session() as session:
        me = require_volunteer(session, message.openid)
        stations = {s.id: s for s in active_stations(session, ctx.committee)}
        found = [(slot, left) for slot, left in open_slots(session, ctx.committee, me.id, now)
                 if _wanted(narrow, slot, stations[slot.station_id], local_day(now))]
    if not found:
        return Reply(VTEXTS.say("open_none", lang))
    shown = found[:MAX_LISTED]
    lines = [VTEXTS.say("open_line", lang, n=n, when=describe_day(slot.day, lang),
                        slot=slot.label(lang), times=describe_span(slot.starts_at, slot.ends_at),
                        station=stations[slot.station_id].label(lang), left=left)
             for n, (slot, left) in enumerate(shown, 1)]
    if len(found) > len(shown):
        lines.append(VTEXTS.say("open_more", lang, more=len(found) - len(shown),
                                station=stations[shown[0][0].station_id].label(lang)))
    ctx.session.start(LIST_FLOW, lang=lang,
                      options=[[s.station_id, s.day.isoformat(), s.number] for s, _ in shown])
    return Reply("\n".join([VTEXTS.say("open_head", lang, cutoff=CANCEL_CUTOFF_HOURS), *lines]))


def _listed_slot(ctx: Context, choice: int) -> Slot:
    """Return slot number CHOICE of the list the volunteer was shown."""
    options = ctx.session.get("options", []) if ctx.session.flow == LIST_FLOW else []
    if not options:
        raise refusal("need_list")
    if not 1 <= choice <= len(options):
        raise refusal("pick_again", count=len(options))
    station_id, day, number = options[choice - 1]
    with ctx.services.db.session() as session:
        slot = find_slot(session, int(station_id), date.fromisoformat(day), int(number))
    if slot is None:  # closed since the list was shown
        raise refusal("slot_over")
    return slot


def _booked_reply(ctx: Context, shift: Shift, key: str = "booked") -> str:
    with ctx.services.db.session() as session:
        row = session.get(Shift, shift.id)
        assert row is not None
        values = slot_values(row.station, row, ctx.lang)
    return VTEXTS.say(key, ctx.lang, id=shift.id, cutoff=CANCEL_CUTOFF_HOURS, **values)


@routes.flow(LIST_FLOW, roles=VOLUNTEER)
def pick_slot(message: Incoming, ctx: Context) -> Reply:
    """Book the numbered slot the volunteer replied with; anything else ends the list."""
    choice = message.text.strip().rstrip(".。、")
    if not choice.isdigit():
        return move_on(message, ctx)  # the volunteer moved on: answer it as any message
    ctx.lang = ctx.session.get("lang", ctx.lang)
    slot = _listed_slot(ctx, int(choice))
    with ctx.services.db.session() as session:
        me = require_volunteer(session, message.openid)
    # The list stays open, so a volunteer can take several slots or make one weekly.
    return Reply(_booked_reply(ctx, book_shift(ctx.services.db, me.id, slot, ctx.now())))


@routes.command("每周", "weekly", roles=VOLUNTEER)
def make_weekly(message: Incoming, ctx: Context) -> Reply:
    """每周 序号 —— 把列表中的班次设为每周固定班"""
    words = message.text.split()
    if len(words) > 2 and words[1].lower() in ("stop", "停止", "取消"):
        return stop_weekly(message, ctx)
    slot = _listed_slot(ctx, number_after(message, words[0]))
    with ctx.services.db.session() as session:
        me = require_volunteer(session, message.openid)
        station = session.get(Station, slot.station_id)
        assert station is not None
        head = VTEXTS.say("weekly_set", ctx.lang, **slot_values(station, slot, ctx.lang),
                          weekday=weekday_name(slot.day.weekday(), ctx.lang))
    set_weekly(ctx.services.db, me.id, slot)
    try:
        shift = book_shift(ctx.services.db, me.id, slot, ctx.now(), source="weekly")
    except RefusalError as refused:
        return Reply(head + "\n" + VTEXTS.say("weekly_not_now", ctx.lang,
                                              reason=refused.text(ctx.lang)))
    return Reply(head + "\n" + VTEXTS.say("weekly_now", ctx.lang, id=shift.id,
                                          when=describe_day(slot.day, ctx.lang)))


@routes.command("取消每周", roles=VOLUNTEER)
def stop_weekly(message: Incoming, ctx: Context) -> Reply:
    """取消每周 编号 —— 停止一个每周固定班（已预约的保留）"""
    number = number_after(message, "取消每周")
    with ctx.services.db.session() as session:
        me = require_volunteer(session, message.openid)
        weekly = session.get(WeeklySlot, number)
        if weekly is None or weekly.volunteer_id != me.id or not weekly.is_active:
            raise refusal("no_weekly", id=number)
        weekly.is_active = False
        text = VTEXTS.say("weekly_stopped", ctx.lang,
                          **plan_values(weekly.station, weekly.number, ctx.lang),
                          weekday=weekday_name(weekly.weekday, ctx.lang))
        session.commit()
    return Reply(text)


def _state(shift: Shift, lang: str) -> str:
    if shift.checked_out_at and shift.checked_in_at:
        minutes = int(worked(shift).total_seconds() // 60)  # within the slot's times, as 签退 says
        return VTEXTS.say("state_out", lang, minutes=minutes)
    return VTEXTS.say("state_in", lang) if shift.checked_in_at else ""


@routes.command("我的排班", "my shifts", roles=VOLUNTEER)
def my_shifts(message: Incoming, ctx: Context) -> Reply:
    """我的排班 —— 我报名的班次和每周固定班"""
    lang = ctx.lang
    with ctx.services.db.session() as session:
        me = require_volunteer(session, message.openid)
        shifts = session.scalars(select(Shift).where(
            Shift.volunteer_id == me.id, Shift.status == "booked",
            Shift.ends_at > ctx.now()).order_by(Shift.starts_at))
        lines = [VTEXTS.say("my_line", lang, id=s.id, **slot_values(s.station, s, lang),
                            state=_state(s, lang)) for s in shifts]
        weekly = session.scalars(select(WeeklySlot).where(
            WeeklySlot.volunteer_id == me.id, WeeklySlot.is_active.is_(True)))
        lines += [VTEXTS.say("my_weekly", lang, id=w.id, weekday=weekday_name(w.weekday, lang),
                             **plan_values(w.station, w.number, lang)) for w in weekly]
    if not lines:
        return Reply(VTEXTS.say("my_none", lang))
    return Reply("\n".join([VTEXTS.say("my_head", lang), *lines, VTEXTS.say("my_foot", lang)]))


@routes.command("取消排班", "unbook", roles=VOLUNTEER)
def unbook(message: Incoming, ctx: Context) -> Reply:
    """取消排班 编号 —— 开班前12小时前可以取消"""
    number = number_after(message, "取消排班")
    with ctx.services.db.session() as session:
        me = require_volunteer(session, message.openid)
    shift = cancel_shift(ctx.services.db, me.id, number, ctx.now())
    return Reply(_booked_reply(ctx, shift, "unbooked"))


@routes.command("我的时长", "志愿时长", "my hours", roles=VOLUNTEER)
def my_hours(message: Incoming, ctx: Context) -> Reply:
    """我的时长 —— 本月服务次数和小时数"""
    today = local_day(ctx.now())
    with ctx.services.db.session() as session:
        me = require_volunteer(session, message.openid)
        count, hours = month_hours(session, me.id, today)
    return Reply(VTEXTS.say("hours", ctx.lang, month=today.month, month_en=f"{today:%B}",
                            count=count, hours=f"{hours:g}"))


# Anyone else sending a volunteer's command (a sign-up still under review, say) is told where
# they stand instead of "not allowed"; the words are read from the routes, never listed twice.
_VOLUNTEER_COMMANDS = sorted({r.key for group in (routes, checkin.routes) for r in group.routes
                              if r.rank == "command" and r.roles == frozenset(VOLUNTEER)})


@routes.command(*_VOLUNTEER_COMMANDS)
def not_an_active_volunteer(message: Incoming, ctx: Context) -> Reply:
    """A volunteer's command from someone who is not an active volunteer."""
    return where_i_stand(ctx)

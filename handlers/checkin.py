"""Volunteers check in and out: the station's QR code, 签到 with a shared location, 签退, 接班."""

from __future__ import annotations

from bot.core.errors import RefusalError
from bot.core.outbox import owe
from bot.dispatch.context import Context
from bot.dispatch.router import Routes
from bot.volunteers.attendance import (
    NEAR_METRES,
    Attendance,
    any_slot_under_way,
    arrive,
    leave,
    month_hours,
    open_shift,
    station_to_check_in,
    worked,
)
from bot.volunteers.coverage import responsible_staff, take_offer
from bot.volunteers.models import (
    CHECKIN_SCENE,
    Station,
    Volunteer,
    local_day,
    station_by_code,
    volunteer_by_openid,
)
from bot.volunteers.shifts import require_volunteer
from bot.volunteers.texts import VTEXTS, clock_time, describe_day, describe_span, slot_values
from bot.wechat.messages import Incoming, Reply
from handlers.handoff import CANCEL_WORDS
from handlers.questions import answer_question
from handlers.texts import TEXTS
from handlers.volunteering import number_after
from handlers.welcome import welcome

routes = Routes()
VOLUNTEER = ("volunteer",)
LOCATION_FLOW = "checkin_location"


def describe(ctx: Context, done: Attendance, volunteer_id: int) -> str:
    """Word what a scan, location or command did, in the volunteer's language."""
    lang = ctx.lang
    station = done.station.label(lang) if done.station else ""
    if done.outcome == "checked_in" and done.slot is not None:
        text = VTEXTS.say("checked_in", lang, station=station, slot=done.slot.label(lang),
                          times=describe_span(done.slot.starts_at, done.slot.ends_at),
                          time=clock_time(ctx.now()))
        return VTEXTS.say("walk_in", lang) + text if done.is_walk_in else text
    if done.outcome == "checked_out" and done.shift is not None:
        with ctx.services.db.session() as session:
            _, hours = month_hours(session, volunteer_id, local_day(ctx.now()))
        return VTEXTS.say("checked_out", lang, hours=f"{hours:g}",
                          minutes=int(worked(done.shift).total_seconds() // 60))
    if done.outcome == "already_in" and done.shift and done.shift.checked_in_at:
        return VTEXTS.say("already_in", lang, time=clock_time(done.shift.checked_in_at))
    if done.outcome == "outside":
        slot = done.next_slot
        upcoming = VTEXTS.say("next_slot", lang, when=describe_day(slot.day, lang),
                              times=describe_span(slot.starts_at, slot.ends_at)) if slot else ""
        return VTEXTS.say("outside", lang, station=station, next=upcoming)
    return VTEXTS.say(done.outcome, lang, station=station)  # already_out, elsewhere, not_in


def _scan(ctx: Context, code: str) -> str:
    """Check in or out at station CODE; anyone else scanning is told what the code is for."""
    with ctx.services.db.session() as session:
        volunteer = volunteer_by_openid(session, ctx.message.openid)
        station = station_by_code(session, ctx.committee, code)
    if volunteer is not None:
        ctx.lang = volunteer.lang  # an event has no words to tell the language by
    if station is None or not station.is_active:
        return VTEXTS.say("unknown_station", ctx.lang)
    if volunteer is None or volunteer.status == "removed":
        return VTEXTS.say("scan_stranger", ctx.lang)
    if volunteer.status != "active":
        return VTEXTS.say(volunteer.status, ctx.lang)  # pending or paused: says which
    try:
        done = arrive(ctx.services.db, volunteer.id, station.id, ctx.now(), "qr")
    except RefusalError as refused:  # the slot under way is full
        return refused.text(ctx.lang)
    return describe(ctx, done, volunteer.id)


@routes.scene(CHECKIN_SCENE, roles=("resident", "volunteer"))
def scan_station(message: Incoming, ctx: Context) -> Reply:
    """Check in or out where the code was scanned (SCAN, or subscribe from a new follower)."""
    code = message.event_key.removeprefix("qrscene_").removeprefix(CHECKIN_SCENE)
    text = _scan(ctx, code)
    if message.event.lower() == "subscribe":
        # A new follower gets the account's welcome too; the scan's answer follows it.
        return Reply(welcome(message, ctx).text + "\n\n" + text)
    return Reply(text)


def move_on(message: Incoming, ctx: Context) -> Reply:
    """End the open flow and answer the message as if none were open."""
    ctx.session.end()
    if message.kind == "location":
        return check_in_by_location(message, ctx)
    if message.kind not in ("text", "voice"):
        return Reply(TEXTS.say("other_kind", ctx.lang))
    return answer_question(message, ctx)


@routes.command("签到", "check in", "checkin", roles=VOLUNTEER)
def ask_for_location(message: Incoming, ctx: Context) -> Reply:
    """签到 —— 发送位置签到（在垃圾房附近），也可以扫垃圾房的二维码"""
    with ctx.services.db.session() as session:
        me = require_volunteer(session, message.openid)
        current = open_shift(session, me.id)
        if current is not None:
            return Reply(describe(ctx, Attendance("already_in", shift=current), me.id))
        under_way = any_slot_under_way(session, ctx.committee, ctx.now())
    if not under_way:
        return Reply(VTEXTS.say("no_slot_now", ctx.lang))
    ctx.session.start(LOCATION_FLOW, lang=ctx.lang)
    return Reply(VTEXTS.say("ask_location", ctx.lang, metres=NEAR_METRES))


@routes.flow(LOCATION_FLOW, roles=VOLUNTEER)
def await_location(message: Incoming, ctx: Context) -> Reply:
    """Take the location asked for; 取消 stops; anything else is answered as usual."""
    ctx.lang = ctx.session.get("lang", ctx.lang)
    if message.text.lower().strip(" .!。！") in CANCEL_WORDS:
        ctx.session.end()
        return Reply(VTEXTS.say("location_cancelled", ctx.lang))
    return move_on(message, ctx)


@routes.kind("location", roles=VOLUNTEER)
def check_in_by_location(message: Incoming, ctx: Context) -> Reply:
    """Check in with a shared location near a station while one of its slots is under way."""
    if message.latitude is None or message.longitude is None:
        return Reply(VTEXTS.say("ask_location", ctx.lang, metres=NEAR_METRES))
    with ctx.services.db.session() as session:
        me = require_volunteer(session, message.openid)
        ctx.lang = ctx.session.get("lang") or me.lang
        found = station_to_check_in(session, ctx.committee, me.id, message.latitude,
                                    message.longitude, ctx.now())
        under_way = any_slot_under_way(session, ctx.committee, ctx.now())
    if found is None:
        return Reply(VTEXTS.say("no_station_nearby", ctx.lang))
    station, metres = found
    if not under_way:
        return Reply(VTEXTS.say("no_slot_now", ctx.lang))
    if metres > NEAR_METRES:
        return Reply(VTEXTS.say("too_far", ctx.lang, station=station.label(ctx.lang),
                                distance=round(metres), metres=NEAR_METRES))
    done = arrive(ctx.services.db, me.id, station.id, ctx.now(), "location", may_check_out=False)
    return Reply(describe(ctx, done, me.id))


@routes.command("签退", "check out", "checkout", roles=VOLUNTEER)
def check_out(message: Incoming, ctx: Context) -> Reply:
    """签退 —— 结束当前班次，记录服务时长"""
    with ctx.services.db.session() as session:
        me = require_volunteer(session, message.openid, allow_paused=True)
    return Reply(describe(ctx, leave(ctx.services.db, me.id, ctx.now(), "command"), me.id))


@routes.command("接班", "cover", roles=VOLUNTEER)
def cover_slot(message: Incoming, ctx: Context) -> Reply:
    """接班 编号 —— 接下缺岗的班次，先到先得"""
    code = number_after(message, "接班")
    shift, slot = take_offer(ctx.services.db, message.openid, code, ctx.now())
    with ctx.services.db.session() as session:
        station = session.get(Station, slot.station_id)
        volunteer = session.get(Volunteer, shift.volunteer_id)
        assert station is not None and volunteer is not None
        text = VTEXTS.say("covered", ctx.lang, id=shift.id, **slot_values(station, slot, ctx.lang))
        staff = responsible_staff(session, station)
        if staff is not None and staff.openid:
            owe(session, staff.openid, VTEXTS.say("staff_covered", "zh", name=volunteer.name,
                                                  **slot_values(station, slot, "zh")))
            session.commit()
    return Reply(text)

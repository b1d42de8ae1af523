"""Today's duty: who keeps the front desk, who is out visiting, who is off, and opening hours."""

from __future__ import annotations

from bot.core.calendar import LOCAL, WorkCalendar
from bot.dispatch.context import Context
from bot.dispatch.router import Routes
from bot.staff.roster import active_staff, duty_on
from bot.wechat.messages import Incoming, Reply
from handlers.texts import TEXTS

routes = Routes()
_DUTY_NAMES = {"desk": ("前台值班", "Front desk"), "visiting": ("外出走访", "Visiting residents"),
               "off": ("休息", "Off"), "leave": ("请假", "On leave")}


def duty_summary(ctx: Context) -> str:
    """Return today's opening hours and who is at the desk, visiting or off."""
    today = ctx.now().astimezone(LOCAL).date()
    with ctx.services.db.session() as session:
        staff = active_staff(session, ctx.committee)
        duty = duty_on(session, ctx.committee, today)
        hours = WorkCalendar.load(session, ctx.committee).hours_on(today)
    groups: dict[str, list[str]] = {}
    for person in staff:
        groups.setdefault(duty.get(person.id, "off"), []).append(person.name)
    en = ctx.lang == "en"
    spans = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in hours)
    lines = [TEXTS.say("open_today", ctx.lang, day=today,
                       spans=spans or TEXTS.say("closed_today", ctx.lang))]
    lines += [TEXTS.say("duty_line", ctx.lang, duty=_DUTY_NAMES[k][en], names="、".join(groups[k]))
              for k in _DUTY_NAMES if k in groups]
    return "\n".join(lines)


@routes.command("值班", "今日值班", "今天谁值班", "duty", roles=("resident", "staff"))
@routes.menu("duty", roles=("resident", "staff"))
def duty_today(message: Incoming, ctx: Context) -> Reply:
    """值班 —— 今天谁在前台、谁在走访、谁休息"""
    return Reply(duty_summary(ctx))

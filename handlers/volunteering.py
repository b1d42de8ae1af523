"""Becoming a volunteer in WeChat: name, building, phone and explicit consent; help; quitting."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.identity import forget_roles
from bot.dispatch.router import Routes
from bot.tickets.routing import find_building
from bot.volunteers.models import Volunteer, volunteer_by_openid
from bot.volunteers.shifts import CANCEL_CUTOFF_HOURS
from bot.volunteers.standing import approve, remove, sign_up
from bot.volunteers.texts import VTEXTS, refusal
from bot.wechat.messages import Incoming, Reply
from handlers.handoff import CANCEL_WORDS, PHONE
from handlers.texts import TEXTS

routes = Routes()

SIGNUP = "volunteer_signup"
AGREE_WORDS = frozenset({"同意", "我同意", "agree", "i agree", "yes"})
NAME_LENGTH = (2, 20)


def number_after(message: Incoming, word: str) -> int:
    """Return the number written after a command word ('取消排班 12'), or refuse with the usage."""
    parts = message.text.split()
    if len(parts) < 2 or not parts[-1].lstrip("#").isdigit():
        raise refusal("usage_id", word=parts[0] if parts else word)
    return int(parts[-1].lstrip("#"))


def _standing(ctx: Context) -> str | None:
    """Return the sender's volunteer status, None if they never signed up or were removed."""
    with ctx.services.db.session() as session:
        volunteer = volunteer_by_openid(session, ctx.message.openid)
        return None if volunteer is None or volunteer.status == "removed" else volunteer.status


def help_text(lang: str) -> str:
    """Return the volunteer commands in LANG."""
    return VTEXTS.say("help", lang, cutoff=CANCEL_CUTOFF_HOURS)


def _known(ctx: Context, status: str) -> Reply:
    if status == "pending":
        return Reply(VTEXTS.say("pending", ctx.lang))
    prefix = VTEXTS.say("paused", ctx.lang) + "\n" if status == "paused" else ""
    return Reply(prefix + help_text(ctx.lang))


def where_i_stand(ctx: Context) -> Reply:
    """Tell someone who is not an active volunteer where their sign-up stands."""
    status = _standing(ctx)
    return Reply(VTEXTS.say("not_volunteer", ctx.lang)) if status is None else _known(ctx, status)


@routes.command("报名志愿者", "我要当志愿者", "志愿者报名", "当志愿者", "volunteer")
def start_signup(message: Incoming, ctx: Context) -> Reply:
    """Start signing the sender up as a volunteer, or say where they stand."""
    status = _standing(ctx)
    if status is not None:
        return _known(ctx, status)
    if not ctx.can_converse:  # Redis is down: the answers to come would have nowhere to go
        return Reply(VTEXTS.say("try_later", ctx.lang))
    ctx.session.start(SIGNUP, step="name", lang=ctx.lang)
    return Reply(VTEXTS.say("ask_name", ctx.lang))


@routes.command("志愿者帮助", "志愿者指令")
def volunteer_help(message: Incoming, ctx: Context) -> Reply:
    """List the volunteer commands (or how to sign up)."""
    status = _standing(ctx)
    return _known(ctx, status) if status else Reply(VTEXTS.say("not_yet", ctx.lang))


def _details(ctx: Context) -> dict[str, str]:
    return {key: str(ctx.session.get(key, "")) for key in ("name", "building", "phone")}


def _ask(ctx: Context, step: str, **state: str) -> Reply:
    ctx.session.update(step=step, **state)
    return Reply(VTEXTS.say(f"ask_{step}", ctx.lang, **_details(ctx)))


@routes.flow(SIGNUP)
def continue_signup(message: Incoming, ctx: Context) -> Reply:
    """Take the next detail of a sign-up, the consent, or a cancellation."""
    ctx.lang = ctx.session.get("lang", ctx.lang)
    step = str(ctx.session.get("step", "name"))
    answer = " ".join(message.text.split())
    if message.kind not in ("text", "voice") or not answer:
        return Reply(VTEXTS.say(f"ask_{step}", ctx.lang, **_details(ctx)))
    if answer.lower().strip(" .!。！") in CANCEL_WORDS:
        ctx.session.end()  # nothing was stored yet: the details lived only in the session
        return Reply(VTEXTS.say("signup_cancelled", ctx.lang))
    if step == "name":
        if not NAME_LENGTH[0] <= len(answer) <= NAME_LENGTH[1]:
            return Reply(VTEXTS.say("bad_name", ctx.lang))
        return _ask(ctx, "building", name=answer)
    if step == "building":
        building = answer if answer.isdigit() and len(answer) <= 4 else find_building(answer)
        if building is None:
            return Reply(VTEXTS.say("bad_building", ctx.lang))
        return _ask(ctx, "phone", building=building)
    if step == "phone":
        phone = PHONE.search(answer.replace(" ", "").replace("-", ""))
        if not phone:
            return Reply(TEXTS.say("bad_phone", ctx.lang))
        return _ask(ctx, "consent", phone=phone.group(1))
    if answer.lower().strip(" .!。！") not in AGREE_WORDS:
        return Reply(VTEXTS.say("need_consent", ctx.lang))
    with ctx.services.db.session() as session:
        sign_up(session, ctx.committee, message.openid, lang=ctx.lang, now=ctx.now(),
                **_details(ctx))
        session.commit()
    ctx.session.end()
    return Reply(VTEXTS.say("signed_up", ctx.lang))


@routes.command("批准", "approve", roles=("staff",))
def approve_volunteer(message: Incoming, ctx: Context) -> Reply:
    """批准 N —— 通过志愿者 N 的报名，本人会收到通知"""
    number = number_after(message, "批准")
    with ctx.services.db.session() as session:
        volunteer = session.get(Volunteer, number)
        if volunteer is None or volunteer.committee != ctx.committee \
                or volunteer.status == "removed":
            raise refusal("no_such_volunteer", id=number)
        name = volunteer.name
        if volunteer.status == "active":
            raise refusal("already_active", id=number, name=name)
        changed = approve(session, volunteer, ctx.now())
        session.commit()
    forget_roles(ctx.services, changed.openid)  # or their cached resident role outlives this
    return Reply(VTEXTS.say("staff_approved", "zh", id=number, name=name))


@routes.command("退出志愿者", "quit volunteering")
def quit_volunteering(message: Incoming, ctx: Context) -> Reply:
    """Withdraw consent: future shifts are released and the personal details erased."""
    with ctx.services.db.session() as session:
        volunteer = volunteer_by_openid(session, message.openid)
        if volunteer is None or volunteer.status == "removed":
            return Reply(VTEXTS.say("not_yet", ctx.lang))
        remove(session, volunteer, ctx.now())
        session.commit()
    forget_roles(ctx.services, message.openid)
    return Reply(VTEXTS.say("quit_done", ctx.lang))

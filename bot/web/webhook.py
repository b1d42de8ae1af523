"""The WeChat webhook: verify, decrypt, parse, de-duplicate, dispatch, render, encrypt."""

from __future__ import annotations

import logging
import time

from flask import Blueprint, Response, current_app, request

from bot.core.conversation import Signed
from bot.core.services import Services
from bot.core.texts import CORE
from bot.dispatch.context import Context
from bot.dispatch.identity import lookup_roles, parse_roles
from bot.dispatch.router import Router
from bot.wechat.messages import Incoming, MessageError, Reply
from bot.wechat.protocol import CallbackRejectedError, SafeMode, check_signature, parse_xml
from bot.wechat.replies import render_reply
from knowledge.text import detect_language

log = logging.getLogger(__name__)

webhook = Blueprint("webhook", __name__)

EMPTY_REPLY = "success"
"""WeChat's way to acknowledge without a message; an empty <xml> would show an error."""
RETRY_WAIT_SECONDS = 4.0
"""A retry waits this long for the first attempt's reply, inside WeChat's 5 s."""


def _services() -> Services:
    return current_app.extensions["linli.services"]  # type: ignore[no-any-return]


def _router() -> Router:
    return current_app.extensions["linli.router"]  # type: ignore[no-any-return]


def _text(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/plain")


@webhook.errorhandler(CallbackRejectedError)
def _rejected(error: CallbackRejectedError) -> Response:
    log.info("callback refused: %s %s", error.status, error.reason)
    return _text(error.reason, error.status)


@webhook.get("/wechat")
def verify_server() -> Response:
    """Answer WeChat's server-URL check by echoing echostr."""
    settings = _services().settings
    check_signature(settings.wechat_token, request.args, settings.max_clock_skew)
    return _text(request.args.get("echostr", ""))


@webhook.post("/wechat")
def receive() -> Response:
    """Answer one callback passively, exactly once however often WeChat retries it."""
    services = _services()
    settings = services.settings
    check_signature(settings.wechat_token, request.args, settings.max_clock_skew)
    raw = request.get_data(cache=False)
    fields = parse_xml(raw)
    safe: SafeMode | None = None
    if request.args.get("encrypt_type", "raw").lower() == "aes":
        if settings.wechat_aes_key is None:
            raise CallbackRejectedError(400, "safe mode is not configured (LINLI_WECHAT_AES_KEY)")
        safe = SafeMode(settings.wechat_token, settings.wechat_aes_key, settings.wechat_appid)
        fields = safe.open(fields, request.args)
    elif settings.is_safe_mode and not settings.compatible_mode:
        # Safe mode means encrypted only: a plaintext callback signed with a leaked Token must
        # not be read (LINLI_WECHAT_COMPATIBLE_MODE=on while migrating accepts both).
        raise CallbackRejectedError(400, "safe mode accepts encrypted callbacks only")
    try:
        message = Incoming.from_fields(fields)
    except MessageError as exc:
        raise CallbackRejectedError(400, str(exc)) from None

    reply = answer(services, _router(), message, Signed.of(request.args, raw))
    if not reply:
        return _text(EMPTY_REPLY)
    body = safe.seal(reply) if safe else reply
    return Response(body, mimetype="application/xml")


def answer(services: Services, router: Router, message: Incoming,
           signed: Signed | None = None) -> str:
    """Return the reply XML for MESSAGE ('' for none), the same one for every retry of it."""
    turns = services.turns
    turn = turns.begin(message.account, message.dedup_key, message.openid, signed)
    if turn.is_reused:
        # The signature covers only the token, timestamp and nonce: within the freshness window
        # a captured query could carry any body. WeChat's own retries repeat the body too.
        raise CallbackRejectedError(403, "signature already used for another message")
    if not turn.is_first:
        stored = turn.stored_reply
        if stored is None:
            stored = turns.wait_for_reply(message.account, message.dedup_key, RETRY_WAIT_SECONDS)
        log.info("retry served from store: ref=%s found=%s", message.log_ref, stored is not None)
        return stored or ""
    lang = detect_language(message.text) if message.text else turn.session.get("lang", "zh")
    if turn.recent > services.settings.rate_limit:
        # One sender flooding (30 messages in a second) must not flood staff with tickets.
        log.info("rate limited: ref=%s recent=%d", message.log_ref, turn.recent)
        reply: Reply | None = Reply(CORE.say("slow_down", lang))
    else:
        roles = parse_roles(turn.cached_roles) or lookup_roles(services, message.openid)
        ctx = Context(services=services, message=message, session=turn.session, lang=lang,
                      roles=roles, can_converse=turn.is_redis_up)
        reply = router.dispatch(message, ctx)
    xml = render_reply(message, reply, int(time.time())) if reply is not None else ""
    if turn.is_redis_up:
        turns.finish(message.account, message.dedup_key, message.openid, xml, turn.session)
    return xml

"""Console sign-in: sessions, CSRF on every form, a login rate limit, and role checks."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from redis.exceptions import RedisError
from sqlalchemy import select
from werkzeug.wrappers import Response

from bot.core.outbox import Notification
from bot.core.services import Services
from bot.staff.accounts import authenticate, end_sessions, sees_everything
from bot.staff.roster import Staff
from bot.tickets.models import WORKING, Ticket

console = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
                    static_folder="static")

LOGIN_ATTEMPTS = 10
LOGIN_WINDOW_SECONDS = 15 * 60
"""At most LOGIN_ATTEMPTS failed sign-ins per account name, and per address, in this window."""
SECURITY_HEADERS = {
    # Inline style attributes remain in the templates; scripts come only from our static files.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
                               "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
"""Sent with every response under /console."""
F = TypeVar("F", bound=Callable[..., Any])


def services() -> Services:
    """Return the app's services."""
    return current_app.extensions["linli.services"]  # type: ignore[no-any-return]


def committee() -> str:
    """Return the code of the committee this console serves."""
    return services().index.guide.committee.code


def csrf_token() -> str:
    """Return this session's CSRF token, creating it on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


@console.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "me": g.get("staff")}


@console.before_request
def _load_user_and_check_csrf() -> Response | None:
    g.staff = None
    staff_id = session.get("staff_id")
    if staff_id is not None:
        db_session = services().db.session()
        g.db_session = db_session
        staff = db_session.get(Staff, staff_id)
        # A cookie from before a sign-out or password change carries an older version.
        if staff is not None and staff.is_active and \
                session.get("version") == staff.session_version:
            g.staff = staff
        else:
            session.pop("staff_id", None)
            session.pop("version", None)
    if request.method == "POST":
        sent = request.form.get("csrf", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            abort(400, "the form has expired or was not sent by this console; reload the page")
    return None


@console.after_app_request
def _security_headers(response: Response) -> Response:
    if request.path.startswith(console.url_prefix or "/console"):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


@console.teardown_request
def _close(_error: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


def login_required(view: F) -> F:
    """Send anyone not signed in to the sign-in page."""
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("staff") is None:
            return redirect(url_for("console.login", next=request.path))
        return view(*args, **kwargs)
    return wrapped  # type: ignore[return-value]


def admin_required(view: F) -> F:
    """Allow only the director and administrators."""
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not sees_everything(g.staff):
            abort(403, "only the director and administrators may open this page")
        return view(*args, **kwargs)
    return wrapped  # type: ignore[return-value]


def _attempt_keys(name: str, address: str) -> list[str]:
    # Hashed: a name is personal data and may hold anything; Redis keys should not.
    folded = unicodedata.normalize("NFKC", name.strip()).casefold()
    digest = hashlib.sha256(f"{committee()}\0{folded}".encode()).hexdigest()[:32]
    return [f"linli:console:login:name:{digest}", f"linli:console:login:address:{address}"]


def _too_many_attempts(keys: list[str]) -> bool:
    try:
        counts = services().redis.mget(keys)
    except RedisError:
        return False  # the database still checks the password; do not lock everyone out
    return any(int(count or 0) >= LOGIN_ATTEMPTS for count in counts)


def _count_failure(keys: list[str]) -> None:
    try:
        pipe = services().redis.pipeline()
        for key in keys:
            pipe.incr(key)
            pipe.expire(key, LOGIN_WINDOW_SECONDS)
        pipe.execute()
    except RedisError:
        pass  # counting is a brake, not a gate: sign-in still needs the password


def safe_next(target: str) -> str:
    """Return TARGET when it is a path on this site, the console's home otherwise."""
    # "//host" and "/\\host" are other sites to a browser; a control character breaks headers.
    is_local = target.startswith("/") and not target.startswith(("//", "/\\")) and \
        not any(unicodedata.category(ch).startswith(("C", "Z")) for ch in target)
    return target if is_local else url_for("console.home")


@console.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    """Sign in with name and password."""
    error = ""
    if request.method == "POST":
        name = request.form.get("name", "")
        keys = _attempt_keys(name, request.remote_addr or "?")
        if _too_many_attempts(keys):
            error = "登录失败次数过多，请 15 分钟后再试。Too many attempts: wait 15 minutes."
        else:
            with services().db.session() as db_session:
                staff = authenticate(db_session, committee(), name,
                                     request.form.get("password", ""))
                signed_in = (staff.id, staff.session_version) if staff else None
            if signed_in is None:
                _count_failure(keys)
                error = "姓名或密码不对。Wrong name or password."
            else:
                session.clear()
                session["staff_id"], session["version"] = signed_in
                return redirect(safe_next(request.args.get("next", "")))
    return render_template("console/login.html", error=error)


@console.post("/logout")
def logout() -> Response:
    """Sign out, here and wherever else this account is signed in."""
    staff: Staff | None = g.get("staff")
    if staff is not None:
        end_sessions(staff)
        g.db_session.commit()
    session.clear()
    return redirect(url_for("console.login"))


@console.get("/")
@login_required
def home() -> str:
    """The console's front page: open, overdue and unassigned tickets."""
    staff: Staff = g.staff
    everything = sees_everything(staff)
    query = select(Ticket).where(Ticket.committee == committee(), Ticket.status.in_(WORKING))
    if not everything:
        query = query.where(Ticket.assignee_id == staff.id)
    tickets = list(g.db_session.scalars(query))
    now = services().now()
    counts = {"open": len(tickets),
              "overdue": sum(1 for t in tickets if t.due_at is not None and t.due_at < now),
              "unassigned": sum(1 for t in tickets if t.assignee_id is None)}
    return render_template("console/home.html", counts=counts, everything=everything,
                           undelivered=_undelivered() if everything else [])


UNDELIVERED_SHOWN = 20
UNDELIVERED = {"failed": "发送失败 failed", "uncertain": "送达未确认 uncertain"}
"""Notice statuses staff must follow up by hand: WeChat refused, or a send was interrupted."""


def _undelivered() -> list[dict[str, Any]]:
    """Return the latest notices that never reached their recipient, with whom they were for."""
    query = (select(Notification, Ticket).outerjoin(Ticket, Notification.ticket_id == Ticket.id)
             .where(Notification.status.in_(UNDELIVERED))
             .where((Ticket.committee == committee()) | (Notification.ticket_id.is_(None)))
             .order_by(Notification.id.desc()).limit(UNDELIVERED_SHOWN))
    names = {s.openid: s.name for s in g.db_session.scalars(
        select(Staff).where(Staff.committee == committee(), Staff.openid.isnot(None)))}
    return [{"ticket": note.ticket_id, "status": UNDELIVERED[note.status],
             "to": names.get(note.recipient_openid, "居民 resident"),
             "when": note.created_at, "why": note.last_error[:80]}
            for note, _ in g.db_session.execute(query)]

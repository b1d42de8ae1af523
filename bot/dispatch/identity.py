"""Who is writing: every sender is a resident; a bound account is staff; the director is admin."""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from bot.core.services import Services
from bot.staff.roster import staff_by_openid
from bot.volunteers.models import is_volunteer

log = logging.getLogger(__name__)

ROLE_CACHE_SECONDS = 3600
"""Roles are read from the database at most hourly per person; every change clears them."""
RESIDENT = frozenset({"resident"})


def roles_key(openid: str) -> str:
    """Return the Redis key caching a person's roles."""
    return f"linli:roles:{openid}"


def parse_roles(cached: bytes | str | None) -> frozenset[str] | None:
    """Decode roles cached in Redis, None when nothing is cached."""
    if cached is None:
        return None
    text = cached.decode() if isinstance(cached, bytes) else cached
    return frozenset(text.split(","))


def lookup_roles(services: Services, openid: str) -> frozenset[str]:
    """Read a person's roles from the records and cache them briefly."""
    roles = set(RESIDENT)
    try:
        with services.db.session() as session:
            staff = staff_by_openid(session, openid)
            if staff is not None:
                roles.add("staff")
                if staff.is_director:
                    roles.add("admin")
            if is_volunteer(session, openid):
                roles.add("volunteer")  # paused ones too: they are told why, not just denied
    except SQLAlchemyError as error:
        # A resident must still get an answer; privileged commands wait for the database.
        log.warning("roles unknown, database unavailable: %s", type(error).__name__)
        return RESIDENT
    found = frozenset(roles)
    try:
        services.redis.set(roles_key(openid), ",".join(sorted(found)), ex=ROLE_CACHE_SECONDS)
    except RedisError:
        log.warning("roles not cached: redis unavailable")
    return found


def forget_roles(services: Services, openid: str | None) -> None:
    """Drop a cached role set after a binding or deactivation changes it."""
    if not openid:
        return
    try:
        services.redis.delete(roles_key(openid))
    except RedisError:
        log.warning("roles cache not cleared: redis unavailable")

"""A Redis that hangs costs one timeout, not one per command: after a timeout or a refused
connection every command fails at once for a few seconds, then one is let through to try."""

from __future__ import annotations

import threading
import time
from typing import Any

from redis import Redis
from redis.connection import Connection, ConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

COOL_DOWN_SECONDS = 3.0
"""How long Redis counts as down after a failure. A webhook turn makes up to five Redis calls
(nonce, claim, roles, notifications, reply): five 1 s timeouts would pass WeChat's 5 s."""


class Breaker:
    """Shared by one client's connections: open (failing fast) until a moment after a failure."""

    def __init__(self) -> None:
        self.open_until = 0.0
        self._lock = threading.Lock()

    def check(self) -> None:
        """Fail at once while open."""
        if time.monotonic() < self.open_until:
            raise RedisConnectionError("redis marked down after a recent failure")

    def trip(self) -> None:
        """Open for COOL_DOWN_SECONDS from now."""
        with self._lock:
            self.open_until = time.monotonic() + COOL_DOWN_SECONDS


class BreakerConnection(Connection):
    """A TCP connection that checks and trips its client's breaker."""

    breaker: Breaker = Breaker()

    def connect(self) -> None:
        """Connect unless Redis is marked down."""
        self.breaker.check()
        try:
            super().connect()  # type: ignore[no-untyped-call]
        except (RedisConnectionError, RedisTimeoutError):
            self.breaker.trip()
            raise

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        """Send unless Redis is marked down."""
        self.breaker.check()
        try:
            super().send_packed_command(command, check_health)  # type: ignore[no-untyped-call]
        except (RedisConnectionError, RedisTimeoutError):
            self.breaker.trip()
            raise

    def read_response(self, *args: Any, **kwargs: Any) -> Any:
        """Read, marking Redis down if it does not answer in time."""
        try:
            return super().read_response(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError):
            self.breaker.trip()
            raise


def redis_with_breaker(url: str, **options: Any) -> Redis:
    """Return a client for URL whose connections share one new breaker (TCP URLs only)."""
    if not url.startswith("redis://"):
        return Redis.from_url(url, **options)  # TLS and unix sockets: plain connections
    connection_class = type("LinliConnection", (BreakerConnection,), {"breaker": Breaker()})
    pool = ConnectionPool.from_url(url, connection_class=connection_class, **options)
    return Redis(connection_pool=pool)

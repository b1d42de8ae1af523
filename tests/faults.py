"""Real processes for the fault suite: a private Redis, PostgreSQL cluster, fake WeChat API,
gunicorn and RQ workers, each in its own session so one kill takes its whole group."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import psycopg
import requests

from bot.wechat.protocol import callback_xml, parse_xml, sign_query

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
WECHAT_LIMIT = 5.0
"""WeChat drops a callback not answered within 5 s (and retries it, up to 3 tries in all)."""
TICKET = re.compile(r"工单号 #(\d+)")
ACCOUNT = "gh_linli_dev"
_MSG_IDS = itertools.count(time.time_ns() // 1000)


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], bool], timeout: float, step: float = 0.2) -> bool:
    """Poll CHECK until it is true or TIMEOUT seconds pass; return its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return check()


def kill_group(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """Signal a child's whole session (it was started with start_new_session) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _pg(program: str) -> str:
    assert PG_BIN is not None, "no PostgreSQL under /usr/lib/postgresql"
    return str(PG_BIN / program)


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root; the machine's postgres user owns the cluster instead.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PostgresCluster:
    """A throw-away PostgreSQL cluster (trust auth) in a temporary folder, on its own port."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="linli-faults-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.port = free_port()
        subprocess.run(_as_postgres([_pg("initdb"), "-D", str(self.dir / "data"),
                                     "-A", "trust", "-U", "postgres", "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL)

    def _ctl(self, *args: str) -> None:
        subprocess.run(_as_postgres([_pg("pg_ctl"), "-D", str(self.dir / "data"),
                                     *args]), check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        """Start the postmaster and wait until it accepts connections."""
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c max_connections=200")
        self._ctl("-l", str(self.dir / "log"), "-w", "-o", options, "start")

    def ensure_running(self) -> None:
        """Start the postmaster again if a scenario stopped it and then failed."""
        status = subprocess.run(_as_postgres([_pg("pg_ctl"), "-D",
                                              str(self.dir / "data"), "status"]),
                                check=False, stdout=subprocess.DEVNULL)
        if status.returncode != 0:
            self.start()

    def stop(self, mode: str = "fast") -> None:
        """Stop the postmaster (fast: roll back and disconnect every session)."""
        self._ctl("-m", mode, "-w", "stop")

    def postmaster_pid(self) -> int:
        """The postmaster's pid, from its pid file."""
        return int((self.dir / "data" / "postmaster.pid").read_text().split()[0])

    def url(self, database: str) -> str:
        """The DATABASE_URL for DATABASE on this cluster."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE)."""
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname=database, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.encode())

    def query(self, database: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows of one query against DATABASE."""
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname=database, connect_timeout=5) as conn:
            return list(conn.execute(sql.encode(), params).fetchall())

    def destroy(self) -> None:
        """Stop the cluster if it runs and remove its folder."""
        if (self.dir / "data" / "postmaster.pid").exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(self.postmaster_pid(), signal.SIGCONT)  # in case a test left it hung
            subprocess.run(_as_postgres([_pg("pg_ctl"), "-D", str(self.dir / "data"),
                                         "-m", "immediate", "-w", "stop"]),
                           check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class Stack:
    """One service's processes: Redis, the fake WeChat API, gunicorn (2 workers), 2 RQ workers."""

    env: dict[str, str]
    logs: Path
    redis_port: int
    fake_port: int
    web_port: int
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def webhook(self) -> str:
        """The webhook's URL."""
        return f"http://127.0.0.1:{self.web_port}/wechat"

    def spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        """Start one child in its own session, its output in logs/NAME.log."""
        out = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it open
        process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        self.processes[name] = process
        return process

    def start_redis(self) -> None:
        """Start (or restart, on the same port) the private redis-server, nothing persisted."""
        self.spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind",
                             "127.0.0.1", "--save", "", "--appendonly", "no"])
        assert wait_for(self._redis_answers, 10), self.why("redis")

    def _redis_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start_all(self) -> None:
        """Start every piece and wait until the webhook, the fake and both RQ workers answer."""
        self.start_redis()
        self.spawn("fake", [str(BIN / "flask"), "--app", "bot", "fake-wechat", "--port",
                            str(self.fake_port)])
        self.spawn("web", [str(BIN / "gunicorn"), "--workers", "2", "--bind",
                           f"127.0.0.1:{self.web_port}", "--timeout", "30", "bot:create_app()"])
        for name in ("rq1", "rq2"):
            self.spawn(name, [str(BIN / "rq"), "worker", "--with-scheduler", "--worker-class",
                              "workers.worker.LinliWorker", "--maintenance-interval", "2",
                              "--url", self.env["REDIS_URL"], "linli"])
        # Five Pythons importing the app at once on a shared 2-core machine: be patient.
        assert wait_for(self._fake_answers, 90), self.why("fake")
        # Both gunicorn workers must have loaded the app: several fresh connections in a row
        # answered quickly means neither is still importing.
        assert wait_for(lambda: all(self._webhook_answers() for _ in range(6)), 90), \
            self.why("web")
        for name in ("rq1", "rq2"):
            assert wait_for(partial(self._logged, name, b"Listening on"), 90), self.why(name)

    def why(self, name: str) -> str:
        """Why a child is not ready: its exit status and the end of its log."""
        return f"{name} not ready (exit {self.processes[name].poll()}): {self.tail(name)}"

    def _fake_answers(self) -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{self.fake_port}/_calls", timeout=1).ok
        except requests.RequestException:
            return False

    def _webhook_answers(self) -> bool:
        try:
            return requests.get(self.webhook, timeout=1).status_code == 403
        except requests.RequestException:
            return False

    def web_children(self) -> list[int]:
        """Pids of gunicorn's worker processes."""
        master = self.processes["web"].pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return [int(pid) for pid in children]

    def custom_sends(self) -> list[dict[str, Any]]:
        """Customer-service messages the fake WeChat API received, in order."""
        response = requests.get(f"http://127.0.0.1:{self.fake_port}/_calls",
                                params={"path": "message/custom/send"}, timeout=5)
        return list(response.json())

    def _logged(self, name: str, text: bytes) -> bool:
        return text in self._log(name)

    def _log(self, name: str) -> bytes:
        path = self.logs / f"{name}.log"
        return path.read_bytes() if path.exists() else b""

    def tail(self, name: str, size: int = 3000) -> str:
        """The end of one child's log, for a failure message."""
        return self._log(name)[-size:].decode("utf-8", "replace")

    def stop_all(self) -> None:
        """Kill every child's session, Redis last so the workers do not log a storm."""
        for name, process in self.processes.items():
            if name != "redis":
                kill_group(process, signal.SIGTERM if process.poll() is None else signal.SIGKILL)
        if "redis" in self.processes:
            kill_group(self.processes["redis"])


@dataclass
class Said:
    """One message a resident sent and how it went, measured on the client side."""

    openid: str
    text: str
    reply: str = ""
    seconds: float = 0.0
    attempts: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ticket(self) -> int | None:
        """The ticket number the reply told the resident, if any."""
        found = TICKET.search(self.reply)
        return int(found.group(1)) if found else None


def send_as_wechat(stack: Stack, token: str, openid: str, text: str, tries: int = 1) -> Said:
    """Post one text callback as WeChat does, re-sending the same callback on a failed try."""
    msg_id = next(_MSG_IDS)
    xml = callback_xml("text", openid, ACCOUNT, None, Content=text, MsgId=msg_id)
    query = sign_query(token)  # a retry repeats the same query and body, as WeChat's do
    said = Said(openid, text)
    for _ in range(tries):
        said.attempts += 1
        start = time.monotonic()
        try:
            response = requests.post(stack.webhook, params=query, data=xml.encode("utf-8"),
                                     timeout=WECHAT_LIMIT, headers={"Content-Type": "text/xml"})
        except requests.RequestException as error:
            said.errors.append(type(error).__name__)
            continue
        said.seconds = time.monotonic() - start
        if response.status_code != 200 or response.text in ("", "success"):
            said.errors.append(f"HTTP {response.status_code} {response.text[:80]!r}")
            continue
        said.reply = str(parse_xml(response.content).get("Content", ""))
        return said
    return said


def notices_settled(stack: Stack, cluster: PostgresCluster, database: str) -> tuple[bool, str]:
    """Whether every notification is sent and matches exactly one customer-service call."""
    rows = cluster.query(database, "SELECT id, recipient_openid, body, status FROM notifications")
    calls = Counter((c["body"]["touser"], c["body"]["text"]["content"])
                    for c in stack.custom_sends())
    # Two notices with the same recipient and words cannot be told apart on the wire: each such
    # group must have exactly as many sends as it has rows.
    recorded = Counter((row[1], row[2]) for row in rows)
    statuses = Counter(row[3] for row in rows)
    settled = all(row[3] == "sent" for row in rows) and calls == recorded
    summary = (f"notifications recorded {len(rows)} {dict(statuses)}, custom sends "
               f"{sum(calls.values())}, sends matching a notice one for one "
               f"{sum(min(n, calls[key]) for key, n in recorded.items())}")
    return settled, summary

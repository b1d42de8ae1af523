"""How much of a bare wechatpy webhook's throughput Linli keeps, on the same gunicorn settings.

Starts two servers side by side, each as `gunicorn -k sync -w 2` on a free loopback port:

  echo   bench/echo_app.py: check_signature, parse_message, TextReply(...).render(), nothing else
  linli  bot:create_app(), asked "敬老卡怎么办" (an item answered on the spot, no ticket),
         with a new MsgId on every request so de-duplication claims and stores each one

warms both up, then loads one at a time in alternating rounds and prints, per server and round,
requests/second, p50 and p99 latency, errors and CPU, then the round other processes disturbed
least, with the ratio Linli/echo. The ratio is a figure, not a test: the exit status is 1 only
when requests failed (non-200, a reply without the expected text, a socket error) and 2 when
the benchmark could not run.

Load comes from wrk when it is installed (`apt-get install -y wrk`), otherwise from a Python
generator, which competes with the servers for the same cores and so reads lower.

    .venv/bin/python bench/webhook_throughput.py [--duration 10] [--connections 16] [--rounds 3]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import multiprocessing
import os
import resource
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType

from redis import Redis
from redis.exceptions import RedisError

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "bench"
BIN = Path(sys.prefix) / "bin"

TOKEN = "benchtoken"
REDIS_DB = 12
"""The Redis database Linli runs on (127.0.0.1:6379), flushed before and after."""
DATABASE_URL = "sqlite:////tmp/linli-bench.db"
SERVER_ENV = {
    "LINLI_ENV": "test",
    "LINLI_WECHAT_TOKEN": TOKEN,
    "LINLI_WECHAT_APPID": "wx-bench",
    "LINLI_WECHAT_SECRET": "x",
    "DATABASE_URL": DATABASE_URL,
}
QUESTION = "敬老卡怎么办"
ACCOUNT = "gh_bench"
SENDERS = 100
"""Requests come from this many senders (o-bench-0 ... o-bench-99) unless --senders says."""
DEDUP_KEYS = "linli:dedup:*"
"""Where Linli claims each callback in Redis (bot/core/conversation.py)."""

WORKERS = 2
"""As in the Procfile; --workers tries others, always the same for both servers."""
TARGET, AIM = 0.5, 0.8
MAX_DURATION = 240
"""Seconds: one signed timestamp serves a whole run, and Linli refuses it after 300 s."""
START_SECONDS = 30.0
BUSY_WARNING = 0.3
"""Cores kept busy by other processes above which the figures are flagged."""
REQUEST_TIMEOUT = 5.0


class BenchError(RuntimeError):
    """The benchmark could not run (a server did not start or did not answer)."""


@dataclass(frozen=True)
class Server:
    """One webhook under test and what its reply must contain."""

    name: str
    app: str
    gunicorn_args: tuple[str, ...]
    expected: str


SERVERS = (
    Server("echo", "echo_app:app", ("--pythonpath", str(BENCH_DIR)), QUESTION),
    Server("linli", "bot:create_app()", (), "敬老卡"),
)


@dataclass(frozen=True)
class Result:
    """One measured run."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    bad_status: int = 0
    bad_body: int = 0
    socket_errors: int = 0
    server_cpu: float = 0.0
    """CPU seconds the server's processes (gunicorn and redis-server) used in the run."""
    others: float = 0.0
    """Cores that processes other than the server, Redis and the load generator kept busy."""

    @property
    def rps(self) -> float:
        """Return the responses per second."""
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def errors(self) -> int:
        """Return every failed request, whatever the cause."""
        return self.bad_status + self.bad_body + self.socket_errors

    @property
    def answered(self) -> int:
        """Return the requests answered with status 200 and the expected text."""
        return self.requests - self.bad_status - self.bad_body

    @property
    def cpu_per_request_us(self) -> float:
        """Return the server's CPU microseconds per response."""
        return self.server_cpu / self.requests * 1e6 if self.requests else 0.0


# ---------------------------------------------------------------- CPU accounting (Linux /proc)

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_fields(pid: str | int) -> list[str]:
    """Return /proc/PID/stat's fields after the command name: [state, ppid, pgrp, ...]."""
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def _ticks(fields: list[str]) -> int:
    return int(fields[11]) + int(fields[12])  # utime + stime


def server_ticks(pgid: int, redis_pid: int | None) -> int:
    """Return the CPU ticks used so far by process group PGID and by redis-server."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = _proc_fields(entry.name)
            if int(fields[2]) == pgid or int(entry.name) == redis_pid:
                total += _ticks(fields)
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    return total


def machine_ticks() -> int:
    """Return the CPU ticks all processes on the machine have run so far (all cores)."""
    with open("/proc/stat") as stat:
        ticks = [int(x) for x in stat.readline().split()[1:]]
    # user + nice + system: interrupts (mostly our own loopback traffic) and steal are left out
    return ticks[0] + ticks[1] + ticks[2]


def own_cpu() -> float:
    """Return CPU seconds used by this process and its reaped children (wrk, load processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@contextmanager
def accounted(pgid: int, redis_pid: int | None) -> Iterator[dict[str, float]]:
    """Measure the server's CPU and other processes' load over the block."""
    usage: dict[str, float] = {"server_cpu": 0.0, "others": 0.0}
    try:
        start = (server_ticks(pgid, redis_pid), machine_ticks(), own_cpu(), time.monotonic())
    except (OSError, ValueError, IndexError):
        yield usage  # no /proc: figures without CPU columns
        return
    yield usage
    server, machine = server_ticks(pgid, redis_pid) - start[0], machine_ticks() - start[1]
    load, elapsed = own_cpu() - start[2], time.monotonic() - start[3]
    usage["server_cpu"] = server / CLOCK_TICKS
    if elapsed > 0:
        usage["others"] = max(0.0, (machine - server) / CLOCK_TICKS - load) / elapsed


# ---------------------------------------------------------------- WeChat callbacks


def signed_path(timestamp: int) -> str:
    """Return /wechat with WeChat's signature query for TIMESTAMP and a fresh nonce."""
    ts, nonce = str(timestamp), secrets.token_hex(5)
    sig = hashlib.sha1("".join(sorted([TOKEN, ts, nonce])).encode("utf-8")).hexdigest()
    return f"/wechat?signature={sig}&timestamp={ts}&nonce={nonce}"


def message_xml(openid: str, timestamp: int, msg_id: str) -> str:
    """Return the text message XML that WeChat would POST."""
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{QUESTION}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def msg_id(phase: int, stream: int, counter: int) -> str:
    """Return a MsgId unique across phases, streams (threads) and their counters."""
    # The phase's digit count fixes the length, so equal-length ids share a phase and differ
    # in the fixed-width stream or counter; wrk's Lua script builds the same shape.
    return f"{phase}{stream:04d}{counter:010d}"


# ---------------------------------------------------------------- servers


def free_port() -> int:
    """Return a loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_url(db: int) -> str:
    """Return the URL of database DB on the local Redis."""
    return f"redis://127.0.0.1:6379/{db}"


def server_env(db: int) -> dict[str, str]:
    """Return the environment both servers run with (the echo reads the same token)."""
    return {**os.environ, **SERVER_ENV, "REDIS_URL": redis_url(db)}


def sharing_clients(redis: Redis, db: int) -> int:
    """Return how many other Redis clients have database DB selected (0 if unknown)."""
    try:
        own = redis.client_id()
        return sum(1 for client in redis.client_list()
                   if str(client.get("db")) == str(db) and str(client.get("id")) != str(own))
    except RedisError:
        return 0


@contextmanager
def shielded() -> Iterator[None]:
    """Ignore Ctrl-C while cleaning up, so a second one cannot leave processes behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a gunicorn we started, its workers included (they share its process group)."""
    with shielded():
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        with suppress(ProcessLookupError, PermissionError):  # a worker outliving its master
            os.killpg(proc.pid, signal.SIGKILL)


def tail(path: Path, lines: int = 25) -> str:
    """Return the last LINES of a log file."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join("    " + line for line in text.splitlines()[-lines:])


@contextmanager
def running(server: Server, workdir: Path, workers: int,
            env: dict[str, str]) -> Iterator[tuple[int, int]]:
    """Start SERVER under gunicorn on a free port, yield the port and its pid, and stop it."""
    port = free_port()
    log = workdir / f"{server.name}.log"
    cmd = [str(BIN / "gunicorn"), "--worker-class", "sync", "--workers", str(workers),
           "--bind", f"127.0.0.1:{port}", "--timeout", "30", *server.gunicorn_args, server.app]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if proc.poll() is not None:
                raise BenchError(f"{server.name}: gunicorn exited with status {proc.returncode}"
                                 f"\n{tail(log)}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise BenchError(f"{server.name}: not listening after {START_SECONDS:.0f} s"
                                     f"\n{tail(log)}") from None
                time.sleep(0.1)
        try:
            smoke(server, port)
        except BenchError as error:
            raise BenchError(f"{error}\n  gunicorn log:\n{tail(log)}") from None
        yield port, proc.pid
    finally:
        stop(proc)


def smoke(server: Server, port: int) -> None:
    """Send one callback and insist on a 200 with the expected text before measuring."""
    now = int(time.time())
    body = message_xml("o-bench-smoke", now, msg_id(1, 0, 0)).encode("utf-8")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=START_SECONDS)
    try:
        conn.request("POST", signed_path(now), body, {"Content-Type": "text/xml"})
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", errors="replace")
    except (OSError, http.client.HTTPException) as exc:
        raise BenchError(f"{server.name}: first request failed: {exc!r}") from None
    finally:
        conn.close()
    if resp.status != 200 or server.expected not in text:
        raise BenchError(f"{server.name}: first request got {resp.status}, expected 200 with "
                         f"'{server.expected}':\n    {text[:400]}")


def migrate(env: dict[str, str]) -> None:
    """Create or upgrade Linli's benchmark database, as the release step does."""
    cmd = [str(BIN / "flask"), "--app", "bot", "db", "upgrade"]
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    if done.returncode != 0:
        raise BenchError(f"`{' '.join(cmd)}` failed ({done.returncode}):\n"
                         f"{done.stdout}{done.stderr}")


# ---------------------------------------------------------------- load: wrk

WRK_SCRIPT = string.Template(r"""-- Written by bench/webhook_throughput.py: a new MsgId per request.
local path = $path
local expected = $expected
local head = $head
local middle = $middle
local tail = $tail
local phase = $phase
local senders = $senders
local streams = $streams
local headers = {["Content-Type"] = "text/xml"}

local threads = {}
local next_stream = 0

function setup(thread)
  next_stream = next_stream + 1
  thread:set("stream", next_stream)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  bad_status = 0
  bad_body = 0
end

function request()
  counter = counter + 1
  local id = string.format("%d%04d%010d", phase, stream, counter)
  local sender = (counter * streams + stream) % senders
  local body = head .. sender .. middle .. id .. tail
  return wrk.format("POST", path, headers, body)
end

function response(status, hdrs, body)
  if status ~= 200 then
    bad_status = bad_status + 1
  elseif not string.find(body, expected, 1, true) then
    bad_body = bad_body + 1
  end
end

function done(summary, latency, requests)
  local statuses, bodies = 0, 0
  for _, thread in ipairs(threads) do
    statuses = statuses + thread:get("bad_status")
    bodies = bodies + thread:get("bad_body")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"bad_status": %d, "bad_body": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, math.floor(latency:percentile(50)),
    math.floor(latency:percentile(99)), statuses, bodies,
    e.connect + e.read + e.write + e.timeout))
end
""")


def lua_string(text: str) -> str:
    """Return TEXT as a Lua string literal, non-ASCII bytes as decimal escapes."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        out.append(char if 32 <= byte < 127 and char not in '"\\' else f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def wrk_load(server: Server, port: int, phase: int, seconds: float, args: argparse.Namespace,
             workdir: Path) -> Result:
    """Drive SERVER with wrk for SECONDS."""
    now = int(time.time())
    sample = message_xml("\0", now, "\1")
    head, rest = sample.split("\0")
    middle, end = rest.split("\1")
    script = workdir / f"{server.name}-{phase}.lua"
    script.write_text(WRK_SCRIPT.substitute(
        path=lua_string(signed_path(now)),
        expected=lua_string(server.expected), head=lua_string(head + "o-bench-"),
        middle=lua_string(middle), tail=lua_string(end), phase=phase, senders=args.senders,
        streams=args.threads))
    cmd = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{seconds:g}s",
           "--timeout", f"{REQUEST_TIMEOUT:g}s", "-s", str(script),
           f"http://127.0.0.1:{port}/wechat"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    data = json.loads(line.removeprefix("BENCH_RESULT "))
    return Result(requests=data["requests"], seconds=data["duration_us"] / 1e6,
                  p50_ms=data["p50_us"] / 1000, p99_ms=data["p99_us"] / 1000,
                  bad_status=data["bad_status"], bad_body=data["bad_body"],
                  socket_errors=data["socket_errors"])


# ---------------------------------------------------------------- load: Python fallback


@dataclass(frozen=True)
class PyJob:
    """What one load process does: THREADS connections (reopened when closed) for SECONDS."""

    port: int
    path: str
    timestamp: int
    phase: int
    first_stream: int
    threads: int
    seconds: float
    expected: str
    senders: int
    streams: int


def _py_process(job: PyJob) -> tuple[list[float], dict[str, int]]:
    deadline = time.monotonic() + job.seconds
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"bad_status": 0, "bad_body": 0, "socket_errors": 0}
    expected = job.expected.encode("utf-8")

    def connection_loop(stream: int) -> None:
        mine: list[float] = []
        bad = {"bad_status": 0, "bad_body": 0, "socket_errors": 0}
        conn: http.client.HTTPConnection | None = None
        counter = 0
        while time.monotonic() < deadline:  # bounded: every request times out
            counter += 1
            sender = (counter * job.streams + stream) % job.senders
            body = message_xml(f"o-bench-{sender}", job.timestamp,
                               msg_id(job.phase, stream, counter)).encode("utf-8")
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", job.port,
                                                      timeout=REQUEST_TIMEOUT)
                conn.request("POST", job.path, body, {"Content-Type": "text/xml"})
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException):
                bad["socket_errors"] += 1
                if conn is not None:
                    conn.close()
                conn = None
                continue
            mine.append(time.perf_counter() - started)
            if resp.status != 200:
                bad["bad_status"] += 1
            elif expected not in data:
                bad["bad_body"] += 1
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(mine)
            for key, value in bad.items():
                counts[key] += value

    loops = [threading.Thread(target=connection_loop, args=(job.first_stream + i,))
               for i in range(job.threads)]
    for worker in loops:
        worker.start()
    for worker in loops:
        worker.join()
    return latencies, counts


def python_load(server: Server, port: int, phase: int, seconds: float,
                args: argparse.Namespace) -> Result:
    """Drive SERVER from --threads processes sharing --connections connections."""
    now = int(time.time())
    path = signed_path(now)
    processes = min(args.threads, args.connections)
    share, extra = divmod(args.connections, processes)
    jobs, stream = [], 1
    for index in range(processes):
        threads = share + (1 if index < extra else 0)
        jobs.append(PyJob(port, path, now, phase, stream, threads, seconds, server.expected,
                          args.senders, args.connections + 1))
        stream += threads
    started = time.perf_counter()
    with multiprocessing.Pool(processes) as pool:
        parts = pool.map(_py_process, jobs)
    elapsed = time.perf_counter() - started
    latencies = sorted(x for part, _ in parts for x in part)

    def total(key: str) -> int:
        return sum(counts[key] for _, counts in parts)

    return Result(requests=len(latencies), seconds=elapsed,
                  p50_ms=percentile(latencies, 50) * 1000,
                  p99_ms=percentile(latencies, 99) * 1000,
                  bad_status=total("bad_status"), bad_body=total("bad_body"),
                  socket_errors=total("socket_errors"))


def percentile(ordered: Sequence[float], pct: float) -> float:
    """Return the nearest-rank percentile of an ascending sequence (0 when empty)."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[min(len(ordered), int(rank)) - 1]


# ---------------------------------------------------------------- running and reporting


class Bench:
    """Both servers up side by side, measured in alternating rounds."""

    def __init__(self, args: argparse.Namespace, workdir: Path, redis: Redis) -> None:
        self.args, self.workdir, self.redis = args, workdir, redis
        self.servers: dict[str, tuple[int, int]] = {}  # name: (port, gunicorn's pid)
        try:
            self.redis_pid: int | None = int(redis.info("server")["process_id"])
        except (RedisError, KeyError, TypeError, ValueError):
            self.redis_pid = None
        self.phases = iter(range(2, 1_000_000))  # phase 1 is every smoke check's MsgId
        self.results: dict[str, list[Result]] = {server.name: [] for server in SERVERS}
        self.linli_answers = 0

    def load(self, server: Server, seconds: float) -> Result:
        """Put SERVER under load for SECONDS, with MsgIds no other load has used."""
        (port, pid), phase = self.servers[server.name], next(self.phases)
        with accounted(pid, self.redis_pid) as usage:
            if self.args.load == "wrk":
                result = wrk_load(server, port, phase, seconds, self.args, self.workdir)
            else:
                result = python_load(server, port, phase, seconds, self.args)
        result = replace(result, **usage)
        if server.name == "linli":
            self.linli_answers += result.answered
        return result

    def run(self) -> None:
        """Start both servers, warm them up, then measure them in turn, round by round."""
        args = self.args
        with ExitStack() as stack:
            for server in SERVERS:
                note(f"{server.name}: starting gunicorn -k sync -w {args.workers}")
                self.servers[server.name] = stack.enter_context(
                    running(server, self.workdir, args.workers, server_env(args.redis_db)))
                if server.name == "linli":
                    self.linli_answers += 1  # the smoke check
            if args.warmup > 0:
                for server in SERVERS:
                    note(f"{server.name}: warming up for {args.warmup:g} s")
                    self.load(server, args.warmup)
            for index in range(args.rounds):
                # Alternate the order (ABBA) so neither server always runs first.
                for server in SERVERS if index % 2 == 0 else SERVERS[::-1]:
                    note(f"round {index + 1}/{args.rounds}: {server.name} for "
                         f"{args.duration:g} s")
                    self.results[server.name].append(self.load(server, args.duration))
        self.check_dedup_keys()

    def check_dedup_keys(self) -> None:
        """Warn unless every answer left its own de-duplication key, as first attempts do."""
        stored = sum(1 for _ in self.redis.scan_iter(match=DEDUP_KEYS, count=5000))
        if stored < self.linli_answers:
            note(f"warning: {stored:,} {DEDUP_KEYS} keys in Redis db {self.args.redis_db} for "
                 f"{self.linli_answers:,} answers from Linli: MsgIds repeated (answers from "
                 "the store would flatter Linli), Linli found Redis down, or another process "
                 "flushed the db")


def busy_cores(seconds: float = 0.5) -> float:
    """Return how many cores other processes kept busy over SECONDS (0 if unknown)."""
    def sample() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            ticks = [int(x) for x in stat.readline().split()[1:]]
        return sum(ticks), ticks[3] + ticks[4]  # idle + iowait

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    if total1 <= total0:
        return 0.0
    return (1 - (idle1 - idle0) / (total1 - total0)) * (os.cpu_count() or 1)


def note(text: str) -> None:
    """Print progress on stderr, leaving stdout to the results."""
    print(text, file=sys.stderr, flush=True)


def ms(value: float) -> str:
    """Format milliseconds the way the summary line does."""
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def report(results: dict[str, list[Result]], args: argparse.Namespace) -> None:
    """Print a row per server and round, then the summary of the quietest round."""
    print(f"gunicorn -k sync -w {args.workers} on 127.0.0.1, {os.cpu_count()} cores "
          f"({args.busy:.1f} busy before); load: {args.load} -t{args.threads} "
          f"-c{args.connections}, {args.rounds} x {args.duration:g} s each after "
          f"{args.warmup:g} s warm-up")
    print(f"{'server':<7} {'round':>5} {'req/s':>8} {'p50':>9} {'p99':>9} {'requests':>10} "
          f"{'errors':>7} {'cpu/req':>9} {'others':>7}")
    for name, rounds in results.items():
        for index, r in enumerate(rounds, 1):
            print(f"{name:<7} {index:>5} {r.rps:>8,.0f} {ms(r.p50_ms):>9} {ms(r.p99_ms):>9} "
                  f"{r.requests:>10,} {r.errors:>7,} {r.cpu_per_request_us:>6,.0f} us "
                  f"{r.others:>7.2f}")
            if r.errors:
                print(f"{'':<13} errors: {r.bad_status:,} non-200, {r.bad_body:,} without "
                      f"the expected text, {r.socket_errors:,} socket errors or timeouts")
    echo, linli = results.get("echo", []), results.get("linli", [])
    pairs = list(zip(echo, linli, strict=False))
    parts = []
    if pairs:
        # Rounds run back to back, so a round's two figures met the same conditions; the one
        # that other processes disturbed least gives the figures.
        index = min(range(len(pairs)), key=lambda i: max(pairs[i][0].others,
                                                         pairs[i][1].others))
        e, li = pairs[index]
        chosen = {"echo": e, "linli": li}
        ratios = [b.rps / a.rps for a, b in pairs if a.rps > 0]
        spread = f"rounds {min(ratios):.2f}-{max(ratios):.2f}; " if len(ratios) > 1 else ""
        ratio = f"ratio {li.rps / e.rps:.2f} ({spread}" if e.rps > 0 else "ratio - ("
        parts = [f"{name}: {r.rps:,.0f} rps p99 {ms(r.p99_ms)}" for name, r in chosen.items()]
        parts.append(f"{ratio}target >= {TARGET}, aim {AIM})")
        if len(pairs) > 1:
            print(f"round {index + 1}, the least disturbed:")
    else:  # interrupted before both servers ran
        parts = [f"{name}: {max(rs, key=lambda r: r.rps).rps:,.0f} rps"
                 for name, rs in results.items() if rs]
    parts.append(f"errors {sum(r.errors for rounds in results.values() for r in rounds):,}")
    print(" | ".join(parts))
    if pairs and max(e.others, li.others) > BUSY_WARNING:
        print(f"note: other processes kept {max(e.others, li.others):.1f} cores busy even then: "
              "the req/s read low and the ratio is noisy; the CPU figures below hold better")
    cpu = {name: min(r.cpu_per_request_us for r in rounds) for name, rounds in results.items()
           if rounds and rounds[0].server_cpu > 0}
    if len(cpu) == len(SERVERS) and cpu["linli"] > 0:
        print(f"CPU per request (gunicorn + redis-server, lowest round): echo "
              f"{cpu['echo']:,.0f} us, linli {cpu['linli']:,.0f} us; echo/linli "
              f"{cpu['echo'] / cpu['linli']:.2f} (the ratio if server CPU were the only limit)")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=int, default=10,
                        help="seconds measured per server and round (default 10)")
    parser.add_argument("--connections", type=int, default=16,
                        help="concurrent connections (default 16)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="measurements per server, alternating; the least disturbed round "
                             "is summed up (default 3)")
    parser.add_argument("--threads", type=int, default=2,
                        help="wrk threads, or Python load processes (default 2)")
    parser.add_argument("--warmup", type=int, default=2,
                        help="seconds of unmeasured load per server first (default 2)")
    parser.add_argument("--workers", type=int, default=WORKERS,
                        help=f"gunicorn sync workers for both servers (default {WORKERS})")
    parser.add_argument("--senders", type=int, default=SENDERS,
                        help=f"distinct senders the requests rotate over (default {SENDERS}); "
                             "Linli caches each sender's roles for 5 minutes, so many senders "
                             "measure its cache misses")
    parser.add_argument("--redis-db", type=int, default=REDIS_DB,
                        help=f"Redis database on 127.0.0.1:6379 for Linli, flushed before and "
                             f"after (default {REDIS_DB})")
    parser.add_argument("--load", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator (default: wrk if installed, else Python)")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= MAX_DURATION or not 0 <= args.warmup <= MAX_DURATION:
        parser.error(f"--duration and --warmup must be within {MAX_DURATION} s: one signed "
                     "timestamp serves a whole run and Linli refuses it after 300 s")
    if not 0 <= args.redis_db <= 15:
        parser.error("--redis-db must be 0-15")
    if args.senders < 1:
        parser.error("--senders must be at least 1")
    if not 1 <= args.rounds <= 20:
        parser.error("--rounds must be 1-20")
    if not 1 <= args.workers <= 64:
        parser.error("--workers must be 1-64")
    if not 1 <= args.threads <= args.connections <= 9999:
        parser.error("need 1 <= --threads <= --connections <= 9999")
    args.fallback = args.load == "auto" and not shutil.which("wrk")
    if args.load == "auto":
        args.load = "python" if args.fallback else "wrk"
    elif args.load == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install -y wrk)")
    return args


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 1 if any request failed, 2 if it could not run, never for the ratio."""
    args = parse_args(argv)
    if not (BIN / "gunicorn").exists():
        note(f"no gunicorn in {BIN}: run this with .venv/bin/python (`make bench`)")
        return 2
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
    if args.fallback:
        note("wrk not installed: Python load generator (it shares the cores with the servers, "
             "so figures read lower; apt-get install -y wrk)")
    args.busy = busy_cores()
    if args.busy > BUSY_WARNING:
        note(f"note: {args.busy:.1f} cores were busy before the start: other processes share "
             "the cores, so both servers read lower and the ratio is noisier")
    redis = Redis.from_url(redis_url(args.redis_db), socket_timeout=5)
    sharing = sharing_clients(redis, args.redis_db)
    if sharing:
        note(f"Redis db {args.redis_db} is in use by {sharing} other connection(s) and the "
             "benchmark flushes it: stop them or choose a free db with --redis-db")
        return 2
    bench: Bench | None = None
    status = 0
    try:
        with tempfile.TemporaryDirectory(prefix="linli-bench-") as tmp:
            redis.flushdb()
            migrate(server_env(args.redis_db))
            bench = Bench(args, Path(tmp), redis)
            bench.run()
    except BenchError as error:
        note(f"benchmark failed: {error}")
        status = 2
    except RedisError as error:
        note(f"benchmark failed: Redis at 127.0.0.1:6379: {error}")
        status = 2
    except KeyboardInterrupt:
        note("interrupted")
        status = 130
    finally:
        with shielded():
            try:
                if sharing_clients(redis, args.redis_db):
                    note(f"Redis db {args.redis_db} not flushed: another process uses it now")
                else:
                    redis.flushdb()
            except Exception as exc:  # report it, never mask the run's own outcome
                note(f"could not flush Redis db {args.redis_db}: {exc}")
    if bench is not None and any(bench.results.values()):
        report(bench.results, args)
    errors = bench is not None and any(r.errors for rs in bench.results.values() for r in rs)
    return status or (1 if errors else 0)


if __name__ == "__main__":
    sys.exit(main())

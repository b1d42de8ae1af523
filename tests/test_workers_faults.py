"""Worker faults, on real processes: an idle sweep keeps time, a crash never sends a notice twice,
a killed worker's scheduler steps down, and a bad configuration stops the worker at start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from rq.scheduler import RQScheduler
from sqlalchemy import text

from bot.core.outbox import Notification
from bot.core.services import Services
from bot.core.settings import Settings
from tests.volunteer_fixtures import sent_to
from workers.notify import CLAIM_TIMEOUT, JOB, sweep_notifications

ROOT = Path(__file__).resolve().parent.parent
RQ = str(Path(sys.executable).parent / "rq")
STAFF = "o-staff-on-call"
SWEEP_SECONDS = 2
"""The maintenance interval the subprocess workers run with, passed as the Procfile passes 60."""
ONLY_POSTGRESQL = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
"""Real processes are slow to start: run these on the production database only."""


def wait_until(condition: Callable[[], Any], seconds: float, what: str) -> Any:
    """Poll CONDITION until it is truthy and return its value; fail after SECONDS."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    pytest.fail(f"not within {seconds} s: {what}")


def worker_env(settings: Settings) -> dict[str, str]:
    """The environment a deployed worker reads its settings from, aimed at the test services."""
    return {"PATH": os.environ.get("PATH", ""), "LINLI_ENV": "test",
            "LINLI_WECHAT_TOKEN": settings.wechat_token,
            "LINLI_WECHAT_APPID": settings.wechat_appid,
            "LINLI_WECHAT_SECRET": settings.wechat_secret,
            "LINLI_WECHAT_API_BASE": settings.wechat_api_base,
            "REDIS_URL": settings.redis_url, "DATABASE_URL": settings.database_url,
            "LINLI_MEANING_LAYER": "off"}


@pytest.fixture
def start_worker(services: Services,
                 tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Return a function starting `rq worker` as the Procfile does; all are stopped at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def start(*extra: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        process = subprocess.Popen(
            [RQ, "worker", *extra, "--worker-class", "workers.worker.LinliWorker",
             "--maintenance-interval", str(SWEEP_SECONDS), "--url", services.settings.redis_url,
             services.settings.queue_name],
            cwd=ROOT, env=worker_env(services.settings), stdout=log, stderr=subprocess.STDOUT)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def record_notice(services: Services, body: str = "【紧急】3号楼燃气报警") -> int:
    """Store a pending notice without queueing it, as the webhook does while Redis is down."""
    with services.db.session() as session:
        note = Notification(recipient_openid=STAFF, audience="staff", body=body)
        session.add(note)
        session.commit()
        return note.id


def status_of(services: Services, note_id: int) -> tuple[str, str]:
    """Return a notice's status and last error."""
    with services.db.session() as session:
        note = session.get(Notification, note_id)
        assert note is not None
        return note.status, note.last_error


def idle_workers(services: Services) -> int:
    """How many workers have registered on the test Redis."""
    from rq import Worker

    return len(Worker.all(connection=services.redis))


@ONLY_POSTGRESQL
def test_a_notice_recorded_while_the_worker_idles_is_sent_within_the_sweep_interval(
        services: Services, fake_wechat: Any, start_worker: Any) -> None:
    start_worker()
    wait_until(lambda: idle_workers(services), 15, "the worker registered")
    time.sleep(SWEEP_SECONDS + 1)  # it has swept once and is blocked on an empty queue
    note_id = record_notice(services)
    recorded = time.monotonic()
    wait_until(lambda: sent_to(fake_wechat, STAFF), 15, "the notice was sent")
    delay = time.monotonic() - recorded
    # Owed: the notice's minimum age (the interval) plus up to one interval and one wake-up.
    print(f"\nswept and sent {delay:.1f} s after recording (interval {SWEEP_SECONDS} s)")
    assert delay < 3 * SWEEP_SECONDS + 1
    assert status_of(services, note_id)[0] == "sent"


def test_the_send_job_run_twice_for_one_notice_sends_one_message(
        services: Services, fake_wechat: Any, run_jobs: Any) -> None:
    note_id = record_notice(services)
    services.jobs.enqueue(JOB, note_id)
    services.jobs.enqueue(JOB, note_id)  # RQ re-queueing it, or a sweep racing the writer's job
    run_jobs()
    services.jobs.enqueue(JOB, note_id)
    run_jobs()
    assert len(sent_to(fake_wechat, STAFF)) == 1
    assert status_of(services, note_id) == ("sent", "")


def test_a_crash_after_wechat_took_the_message_never_sends_it_again(
        services: Services, fake_wechat: Any, run_jobs: Any, monkeypatch: Any) -> None:
    note_id = record_notice(services)
    blocker = services.db.engine.connect()
    take_failure = fake_wechat.state.take_failure

    def lock_the_row_once_sent(path: str, body: Any) -> Any:
        # While WeChat accepts the message, another transaction takes the notice's row: the
        # worker's 'sent' write then times out on the lock, a real database fault.
        if path == "message/custom/send" and not blocker.in_transaction():
            blocker.execute(text("UPDATE notifications SET attempts = attempts WHERE id = :id"),
                            {"id": note_id})
        return take_failure(path, body)

    monkeypatch.setattr(fake_wechat.state, "take_failure", lock_the_row_once_sent)
    try:
        services.jobs.enqueue(JOB, note_id)
        run_jobs()
    finally:
        blocker.rollback()
        blocker.close()
    assert len(sent_to(fake_wechat, STAFF)) == 1
    assert status_of(services, note_id)[0] == "sending"  # the 'sent' record was lost
    services.jobs.enqueue(JOB, note_id)  # RQ's retry of the failed job
    run_jobs()
    sweep_notifications(min_age_seconds=0)  # a sweep before the claim is old leaves it alone
    run_jobs()
    assert status_of(services, note_id)[0] == "sending"
    with services.db.session() as session:  # the claim's worker is gone for over a minute
        note = session.get(Notification, note_id)
        assert note is not None and note.claimed_at is not None
        note.claimed_at -= CLAIM_TIMEOUT + timedelta(seconds=1)
        session.commit()
    sweep_notifications(min_age_seconds=0)
    run_jobs()
    assert len(sent_to(fake_wechat, STAFF)) == 1
    status, error = status_of(services, note_id)
    assert status == "uncertain" and "无法确认" in error


@pytest.mark.slow
@ONLY_POSTGRESQL
def test_a_killed_workers_scheduler_steps_down_and_another_runs_its_scheduled_jobs(
        services: Services, fake_wechat: Any, start_worker: Any) -> None:
    lock = RQScheduler.get_locking_key(services.settings.queue_name)
    first = start_worker("--with-scheduler")
    owner = wait_until(lambda: services.redis.get(lock), 15, "the first scheduler took the lock")
    orphan = int(wait_until(lambda: services.redis.hget(f"rq:scheduler:{owner.decode()}", "pid"),
                            5, "the scheduler registered"))
    note_id = record_notice(services)
    services.jobs.queue.enqueue_in(timedelta(seconds=8), JOB, note_id)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed = time.monotonic()
    try:
        wait_until(lambda: not services.redis.exists(lock), 10, "the orphaned scheduler let go")
        print(f"\nthe orphaned scheduler released its lock {time.monotonic() - killed:.1f} s "
              "after its worker was killed")
        start_worker("--with-scheduler")
        wait_until(lambda: services.redis.get(lock) not in (None, owner), 15,
                   "the second worker's scheduler took the lock")
        wait_until(lambda: sent_to(fake_wechat, STAFF), 20, "the scheduled job ran")
    finally:
        # Should the scheduler have outlived its worker (it still holds the lock, so the pid
        # is still its own), it must not outlive the test.
        if services.redis.get(lock) == owner:
            os.kill(orphan, signal.SIGKILL)
    # The send is seen at the fake API a moment before the worker commits its "sent".
    wait_until(lambda: status_of(services, note_id)[0] == "sent", 5, "the notice marked sent")
    assert status_of(services, note_id)[0] == "sent"


def test_a_production_worker_without_its_configuration_exits_1_naming_the_variable(
        redis_url: str) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "LINLI_ENV": "production"}
    result = subprocess.run(
        [RQ, "worker", "--worker-class", "workers.worker.LinliWorker", "--url", redis_url,
         "linli"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "configuration error" in result.stderr and "LINLI_WECHAT_TOKEN" in result.stderr

"""The RQ worker Linli runs: RQ's own, plus a sweep for notifications Redis never saw."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from typing import Any

from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from rq.defaults import DEFAULT_LOGGING_DATE_FORMAT, DEFAULT_LOGGING_FORMAT
from rq.job import Job
from rq.job_lifecycle import call_exception_handlers
from rq.scheduler import RQScheduler
from sqlalchemy.exc import SQLAlchemyError

from bot.core.privacy import redact_secrets
from bot.core.services import current_services
from bot.core.settings import SettingsError
from workers.escalation import JOB as ESCALATION_JOB
from workers.notify import SWEEP_MIN_AGE, sweep_notifications
from workers.volunteers import JOB as VOLUNTEERS_JOB

log = logging.getLogger(__name__)

REPLAY_JOB = "bot.web.replay.replay_held_turns"
"""Named, not imported: the replay runs the handlers, which only bot's edge may import."""
WAKE_SECONDS = 5
"""Longest an idle worker blocks on Redis before looking whether maintenance (the sweep) is due:
RQ's own 405 s let an alert left pending while Redis was down wait ~7 minutes."""


def _known_secrets() -> list[str | None]:
    settings = current_services().settings
    return [settings.wechat_secret, settings.wechat_token, settings.wechat_aes_key,
            settings.secret_key]


class LinliScheduler(RQScheduler):
    """RQ's scheduler, which stops (releasing its lock) once the worker that forked it dies."""

    _parent_pid = 0

    def start(self) -> Any:
        """Fork the scheduler process, remembering which worker it belongs to."""
        self._parent_pid = os.getpid()
        return super().start()  # type: ignore[no-untyped-call]

    def heartbeat(self) -> None:
        """Refresh the locks, unless this worker is gone: then stop and let another take them."""
        # A SIGKILLed worker leaves its forked scheduler running, re-parented, holding the lock
        # for ever; RQ only replaces a scheduler whose lock expires.
        if self._parent_pid and os.getppid() != self._parent_pid:
            self.log.warning("Scheduler: worker %d is gone, stopping", self._parent_pid)
            self.request_stop()  # type: ignore[no-untyped-call]
            return
        super().heartbeat()  # type: ignore[no-untyped-call]


class LinliWorker(SimpleWorker):
    """Runs jobs in-process (no fork per job: 4x the throughput) and sweeps at maintenance."""

    # RQ backs off up to 60 s between reconnects; the sweep owed since the outage waits on it.
    max_connection_wait_time = float(WAKE_SECONDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Refuse to start on a broken configuration rather than fail every job later (or,
        # worse, exit 0 after an unhandled error in the first maintenance run).
        try:
            current_services()
        except SettingsError as error:
            print(f"linli worker: configuration error: {error}", file=sys.stderr, flush=True)
            raise SystemExit(1) from error
        super().__init__(*args, **kwargs)

    @property
    def dequeue_timeout(self) -> int:
        """Block on Redis no longer than the maintenance interval, so the sweep keeps time."""
        return max(1, min(int(self.maintenance_interval), WAKE_SECONDS, self.worker_ttl - 15))

    def _start_scheduler(self, burst: bool = False, logging_level: str | None = "INFO",
                         date_format: str = DEFAULT_LOGGING_DATE_FORMAT,
                         log_format: str = DEFAULT_LOGGING_FORMAT) -> None:
        """Start the scheduler as RQ 3.0 does, but one that ends with this worker."""
        self.scheduler = LinliScheduler(
            self.queues, connection=self.connection,
            logging_level=logging_level if logging_level is not None else self.log.level,
            date_format=date_format, log_format=log_format, serializer=self.serializer)
        self.scheduler.acquire_locks()  # type: ignore[no-untyped-call]
        if not self.scheduler.acquired_locks:
            return  # another worker's scheduler has the lock; run_maintenance_tasks retries
        if not burst:
            self.scheduler.start()
            return
        try:
            self.scheduler.register_birth()
            self.scheduler.enqueue_scheduled_jobs()  # type: ignore[no-untyped-call]
        finally:
            self.scheduler.release_locks()  # type: ignore[no-untyped-call]
            self.scheduler.register_death()

    def handle_exception(self, job: Job, *exc_info: Any) -> None:
        """Log a failed job's traceback with the AppSecret and access tokens hidden."""
        text = redact_secrets("".join(traceback.format_exception(*exc_info)), _known_secrets())
        # RQ's own handler logs the raw traceback (a token URL carries secret= and
        # access_token=); ours logs the redacted one and runs the handler stack unchanged.
        self.log.error("job %s failed (%s)\n%s", job.id, _func_name(job), text)
        call_exception_handlers(self._exc_handlers, job, *exc_info)

    def handle_job_failure(self, job: Job, queue: Queue, started_job_registry: Any = None,
                           exc_string: str = "", execution: Any = None) -> None:
        """Record the failure in Redis (where `rq info` and dashboards show it) redacted too."""
        super().handle_job_failure(job, queue, started_job_registry,
                                   redact_secrets(exc_string, _known_secrets()), execution)

    def run_maintenance_tasks(self) -> None:
        """Do RQ's maintenance, then queue notifications left pending while Redis was down."""
        super().run_maintenance_tasks()  # type: ignore[no-untyped-call]
        try:
            # A short interval (tests) shortens the wait for the writer's own job in step.
            sweep_notifications(min(SWEEP_MIN_AGE, int(self.maintenance_interval)))
            # Time limits are checked as an ordinary job, so RQ records and retries it.
            current_services().jobs.enqueue(ESCALATION_JOB)
            # Volunteer reminders, coverage alerts, no-shows: recorded, so no run repeats one.
            current_services().jobs.enqueue(VOLUNTEERS_JOB)
        except SQLAlchemyError as error:
            log.warning("notification sweep skipped, database unavailable: %s",
                        type(error).__name__)
        try:
            # Turns held while the database was away: the job replays them once it answers.
            if current_services().held.count():
                current_services().jobs.enqueue(REPLAY_JOB)
        except RedisError as error:
            log.warning("held turns not checked, redis unavailable: %s", type(error).__name__)


def _func_name(job: Job) -> str:
    try:
        return str(job.func_name)
    except Exception:  # a job that cannot be deserialised still gets its failure logged
        return "<undeserialisable>"

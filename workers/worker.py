"""The RQ worker Linli runs: RQ's own, plus a sweep for notifications Redis never saw."""

from __future__ import annotations

import logging

from rq import SimpleWorker
from sqlalchemy.exc import SQLAlchemyError

from bot.services import current_services
from workers.escalation import JOB as ESCALATION_JOB
from workers.notify import sweep_notifications
from workers.volunteers import JOB as VOLUNTEERS_JOB

log = logging.getLogger(__name__)


class LinliWorker(SimpleWorker):
    """Runs jobs in-process (no fork per job: 4x the throughput) and sweeps at maintenance."""

    def run_maintenance_tasks(self) -> None:
        """Do RQ's maintenance, then queue notifications left pending while Redis was down."""
        super().run_maintenance_tasks()  # type: ignore[no-untyped-call]
        try:
            sweep_notifications()
            # Time limits are checked as an ordinary job, so RQ records and retries it.
            current_services().jobs.enqueue(ESCALATION_JOB)
            # Volunteer reminders, coverage alerts, no-shows: recorded, so no run repeats one.
            current_services().jobs.enqueue(VOLUNTEERS_JOB)
        except SQLAlchemyError as error:
            log.warning("notification sweep skipped, database unavailable: %s",
                        type(error).__name__)

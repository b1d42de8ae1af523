"""Queueing follow-up work on RQ without ever failing the resident's reply."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

log = logging.getLogger(__name__)

NOTIFY_JOB = "workers.notify.deliver_notification"
"""The job that delivers one stored Notification; queued by whoever stores one."""
RETRY_INTERVALS = [10, 60, 300]
"""Seconds between a failed job's retries: a WeChat hiccup, a minute, then five."""


class JobQueue:
    """Enqueues jobs by import path; reports failure instead of raising when Redis is down."""

    def __init__(self, redis: Redis, name: str) -> None:
        self.queue = Queue(name, connection=redis)

    def enqueue(self, job: str, *args: object) -> bool:
        """Queue JOB (a dotted path) with plain ARGS; return False if it could not be queued."""
        try:
            self.queue.enqueue(job, *args, retry=Retry(max=len(RETRY_INTERVALS),
                                                       interval=RETRY_INTERVALS))
        except RedisError as exc:
            log.warning("could not queue %s: %s", job, type(exc).__name__)
            return False
        return True

    def queue_notifications(self, ids: Iterable[int]) -> None:
        """Queue delivery of stored notifications; any Redis misses are swept up later."""
        # If Redis is down they stay pending in the database; the worker's sweep sends them.
        for notification_id in ids:
            self.enqueue(NOTIFY_JOB, notification_id)

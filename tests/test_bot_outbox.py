"""The outbox: a message owed in a transaction is delivered once that transaction commits, never
when it rolls back, and kept pending for the sweep when Redis cannot take it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.core.outbox import Notification, Owed, owe, owe_all
from bot.core.services import Services
from tests.volunteer_fixtures import sent_to
from workers.notify import sweep_notifications


def _statuses(services: Services) -> list[tuple[str, str]]:
    with services.db.session() as session:
        return [(n.recipient_openid, n.status) for n in session.scalars(
            select(Notification).order_by(Notification.id))]


def test_a_message_owed_is_queued_only_when_its_transaction_commits(
        services: Services, run_jobs: Any, fake_wechat: Any) -> None:
    with services.db.session() as session:
        owe(session, "o-staff-1", "新工单 #1")
        session.flush()
        assert services.jobs.queue.count == 0  # stored in the transaction, not yet queued
        session.commit()
    assert services.jobs.queue.count == 1
    run_jobs()
    assert sent_to(fake_wechat, "o-staff-1") == ["新工单 #1"]
    assert _statuses(services) == [("o-staff-1", "sent")]


def test_a_rolled_back_change_owes_nothing(services: Services, fake_wechat: Any,
                                           run_jobs: Any) -> None:
    with services.db.session() as session:
        owe_all(session, [Owed("o-a", "one"), Owed("o-b", "two", audience="resident")])
        session.flush()
        session.rollback()
        owe(session, "o-c", "three")
        session.commit()
    run_jobs()
    assert _statuses(services) == [("o-c", "sent")]
    assert sent_to(fake_wechat, "o-a") == [] and sent_to(fake_wechat, "o-b") == []


def test_with_redis_away_the_message_waits_in_the_database_for_the_sweep(
        services: Services, run_jobs: Any, fake_wechat: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    queued: list[list[int]] = []
    monkeypatch.setattr(services.jobs, "queue_notifications", queued.append)
    with services.db.session() as session:
        owe(session, "o-staff-2", "预警：工单 #2")
        session.commit()
    assert len(queued) == 1  # handed to the queue once; here the queue dropped it
    monkeypatch.undo()
    assert _statuses(services) == [("o-staff-2", "pending")]
    assert sweep_notifications(min_age_seconds=0) == 1
    run_jobs()
    assert sent_to(fake_wechat, "o-staff-2") == ["预警：工单 #2"]


def test_an_unknown_audience_is_refused_before_anything_is_stored(services: Services) -> None:
    with services.db.session() as session, pytest.raises(ValueError, match="audience"):
        owe(session, "o-x", "hi", audience="everyone")

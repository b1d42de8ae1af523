"""WeChat's retries, concurrent or late, produce one set of side effects and the same reply."""

from __future__ import annotations

import threading
import time

from flask import Flask

from bot.core.services import Services
from bot.tickets.opening import list_tickets
from bot.wechat.protocol import callback_xml
from tests.conftest import ACCOUNT, WeChat


def _queued(services: Services) -> int:
    return services.jobs.queue.count


def test_a_retried_message_gets_the_same_reply_and_one_ticket(wechat: WeChat,
                                                              services: Services) -> None:
    wechat.say("楼道灯坏了")
    wechat.say("8号楼1单元")
    replies = {wechat.say("13800001111", msg_id=777) for _ in range(3)}
    assert len(replies) == 1 and "工单号" in replies.pop()
    assert len(list_tickets(services.db)) == 1
    assert _queued(services) == 1


def test_concurrent_retries_create_one_ticket(app: Flask, services: Services) -> None:
    xml = callback_xml("text", "o-race", ACCOUNT, Content="楼下着火了", MsgId=4242)
    replies: list[str] = []

    def post() -> None:
        replies.append(WeChat(app.test_client()).say("楼下着火了", openid="o-race",
                                                     msg_id=4242))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(replies)) == 1 and "119" in replies[0], replies
    assert len(list_tickets(services.db)) == 1
    assert _queued(services) == 1
    assert xml  # the same callback each time


def test_a_retry_of_a_numbered_choice_repeats_the_answer(wechat: WeChat) -> None:
    wechat.say("办证")  # a short list: the certificate first
    first = wechat.say("1", msg_id=888)
    assert "开具证明" in first
    assert wechat.say("1", msg_id=888) == first  # the session moved on; the retry did not


def test_retried_events_are_deduplicated_by_sender_and_time(wechat: WeChat) -> None:
    now = int(time.time())
    first = wechat.send("event", openid="o-new", create_time=now, Event="subscribe", EventKey="")
    again = wechat.send("event", openid="o-new", create_time=now, Event="subscribe", EventKey="")
    assert first == again and "欢迎" in first


def test_redis_down_still_answers_keeps_the_ticket_and_sends_later(
        app: Flask, services: Services, settings, run_jobs, fake_wechat, redis) -> None:
    from workers.notify import sweep_notifications

    real_url = settings.redis_url
    services.settings = settings.with_changes(redis_url="redis://127.0.0.1:1/0")
    for name in ("redis", "turns", "jobs"):
        services.__dict__.pop(name, None)  # rebuild them on the dead URL
    reply = WeChat(app.test_client()).say("5号楼楼道灯坏了，电话13800001111")
    assert "工单号" in reply  # no session to continue in, so the ticket is opened at once
    [ticket] = list_tickets(services.db)
    assert ticket.details.get("phone") == "13800001111"

    services.settings = settings.with_changes(redis_url=real_url)
    for name in ("redis", "turns", "jobs"):
        services.__dict__.pop(name, None)
    assert sweep_notifications(min_age_seconds=0) == 1
    run_jobs()
    [sent] = fake_wechat.calls("message/custom/send")
    assert f"#{ticket.id}" in sent["body"]["text"]["content"]


def test_database_down_the_whole_turn_is_held_and_replayed_into_one_ticket(
        app: Flask, services: Services, settings, redis, run_jobs, fake_wechat,
        caplog) -> None:  # type: ignore[no-untyped-def]
    from bot.core.database import Database
    from bot.core.held_turns import HELD_KEY
    from bot.web.replay import replay_held_turns

    services.__dict__["db"] = Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    wechat = WeChat(app.test_client())
    wechat.say("楼道灯坏了", openid="o-down")
    wechat.say("6号楼", openid="o-down")
    with caplog.at_level("DEBUG"):
        reply = wechat.say("13912345678", openid="o-down")
    assert "抱歉" in reply and "已记录" in reply
    [held] = redis.lrange(HELD_KEY, 0, -1)
    assert b"13912345678" not in held and b"o-down" not in held  # encrypted
    assert 0 < redis.ttl(HELD_KEY) <= 7 * 24 * 3600
    logged = caplog.text
    assert "handler failed" in logged
    assert "13912345678" not in logged and "o-down" not in logged

    assert replay_held_turns() == 0  # the database is still away: kept
    assert redis.llen(HELD_KEY) == 1
    services.__dict__.pop("db")  # the database is back
    assert replay_held_turns() == 1 and replay_held_turns() == 0
    [ticket] = list_tickets(services.db)
    assert ticket.details["phone"] == "13912345678" and ticket.details["location"] == "6号楼"
    assert ticket.resident_openid == "o-down"
    run_jobs()
    told = [c for c in fake_wechat.calls("message/custom/send") if c["body"]["touser"] == "o-down"]
    assert len(told) == 1 and f"#{ticket.id}" in told[0]["body"]["text"]["content"]


def _redis_dead(services: Services, settings) -> None:  # type: ignore[no-untyped-def]
    services.settings = settings.with_changes(redis_url="redis://127.0.0.1:1/0")
    for name in ("redis", "turns", "jobs"):
        services.__dict__.pop(name, None)  # rebuilt on the dead URL


def test_redis_down_a_conversation_in_fragments_opens_no_ticket_per_fragment(
        app: Flask, services: Services, settings) -> None:
    _redis_dead(services, settings)
    wechat = WeChat(app.test_client())
    first = wechat.say("楼道灯坏了", openid="o-frag")
    assert "一条消息" in first and "联系电话" in first  # 楼道 already says where
    for fragment in ("8号楼2单元", "13800001111"):
        assert "工单号" not in wechat.say(fragment, openid="o-frag")
    assert list_tickets(services.db) == []
    done = wechat.say("8号楼2单元楼道灯坏了 13800001111", openid="o-frag")
    assert "工单号" in done
    [ticket] = list_tickets(services.db)
    assert ticket.details["location"] == "8号楼2单元"


def test_redis_down_concurrent_retries_get_the_first_reply_not_an_apology(
        app: Flask, services: Services, settings) -> None:
    _redis_dead(services, settings)
    replies: list[str] = []

    def post() -> None:
        replies.append(WeChat(app.test_client()).say("5号楼楼道灯坏了，电话13800001111",
                                                     openid="o-race2", msg_id=4343))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all("工单号" in reply for reply in replies), replies
    assert len({reply.split("工单号")[1][:6] for reply in replies}) == 1
    assert len(list_tickets(services.db)) == 1


def test_the_worker_replays_held_turns_at_maintenance_once_the_database_is_back(
        app: Flask, services: Services, run_jobs) -> None:  # type: ignore[no-untyped-def]
    from bot.core.database import Database
    from workers.worker import LinliWorker

    services.__dict__["db"] = Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert "已记录" in WeChat(app.test_client()).say("5号楼楼道灯坏了 13912345678",
                                                    openid="o-later")
    services.__dict__.pop("db")
    LinliWorker([services.jobs.queue], connection=services.redis).run_maintenance_tasks()
    run_jobs()
    [ticket] = list_tickets(services.db)
    assert ticket.resident_openid == "o-later" and services.held.count() == 0


def test_a_retry_after_the_first_attempt_died_is_handled_not_dropped(
        wechat: WeChat, services: Services, redis) -> None:  # type: ignore[no-untyped-def]
    # The first attempt claimed the message and its process was killed before replying.
    redis.set(f"linli:dedup:{ACCOUNT}:msg:5151", f"P{time.time() - 6:.3f}", ex=30)
    reply = wechat.say("5号楼楼道灯坏了，电话13800001111", openid="o-orphan", msg_id=5151)
    assert "工单号" in reply
    assert len(list_tickets(services.db)) == 1

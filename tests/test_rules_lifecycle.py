"""A ticket's life, rule by rule: who may do what to a ticket in which state, and who is told.

Each table row reads: a ticket in some status, someone acts on it (its assignee 周, a colleague
with a role in its line 冯, a colleague without one 吴, the director 林主任, or a resident), and
either the status they then see and the messages owed, or the refusal they are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import bot.schema
from bot.core.calendar import LOCAL, WorkCalendar
from bot.core.errors import RefusalError
from bot.staff.roster import Staff, StaffLine
from bot.tickets.lifecycle import (
    MAX_EXTENSION_DAYS,
    accept,
    add_note,
    cancel,
    extend,
    find_ticket,
    may_handle,
    rate,
    resolve,
    send_back,
    transfer,
)
from bot.tickets.models import WORKING, Status, Ticket

COMMITTEE, LINE, NUMBER, RESIDENT = "c-rules", "物业报修", 42, "o-resident"
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=LOCAL)  # a Monday, the desk open
EARLIER = datetime(2026, 11, 27, 9, 0, tzinfo=LOCAL)

Z = Status  # short, so the tables stay on one line
ALL = tuple(Status)
DONE = tuple(s for s in Status if s not in WORKING)


def people() -> dict[str, Staff]:
    """The committee: 周 holds the line (A), 冯 covers it (B), 吴 has none, 林主任 directs."""
    return {
        "周": Staff(id=1, committee=COMMITTEE, name="周", openid="o-zhou",
                   lines=[StaffLine(line=LINE, role="A")]),
        "冯": Staff(id=2, committee=COMMITTEE, name="冯", openid="o-feng",
                   lines=[StaffLine(line=LINE, role="B")]),
        "吴": Staff(id=3, committee=COMMITTEE, name="吴", openid="o-wu",
                   lines=[StaffLine(line="民政", role="A")]),
        "林主任": Staff(id=4, committee=COMMITTEE, name="林主任", openid="o-lin",
                     is_director=True),
    }


def a_ticket(status: Status, assignee: str | None = "周", accepted_at: datetime | None = None,
             due_at: datetime | None = None) -> Ticket:
    """Ticket #42 about a corridor light, in STATUS, with ASSIGNEE (None: nobody has it)."""
    staff = people()
    return Ticket(id=NUMBER, committee=COMMITTEE, kind="handoff", item_code="light", line=LINE,
                  status=status, resident_openid=RESIDENT, request_text="楼道灯坏了",
                  source_key=f"k-{status}", details={},
                  assignee_id=staff[assignee].id if assignee else None,
                  accepted_at=accepted_at, due_at=due_at, events=[])


def kinds(ticket: Ticket) -> list[tuple[str, str]]:
    """The ticket's history as staff read it: (what happened, who did it)."""
    return [(e.kind, e.actor) for e in ticket.events]


def refused(status: Status, assignee: str | None,
            act: Callable[[Ticket], object]) -> RefusalError:
    """Assert ACT refused, leaving the ticket as it was; return the refusal."""
    ticket = a_ticket(status, assignee)
    with pytest.raises(RefusalError) as caught:
        act(ticket)
    staff = people()
    assert ticket.status == status
    assert ticket.assignee_id == (staff[assignee].id if assignee else None)
    assert ticket.events == []
    return caught.value


# --- may_handle ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("assignee", "who", "may"), [
    pytest.param("周", "周", True, id="the assignee handles their ticket"),
    pytest.param("周", "林主任", True, id="the director handles any ticket"),
    pytest.param("周", "冯", False, id="the B role does not while the A role has it"),
    pytest.param("周", "吴", False, id="a colleague outside the line does not"),
    pytest.param(None, "周", False, id="nobody's ticket is not the A role's by default"),
    pytest.param(None, "林主任", True, id="the director handles an unassigned ticket"),
])
def test_who_may_handle_a_ticket(assignee: str | None, who: str, may: bool) -> None:
    assert may_handle(a_ticket(Z.ASSIGNED, assignee), people()[who]) is may


# --- accept -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "assignee", "who", "holder"), [
    pytest.param(Z.ASSIGNED, "周", "周", "周", id="the assignee accepts"),
    pytest.param(Z.ASSIGNED, "周", "林主任", "周", id="the director accepts for the assignee"),
    pytest.param(Z.REOPENED, "周", "周", "周", id="the assignee takes a reopened ticket back"),
    pytest.param(Z.NEW, None, "吴", "吴", id="anyone takes a ticket nobody has"),
    pytest.param(Z.REOPENED, None, "冯", "冯", id="anyone takes a reopened one nobody has"),
])
def test_accepting_a_ticket(status: Status, assignee: str | None, who: str,
                            holder: str) -> None:
    staff = people()
    ticket = a_ticket(status, assignee)
    outcome = accept(ticket, staff[who], NOW)
    assert ticket.status == Z.ACCEPTED and ticket.accepted_at == NOW
    assert ticket.assignee_id == staff[holder].id
    assert kinds(ticket) == [("accepted", f"staff:{who}")]
    assert outcome.messages == [(RESIDENT, "resident", "resident_accepted")]


def test_accepting_again_after_a_reopening_keeps_the_first_acceptance_time() -> None:
    ticket = a_ticket(Z.REOPENED, "周", accepted_at=EARLIER)
    accept(ticket, people()["周"], NOW)
    assert ticket.status == Z.ACCEPTED and ticket.accepted_at == EARLIER


@pytest.mark.parametrize(("status", "assignee", "who", "says"), [
    pytest.param(Z.ASSIGNED, "周", "冯", "不是您负责的", id="the B role cannot take 周's"),
    pytest.param(Z.ASSIGNED, "周", "吴", "不是您负责的", id="an outsider cannot take 周's"),
    pytest.param(Z.ACCEPTED, "周", "周", "当前状态", id="accepting twice"),
    *[pytest.param(s, "周", "周", "当前状态", id=f"the assignee, {s}") for s in DONE],
    *[pytest.param(s, None, "吴", "不是您负责的", id=f"nobody's, {s}: not for the taking")
      for s in DONE],
])
def test_accepting_is_refused(status: Status, assignee: str | None, who: str,
                              says: str) -> None:
    error = refused(status, assignee, lambda t: accept(t, people()[who], NOW))
    assert f"工单 #{NUMBER}" in error.zh and says in error.zh
    assert f"#{NUMBER}" in error.en


def test_a_refusal_in_chinese_names_the_status_in_chinese() -> None:
    error = refused(Z.ACCEPTED, "周", lambda t: accept(t, people()["周"], NOW))
    assert "accepted" not in error.zh and "已签收" in error.zh, error.zh


@pytest.mark.parametrize(("status", "accepted_at", "told"), [
    pytest.param(Z.ASSIGNED, None, True, id="first acceptance: the resident hears of it"),
    pytest.param(Z.ASSIGNED, EARLIER, False,
                 id="a colleague taking over a transferred ticket: no second notice"),
    pytest.param(Z.REOPENED, EARLIER, True, id="taken up again after a low rating: news"),
])
def test_the_resident_hears_of_an_acceptance_once(status: Status, accepted_at: datetime | None,
                                                  told: bool) -> None:
    ticket = a_ticket(status, accepted_at=accepted_at)
    outcome = accept(ticket, people()["周"], NOW)
    assert outcome.messages == ([(RESIDENT, "resident", "resident_accepted")] if told else [])


# --- add_note -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "who"), [
    pytest.param(Z.ACCEPTED, "周", id="the assignee notes their work"),
    pytest.param(Z.ACCEPTED, "冯", id="the B role of the line adds what they know"),
    pytest.param(Z.ASSIGNED, "林主任", id="the director notes any ticket"),
    pytest.param(Z.CLOSED, "周", id="a closed ticket still takes a note"),
])
def test_adding_a_note(status: Status, who: str) -> None:
    ticket = a_ticket(status)
    outcome = add_note(ticket, people()[who], "电工明早来", NOW)
    assert ticket.status == status
    assert [(e.kind, e.actor, e.note) for e in ticket.events] == [
        ("note", f"staff:{who}", "电工明早来")]
    assert outcome.messages == []  # a note tells nobody


def test_a_colleague_outside_the_line_cannot_add_a_note() -> None:
    error = refused(Z.ACCEPTED, "周", lambda t: add_note(t, people()["吴"], "x", NOW))
    assert error.zh == f"工单 #{NUMBER} 不是您负责的，不能操作。"


# --- resolve ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "who", "accepted_at", "counted_accepted"), [
    pytest.param(Z.ACCEPTED, "周", EARLIER, EARLIER, id="the assignee resolves an accepted one"),
    pytest.param(Z.ASSIGNED, "周", None, NOW, id="resolving unaccepted counts as accepted now"),
    pytest.param(Z.REOPENED, "周", EARLIER, EARLIER, id="a reopened ticket resolved again"),
    pytest.param(Z.ACCEPTED, "林主任", EARLIER, EARLIER, id="the director resolves it"),
])
def test_resolving_asks_the_resident_to_rate(status: Status, who: str,
                                             accepted_at: datetime | None,
                                             counted_accepted: datetime) -> None:
    ticket = a_ticket(status, accepted_at=accepted_at)
    outcome = resolve(ticket, people()[who], "已换灯泡", NOW)
    assert ticket.status == Z.RESOLVED and ticket.resolved_at == NOW
    assert ticket.accepted_at == counted_accepted  # the report's response time
    assert [(e.kind, e.actor, e.note) for e in ticket.events] == [
        ("resolved", f"staff:{who}", "已换灯泡")]
    assert outcome.messages == [(RESIDENT, "resident", "resident_resolved")]


@pytest.mark.parametrize(("status", "assignee", "who", "says"), [
    pytest.param(Z.ACCEPTED, "周", "冯", "不是您负责的", id="the B role cannot resolve 周's"),
    pytest.param(Z.NEW, None, "林主任", "当前状态", id="nobody has worked a new ticket"),
    *[pytest.param(s, "周", "周", "当前状态", id=f"already {s}") for s in DONE],
])
def test_resolving_is_refused(status: Status, assignee: str | None, who: str,
                              says: str) -> None:
    error = refused(status, assignee, lambda t: resolve(t, people()[who], "好了", NOW))
    assert f"工单 #{NUMBER}" in error.zh and says in error.zh


# --- send_back ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "who"), [
    pytest.param(Z.ASSIGNED, "周", id="the assignee returns a misrouted ticket"),
    pytest.param(Z.ACCEPTED, "周", id="even after accepting it"),
    pytest.param(Z.REOPENED, "林主任", id="the director puts it back in the pool"),
])
def test_sending_back_leaves_it_for_the_director(status: Status, who: str) -> None:
    staff = people()
    ticket = a_ticket(status)
    outcome = send_back(ticket, staff[who], "不是报修，是投诉", staff["林主任"], NOW)
    assert ticket.status == Z.NEW and ticket.assignee_id is None
    assert [(e.kind, e.note) for e in ticket.events] == [("returned", "不是报修，是投诉")]
    assert outcome.messages == [("o-lin", "staff", "staff_returned")]


def test_sending_back_with_no_director_on_record_still_returns_it() -> None:
    ticket = a_ticket(Z.ASSIGNED)
    outcome = send_back(ticket, people()["周"], "送错了", None, NOW)
    assert ticket.status == Z.NEW and outcome.messages == []


@pytest.mark.parametrize(("status", "who", "says"), [
    pytest.param(Z.ASSIGNED, "冯", "不是您负责的", id="the B role cannot return 周's"),
    *[pytest.param(s, "周", "当前状态", id=f"already {s}") for s in DONE],
])
def test_sending_back_is_refused(status: Status, who: str, says: str) -> None:
    staff = people()
    error = refused(status, "周", lambda t: send_back(t, staff[who], "x", staff["林主任"], NOW))
    assert f"工单 #{NUMBER}" in error.zh and says in error.zh


# --- extend -------------------------------------------------------------------------------------

SEP_30 = datetime(2026, 9, 30, 17, 0, tzinfo=LOCAL)  # the Wednesday before National Day


@pytest.mark.parametrize(("due_at", "days", "new_due"), [
    pytest.param(SEP_30, 1, datetime(2026, 10, 8, 17, 0, tzinfo=LOCAL),
                 id="one working day skips the National Day week"),
    pytest.param(SEP_30, 3, datetime(2026, 10, 10, 17, 0, tzinfo=LOCAL),
                 id="the make-up Saturday counts"),
    pytest.param(None, 1, datetime(2026, 12, 1, 17, 0, tzinfo=LOCAL),
                 id="no limit yet: counted from now"),
    pytest.param(datetime(2026, 8, 31, 17, 0, tzinfo=LOCAL), MAX_EXTENSION_DAYS,
                 datetime(2026, 10, 16, 17, 0, tzinfo=LOCAL),
                 id="the longest extension, over Mid-Autumn, National Day and two make-up days"),
])
def test_extending_moves_the_time_limit_by_working_days(due_at: datetime | None, days: int,
                                                        new_due: datetime) -> None:
    ticket = a_ticket(Z.ACCEPTED, due_at=due_at)
    outcome = extend(ticket, people()["周"], days, "等配件", WorkCalendar(), NOW)
    assert ticket.status == Z.ACCEPTED and ticket.due_at == new_due
    assert [(e.kind, e.note) for e in ticket.events] == [("extended", f"{days}个工作日：等配件")]
    assert outcome.messages == [(RESIDENT, "resident", "resident_extended")]  # told the new date


@pytest.mark.parametrize(("status", "who", "days", "says"), [
    pytest.param(Z.ACCEPTED, "周", 0, "1-30 个工作日", id="zero days"),
    pytest.param(Z.ACCEPTED, "周", MAX_EXTENSION_DAYS + 1, "1-30 个工作日", id="over a month"),
    pytest.param(Z.ACCEPTED, "吴", 2, f"工单 #{NUMBER} 不是您负责的", id="not theirs"),
    pytest.param(Z.RESOLVED, "周", 2, f"工单 #{NUMBER} 当前状态", id="already resolved"),
])
def test_extending_is_refused(status: Status, who: str, days: int, says: str) -> None:
    error = refused(status, "周", lambda t: extend(t, people()[who], days, "x", WorkCalendar(),
                                                   NOW))
    assert says in error.zh


# --- rate ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("stars", [3, 4, 5])
def test_a_good_rating_closes_the_ticket_quietly(stars: int) -> None:
    staff = people()
    ticket = a_ticket(Z.RESOLVED)
    outcome = rate(ticket, stars, staff["林主任"], staff["周"], NOW)
    assert ticket.status == Z.CLOSED and ticket.rating == stars
    assert kinds(ticket) == [("rated", "resident"), ("closed", "system")]
    assert outcome.messages == []


@pytest.mark.parametrize("stars", [1, 2])
def test_a_low_rating_reopens_it_and_alerts_director_and_assignee(stars: int) -> None:
    staff = people()
    ticket = a_ticket(Z.RESOLVED)
    outcome = rate(ticket, stars, staff["林主任"], staff["周"], NOW)
    assert ticket.status == Z.REOPENED and ticket.rating == stars
    assert [(e.kind, e.note) for e in ticket.events] == [
        ("rated", str(stars)), ("reopened", f"居民评价{stars}分")]
    assert outcome.messages == [("o-lin", "staff", "staff_low_rating"),
                                ("o-zhou", "staff", "staff_low_rating")]


def test_a_low_rating_with_nobody_bound_is_still_reopened() -> None:
    ticket = a_ticket(Z.RESOLVED, assignee=None)
    outcome = rate(ticket, 1, None, None, NOW)
    assert ticket.status == Z.REOPENED and outcome.messages == []


def test_a_director_who_handled_the_ticket_is_alerted_once() -> None:
    director = people()["林主任"]
    ticket = a_ticket(Z.RESOLVED, assignee="林主任")
    outcome = rate(ticket, 1, director, director, NOW)
    assert outcome.messages == [("o-lin", "staff", "staff_low_rating")]


@pytest.mark.parametrize("status", [s for s in Status if s != Z.RESOLVED])
def test_only_a_resolved_ticket_can_be_rated(status: Status) -> None:
    staff = people()
    error = refused(status, "周", lambda t: rate(t, 5, staff["林主任"], staff["周"], NOW))
    assert error.zh == "这张工单现在不能评价。"


# --- cancel -------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", WORKING)
def test_the_resident_withdraws_an_open_ticket(status: Status) -> None:
    ticket = a_ticket(status)
    outcome = cancel(ticket, RESIDENT, NOW)
    assert ticket.status == Z.CANCELLED
    assert kinds(ticket) == [("cancelled", "resident")]
    assert outcome.messages == []


@pytest.mark.parametrize(("status", "openid", "says"), [
    *[pytest.param(s, RESIDENT, "这张工单已经办结，不能取消。", id=f"{s}: too late")
      for s in DONE],
    pytest.param(Z.ASSIGNED, "o-neighbour", f"没有找到工单 #{NUMBER}。",
                 id="a neighbour is told there is no such ticket"),
])
def test_withdrawing_is_refused(status: Status, openid: str, says: str) -> None:
    assert refused(status, "周", lambda t: cancel(t, openid, NOW)).zh == says


# --- transfer and find_ticket: they look people and tickets up ----------------------------------

@pytest.fixture(name="db")
def db_fixture() -> Iterator[Session]:
    """An in-memory database holding the committee, an inactive 郑, and another committee's 王."""
    engine = create_engine("sqlite://")
    bot.schema.METADATA.create_all(engine)
    with Session(engine) as session:
        session.add_all(people().values())
        session.add_all([
            Staff(id=5, committee=COMMITTEE, name="郑", openid="o-zheng", is_active=False),
            Staff(id=6, committee="c-other", name="王", openid="o-wang"),
            Staff(id=7, committee=COMMITTEE, name="新人", openid=None),
        ])
        session.add(a_ticket(Z.ACCEPTED))
        session.add(Ticket(id=43, committee="c-other", kind="general", line=LINE,
                           resident_openid=RESIDENT, request_text="?", source_key="k-43"))
        session.commit()
        yield session
    engine.dispose()


@pytest.mark.parametrize(("status", "who", "to", "told"), [
    pytest.param(Z.ACCEPTED, "周", "冯", "o-feng", id="the assignee hands it to the B role"),
    pytest.param(Z.ASSIGNED, "周", "吴", "o-wu", id="to anyone on the committee"),
    pytest.param(Z.NEW, "林主任", "周", "o-zhou", id="the director assigns a returned ticket"),
    pytest.param(Z.REOPENED, "林主任", "冯", "o-feng", id="the director moves a reopened one"),
    pytest.param(Z.ACCEPTED, "周", "新人", None, id="a colleague not yet bound is not told"),
])
def test_transferring_to_a_colleague(db: Session, status: Status, who: str, to: str,
                                     told: str | None) -> None:
    ticket = find_ticket(db, COMMITTEE, NUMBER)
    ticket.status = status
    if status == Z.NEW:
        ticket.assignee_id = None
    actor = db.get(Staff, people()[who].id)
    assert actor is not None
    outcome = transfer(db, ticket, actor, to, NOW)
    target = next(p for p in db.query(Staff) if p.name == to)
    assert ticket.status == Z.ASSIGNED and ticket.assignee_id == target.id  # to be accepted
    assert [(e.kind, e.note) for e in ticket.events] == [("transferred", f"转交{to}")]
    assert outcome.messages == ([(told, "staff", "staff_new")] if told else [])


@pytest.mark.parametrize(("status", "who", "to", "says"), [
    pytest.param(Z.ACCEPTED, "周", "郑", "没有名为“郑”的在岗工作人员。", id="to someone who left"),
    pytest.param(Z.ACCEPTED, "周", "王", "没有名为“王”的在岗工作人员。",
                 id="to another committee's staff"),
    pytest.param(Z.ACCEPTED, "周", "赵", "没有名为“赵”的在岗工作人员。", id="to a name unknown"),
    pytest.param(Z.ACCEPTED, "冯", "吴", f"工单 #{NUMBER} 不是您负责的，不能操作。",
                 id="the B role cannot give 周's away"),
    pytest.param(Z.CLOSED, "周", "冯", f"工单 #{NUMBER} 当前状态", id="a closed ticket"),
])
def test_transferring_is_refused(db: Session, status: Status, who: str, to: str,
                                 says: str) -> None:
    ticket = find_ticket(db, COMMITTEE, NUMBER)
    ticket.status = status
    actor = db.get(Staff, people()[who].id)
    assert actor is not None
    with pytest.raises(RefusalError) as caught:
        transfer(db, ticket, actor, to, NOW)
    assert caught.value.zh.startswith(says)
    assert ticket.assignee_id == people()["周"].id and ticket.status == status
    assert ticket.events == []


@pytest.mark.parametrize(("committee", "number"), [
    pytest.param(COMMITTEE, 999, id="no such number"),
    pytest.param(COMMITTEE, 43, id="another committee's ticket is not shown"),
])
def test_finding_a_ticket_that_is_not_ours(db: Session, committee: str, number: int) -> None:
    with pytest.raises(RefusalError) as caught:
        find_ticket(db, committee, number)
    assert caught.value.zh == f"没有找到工单 #{number}。"

"""Working days and opening hours on the Chinese calendar, as the front desk keeps them.

The dates are real: 2026's Mid-Autumn Festival (Fri 25 - Sun 27 September) and National Day
week (Thu 1 - Wed 7 October) with their make-up working days, Sunday 20 September and Saturday
10 October, as the installed chinese-calendar package publishes them (checked first below).
Every time is Shanghai time. The committee closes on Wednesday 2 December 2026 for training.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import chinese_calendar
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import bot.schema
from bot.core.calendar import LOCAL, CalendarDay, OpeningHours, WorkCalendar

CLOSURE = date(2026, 12, 2)
PLAIN = WorkCalendar()  # Monday to Friday, 08:30-17:00
WITH_CLOSURE = WorkCalendar(days={CLOSURE: "closed"})
DAY = [(time(8, 30), time(11, 30)), (time(13, 30), time(17, 0))]
LONG_HOURS = WorkCalendar(hours={**{d: DAY for d in range(5)},
                                 3: [*DAY, (time(18, 0), time(20, 0))],
                                 5: [(time(9, 0), time(11, 0))]})
"""A lunch break every day, Thursday evenings until 20:00, and Saturday mornings."""


def at(text: str) -> datetime:
    """A Shanghai time, written '2026-11-30T10:00'."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL)


@pytest.mark.parametrize(("day", "is_holiday", "name"), [
    (date(2026, 9, 20), False, "National Day"),  # a Sunday worked for National Day
    (date(2026, 9, 25), True, "Mid-autumn Festival"),
    (date(2026, 10, 1), True, "National Day"),
    (date(2026, 10, 7), True, "National Day"),
    (date(2026, 10, 10), False, "National Day"),  # a Saturday worked for National Day
])
def test_the_installed_calendar_knows_2026_as_these_tests_assume(day: date, is_holiday: bool,
                                                                 name: str) -> None:
    assert chinese_calendar.get_holiday_detail(day) == (is_holiday, name)


@pytest.mark.parametrize(("calendar", "day", "works"), [
    pytest.param(PLAIN, date(2026, 11, 30), True, id="an ordinary Monday"),
    pytest.param(PLAIN, date(2026, 11, 28), False, id="an ordinary Saturday"),
    pytest.param(PLAIN, date(2026, 11, 29), False, id="an ordinary Sunday"),
    pytest.param(PLAIN, date(2026, 9, 20), True, id="make-up Sunday before National Day"),
    pytest.param(PLAIN, date(2026, 9, 25), False, id="Mid-Autumn Friday"),
    pytest.param(PLAIN, date(2026, 9, 30), True, id="the Wednesday before National Day"),
    pytest.param(PLAIN, date(2026, 10, 1), False, id="National Day"),
    pytest.param(PLAIN, date(2026, 10, 5), False, id="the Monday of National Day week"),
    pytest.param(PLAIN, date(2026, 10, 8), True, id="the Thursday after"),
    pytest.param(PLAIN, date(2026, 10, 10), True, id="make-up Saturday after National Day"),
    pytest.param(PLAIN, date(2026, 10, 11), False, id="the Sunday after it"),
    pytest.param(PLAIN, CLOSURE, True, id="the training day, for another committee"),
    pytest.param(WITH_CLOSURE, CLOSURE, False, id="the committee's own closure"),
    pytest.param(WorkCalendar(days={date(2026, 10, 5): "workday"}), date(2026, 10, 5), True,
                 id="the committee's own entry wins over the national calendar"),
    pytest.param(PLAIN, date(2027, 1, 4), True,
                 id="past the package's data: a weekday is guessed a working day"),
    pytest.param(PLAIN, date(2027, 1, 2), False, id="past the package's data: a Saturday"),
    pytest.param(WorkCalendar(days={date(2027, 1, 1): "holiday"}), date(2027, 1, 1), False,
                 id="a holiday the package does not know yet, entered by the committee"),
])
def test_which_days_count_as_working_days(calendar: WorkCalendar, day: date,
                                          works: bool) -> None:
    assert calendar.is_workday(day) is works


@pytest.mark.parametrize(("calendar", "moment", "is_open"), [
    pytest.param(PLAIN, at("2026-11-30T08:29"), False, id="a minute before opening"),
    pytest.param(PLAIN, at("2026-11-30T08:30"), True, id="opening time"),
    pytest.param(PLAIN, at("2026-11-30T16:59"), True, id="the last minute"),
    pytest.param(PLAIN, at("2026-11-30T17:00"), False, id="closing time"),
    pytest.param(PLAIN, datetime.fromisoformat("2026-11-30T02:00+00:00"), True,
                 id="02:00 UTC is 10:00 in Shanghai"),
    pytest.param(PLAIN, datetime.fromisoformat("2026-11-30T09:30+00:00"), False,
                 id="09:30 UTC is 17:30 in Shanghai"),
    pytest.param(PLAIN, at("2026-11-28T10:00"), False, id="a Saturday"),
    pytest.param(PLAIN, at("2026-10-01T10:00"), False, id="National Day"),
    pytest.param(PLAIN, at("2026-10-10T10:00"), True, id="the make-up Saturday"),
    pytest.param(PLAIN, at("2026-09-20T10:00"), True, id="the make-up Sunday"),
    pytest.param(WITH_CLOSURE, at("2026-12-02T10:00"), False, id="the training day"),
    pytest.param(LONG_HOURS, at("2026-11-30T12:30"), False, id="the lunch break"),
    pytest.param(LONG_HOURS, at("2026-12-03T19:00"), True, id="a Thursday evening"),
    pytest.param(LONG_HOURS, at("2026-11-30T19:00"), False, id="a Monday evening"),
    pytest.param(LONG_HOURS, at("2026-11-28T10:00"), True, id="a Saturday morning"),
    pytest.param(LONG_HOURS, at("2026-10-03T10:00"), False,
                 id="no Saturday morning in National Day week"),
    pytest.param(LONG_HOURS, at("2026-10-10T14:00"), True,
                 id="the make-up Saturday keeps Monday's hours, afternoon too"),
])
def test_when_the_front_desk_is_open(calendar: WorkCalendar, moment: datetime,
                                     is_open: bool) -> None:
    assert calendar.is_open(moment) is is_open


@pytest.mark.parametrize(("calendar", "moment", "opens"), [
    pytest.param(PLAIN, "2026-11-30T10:00", "2026-11-30T10:00", id="open: now"),
    pytest.param(PLAIN, "2026-11-30T07:00", "2026-11-30T08:30", id="early: this morning"),
    pytest.param(PLAIN, "2026-11-30T17:30", "2026-12-01T08:30", id="evening: tomorrow"),
    pytest.param(PLAIN, "2026-11-28T15:00", "2026-11-30T08:30", id="Saturday: Monday"),
    pytest.param(PLAIN, "2026-09-30T17:30", "2026-10-08T08:30",
                 id="the eve of National Day: the Thursday after"),
    pytest.param(PLAIN, "2026-10-09T18:00", "2026-10-10T08:30",
                 id="Friday after National Day: the make-up Saturday"),
    pytest.param(WITH_CLOSURE, "2026-12-01T18:00", "2026-12-03T08:30",
                 id="the eve of the training day: the day after"),
    pytest.param(LONG_HOURS, "2026-11-30T12:00", "2026-11-30T13:30", id="after lunch"),
])
def test_when_the_desk_next_opens(calendar: WorkCalendar, moment: str, opens: str) -> None:
    assert calendar.next_opening(at(moment)) == at(opens)


def test_a_desk_that_never_opens_has_no_next_opening() -> None:
    assert WorkCalendar(hours={}).next_opening(at("2026-11-30T10:00")) is None


@pytest.mark.parametrize(("calendar", "moment", "days", "due"), [
    pytest.param(PLAIN, "2026-11-30T10:00", 1, "2026-12-01T17:00", id="Monday + 1"),
    pytest.param(PLAIN, "2026-11-27T10:00", 1, "2026-11-30T17:00", id="Friday + 1: Monday"),
    pytest.param(PLAIN, "2026-11-28T10:00", 1, "2026-11-30T17:00", id="Saturday + 1: Monday"),
    pytest.param(PLAIN, "2026-11-30T10:00", 5, "2026-12-07T17:00", id="a working week"),
    pytest.param(PLAIN, "2026-09-30T10:00", 1, "2026-10-08T17:00",
                 id="over National Day week"),
    pytest.param(PLAIN, "2026-09-30T10:00", 3, "2026-10-10T17:00",
                 id="the make-up Saturday is the third working day"),
    pytest.param(PLAIN, "2026-10-01T10:00", 1, "2026-10-08T17:00",
                 id="raised on National Day"),
    pytest.param(PLAIN, "2026-09-18T10:00", 2, "2026-09-21T17:00",
                 id="the make-up Sunday counts"),
    pytest.param(PLAIN, "2026-09-24T10:00", 1, "2026-09-28T17:00", id="over Mid-Autumn"),
    pytest.param(WITH_CLOSURE, "2026-11-30T10:00", 3, "2026-12-04T17:00",
                 id="the training day does not count"),
    pytest.param(LONG_HOURS, "2026-12-02T10:00", 1, "2026-12-03T20:00",
                 id="due at a Thursday's late closing"),
    pytest.param(LONG_HOURS, "2026-10-09T10:00", 1, "2026-10-10T17:00",
                 id="due on the make-up Saturday at Monday's closing"),
])
def test_a_time_limit_of_working_days(calendar: WorkCalendar, moment: str, days: int,
                                      due: str) -> None:
    assert calendar.add_working_days(at(moment), days) == at(due)


def test_a_time_limit_counts_from_the_shanghai_date() -> None:
    """00:30 on Tuesday in Shanghai is still Monday in UTC: one day on is Wednesday."""
    moment = datetime.fromisoformat("2026-11-30T16:30+00:00")
    assert PLAIN.add_working_days(moment, 1) == at("2026-12-02T17:00")


@pytest.mark.parametrize(("calendar", "start", "end", "hours"), [
    pytest.param(PLAIN, "2026-11-30T08:30", "2026-11-30T17:00", 8.5, id="a whole day"),
    pytest.param(PLAIN, "2026-11-30T07:00", "2026-11-30T09:00", 0.5, id="before opening"),
    pytest.param(PLAIN, "2026-11-30T16:00", "2026-12-01T10:00", 2.5, id="overnight"),
    pytest.param(PLAIN, "2026-11-27T16:00", "2026-11-30T09:30", 2.0, id="over a weekend"),
    pytest.param(PLAIN, "2026-11-28T10:00", "2026-11-29T18:00", 0.0, id="within a weekend"),
    pytest.param(PLAIN, "2026-09-30T16:00", "2026-10-08T09:00", 1.5, id="over National Day"),
    pytest.param(PLAIN, "2026-10-09T16:00", "2026-10-10T09:30", 2.0,
                 id="into the make-up Saturday"),
    pytest.param(WITH_CLOSURE, "2026-12-01T16:00", "2026-12-03T09:30", 2.0,
                 id="over the training day"),
    pytest.param(LONG_HOURS, "2026-11-30T11:00", "2026-11-30T14:00", 1.0,
                 id="the lunch break does not count"),
    pytest.param(PLAIN, "2026-11-30T12:00", "2026-11-30T10:00", 0.0, id="end before start"),
])
def test_working_hours_between_two_moments(calendar: WorkCalendar, start: str, end: str,
                                           hours: float) -> None:
    assert calendar.working_hours_between(at(start), at(end)) == pytest.approx(hours)


# --- the committee's calendar as kept on record -------------------------------------------------

@pytest.fixture(name="db")
def db_fixture() -> Iterator[Session]:
    """Our committee opens Saturday mornings and closes for training; another closes Mondays."""
    engine = create_engine("sqlite://")
    bot.schema.METADATA.create_all(engine)
    with Session(engine) as session:
        session.add_all([
            *[OpeningHours(committee="c-ours", weekday=d, opens="08:30", closes="17:00")
              for d in range(5)],
            OpeningHours(committee="c-ours", weekday=5, opens="09:00", closes="11:00"),
            CalendarDay(committee="c-ours", day=CLOSURE, kind="closed", note="培训"),
            CalendarDay(committee="c-other", day=date(2026, 11, 30), kind="closed"),
        ])
        session.commit()
        yield session
    engine.dispose()


@pytest.mark.parametrize(("committee", "moment", "is_open"), [
    pytest.param("c-ours", "2026-11-28T10:00", True, id="our Saturday morning"),
    pytest.param("c-ours", CLOSURE.isoformat() + "T10:00", False, id="our training day"),
    pytest.param("c-ours", "2026-11-30T10:00", True, id="another committee's closure"),
    pytest.param("c-other", "2026-11-30T10:00", False, id="their own closure"),
    pytest.param("c-other", "2026-11-28T10:00", False, id="no hours set: weekdays only"),
    pytest.param("c-other", "2026-12-01T16:30", True, id="no hours set: 08:30-17:00"),
])
def test_each_committee_keeps_its_own_hours_and_closures(db: Session, committee: str,
                                                         moment: str, is_open: bool) -> None:
    assert WorkCalendar.load(db, committee).is_open(at(moment)) is is_open


def test_a_closure_on_record_moves_a_time_limit(db: Session) -> None:
    calendar = WorkCalendar.load(db, "c-ours")
    assert calendar.add_working_days(at("2026-12-01T10:00"), 1) == at("2026-12-03T17:00")

"""Volunteers and their garbage-room stations: records, slots of a day, and who is who."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, Float, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm import Session as DbSession

from bot.core.calendar import LOCAL
from bot.core.models import Base, utcnow
from bot.staff import roster as _staff  # noqa: F401 - stations.staff_id refers to staff.id

VOLUNTEER_STATUSES = ("pending", "active", "paused", "removed")
"""pending: signed up, awaiting approval; paused: approved but not taking shifts for now."""
CHECKIN_SCENE = "checkin:"
"""A station's QR code carries the scene checkin:<station code>."""
WHOLE_DAY = 0
"""A slot exception with this slot number applies to every slot of the day."""


class Station(Base):
    """A garbage room volunteers guard, with where it is and the staff member responsible."""

    __tablename__ = "stations"
    __table_args__ = (UniqueConstraint("committee", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee: Mapped[str] = mapped_column(String(64), index=True)
    code: Mapped[str] = mapped_column(String(32))  # in the QR scene: checkin:<code>
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64), default="")
    location: Mapped[str] = mapped_column(String(200), default="")  # as residents say it
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", name="fk_stations_staff_id_staff"), default=None)
    is_active: Mapped[bool] = mapped_column(default=True)

    plans: Mapped[list[SlotPlan]] = relationship(cascade="all, delete-orphan",
                                                 order_by="SlotPlan.number")

    def label(self, lang: str) -> str:
        """Return the station's name in LANG."""
        return self.name_en if lang == "en" and self.name_en else self.name


class SlotPlan(Base):
    """One of a station's daily slots: its times and how many volunteers it takes."""

    __tablename__ = "slot_plans"
    __table_args__ = (UniqueConstraint("station_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(
        ForeignKey("stations.id", name="fk_slot_plans_station_id_stations"), index=True)
    number: Mapped[int] = mapped_column()  # 1, 2, 3 in the order of the day
    name: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(32), default="")
    starts: Mapped[str] = mapped_column(String(5))  # local HH:MM
    ends: Mapped[str] = mapped_column(String(5))
    capacity: Mapped[int] = mapped_column()


class SlotException(Base):
    """A dated change to a station's slots: closed for a holiday, or a different capacity."""

    __tablename__ = "slot_exceptions"
    __table_args__ = (UniqueConstraint("station_id", "day", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(
        ForeignKey("stations.id", name="fk_slot_exceptions_station_id_stations"), index=True)
    day: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(default=WHOLE_DAY)
    capacity: Mapped[int] = mapped_column(default=0)  # 0 closes the slot
    note: Mapped[str] = mapped_column(String(100), default="")


class Volunteer(Base):
    """A resident who volunteers; their name, building and phone are kept with their consent."""

    __tablename__ = "volunteers"
    __table_args__ = (UniqueConstraint("openid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee: Mapped[str] = mapped_column(String(64), index=True)
    # Cleared on removal, with the name and phone: only anonymous hours stay on record.
    openid: Mapped[str | None] = mapped_column(String(64), default=None)
    name: Mapped[str] = mapped_column(String(64))
    building: Mapped[str] = mapped_column(String(32), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    lang: Mapped[str] = mapped_column(String(2), default="zh")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    consent_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(default=None)


class SlotCount(Base):
    """How many volunteers one slot of one day holds: the row booking updates atomically."""

    __tablename__ = "slot_counts"
    __table_args__ = (UniqueConstraint("station_id", "day", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(
        ForeignKey("stations.id", name="fk_slot_counts_station_id_stations"))
    day: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column()
    booked: Mapped[int] = mapped_column(default=0)


class Shift(Base):
    """A volunteer's place in one slot of one day, and what became of it."""

    __tablename__ = "shifts"
    # One row per volunteer and slot: cancelling and booking again reuses it.
    __table_args__ = (UniqueConstraint("volunteer_id", "station_id", "day", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteers.id", name="fk_shifts_volunteer_id_volunteers"), index=True)
    station_id: Mapped[int] = mapped_column(
        ForeignKey("stations.id", name="fk_shifts_station_id_stations"))
    day: Mapped[date] = mapped_column(Date, index=True)
    number: Mapped[int] = mapped_column()
    # The slot's times when booked, so sweeps can query by time.
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="booked")  # booked|cancelled|no_show
    source: Mapped[str] = mapped_column(String(16), default="self")  # self|weekly|walk_in|standby
    booked_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    checked_in_at: Mapped[datetime | None] = mapped_column(default=None)
    checked_out_at: Mapped[datetime | None] = mapped_column(default=None)
    check_in_method: Mapped[str] = mapped_column(String(16), default="")  # qr|location
    check_out_method: Mapped[str] = mapped_column(String(16), default="")  # qr|command|auto
    reminded_eve_at: Mapped[datetime | None] = mapped_column(default=None)
    reminded_soon_at: Mapped[datetime | None] = mapped_column(default=None)

    station: Mapped[Station] = relationship()
    volunteer: Mapped[Volunteer] = relationship()


class WeeklySlot(Base):
    """A volunteer's standing weekly commitment: this station, this weekday, this slot."""

    __tablename__ = "weekly_slots"
    __table_args__ = (UniqueConstraint("volunteer_id", "station_id", "weekday", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteers.id", name="fk_weekly_slots_volunteer_id_volunteers"), index=True)
    station_id: Mapped[int] = mapped_column(
        ForeignKey("stations.id", name="fk_weekly_slots_station_id_stations"))
    weekday: Mapped[int] = mapped_column()  # 0 = Monday
    number: Mapped[int] = mapped_column()
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    station: Mapped[Station] = relationship()


class StandbyOffer(Base):
    """An uncovered slot offered to standby volunteers; the first to accept takes it."""

    __tablename__ = "standby_offers"
    # One per slot and day: also the record that its coverage alert went out.
    __table_args__ = (UniqueConstraint("station_id", "day", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)  # the code in "接班 <id>"
    station_id: Mapped[int] = mapped_column(
        ForeignKey("stations.id", name="fk_standby_offers_station_id_stations"))
    day: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    taken_by: Mapped[int | None] = mapped_column(
        ForeignKey("volunteers.id", name="fk_standby_offers_taken_by_volunteers"), default=None)
    taken_at: Mapped[datetime | None] = mapped_column(default=None)


@dataclass(frozen=True)
class Slot:
    """One slot of one day at one station, exceptions applied."""

    station_id: int
    day: date
    number: int
    name: str
    name_en: str
    starts_at: datetime
    ends_at: datetime
    capacity: int

    @property
    def key(self) -> tuple[int, date, int]:
        """Return what identifies the slot: station, day, number."""
        return self.station_id, self.day, self.number

    def label(self, lang: str) -> str:
        """Return the slot's name in LANG."""
        return self.name_en if lang == "en" and self.name_en else self.name


def _at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), LOCAL)


def slots_on(session: DbSession, station: Station, day: date) -> list[Slot]:
    """Return the station's open slots on DAY: its plan with that day's exceptions applied."""
    changes = {e.number: e.capacity for e in session.scalars(select(SlotException).where(
        SlotException.station_id == station.id, SlotException.day == day))}
    slots = []
    for plan in station.plans:
        capacity = changes.get(plan.number, changes.get(WHOLE_DAY, plan.capacity))
        if capacity > 0 and station.is_active:
            slots.append(Slot(station.id, day, plan.number, plan.name, plan.name_en,
                              _at(day, plan.starts), _at(day, plan.ends), capacity))
    return slots


def find_slot(session: DbSession, station_id: int, day: date, number: int) -> Slot | None:
    """Return one slot if it is open that day."""
    station = session.get(Station, station_id)
    if station is None:
        return None
    return next((s for s in slots_on(session, station, day) if s.number == number), None)


def active_stations(session: DbSession, committee: str) -> list[Station]:
    """Return the committee's stations in use, by code."""
    return list(session.scalars(select(Station).where(
        Station.committee == committee, Station.is_active.is_(True)).order_by(Station.code)))


def station_by_code(session: DbSession, committee: str, code: str) -> Station | None:
    """Return a station by its code (the QR scene's suffix)."""
    return session.scalar(select(Station).where(Station.committee == committee,
                                                Station.code == code))


def volunteer_by_openid(session: DbSession, openid: str) -> Volunteer | None:
    """Return the volunteer record of a WeChat user, whatever its status."""
    return session.scalar(select(Volunteer).where(Volunteer.openid == openid))


def is_volunteer(session: DbSession, openid: str) -> bool:
    """True for an approved volunteer, active or paused (a paused one is told why, not denied)."""
    return session.scalar(select(Volunteer.id).where(
        Volunteer.openid == openid, Volunteer.status.in_(("active", "paused")))) is not None


def local_day(moment: datetime) -> date:
    """Return MOMENT's date in Shanghai."""
    return moment.astimezone(LOCAL).date()


def month_span(year: int, month: int) -> tuple[datetime, datetime]:
    """Return the first moment of a local month and of the next one."""
    start = datetime(year, month, 1, tzinfo=LOCAL)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following

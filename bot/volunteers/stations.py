"""Load garbage-room stations, their daily slots and dated exceptions from a file a clerk edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from bot.core.errors import RefusalError
from bot.staff.roster import Staff
from bot.volunteers.models import (
    WHOLE_DAY,
    Shift,
    SlotException,
    SlotPlan,
    Station,
    slots_on,
    station_by_code,
)
from bot.volunteers.shifts import release_place

CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")
CODE_LENGTH = 32
"""The QR scene is `checkin:<code>`; WeChat allows 64 characters, this leaves room."""


class StationError(RefusalError):
    """The stations file is wrong; the message names the entry and the field."""


@dataclass
class Imported:
    """What an import changed: stations written, and booked shifts its closures called off."""

    stations: list[Station] = field(default_factory=list)
    called_off: list[tuple[Shift, str]] = field(default_factory=list)


def _span(text: object, where: str) -> tuple[str, str]:
    starts, _, ends = str(text).partition("-")
    try:
        if time.fromisoformat(starts.strip()) >= time.fromisoformat(ends.strip()):
            raise ValueError
    except ValueError:
        raise StationError(f"{where}: '{text}' is not a time span like 07:00-09:00") from None
    return starts.strip(), ends.strip()


def _number(value: object, where: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise StationError(f"{where}: expected a whole number of at least {low}, not {value!r}")
    return value


def _station(session: DbSession, committee: str, raw: dict[str, Any], index: int) -> Station:
    code = str(raw.get("code", "")).strip()
    where = f"stations[{index}] '{code or '?'}'"
    if not code or len(code) > CODE_LENGTH or set(code) - CODE_CHARS:
        raise StationError(f"{where}: code must be 1-{CODE_LENGTH} of a-z 0-9 - _")
    if not str(raw.get("name", "")).strip():
        raise StationError(f"{where}: field 'name' is required")
    station = station_by_code(session, committee, code)
    if station is None:
        station = Station(committee=committee, code=code)
        session.add(station)
    station.name = str(raw["name"]).strip()
    station.name_en = str(raw.get("name_en", "")).strip()
    station.location = str(raw.get("where", "")).strip()
    station.is_active = bool(raw.get("active", True))
    latitude, longitude = raw.get("latitude"), raw.get("longitude")
    if (latitude is None) != (longitude is None) or not all(
            isinstance(v, int | float) for v in (latitude, longitude) if v is not None):
        raise StationError(f"{where}: give both latitude and longitude as numbers, or neither")
    station.latitude, station.longitude = latitude, longitude
    staff_name = raw.get("staff")
    station.staff_id = None
    if staff_name:
        staff = session.scalar(select(Staff).where(Staff.committee == committee,
                                                   Staff.name == str(staff_name)))
        if staff is None:
            raise StationError(f"{where}: staff '{staff_name}' is not on the roster")
        station.staff_id = staff.id
    slots = raw.get("slots") or []
    if not isinstance(slots, list) or not slots:
        raise StationError(f"{where}: 'slots' must list the station's daily slots")
    # Plans are updated in place by number: deleting and re-adding would trip the unique key.
    plans = {plan.number: plan for plan in station.plans}
    kept = []
    for number, slot in enumerate(slots, 1):
        at = f"{where} slots[{number - 1}]"
        plan = plans.get(number) or SlotPlan(number=number)
        plan.name = str(slot.get("name", "")).strip() or f"第{number}班"
        plan.name_en = str(slot.get("name_en", "")).strip() or f"Shift {number}"
        plan.starts, plan.ends = _span(slot.get("time"), f"{at}.time")
        plan.capacity = _number(slot.get("capacity"), f"{at}.capacity", 1)
        kept.append(plan)
    station.plans = kept
    return station


def _exception(session: DbSession, committee: str, raw: dict[str, Any], index: int) -> None:
    where = f"exceptions[{index}]"
    station = station_by_code(session, committee, str(raw.get("station", "")))
    if station is None:
        raise StationError(f"{where}: station '{raw.get('station')}' is not in the file")
    day = raw.get("day")
    if not isinstance(day, date):
        raise StationError(f"{where}: needs day: YYYY-MM-DD")
    slot = raw.get("slot", "all")
    number = WHOLE_DAY if slot == "all" else _number(slot, f"{where}.slot", 1)
    capacity = _number(raw.get("capacity", 0), f"{where}.capacity", 0)
    row = session.scalar(select(SlotException).where(
        SlotException.station_id == station.id, SlotException.day == day,
        SlotException.number == number))
    if row is None:
        row = SlotException(station_id=station.id, day=day, number=number)
        session.add(row)
    row.capacity, row.note = capacity, str(raw.get("note", ""))


def _call_off_and_retime(session: DbSession, committee: str, now: datetime,
                         imported: Imported) -> None:
    """Cancel booked shifts whose slot is now closed; move the rest to the slot's new times."""
    for shift in list(session.scalars(select(Shift).join(Station).where(
            Station.committee == committee, Shift.status == "booked", Shift.starts_at > now))):
        slot = next((s for s in slots_on(session, shift.station, shift.day)
                     if s.number == shift.number), None)
        if slot is None:
            note = next((e.note for e in session.scalars(select(SlotException).where(
                SlotException.station_id == shift.station_id, SlotException.day == shift.day))
                if e.note), "")
            shift.status, shift.cancelled_at = "cancelled", now
            release_place(session, shift)
            imported.called_off.append((shift, note))
        else:
            shift.starts_at, shift.ends_at = slot.starts_at, slot.ends_at


def import_stations(session: DbSession, committee: str, data: dict[str, Any],
                    now: datetime) -> Imported:
    """Create or update everything in DATA for COMMITTEE; the caller commits."""
    if not isinstance(data, dict) or not isinstance(data.get("stations"), list):
        raise StationError("the file must have a 'stations' list")
    imported = Imported([_station(session, committee, raw, i)
                         for i, raw in enumerate(data["stations"])])
    session.flush()
    for i, raw in enumerate(data.get("exceptions") or []):
        _exception(session, committee, raw, i)
    session.flush()
    _call_off_and_retime(session, committee, now, imported)
    session.flush()
    return imported

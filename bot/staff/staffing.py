"""Administering staff: add them, give them lines and buildings, deactivate them."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from bot.core.errors import RefusalError
from bot.staff.roster import ROLES, Staff, StaffBuilding, StaffLine

NAME_LENGTH = 64
PHONE_LENGTH = 32
BUILDING_LENGTH = 4
"""Residents write at most four digits (see routing.find_building), so that is all we match."""


class StaffingError(RefusalError):
    """A refused change; the message names the bad argument."""


@dataclass(frozen=True)
class Deactivated:
    """What a deactivation left behind: the unbound account, its lines and buildings to hand on."""

    openid: str | None
    lines: list[str]
    buildings: list[str]


def find_staff(session: DbSession, committee: str, name: str) -> Staff:
    """Return the committee's staff member called NAME, or refuse with likely names."""
    person = session.scalar(select(Staff).where(Staff.committee == committee,
                                                Staff.name == name))
    if person is not None:
        return person
    names = list(session.scalars(select(Staff.name).where(Staff.committee == committee)))
    # Clerks type the bare surname ('周'); the sample names carry a prefix ('示例·周').
    close = [n for n in names if name and name in n] or difflib.get_close_matches(name, names)
    hint = f"; did you mean {', '.join(close)}?" if close else " (see `staff list`)"
    raise StaffingError(f"no staff member named '{name}'{hint}")


def add_staff(session: DbSession, committee: str, name: str, phone: str,
              is_director: bool) -> Staff:
    """Create an active staff member; names are unique within a committee."""
    name, phone = name.strip(), phone.strip()
    if not name or len(name) > NAME_LENGTH:
        raise StaffingError(f"NAME must be 1-{NAME_LENGTH} characters, not '{name}'")
    if len(phone) > PHONE_LENGTH:
        raise StaffingError(f"--phone is longer than {PHONE_LENGTH} characters")
    existing = session.scalar(select(Staff).where(Staff.committee == committee,
                                                  Staff.name == name))
    if existing is not None:
        state = "" if existing.is_active else " (deactivated; history is kept under that name)"
        raise StaffingError(f"NAME '{name}' is already a staff member{state}")
    person = Staff(committee=committee, name=name, phone=phone, is_director=is_director)
    session.add(person)
    session.flush()
    return person


def set_lines(session: DbSession, person: Staff, roles: Mapping[str, str],
              known_lines: Collection[str] | None = None) -> list[str]:
    """Replace PERSON's lines of work; return warnings about roles someone else also holds."""
    for line, role in roles.items():
        if known_lines is not None and line not in known_lines:
            raise StaffingError(f"line '{line}' is not in the guide; lines are "
                                f"{', '.join(sorted(known_lines))}")
        if role not in ROLES:
            raise StaffingError(f"{line}={role}: the role must be A or B")
    # Edited in place: replacing the rows would insert before deleting and trip the unique key.
    for row in [sl for sl in person.lines if sl.line not in roles]:
        person.lines.remove(row)
    held = {sl.line: sl for sl in person.lines}
    for line, role in roles.items():
        if line in held:
            held[line].role = role
        else:
            person.lines.append(StaffLine(line=line, role=role))
    session.flush()
    warnings = []
    for other in session.scalars(select(Staff).where(
            Staff.committee == person.committee, Staff.is_active.is_(True),
            Staff.id != person.id).order_by(Staff.id)):
        for line, role in roles.items():
            if other.role_in(line) == role:
                # Routing takes the first holder it finds: two A roles hide one of them.
                warnings.append(f"{other.name} is also {role} in {line}")
    return warnings


def set_buildings(session: DbSession, person: Staff,
                  buildings: Mapping[str, int]) -> list[str]:
    """Replace PERSON's buildings (building -> households); return the moves from colleagues."""
    for building, households in buildings.items():
        if not (building.isascii() and building.isdecimal() and len(building) <= BUILDING_LENGTH):
            raise StaffingError(f"building '{building}' must be a number like 5 (as in 5号楼)")
        if households < 0:
            raise StaffingError(f"{building}={households}: households cannot be negative")
    taken = session.scalars(select(StaffBuilding).where(
        StaffBuilding.committee == person.committee,
        StaffBuilding.building.in_(list(buildings)), StaffBuilding.staff_id != person.id))
    moves = []
    for row in taken:
        owner = session.get(Staff, row.staff_id)
        moves.append(f"building {row.building} moved from {owner.name if owner else '?'}")
        session.delete(row)
    for row in [b for b in person.buildings if b.building not in buildings]:
        person.buildings.remove(row)
    # Deletes must reach the database before the inserts that reuse the (committee, building) key.
    session.flush()
    held = {b.building: b for b in person.buildings}
    for building, households in buildings.items():
        if building in held:
            held[building].households = households
        else:
            person.buildings.append(StaffBuilding(committee=person.committee, building=building,
                                                  households=households))
    session.flush()
    return moves


def deactivate_staff(session: DbSession, person: Staff) -> Deactivated:
    """Mark PERSON inactive and unbind their WeChat account; their records stay."""
    if not person.is_active:
        raise StaffingError(f"'{person.name}' is already deactivated")
    openid = person.openid
    person.is_active, person.openid = False, None
    session.flush()
    return Deactivated(openid,
                       [f"{sl.line}={sl.role}" for sl in person.lines],
                       [b.building for b in person.buildings])

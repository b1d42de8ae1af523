"""Who gets a new ticket: the building's owner, the line's A role, its B role, the front desk."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.core.calendar import LOCAL
from bot.staff.roster import AVAILABLE, Staff

_BUILDING = re.compile(
    r"(\d{1,4})\s*(?:号楼|号|幢|栋|座|楼)|(?:building|bldg\.?|block|no\.?)\s*(\d{1,4})", re.I)
_STATUS_NAMES = {"off": "休息", "leave": "请假", "desk": "值班", "visiting": "走访"}


@dataclass(frozen=True)
class Assignment:
    """The chosen staff member (None: nobody could take it) and why, for the ticket's history."""

    staff_id: int | None
    reason: str


def find_building(*texts: str) -> str | None:
    """Return the building number a resident mentioned ('5号楼2单元' -> '5'), if any."""
    for text in texts:
        found = _BUILDING.search(text or "")
        if found:
            return found.group(1) or found.group(2)
    return None


def _status(duty: dict[int, str], staff: Staff) -> str:
    return _STATUS_NAMES.get(duty.get(staff.id, "off"), duty.get(staff.id, "off"))


def choose_assignee(staff: list[Staff], duty: dict[int, str], line: str,
                    building: str | None) -> Assignment:
    """Apply the routing rules in order and say which one decided."""
    def available(person: Staff) -> bool:
        return duty.get(person.id, "off") in AVAILABLE

    if building:
        owner = next((p for p in staff if any(b.building == building for b in p.buildings)), None)
        if owner is not None and owner.role_in(line) and available(owner):
            return Assignment(owner.id, f"{building}号楼负责人{owner.name}")
    a_role = next((p for p in staff if p.role_in(line) == "A"), None)
    b_role = next((p for p in staff if p.role_in(line) == "B"), None)
    if a_role is not None and available(a_role):
        return Assignment(a_role.id, f"条线A角{a_role.name}")
    missing = f"A角{a_role.name}{_status(duty, a_role)}" if a_role else "条线无A角"
    if b_role is not None and available(b_role):
        return Assignment(b_role.id, f"{missing}，由B角{b_role.name}处理")
    desk = next((p for p in staff if duty.get(p.id) == "desk"), None)
    if desk is not None:
        return Assignment(desk.id, f"{missing}，B角不在，由前台值班{desk.name}处理")
    return Assignment(None, f"{missing}，B角和前台都无人，待主任分派")


def describe_time(moment: datetime, lang: str = "zh") -> str:
    """Return a local time as residents read it: '周一 11-30 08:30' or 'Mon 11-30 08:30'."""
    local = moment.astimezone(LOCAL)
    if lang == "en":
        return f"{local:%a %m-%d %H:%M}"
    return f"周{'一二三四五六日'[local.weekday()]} {local:%m-%d %H:%M}"

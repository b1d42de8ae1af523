"""The Service Guide as plain data: items, offices, lines of work and the committee."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Disposition = Literal["answer", "handoff", "refer"]
DISPOSITIONS: tuple[str, ...] = ("answer", "handoff", "refer")
# Emergencies (110/119/120 at once) are rules that run before matching: see knowledge/rules.py.

# Details a handoff may ask the resident for before a ticket is raised.
DETAIL_KINDS: tuple[str, ...] = ("location", "phone", "name", "time", "description")


@dataclass(frozen=True)
class Text:
    """A piece of user-facing text in Chinese with an optional English version."""

    zh: str
    en: str = ""

    def pick(self, lang: str) -> str:
        """Return the English text for 'en' when there is one, the Chinese otherwise."""
        return self.en if lang == "en" and self.en else self.zh


@dataclass(frozen=True)
class Office:
    """An office residents are pointed to (告知路径)."""

    code: str
    name: Text
    address: Text
    hours: Text
    phone: str
    is_sample: bool = False


@dataclass(frozen=True)
class Line:
    """A line of work (条线) that owns handed-off matters."""

    code: str
    name: Text
    notify_openids: tuple[str, ...] = ()
    is_sample: bool = False


@dataclass(frozen=True)
class Material:
    """One thing a resident must bring."""

    name: Text
    form: Literal["original", "copy", "either"] = "original"
    count: int = 1


@dataclass(frozen=True)
class Item:
    """One matter of the Service Guide and what the front desk does with it."""

    code: str
    name: Text
    category: str
    disposition: Disposition
    summary: Text
    aliases: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    eligibility: Text | None = None
    materials: tuple[Material, ...] = ()
    where: Text | None = None
    hours: Text | None = None
    duration: Text | None = None
    fees: Text | None = None
    visits: int | None = None
    office: str | None = None
    line: str | None = None
    needs: tuple[str, ...] = ()
    time_limit_days: int | None = None
    english_first: bool = False


@dataclass(frozen=True)
class GarbageRoom:
    """A garbage room (垃圾箱房) of the compound and when residents may use it."""

    name: Text
    where: Text
    hours: Text


@dataclass(frozen=True)
class Bin:
    """One of Shanghai's four bins: recyclable, hazardous, wet or dry."""

    code: str
    name: Text
    tip: Text


@dataclass(frozen=True)
class Sorting:
    """Which bin an everyday object goes in ('电池' -> 有害垃圾)."""

    names: tuple[str, ...]
    bin: Bin
    name: Text
    note: Text | None = None


@dataclass(frozen=True)
class GarbageGuide:
    """The sorting table and the guide item whose answer it refines."""

    item: str
    bins: dict[str, Bin]
    objects: tuple[Sorting, ...]


@dataclass(frozen=True)
class Committee:
    """The residents' committee that runs this service desk."""

    code: str
    name: Text
    address: Text
    hours: Text
    phone: str
    front_desk_line: str
    is_sample: bool = False
    # Covered by is_sample: the committee replaces its rooms' places and times with its own.
    garbage_rooms: tuple[GarbageRoom, ...] = ()


@dataclass(frozen=True)
class Family:
    """Items a vague message may mean ('卡丢了': which card?), offered as a numbered list."""

    code: str
    name: Text
    triggers: tuple[str, ...]
    """Words that name the family; '*' in one stands for a few characters ('卡*丢')."""
    items: tuple[str, ...]
    """Codes of the items offered, most likely first."""
    unless: tuple[str, ...] = ()
    """Words that make a message about something the family does not cover (银行卡丢了)."""


@dataclass(frozen=True)
class Guide:
    """The whole guide, validated and cross-referenced."""

    committee: Committee
    items: tuple[Item, ...]
    offices: dict[str, Office] = field(default_factory=dict)
    lines: dict[str, Line] = field(default_factory=dict)
    garbage: GarbageGuide | None = None
    families: tuple[Family, ...] = ()

    def item(self, code: str) -> Item:
        """Return the item with this code."""
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def samples(self) -> list[str]:
        """List the sample contacts the committee still has to replace."""
        found = [f"committee {self.committee.code}"] if self.committee.is_sample else []
        found += [f"office {o.code}" for o in self.offices.values() if o.is_sample]
        found += [f"line {line.code}" for line in self.lines.values() if line.is_sample]
        return found

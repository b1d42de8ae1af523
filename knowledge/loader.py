"""Load the Service Guide from its YAML files and validate every field, naming what is wrong."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar, cast

from knowledge.fields import Fields, GuideError, entries, read_yaml
from knowledge.garbage import GARBAGE_FILE, parse_garbage
from knowledge.models import (
    DETAIL_KINDS,
    DISPOSITIONS,
    Committee,
    Disposition,
    Family,
    GarbageRoom,
    Guide,
    Item,
    Line,
    Material,
    Office,
    Text,
)

__all__ = ["GuideError", "fingerprint", "load_guide"]

TEXT_FIELDS = ("summary", "eligibility", "where", "hours", "duration", "fees")
ITEM_KEYS = frozenset(
    {"code", "name", "name_en", "category", "disposition", "aliases", "examples", "materials",
     "visits", "office", "line", "needs", "time_limit_days", "english_first"}
    | set(TEXT_FIELDS) | {f"{name}_en" for name in TEXT_FIELDS}
)
# What every item must say, and what each disposition adds (the 一网通办 service-guide fields).
REQUIRED_TEXTS: dict[str, tuple[str, ...]] = {
    "answer": ("eligibility", "where", "hours", "duration", "fees"),
    "handoff": ("eligibility", "duration", "fees"),
    "refer": ("eligibility", "duration", "fees"),
}
COMMITTEE_KEYS = frozenset({"code", "name", "name_en", "address", "address_en", "hours",
                            "hours_en", "phone", "front_desk_line", "sample"})
ROOM_KEYS = frozenset({"name", "name_en", "where", "where_en", "hours", "hours_en", "sample"})
LINE_KEYS = frozenset({"code", "name", "name_en", "notify_openids", "sample"})
OFFICE_KEYS = frozenset({"code", "name", "name_en", "address", "address_en", "hours", "hours_en",
                         "phone", "sample"})
MATERIAL_KEYS = frozenset({"name", "name_en", "form", "count"})
FAMILY_KEYS = frozenset({"code", "name", "name_en", "triggers", "items", "unless"})
FAMILIES_FILE = "families.yaml"
MAX_FAMILY_ITEMS = 5
"""A vague message is answered with a numbered list; more than this is too long to read."""
MIN_FAMILY_ITEMS = 2
"""A family of one item is an alias, not a question."""
MIN_ALIASES = 3
MIN_EXAMPLES = 5
PLACEHOLDER = re.compile(r"\{([a-z_.]+)\}")

T = TypeVar("T")


def _parse_committee(path: Path, raw: object, rooms: list[object]) -> Committee:
    f = Fields(path, "committee", raw)
    f.reject_unknown(COMMITTEE_KEYS)
    garbage_rooms = []
    for index, room in enumerate(rooms):
        r = Fields(path, f"garbage_rooms[{index}]", room)
        r.reject_unknown(ROOM_KEYS)
        garbage_rooms.append(GarbageRoom(r.required_text("name"), r.required_text("where"),
                                         r.required_text("hours")))
    return Committee(
        code=f.code(), name=f.required_text("name"), address=f.required_text("address"),
        hours=f.required_text("hours"), phone=f.get("phone", str),
        front_desk_line=f.code("front_desk_line"), is_sample=f.get("sample", bool, False),
        garbage_rooms=tuple(garbage_rooms),
    )


def _parse_line(path: Path, index: int, raw: object) -> Line:
    f = Fields(path, f"lines[{index}]", raw)
    f.where = f"line '{f.data.get('code', index)}'"
    f.reject_unknown(LINE_KEYS)
    return Line(
        code=f.code(), name=f.required_text("name"),
        notify_openids=f.strings("notify_openids"), is_sample=f.get("sample", bool, False),
    )


def _parse_office(path: Path, index: int, raw: object) -> Office:
    f = Fields(path, f"offices[{index}]", raw)
    f.where = f"office '{f.data.get('code', index)}'"
    f.reject_unknown(OFFICE_KEYS)
    return Office(
        code=f.code(), name=f.required_text("name"), address=f.required_text("address"),
        hours=f.required_text("hours"), phone=f.get("phone", str),
        is_sample=f.get("sample", bool, False),
    )


def _parse_material(f: Fields, index: int, raw: object) -> Material:
    m = Fields(f.path, f"{f.where}, materials[{index}]", raw)
    m.reject_unknown(MATERIAL_KEYS)
    form = m.get("form", str, "original", required=False)
    if form not in ("original", "copy", "either"):
        raise m.fail("form", f"'{form}' is not one of original, copy, either")
    count = m.positive_int("count") or 1
    return Material(name=m.required_text("name"), form=form, count=count)  # type: ignore[arg-type]


def _check_item(f: Fields, item: Item) -> None:
    if not item.summary.en:
        raise f.fail("summary_en", "is required (residents who write English read it)")
    for key in REQUIRED_TEXTS[item.disposition]:
        if getattr(item, key) is None:
            raise f.fail(key, f"is required for an '{item.disposition}' item")
    if item.disposition == "refer" and not item.office:
        raise f.fail("office", "is required for a 'refer' item")
    if item.disposition == "handoff" and not item.line:
        raise f.fail("line", "is required for a 'handoff' item")
    if item.disposition == "handoff" and not item.time_limit_days:
        raise f.fail("time_limit_days", "is required for a 'handoff' item")


def _parse_item(path: Path, index: int, raw: object) -> Item:
    f = Fields(path, f"items[{index}]", raw)
    f.where = f"item '{f.data.get('code', index)}'"
    f.reject_unknown(ITEM_KEYS)
    disposition = f.get("disposition", str)
    if disposition not in DISPOSITIONS:
        raise f.fail("disposition", f"'{disposition}' is not one of {', '.join(DISPOSITIONS)}")
    needs = f.strings("needs")
    for need in needs:
        if need not in DETAIL_KINDS:
            raise f.fail("needs", f"'{need}' is not one of {', '.join(DETAIL_KINDS)}")
    name = Text(f.get("name", str).strip(), f.get("name_en", str).strip())
    materials = tuple(
        _parse_material(f, i, m) for i, m in enumerate(f.get("materials", list, [], False))
    )
    item = Item(
        code=f.code(), name=name, category=f.code("category"),
        disposition=cast(Disposition, disposition), summary=f.required_text("summary"),
        aliases=f.strings("aliases", MIN_ALIASES), examples=f.strings("examples", MIN_EXAMPLES),
        eligibility=f.text("eligibility", False), materials=materials,
        where=f.text("where", False), hours=f.text("hours", False),
        duration=f.text("duration", False), fees=f.text("fees", False),
        visits=f.count("visits"), office=f.get("office", str, required=False),
        line=f.get("line", str, required=False), needs=needs,
        time_limit_days=f.positive_int("time_limit_days"),
        english_first=f.get("english_first", bool, False, required=False),
    )
    _check_item(f, item)
    return item


def _parse_family(path: Path, index: int, raw: object, item_codes: set[str]) -> Family:
    f = Fields(path, f"families[{index}]", raw)
    f.where = f"family '{f.data.get('code', index)}'"
    f.reject_unknown(FAMILY_KEYS)
    code, name = f.code(), f.required_text("name")
    if not name.en:
        raise f.fail("name_en", "is required (residents who write English read the list)")
    triggers = f.strings("triggers", 1)
    if any(not trigger.strip("*") for trigger in triggers):
        raise f.fail("triggers", "a trigger must have words besides '*'")
    items = f.strings("items", MIN_FAMILY_ITEMS)
    if len(items) > MAX_FAMILY_ITEMS:
        raise f.fail("items", f"has {len(items)} items; a list offers at most {MAX_FAMILY_ITEMS}")
    for item in items:
        if item not in item_codes:
            raise f.fail("items", f"no item '{item}' in items/")
    if len(set(items)) < len(items):
        raise f.fail("items", "names an item twice")
    return Family(code=code, name=name, triggers=triggers, items=items,
                  unless=f.strings("unless"))


def _load_families(path: Path, item_codes: set[str]) -> tuple[Family, ...]:
    """Read families.yaml (optional): groups of items a vague message is offered as a list."""
    if not path.exists():
        return ()
    families = [_parse_family(path, i, raw, item_codes)
                for i, raw in enumerate(entries(path, "families"))]
    _unique(path, "family", [family.code for family in families])
    return tuple(families)


def _placeholders(committee: Committee) -> dict[str, Text]:
    """Return what `{committee.phone}` and friends in an item's text stand for."""
    rooms = committee.garbage_rooms
    return {
        "committee.name": committee.name, "committee.address": committee.address,
        "committee.hours": committee.hours, "committee.phone": Text(committee.phone),
        "garbage_rooms": Text(
            "；".join(f"{r.name.zh}·{r.where.zh}：{r.hours.zh}" for r in rooms),
            "; ".join(f"{r.name.pick('en')} - {r.where.pick('en')}: {r.hours.pick('en')}"
                      for r in rooms)),
    }


def _fill(path: Path, item: Item, values: Mapping[str, Text]) -> Item:
    """Put the committee's own details into an item's texts, refusing unknown placeholders."""
    changes: dict[str, Any] = {}
    for key in TEXT_FIELDS:
        text: Text | None = getattr(item, key)
        if text is None or "{" not in text.zh + text.en:
            continue
        for name in PLACEHOLDER.findall(text.zh + text.en):
            if name not in values:
                raise GuideError(path, f"item '{item.code}'", f"field '{key}': unknown "
                                 f"placeholder '{{{name}}}' (known: {', '.join(values)})")

        def sub(source: str, lang: str) -> str:
            return PLACEHOLDER.sub(lambda m: values[m.group(1)].pick(lang), source)

        changes[key] = Text(sub(text.zh, "zh"), sub(text.en, "en"))
    return replace(item, **changes) if changes else item


def _unique(path: Path, kind: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise GuideError(path, f"{kind} '{code}'", "field 'code': used twice")
        seen.add(code)


def _parse_all(path: Path, key: str, parse: Callable[[Path, int, object], T]) -> list[T]:
    return [parse(path, i, raw) for i, raw in enumerate(entries(path, key))]


def _load_items(root: Path, office_codes: set[str], line_codes: set[str],
                values: Mapping[str, Text]) -> list[Item]:
    item_files = sorted((root / "items").glob("*.yaml"))
    if not item_files:
        raise GuideError(root / "items", "folder", "holds no *.yaml item files")
    items: list[Item] = []
    owner: dict[str, Path] = {}
    for item_file in item_files:
        for item in _parse_all(item_file, "items", _parse_item):
            where = f"item '{item.code}'"
            if item.code in owner:
                raise GuideError(item_file, where,
                                 f"field 'code': already used in {owner[item.code].name}")
            if item.office and item.office not in office_codes:
                raise GuideError(item_file, where,
                                 f"field 'office': no office '{item.office}' in offices.yaml")
            if item.line and item.line not in line_codes:
                raise GuideError(item_file, where,
                                 f"field 'line': no line '{item.line}' in committee.yaml")
            owner[item.code] = item_file
            items.append(_fill(item_file, item, values))
    return items


def load_guide(directory: Path | str) -> Guide:
    """Load and validate the guide in DIRECTORY (committee, offices, items/*, garbage, families)."""
    root = Path(directory)
    committee_file, offices_file = root / "committee.yaml", root / "offices.yaml"
    committee_data = read_yaml(committee_file)
    if not isinstance(committee_data, Mapping):
        raise GuideError(committee_file, "file", "expected 'committee:' and 'lines:'")
    rooms = committee_data.get("garbage_rooms") or []
    if not isinstance(rooms, list):
        raise GuideError(committee_file, "garbage_rooms", "expected a list of garbage rooms")
    committee = _parse_committee(committee_file, committee_data.get("committee"), rooms)
    lines = _parse_all(committee_file, "lines", _parse_line)
    _unique(committee_file, "line", [line.code for line in lines])
    offices = _parse_all(offices_file, "offices", _parse_office)
    _unique(offices_file, "office", [o.code for o in offices])
    line_codes, office_codes = {line.code for line in lines}, {o.code for o in offices}
    if committee.front_desk_line not in line_codes:
        raise GuideError(committee_file, "committee", "field 'front_desk_line': no such line")
    items = _load_items(root, office_codes, line_codes, _placeholders(committee))
    garbage_file = root / GARBAGE_FILE
    garbage = (parse_garbage(garbage_file, {item.code for item in items})
               if garbage_file.exists() else None)
    families = _load_families(root / FAMILIES_FILE, {item.code for item in items})
    return Guide(committee=committee, items=tuple(items),
                 offices={o.code: o for o in offices}, lines={line.code: line for line in lines},
                 garbage=garbage, families=families)


def fingerprint(directory: Path | str) -> str:
    """Return a digest of the guide files' names, sizes and change times (cheap: stats only)."""
    root = Path(directory)
    digest = hashlib.blake2b(digest_size=12)
    for path in sorted([*root.glob("*.yaml"), *(root / "items").glob("*.yaml")]):
        try:
            stat = path.stat()
        except OSError:  # removed between listing and stat: the next check sees it settle
            continue
        digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


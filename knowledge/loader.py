"""Load the Service Guide from its YAML files and validate every field, naming what is wrong."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from knowledge.models import (
    DETAIL_KINDS,
    DISPOSITIONS,
    Committee,
    Disposition,
    Guide,
    Item,
    Line,
    Material,
    Office,
    Text,
)

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
TEXT_FIELDS = ("summary", "eligibility", "where", "hours", "duration", "fees")
ITEM_KEYS = frozenset(
    {"code", "name", "name_en", "category", "disposition", "aliases", "examples", "materials",
     "visits", "office", "line", "needs", "time_limit_days"}
    | set(TEXT_FIELDS) | {f"{name}_en" for name in TEXT_FIELDS}
)
COMMITTEE_KEYS = frozenset({"code", "name", "name_en", "address", "address_en", "hours",
                            "hours_en", "phone", "front_desk_line", "sample"})
LINE_KEYS = frozenset({"code", "name", "name_en", "notify_openids", "sample"})
OFFICE_KEYS = frozenset({"code", "name", "name_en", "address", "address_en", "hours", "hours_en",
                         "phone", "sample"})
MATERIAL_KEYS = frozenset({"name", "name_en", "form", "count"})
MIN_ALIASES = 3
MIN_EXAMPLES = 5

T = TypeVar("T")


class GuideError(ValueError):
    """The guide's files are invalid; the message names the file, the entry and the field."""

    def __init__(self, path: Path | str, where: str, problem: str) -> None:
        super().__init__(f"{path}: {where}: {problem}")
        self.path = str(path)
        self.where = where
        self.problem = problem


class _Fields:
    """Reads one mapping of a guide file, raising GuideError with the file and entry named."""

    def __init__(self, path: Path, where: str, data: object) -> None:
        if not isinstance(data, Mapping):
            raise GuideError(path, where, "expected a mapping of fields")
        self.path, self.where, self.data = path, where, data

    def fail(self, key: str, problem: str) -> GuideError:
        """Build an error about one field."""
        return GuideError(self.path, self.where, f"field '{key}': {problem}")

    def reject_unknown(self, allowed: frozenset[str]) -> None:
        """Refuse keys the schema does not know (usually a typo a clerk made)."""
        for key in self.data:
            if key not in allowed:
                raise self.fail(str(key), "unknown field")

    def get(self, key: str, kind: type[T], default: T | None = None, required: bool = True) -> T:
        """Return a field of the given type."""
        value = self.data.get(key)
        if value is None or value == "":
            if required and default is None:
                raise self.fail(key, "is required")
            return cast(T, default)
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise self.fail(key, f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    def code(self, key: str = "code") -> str:
        """Return a slug such as 'senior-card'."""
        value = self.get(key, str)
        if not CODE_PATTERN.match(value):
            raise self.fail(key, f"'{value}' is not a code of lowercase letters, digits and '-'")
        return value

    def text(self, key: str, required: bool = True) -> Text | None:
        """Return a Chinese text with its optional English twin KEY_en."""
        zh = self.get(key, str, required=required)
        if zh is None:
            return None
        return Text(zh.strip(), (self.get(f"{key}_en", str, "", required=False) or "").strip())

    def strings(self, key: str, minimum: int = 0) -> tuple[str, ...]:
        """Return a list of non-empty strings."""
        values = self.get(key, list, [], required=minimum > 0)
        if any(not isinstance(v, (str, int)) or not str(v).strip() for v in values):
            raise self.fail(key, "every entry must be non-empty text")
        if len(values) < minimum:
            raise self.fail(key, f"needs at least {minimum} entries, has {len(values)}")
        return tuple(str(v).strip() for v in values)

    def positive_int(self, key: str) -> int | None:
        """Return an optional whole number above zero."""
        value = self.get(key, int, required=False)
        if value is not None and value <= 0:
            raise self.fail(key, "must be above zero")
        return value


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GuideError(path, "file", f"cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}" if mark is not None else "file"
        raise GuideError(path, at, f"is not valid YAML ({getattr(exc, 'problem', exc)})") from exc


def _entries(path: Path, key: str) -> list[Any]:
    data = _read_yaml(path)
    if not isinstance(data, Mapping) or not isinstance(data.get(key), list):
        raise GuideError(path, "file", f"expected a top-level '{key}:' list")
    return list(data[key])


def _parse_committee(path: Path, raw: object) -> Committee:
    f = _Fields(path, "committee", raw)
    f.reject_unknown(COMMITTEE_KEYS)
    return Committee(
        code=f.code(), name=_required_text(f, "name"), address=_required_text(f, "address"),
        hours=_required_text(f, "hours"), phone=f.get("phone", str),
        front_desk_line=f.code("front_desk_line"), is_sample=f.get("sample", bool, False),
    )


def _required_text(f: _Fields, key: str) -> Text:
    text = f.text(key)
    assert text is not None  # required=True never returns None
    return text


def _parse_line(path: Path, index: int, raw: object) -> Line:
    f = _Fields(path, f"lines[{index}]", raw)
    f.where = f"line '{f.data.get('code', index)}'"
    f.reject_unknown(LINE_KEYS)
    return Line(
        code=f.code(), name=_required_text(f, "name"),
        notify_openids=f.strings("notify_openids"), is_sample=f.get("sample", bool, False),
    )


def _parse_office(path: Path, index: int, raw: object) -> Office:
    f = _Fields(path, f"offices[{index}]", raw)
    f.where = f"office '{f.data.get('code', index)}'"
    f.reject_unknown(OFFICE_KEYS)
    return Office(
        code=f.code(), name=_required_text(f, "name"), address=_required_text(f, "address"),
        hours=_required_text(f, "hours"), phone=f.get("phone", str),
        is_sample=f.get("sample", bool, False),
    )


def _parse_material(f: _Fields, index: int, raw: object) -> Material:
    m = _Fields(f.path, f"{f.where}, materials[{index}]", raw)
    m.reject_unknown(MATERIAL_KEYS)
    form = m.get("form", str, "original", required=False)
    if form not in ("original", "copy", "either"):
        raise m.fail("form", f"'{form}' is not one of original, copy, either")
    count = m.positive_int("count") or 1
    return Material(name=_required_text(m, "name"), form=form, count=count)  # type: ignore[arg-type]


def _parse_item(path: Path, index: int, raw: object) -> Item:
    f = _Fields(path, f"items[{index}]", raw)
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
        disposition=cast(Disposition, disposition), summary=_required_text(f, "summary"),
        aliases=f.strings("aliases", MIN_ALIASES), examples=f.strings("examples", MIN_EXAMPLES),
        eligibility=f.text("eligibility", False), materials=materials,
        where=f.text("where", False), hours=f.text("hours", False),
        duration=f.text("duration", False), fees=f.text("fees", False),
        visits=f.positive_int("visits"), office=f.get("office", str, required=False),
        line=f.get("line", str, required=False), needs=needs,
        time_limit_days=f.positive_int("time_limit_days"),
    )
    if not item.summary.en:
        raise f.fail("summary_en", "is required (residents who write English read it)")
    if disposition == "refer" and not item.office:
        raise f.fail("office", "is required for a 'refer' item")
    if disposition == "handoff" and not item.line:
        raise f.fail("line", "is required for a 'handoff' item")
    return item


def _unique(path: Path, kind: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise GuideError(path, f"{kind} '{code}'", "field 'code': used twice")
        seen.add(code)


def _parse_all(path: Path, key: str, parse: Callable[[Path, int, object], T]) -> list[T]:
    return [parse(path, i, raw) for i, raw in enumerate(_entries(path, key))]


def load_guide(directory: Path | str) -> Guide:
    """Load and validate the guide in DIRECTORY (committee.yaml, offices.yaml, items/*.yaml)."""
    root = Path(directory)
    committee_file, offices_file = root / "committee.yaml", root / "offices.yaml"
    committee_data = _read_yaml(committee_file)
    if not isinstance(committee_data, Mapping):
        raise GuideError(committee_file, "file", "expected 'committee:' and 'lines:'")
    committee = _parse_committee(committee_file, committee_data.get("committee"))
    lines = [_parse_line(committee_file, i, r) for i, r in enumerate(
        _entries(committee_file, "lines"))]
    _unique(committee_file, "line", [line.code for line in lines])
    offices = _parse_all(offices_file, "offices", _parse_office)
    _unique(offices_file, "office", [o.code for o in offices])
    line_codes, office_codes = {line.code for line in lines}, {o.code for o in offices}
    if committee.front_desk_line not in line_codes:
        raise GuideError(committee_file, "committee", "field 'front_desk_line': no such line")

    item_files = sorted((root / "items").glob("*.yaml"))
    if not item_files:
        raise GuideError(root / "items", "folder", "holds no *.yaml item files")
    items: list[Item] = []
    owner: dict[str, Path] = {}
    for item_file in item_files:
        for item in _parse_all(item_file, "items", _parse_item):
            if item.code in owner:
                raise GuideError(item_file, f"item '{item.code}'",
                                 f"field 'code': already used in {owner[item.code].name}")
            if item.office and item.office not in office_codes:
                raise GuideError(item_file, f"item '{item.code}'",
                                 f"field 'office': no office '{item.office}' in offices.yaml")
            if item.line and item.line not in line_codes:
                raise GuideError(item_file, f"item '{item.code}'",
                                 f"field 'line': no line '{item.line}' in committee.yaml")
            owner[item.code] = item_file
            items.append(item)
    return Guide(committee=committee, items=tuple(items),
                 offices={o.code: o for o in offices}, lines={line.code: line for line in lines})

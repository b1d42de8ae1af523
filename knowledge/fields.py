"""Reading the guide's YAML: every mistake is a GuideError naming the file, the entry, the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from knowledge.models import Text

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")

T = TypeVar("T")


class GuideError(ValueError):
    """The guide's files are invalid; the message names the file, the entry and the field."""

    def __init__(self, path: Path | str, where: str, problem: str) -> None:
        super().__init__(f"{path}: {where}: {problem}")
        self.path = str(path)
        self.where = where
        self.problem = problem


class Fields:
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

    def required_text(self, key: str) -> Text:
        """Return a Chinese text that must be there, with its optional English twin."""
        text = self.text(key)
        assert text is not None  # required=True never returns None
        return text

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

    def count(self, key: str) -> int:
        """Return a required whole number of zero or more (0 visits: nothing to travel for)."""
        value = self.data.get(key)
        if value is None:
            raise self.fail(key, "is required")
        value = self.get(key, int)
        if value < 0:
            raise self.fail(key, "must not be negative")
        return value


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it: the guide loads in a fifth of the time."""


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, naming the line of a syntax error."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except OSError as exc:
        raise GuideError(path, "file", f"cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}" if mark is not None else "file"
        raise GuideError(path, at, f"is not valid YAML ({getattr(exc, 'problem', exc)})") from exc


def entries(path: Path, key: str) -> list[Any]:
    """Return the top-level list KEY of a guide file."""
    data = read_yaml(path)
    if not isinstance(data, Mapping) or not isinstance(data.get(key), list):
        raise GuideError(path, "file", f"expected a top-level '{key}:' list")
    return list(data[key])

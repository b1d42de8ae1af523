"""Add an alias or an example to one item of the guide, editing its YAML file in place.

The edit is surgical (the clerk's comments and layout stay), checked by re-reading the file,
validated by loading the whole edited guide from a temporary copy, and only then swapped in
atomically: a refused edit leaves the file untouched and says why, as the loader does.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from knowledge.fields import GuideError
from knowledge.loader import load_guide
from knowledge.text import normalise

Field = Literal["aliases", "examples"]
MAX_ALIAS_CHARS = 24
"""Longest alias taken: an alias is a name for the matter, not a sentence."""
MAX_EXAMPLE_CHARS = 80
"""Longest example taken: as long as a kept unanswered message."""
_PLACEHOLDERS = re.compile(r"#|<\w*>|[<>]")


class EditError(GuideError):
    """The edit was not made; the message names the file, the item and the field."""


@dataclass(frozen=True)
class Edit:
    """What was written where."""

    path: Path
    code: str
    field: Field
    text: str


def _scalar(text: str, flow: bool) -> str:
    """Return TEXT as YAML: plain when it reads back unchanged, else double-quoted."""
    probe = f"[{text}]" if flow else f"- {text}"
    try:
        plain_ok = yaml.safe_load(probe) == [text]
    except yaml.YAMLError:
        plain_ok = False
    if plain_ok:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _item_span(lines: list[str], code: str) -> tuple[int, int, int]:
    """Return the item's first line, the line after it, and the indent of its fields."""
    head = re.compile(rf"^(\s*)-\s+code:\s*['\"]?{re.escape(code)}['\"]?\s*(#.*)?$")
    for start, line in enumerate(lines):
        found = head.match(line.rstrip("\r\n"))
        if not found:
            continue
        dash = len(found.group(1))
        end = start + 1
        while end < len(lines):
            body = lines[end].rstrip("\r\n")
            indent = len(body) - len(body.lstrip())
            if body.strip() and not body.lstrip().startswith("#") and indent <= dash:
                break
            end += 1
        return start, end, dash + 2
    raise KeyError(code)


def add_phrase(source: str, code: str, field: Field, text: str) -> str:
    """Return SOURCE (an items file) with TEXT added to item CODE's FIELD, layout kept."""
    lines = source.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in source else "\n"
    start, end, indent = _item_span(lines, code)
    key = re.compile(rf"^ {{{indent}}}{field}:\s*(.*)$")
    for at in range(start, end):
        body = lines[at].rstrip("\r\n")
        found = key.match(body) if at > start else None
        if found is None:
            continue
        rest = found.group(1)
        if rest.startswith("["):  # flow style: aliases: [a, b, c]
            close = body.rindex("]")
            inside = body[body.index("[") + 1: close].strip()
            joined = f", {_scalar(text, True)}" if inside else _scalar(text, True)
            lines[at] = body[:close].rstrip() + joined + body[close:] + newline
            return "".join(lines)
        last = at  # block style: the entries below the key
        for below in range(at + 1, end):
            line = lines[below].rstrip("\r\n")
            stripped = line.lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            depth = len(line) - len(stripped)
            if depth > indent or (depth == indent and stripped.startswith("- ")):
                last = below
                continue
            break
        entry = lines[last].rstrip("\r\n") if last > at else ""
        dash = (len(entry) - len(entry.lstrip())) if entry.lstrip().startswith("- ") \
            else indent + 2
        lines.insert(last + 1, " " * dash + "- " + _scalar(text, False) + newline)
        return "".join(lines)
    last = end - 1
    while last > start and not lines[last].strip():
        last -= 1
    if not lines[last].endswith("\n"):
        lines[last] += newline
    new = (f"{' ' * indent}{field}: [{_scalar(text, True)}]" if field == "aliases"
           else f"{' ' * indent}{field}:{newline}{' ' * (indent + 2)}- {_scalar(text, False)}")
    lines.insert(last + 1, new + newline)
    return "".join(lines)


def _entry(data: object, code: str) -> dict[str, object]:
    items = data.get("items") if isinstance(data, dict) else None
    for raw in items if isinstance(items, list) else []:
        if isinstance(raw, dict) and raw.get("code") == code:
            return raw
    raise KeyError(code)


def _check_text(path: Path, code: str, field: Field, text: str) -> None:
    """Refuse text that is empty, too long, one line too many or still redacted."""
    where, name = f"item '{code}'", f"field '{field}'"
    limit = MAX_ALIAS_CHARS if field == "aliases" else MAX_EXAMPLE_CHARS
    if not text:
        raise EditError(path, where, f"{name}: the text is empty")
    if len(text) > limit:
        raise EditError(path, where, f"{name}: {len(text)} characters, at most {limit}")
    if "\n" in text or "\r" in text:
        raise EditError(path, where, f"{name}: the text must be one line")
    placeholder = _PLACEHOLDERS.search(text)
    if placeholder:
        raise EditError(path, where, f"{name}: '{placeholder.group(0)}' is a redaction "
                          "placeholder; write the words a resident would use instead")


def learn(directory: Path | str, code: str, field: Field, text: str) -> Edit:
    """Add TEXT as an alias or example of item CODE in the guide in DIRECTORY, or refuse."""
    root = Path(directory)
    text = " ".join(text.split())
    guide = load_guide(root)
    try:
        guide.item(code)
    except KeyError:
        raise EditError(root / "items", f"item '{code}'", "no such item in the guide") from None
    paths = [p for p in sorted((root / "items").glob("*.yaml"))
             if re.search(rf"^\s*-\s+code:\s*['\"]?{re.escape(code)}['\"]?\s*$",
                          p.read_text(encoding="utf-8"), re.MULTILINE)]
    if len(paths) != 1:
        raise EditError(root / "items", f"item '{code}'", "cannot find the one file holding it")
    path = paths[0]
    _check_text(path, code, field, text)
    where, name, folded = f"item '{code}'", f"field '{field}'", normalise(text)
    for other in guide.items:
        phrases = other.aliases if field == "aliases" else other.examples
        if any(normalise(p) == folded for p in phrases):
            owner = "this item" if other.code == code else f"item '{other.code}'"
            raise EditError(path, where, f"{name}: '{text}' is already in {owner}'s {field}")
    lock = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two clerks at once must not lose an edit
        with path.open(encoding="utf-8", newline="") as handle:
            source = handle.read()
        edited = add_phrase(source, code, field, text)
        before, after = yaml.safe_load(source), yaml.safe_load(edited)
        wanted = _entry(before, code)
        wanted[field] = [*(wanted.get(field) or []), text]  # type: ignore[misc]
        if before != after:
            raise EditError(path, where, f"{name}: the file's layout is unusual and the edit "
                              "would change more than this field; add it by hand")
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "guide"
            shutil.copytree(root, copy)
            (copy / "items" / path.name).write_text(edited, encoding="utf-8", newline="")
            try:
                load_guide(copy)
            except GuideError as error:
                raise EditError(path, error.where, error.problem) from None
        handle_fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                                suffix=".tmp")
        with os.fdopen(handle_fd, "w", encoding="utf-8", newline="") as out:
            out.write(edited)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    finally:
        os.close(lock)  # closing releases the lock
    return Edit(path, code, field, text)

"""Does a raw message match a catalog entry? Used to keep fixtures and entries in step."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schemac.catalog.model import ELEMENT, ROOT, Entry, child_path, last_segment
from schemac.catalog.wiretypes import conforms, value_kind


@dataclass(slots=True)
class Coverage:
    """What a set of messages showed of an entry: every problem, and for each catalog path how
    often it was present and how often it was absent while its parent was there."""

    problems: list[str] = field(default_factory=list)
    present: dict[str, int] = field(default_factory=dict)
    absent: dict[str, int] = field(default_factory=dict)


def check_messages(entry: Entry, messages: list[Any], label: str = "message") -> Coverage:
    coverage = Coverage()
    for number, message in enumerate(messages, 1):
        _visit(entry, ROOT, message, f"{label} {number}", coverage)
    return coverage


def _visit(entry: Entry, path: str, value: Any, where: str, coverage: Coverage) -> None:
    info = entry.paths[path]
    coverage.present[path] = coverage.present.get(path, 0) + 1
    shown = path or "(root)"
    kind = value_kind(value)
    if not conforms(kind, info.types):
        coverage.problems.append(
            f"{where}: {shown} is {kind} ({value!r:.40}), the entry says {'|'.join(info.types)}"
        )
        return
    if info.enum is not None and isinstance(value, (str, bool)):
        text = value if isinstance(value, str) else str(value).lower()
        if text not in info.enum:
            coverage.problems.append(
                f"{where}: {shown} is {text!r}, outside the entry's enum {list(info.enum)}"
            )
    children = entry.children(path)
    if isinstance(value, dict):
        for key, item in value.items():
            child = child_path(path, key)
            if child not in entry.paths or child.endswith(ELEMENT) or key.isdigit():
                coverage.problems.append(f"{where}: {child} is not in the entry")
                continue
            _visit(entry, child, item, where, coverage)
        for child in children:
            name = last_segment(child)
            if name not in value and not child.endswith(ELEMENT):
                _note_absent(entry, child, where, coverage)
    elif isinstance(value, list):
        if info.rows:
            for item in value:
                _visit(entry, path + ELEMENT, item, where, coverage)
        elif info.positional:
            for position, item in enumerate(value):
                child = child_path(path, str(position))
                if child not in entry.paths:
                    coverage.problems.append(f"{where}: {child} is not in the entry")
                    continue
                _visit(entry, child, item, where, coverage)
            for child in children:
                if int(last_segment(child)) >= len(value):
                    _note_absent(entry, child, where, coverage)


def _note_absent(entry: Entry, path: str, where: str, coverage: Coverage) -> None:
    coverage.absent[path] = coverage.absent.get(path, 0) + 1
    if not entry.paths[path].optional:
        coverage.problems.append(f"{where}: {path} is missing, and the entry does not mark it ?")

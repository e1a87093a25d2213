"""Infer a catalog entry from sample raw messages (`schemac catalog learn`).

What is inferred, per path:
- wire types, widened where samples disagree ("3" and "3.5" give sdec; 3 and 3.5 give num);
- optional: absent from some messages (or elements) whose parent is present;
- enum: a plain string field with at most ``enum_max`` distinct values, some seen twice or more;
- arrays: an array whose elements are all objects or arrays holds rows (``P[]``); any other array
  is positional (``P.0``, ``P.1``).

The result is a starting point marked `inferred`: read it, name the source, fix what the samples
could not show.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from schemac.catalog.fileformat import build_paths
from schemac.catalog.model import (
    ELEMENT,
    ROOT,
    CatalogError,
    Entry,
    PathInfo,
    child_path,
    index_children,
    last_segment,
)
from schemac.catalog.wiretypes import value_kind, widen
from schemac.core.yamltext import scalar

DEFAULT_ENUM_MAX = 8
MAX_TRACKED_VALUES = 64


class SampleError(ValueError):
    """Samples that cannot be learned from (not JSON lines, no messages, scalars)."""


@dataclass(slots=True)
class _PathStats:
    kinds: set[str] = field(default_factory=set)
    present: int = 0
    as_object: int = 0  # instances that were objects (their fields may be absent)
    as_array: int = 0  # instances that were positional arrays
    values: Counter[str] = field(default_factory=Counter)
    too_many_values: bool = False


def read_samples(text: str, origin: str) -> list[Any]:
    """JSON values, one per non-empty line."""
    messages = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            message = json.loads(line)
        except json.JSONDecodeError as error:
            raise SampleError(f"{origin}:{number}: not a JSON value: {error.msg}") from None
        if not isinstance(message, (dict, list)):
            raise SampleError(f"{origin}:{number}: a raw message is a JSON object or array")
        messages.append(message)
    if not messages:
        raise SampleError(f"{origin}: no messages (one JSON message per line)")
    return messages


def learn_entry(
    exchange: str,
    category: str,
    messages: list[Any],
    source: str,
    enum_max: int = DEFAULT_ENUM_MAX,
) -> Entry:
    stats: dict[str, _PathStats] = {}
    for message in messages:
        _observe(ROOT, message, stats)
    raw_paths: dict[str, Any] = {}
    for path, stat in stats.items():
        if path == ROOT:
            continue
        spec: dict[str, Any] = {"type": list(widen(stat.kinds))}
        parent = stats[_parent(path)]
        parent_instances = parent.as_array if last_segment(path).isdigit() else parent.as_object
        if not path.endswith(ELEMENT) and stat.present < parent_instances:
            spec["optional"] = True
        if (
            spec["type"] == ["str"]
            and not stat.too_many_values
            and 0 < len(stat.values) <= enum_max
            and stat.values.most_common(1)[0][1] > 1
        ):
            spec["enum"] = sorted(stat.values)
        raw_paths[path] = spec
    if not raw_paths:
        raise SampleError("the samples hold no fields to learn from")
    try:
        paths = build_paths(raw_paths, f"learned {exchange} {category}")
    except CatalogError as error:
        raise SampleError(f"the samples disagree on the shape of a path: {error}") from None
    return Entry(
        exchange=exchange,
        category=category,
        status="inferred",
        source=source,
        paths=paths,
        child_index=index_children(paths),
    )


def _parent(path: str) -> str:
    from schemac.catalog.model import parent_path

    return parent_path(path)


def _observe(path: str, value: Any, stats: dict[str, _PathStats]) -> None:
    stat = stats.setdefault(path, _PathStats())
    stat.present += 1
    kind = value_kind(value)
    stat.kinds.add(kind)
    if kind in ("str", "empty") and not stat.too_many_values:
        stat.values[value] += 1
        stat.too_many_values = len(stat.values) > MAX_TRACKED_VALUES
    if isinstance(value, dict):
        stat.as_object += 1
        for key, item in value.items():
            _observe(child_path(path, str(key)), item, stats)
    elif isinstance(value, list) and value:
        if all(isinstance(item, (dict, list)) for item in value):
            for item in value:
                _observe(path + ELEMENT, item, stats)
        else:
            stat.as_array += 1
            for position, item in enumerate(value):
                _observe(child_path(path, str(position)), item, stats)


def entry_yaml(entry: Entry, exchange_name: str | None = None) -> str:
    """A catalog file holding one entry, in the shipped files' layout."""
    lines = [
        f"# Learned by `schemac catalog learn` from {entry.source}.",
        "# Review it: name the real source, mark fields optional that the samples always had,",
        "# add enum values the samples did not show. Format: docs/catalog.md in schemac.",
        f"exchange: {entry.exchange}",
        f"name: {scalar(exchange_name or entry.exchange)}",
        "code: guessed",
        "categories:",
        f"  {entry.category}:",
        f"    status: {entry.status}",
        f"    source: {scalar(entry.source)}",
        "    paths:",
    ]
    for path, info in entry.paths.items():
        if path == ROOT or _implied(entry, info):
            continue
        lines.append(f"      {_key(path)}: {_spec(info)}")
    return "\n".join(lines) + "\n"


def _implied(entry: Entry, info: PathInfo) -> bool:
    """True when the loader would recreate ``info`` from its children alone."""
    children = entry.children(info.path)
    if not children or info.optional or info.enum or info.note:
        return False
    needs_array = any(c.endswith(ELEMENT) or last_segment(c).isdigit() for c in children)
    return info.types == (("arr",) if needs_array else ("obj",))


def _spec(info: PathInfo) -> str:
    type_text = "|".join(info.types)
    if info.enum is None and info.note is None:
        return type_text + ("?" if info.optional else "")
    parts = [f"type: {type_text}"]
    if info.enum is not None:
        parts.append("enum: [" + ", ".join(scalar(v) for v in info.enum) + "]")
    if info.optional:
        parts.append("optional: true")
    if info.note:
        parts.append(f"note: {scalar(info.note)}")
    return "{" + ", ".join(parts) + "}"


def _key(path: str) -> str:
    """A catalog path as a mapping key: plain when its names are (`data[].p`), else quoted."""
    names = path.replace(ELEMENT, "")
    return path if scalar(names) == names else scalar(path)

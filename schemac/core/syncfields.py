"""Reading one sync spec's keys from the located tree, each finding at its value's place.

:class:`SpecReader` is the parse stage of schemac.core.syncspec: it returns the checked values
(or None when the document is not a mapping) and collects the findings of SC421-SC432 and
SC436; defaults are filled in here.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from schemac.core.syncrefs import (
    FILTER_KEYS,
    DatastreamFilter,
    DatastreamRef,
    field_problem,
    parse_datastream_ref,
)
from schemac.core.times import TimeFormatError, parse_duration, parse_instant
from schemac.core.tree import Mapping, Node, Scalar, Sequence
from schemac.diagnostics import Diagnostic, Span, suggestion_hint
from schemac.rules import sync as rules
from schemac.vocabulary import CATEGORIES, EXPORT_FORMAT_OPTIONS, EXPORT_FORMATS

KEYS = (
    "schema",
    "datastreams",
    "match",
    "start",
    "lag",
    "window",
    "format",
    "format_options",
    "destination",
    "parallel",
)
REQUIRED = ("schema", "start", "destination")
DEFAULT_LAG, DEFAULT_WINDOW, DEFAULT_FORMAT, DEFAULT_PARALLEL = "0s", "1h", "csv", 4
MAX_PARALLEL = 64
_MINUTE, _HOUR, _DAY = (n * 1_000_000_000 for n in (60, 3600, 86400))
_WHAT = {
    "schema": "the schema to export with, by name",
    "start": "when the sync begins, e.g. 3d-ago or 2026-01-02",
    "destination": "the folder to write to, relative to the project root",
}


class SpecReader:
    def __init__(self, file: str, project_root: Path) -> None:
        self.file = file
        self.project_root = Path(os.path.abspath(project_root))
        self.found: list[Diagnostic] = []
        self.key_spans: dict[str, Span] = {}
        self.datastream_spans: tuple[Span, ...] = ()
        self.filter_spans: tuple[dict[str, Span], ...] = ()
        self.given: dict[str, Node] = {}
        self.key_nodes: dict[str, Node] = {}

    def read(self, root: Node) -> dict[str, Any] | None:
        if not isinstance(root, Mapping):
            message = f"a sync spec is a mapping of keys, not a {root.kind}"
            self.found.append(rules.SYNC_INVALID_VALUE.at(root.span, message))
            return None
        self._keys(root)
        self._required(root)
        fmt = self._format()
        return {
            "schema": self._text("schema"),
            "datastreams": self._datastreams(),
            "filters": self._filters(),
            "start": self._start(),
            "lag_ns": self._lag(),
            "window_ns": self._window(),
            "format": fmt,
            "format_options": self._format_options(fmt),
            "destination": self._destination(),
            "parallel": self._parallel(),
        }

    def _report(self, diagnostic: Diagnostic) -> None:
        self.found.append(diagnostic)

    def _keys(self, root: Mapping) -> None:
        for key_node, value in root.items:
            key = key_node.value if isinstance(key_node, Scalar) else None
            if isinstance(key, str) and key in KEYS:
                self.given[key] = value
                self.key_spans[key] = value.span
                self.key_nodes[key] = key_node
                continue
            shown = key if isinstance(key, str) else f"a {key_node.kind} key"
            hint = suggestion_hint(str(shown), KEYS, f"the keys are {', '.join(KEYS)}")
            message = f"unknown key `{shown}` in a sync spec"
            self._report(rules.SYNC_UNKNOWN_KEY.at(key_node.span, message, hint))

    def _required(self, root: Mapping) -> None:
        start = Span.point(self.file, root.span.line, root.span.column)
        for key in REQUIRED:
            if key not in self.given:
                message = f"missing `{key}`: {_WHAT[key]}"
                self._report(rules.SYNC_MISSING_KEY.at(start, message))
        both = "datastreams" in self.given and "match" in self.given
        if both:
            second = max(("datastreams", "match"), key=lambda k: self.key_spans[k].sort_key())
            where = self.key_nodes[second].span
            message = "a sync spec has `datastreams` or `match`, not both"
            hint = "keep the explicit list, or the filters that are resolved on every run"
            self._report(rules.SYNC_DATASTREAMS_OR_MATCH.at(where, message, hint))
        elif "datastreams" not in self.given and "match" not in self.given:
            message = "a sync spec needs `datastreams` (a list of refs) or `match` (filters)"
            self._report(rules.SYNC_DATASTREAMS_OR_MATCH.at(start, message))

    def _invalid(self, node: Node, message: str) -> None:
        self._report(rules.SYNC_INVALID_VALUE.at(node.span, message))

    def _text(self, key: str) -> str:
        node = self.given.get(key)
        if node is None:
            return ""
        if isinstance(node, Scalar) and isinstance(node.value, str) and node.value != "":
            return node.value
        self._invalid(node, f"`{key}` must be a non-empty string, not {_kind(node)}")
        return ""

    def _scalar_text(self, key: str, default: str, *, numbers: bool = True) -> str | None:
        """A string value, or an integer's digits; None (reported) for other kinds."""
        node = self.given.get(key)
        if node is None:
            return default
        if isinstance(node, Scalar) and isinstance(node.value, str):
            return node.value
        if numbers and isinstance(node, Scalar) and type(node.value) is int:
            return str(node.value)
        self._invalid(node, f"`{key}` must be a string, not {_kind(node)}")
        return None

    def _start(self) -> str:
        text = self._scalar_text("start", "")
        node = self.given.get("start")
        if node is None or text is None:
            return ""
        try:
            parse_instant(text, now_ns=time.time_ns())
        except TimeFormatError as error:
            self._report(rules.SYNC_BAD_TIME.at(node.span, f"`start`: {error}"))
        return text

    def _duration(self, key: str, default: str) -> int | None:
        """The duration of ``key`` in ns; None when it is not one (reported)."""
        text = self._scalar_text(key, default)
        if text is None:
            return None
        try:
            return parse_duration(text)
        except TimeFormatError as error:
            node = self.given[key]
            if key == "lag" and text.startswith("-") and _is_duration(text[1:]):
                message = f"`lag` is negative ({text}): it holds back data newer than now - lag"
                self._report(rules.SYNC_NEGATIVE_LAG.at(node.span, message, "use 0s or more"))
            else:
                self._report(rules.SYNC_BAD_DURATION.at(node.span, f"`{key}`: {error}"))
            return None

    def _lag(self) -> int:
        return self._duration("lag", DEFAULT_LAG) or 0

    def _window(self) -> int:
        window = self._duration("window", DEFAULT_WINDOW)
        node = self.given.get("window")
        if window is None or node is None:
            return window or 0
        problem = window_problem(window)
        if problem is not None:
            hint = "e.g. 1m, 5m, 15m, 30m, 1h, 2h, 6h, 12h or 1d"
            self._report(rules.SYNC_BAD_WINDOW.at(node.span, f"`window`: {problem}", hint))
        return window

    def _format(self) -> str:
        text = self._scalar_text("format", DEFAULT_FORMAT, numbers=False)
        if text is None or text in EXPORT_FORMATS:
            return text or ""
        node = self.given["format"]
        hint = suggestion_hint(text, EXPORT_FORMATS, "`csv` or `parquet`")
        message = f"unknown format `{text}`; exports are {' or '.join(EXPORT_FORMATS)}"
        self._report(rules.SYNC_UNKNOWN_FORMAT.at(node.span, message, hint))
        return ""

    def _format_options(self, fmt: str) -> dict[str, Any]:
        node = self.given.get("format_options")
        if node is None or (isinstance(node, Scalar) and node.value is None):
            return {}
        if not isinstance(node, Mapping):
            self._invalid(node, f"`format_options` must be a mapping, not {_kind(node)}")
            return {}
        options: dict[str, Any] = {}
        for key_node, value in node.items:
            key = key_node.value if isinstance(key_node, Scalar) else None
            options[str(key)] = value.value if isinstance(value, Scalar) else None
            if fmt not in EXPORT_FORMAT_OPTIONS:
                continue  # the unknown format is the finding
            self._format_option(fmt, key_node, key, value)
        return options

    def _format_option(self, fmt: str, key_node: Node, key: object, value: Node) -> None:
        allowed = EXPORT_FORMAT_OPTIONS[fmt]
        if not isinstance(key, str) or key not in allowed:
            takes = ", ".join(f"`{k}`" for k in allowed) or "no options"
            message = f"format `{fmt}` takes {takes}, not `{key}`"
            hint = suggestion_hint(str(key), tuple(allowed), None)
            if hint is None and fmt != "parquet":
                hint = "`compression` is an option of parquet"
            self._report(rules.SYNC_BAD_FORMAT_OPTIONS.at(key_node.span, message, hint))
            return
        shown = value.value if isinstance(value, Scalar) else value.kind
        if not isinstance(value, Scalar) or shown not in allowed[key]:
            choices = ", ".join(allowed[key])
            message = f"`{key}` of format `{fmt}` is one of {choices}, not `{shown}`"
            hint = suggestion_hint(str(shown), allowed[key], None)
            self._report(rules.SYNC_BAD_FORMAT_OPTIONS.at(value.span, message, hint))

    def _destination(self) -> Path:
        text = self._text("destination")
        if not text:
            return self.project_root
        node = self.given["destination"]
        joined = Path(os.path.normpath(self.project_root / text))
        problem = None
        if os.path.isabs(text):
            problem = "is an absolute path; write it relative to the project root"
        elif joined == self.project_root:
            problem = "is the project root itself; name a folder inside it"
        elif not joined.is_relative_to(self.project_root):
            problem = "lies outside the project root"
        elif not joined.resolve().is_relative_to(self.project_root.resolve()):
            problem = "leads outside the project root through a symbolic link"
        if problem is not None:
            message = f"destination `{text}` {problem} ({self.project_root})"
            self._report(rules.SYNC_DESTINATION_OUTSIDE.at(node.span, message))
        return joined

    def _parallel(self) -> int:
        node = self.given.get("parallel")
        if node is None:
            return DEFAULT_PARALLEL
        value = node.value if isinstance(node, Scalar) else None
        if type(value) is int and 1 <= value <= MAX_PARALLEL:
            return value
        message = f"`parallel` is an integer from 1 to {MAX_PARALLEL}, not {_shown(node)}"
        self._invalid(node, message)
        return DEFAULT_PARALLEL

    def _entries(self, key: str) -> list[Node]:
        node = self.given.get(key)
        if node is None:
            return []
        if isinstance(node, Sequence) and node.items:
            return node.items
        self._invalid(node, f"`{key}` must be a non-empty list, not {_shown(node)}")
        return []

    def _datastreams(self) -> tuple[str, ...]:
        refs: list[str] = []
        spans: list[Span] = []
        for item in self._entries("datastreams"):
            ref = self._ref(item)
            if ref is None:
                continue
            if ref in refs:
                message = f"datastream `{ref}` is listed twice"
                self._report(rules.SYNC_BAD_DATASTREAM_REF.at(item.span, message))
                continue
            refs.append(ref)
            spans.append(item.span)
        self.datastream_spans = tuple(spans)
        return tuple(refs)

    def _ref(self, item: Node) -> str | None:
        value = item.value if isinstance(item, Scalar) else None
        if type(value) is int:
            value = str(value)
        if not isinstance(value, str):
            message = f"a datastream is a ref such as binance:BTCUSDT:trade, not {_shown(item)}"
            self._report(rules.SYNC_BAD_DATASTREAM_REF.at(item.span, message))
            return None
        try:
            parsed = parse_datastream_ref(value)
        except ValueError as error:
            self._report(rules.SYNC_BAD_DATASTREAM_REF.at(item.span, str(error)))
            return None
        if isinstance(parsed, DatastreamRef):
            self._stream_type(parsed.stream_type, item.span)
            return str(parsed)
        return str(parsed)

    def _stream_type(self, stream_type: str, span: Span) -> None:
        if stream_type in CATEGORIES:
            return
        message = f"stream type `{stream_type}` is not a stream category"
        hint = suggestion_hint(stream_type, CATEGORIES, f"one of {', '.join(CATEGORIES)}")
        self._report(rules.SYNC_UNKNOWN_STREAM_TYPE.at(span, message, hint))

    def _filters(self) -> tuple[DatastreamFilter, ...]:
        filters: list[DatastreamFilter] = []
        spans: list[dict[str, Span]] = []
        for item in self._entries("match"):
            read = self._filter(item)
            if read is None:
                continue
            found, where = read
            if found in filters:
                message = f"filter {found} is listed twice"
                self._report(rules.SYNC_BAD_DATASTREAM_REF.at(item.span, message))
                continue
            filters.append(found)
            spans.append(where)
        self.filter_spans = tuple(spans)
        return tuple(filters)

    def _filter(self, item: Node) -> tuple[DatastreamFilter, dict[str, Span]] | None:
        if not isinstance(item, Mapping):
            message = f"a filter is a mapping of {', '.join(FILTER_KEYS)}, not {_shown(item)}"
            self._report(rules.SYNC_BAD_DATASTREAM_REF.at(item.span, message))
            return None
        fields: dict[str, str] = {}
        where: dict[str, Span] = {"": item.span}
        for key_node, value in item.items:
            key = key_node.value if isinstance(key_node, Scalar) else None
            if not isinstance(key, str) or key not in FILTER_KEYS:
                hint = suggestion_hint(str(key), FILTER_KEYS, f"one of {', '.join(FILTER_KEYS)}")
                message = f"unknown key `{key}` in a filter"
                self._report(rules.SYNC_UNKNOWN_KEY.at(key_node.span, message, hint))
            elif self._filter_field(key, value):
                fields[key] = str(value.value) if isinstance(value, Scalar) else ""
                where[key] = value.span
        if not item.items:
            message = f"a filter names at least one of {', '.join(FILTER_KEYS)}"
            self._report(rules.SYNC_BAD_DATASTREAM_REF.at(item.span, message))
            return None
        found = DatastreamFilter(*(fields.get(key) for key in FILTER_KEYS))
        return found, where

    def _filter_field(self, key: str, value: Node) -> bool:
        if not (isinstance(value, Scalar) and isinstance(value.value, str)):
            self._invalid(value, f"filter `{key}` must be a string, not {_shown(value)}")
            return False
        problem = field_problem(key, value.value)
        if problem is not None:
            message = f"filter `{key}`: {problem}"
            self._report(rules.SYNC_BAD_DATASTREAM_REF.at(value.span, message))
            return False
        if key == "stream_type":
            self._stream_type(value.value, value.span)
        return True


def window_problem(window_ns: int) -> str | None:
    """Why a window of ``window_ns`` cannot cut time into a sync's windows, or None."""
    if window_ns < _MINUTE:
        return "a window is at least 1m"
    if _HOUR % window_ns == 0 or (window_ns % _HOUR == 0 and _DAY % window_ns == 0):
        return None
    return "a window divides an hour, or is a whole number of hours that divides a day"


def _is_duration(text: str) -> bool:
    try:
        parse_duration(text)
    except TimeFormatError:
        return False
    return True


def _kind(node: Node) -> str:
    kind = node.kind
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _shown(node: Node) -> str:
    if isinstance(node, Scalar) and node.value is not None:
        return f"{_kind(node)} ({node.value!r})"
    return _kind(node)

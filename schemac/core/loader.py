"""Load: bytes of a YAML or JSON file -> a located tree, in which every node knows its span.

The tree is built from libyaml's event stream (``CSafeLoader``; the pure-Python parser when
libyaml is missing) rather than from PyYAML's composer, for three reasons:

- scalars are typed the YAML 1.2 way (only ``true``/``false`` are booleans; ``on``, ``Yes`` and
  ``No`` are strings) from the scalar's own text and style, not by PyYAML's YAML 1.1 resolver;
- duplicate keys are caught at their second occurrence, which no PyYAML loader does;
- the builder is iterative, with limits on depth and on alias expansion, so no input (deeply
  nested, a "billion laughs" of aliases, binary noise) can exhaust the stack or the memory.

JSON is read by the same builder (JSON is YAML 1.2 flow syntax), so positions and duplicate keys
behave the same; JSON syntax errors are reported with the JSON parser's own message first.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from schemac.core.tree import Mapping, Node, Scalar, Sequence, describe_value, plain, resolve_plain
from schemac.diagnostics import Diagnostic, Span
from schemac.fileio import DEFAULT_MAX_FILE_BYTES, FileTooLarge, ReadRefused, read_bytes
from schemac.rules import check
from schemac.rules.reading import (
    DOCUMENT_TOO_COMPLEX,
    DUPLICATE_KEY,
    EMPTY_FILE,
    INVALID_ENCODING,
    SYNTAX_ERROR,
    UNREADABLE_FILE,
)

if TYPE_CHECKING:
    from yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        DocumentStartEvent,
        Event,
        ScalarEvent,
    )

# The located tree is defined in schemac.core.tree; these names are the loader's interface too.
__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "Mapping",
    "Node",
    "Scalar",
    "Sequence",
    "decode",
    "describe_value",
    "load_file",
    "load_text",
    "plain",
    "resolve_plain",
]

MAX_DEPTH = 64  # a schema is at most ~6 levels deep; anything near this is not a schema
MAX_NODES = 200_000  # counting every alias expansion: bounds all later walks of the tree

_STR_TAG = "tag:yaml.org,2002:str"


@check(
    SYNTAX_ERROR,
    DUPLICATE_KEY,
    DOCUMENT_TOO_COMPLEX,
    INVALID_ENCODING,
    EMPTY_FILE,
    UNREADABLE_FILE,
    scope="stage",
)
def load_file(
    path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> tuple[Node | None, list[Diagnostic]]:
    """Read one file's bytes into a located tree; I/O problems become findings too.

    The load stage's entry: every SC0xx finding comes from here (or from what it calls). Only a
    regular file is read (a FIFO or a device is SC006), and no more than ``max_bytes`` + 1 bytes
    of it (a larger file is SC003).
    """
    try:
        data = read_bytes(path, max_bytes)
    except FileTooLarge as too_large:
        hint = "a schema is a few KB; raise `max_file_bytes` in the configuration if it must be"
        return None, [DOCUMENT_TOO_COMPLEX.at(Span.point(path), str(too_large), hint)]
    except ReadRefused as refused:
        return None, [UNREADABLE_FILE.at(Span.point(path), str(refused))]
    text, problems = decode(path, data)
    if text is None:
        return None, problems
    return load_text(path, text, is_json=path.lower().endswith(".json"))


def decode(file: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes -> text (UTF-8, optional BOM), or a diagnostic at the first undecodable byte."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        span = Span(file, line, column, line, column + 1)
        message = (
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        )
        return None, [INVALID_ENCODING.at(span, message)]


def load_text(
    file: str, text: str, *, is_json: bool = False
) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one document into a located tree. Returns (None, diagnostics) when it cannot."""
    if is_json:
        json_problem = _json_syntax_problem(file, text)
        if json_problem is not None:
            return None, [json_problem]
    if text.strip() == "" or _only_comments(text):
        return None, [EMPTY_FILE.at(Span.point(file), "the file holds no document")]
    duplicates: list[Diagnostic] = []
    try:
        root = _build(file, text, duplicates)
    except _LoadError as error:
        return None, [*duplicates, error.diagnostic]
    except RecursionError:  # defensive: the builder is iterative, but libyaml input is untrusted
        message = "the document is nested too deeply to be a schema"
        return None, [DOCUMENT_TOO_COMPLEX.at(Span.point(file), message)]
    except Exception as error:  # a YAML error of the parser (MarkedYAMLError and relatives)
        if is_json:  # valid JSON that libyaml rejects (rare): read it without positions
            return _load_json_without_positions(file, text)
        return None, [_syntax_diagnostic(file, error, text)]
    return root, duplicates


def _only_comments(text: str) -> bool:
    return all(line.strip() == "" or line.lstrip().startswith("#") for line in text.splitlines())


def _json_syntax_problem(file: str, text: str) -> Diagnostic | None:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        span = Span(file, error.lineno, error.colno, error.lineno, error.colno + 1)
        return SYNTAX_ERROR.at(span, f"invalid JSON: {error.msg}")
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        return SYNTAX_ERROR.at(Span.point(file), f"invalid JSON: {error}")
    except RecursionError:
        message = "the document is nested too deeply to be a schema"
        return DOCUMENT_TOO_COMPLEX.at(Span.point(file), message)
    return None


def _syntax_diagnostic(file: str, error: Exception, text: str) -> Diagnostic:
    from schemac.core.yamlhints import plain_syntax_error  # only when a file does not parse

    plain = plain_syntax_error(error, text)
    if plain is not None:
        span = Span(file, plain.line, plain.column, plain.line, plain.column + 1)
        return SYNTAX_ERROR.at(span, f"invalid YAML: {plain.message}", plain.hint)
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    context_mark = getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    message = f"invalid YAML: {problem}"
    if context:
        message += f" ({context})"
    # An error found only at the end of the file (an unclosed bracket or quote) is best shown
    # where the unclosed construct starts.
    at_end = mark is not None and mark.index >= len(text.rstrip())
    if at_end and context_mark is not None:
        message += ", at the end of the file"
        mark = context_mark
    if mark is not None:
        span = Span(file, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)
    else:
        span = Span.point(file)
    return SYNTAX_ERROR.at(span, message)


class _LoadError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _EventSource(Protocol):
    def get_event(self) -> Event | None: ...

    def dispose(self) -> None: ...


def _event_source(text: str) -> _EventSource:
    """libyaml's event parser (``CSafeLoader``), or PyYAML's own when libyaml is missing."""
    import yaml

    loader: Callable[[str], _EventSource] = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    return loader(text)


def _build(file: str, text: str, duplicates: list[Diagnostic]) -> Node | None:
    from yaml import events

    parser = _event_source(text)
    tree = _TreeBuilder(file, duplicates)
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, events.ScalarEvent):  # most events: test it first
                tree.scalar(event)
            elif isinstance(event, events.CollectionStartEvent):
                tree.open(event, isinstance(event, events.MappingStartEvent))
            elif isinstance(event, events.CollectionEndEvent):
                tree.close(event)
            elif isinstance(event, events.AliasEvent):
                tree.alias(event)
            elif isinstance(event, events.DocumentStartEvent):
                tree.document(event)
            if tree.total > MAX_NODES:
                message = f"the document has more than {MAX_NODES:,} nodes"
                raise _LoadError(DOCUMENT_TOO_COMPLEX.at(Span.point(file), message))
    finally:
        parser.dispose()
    return tree.root


class _Open:
    """A mapping or sequence whose end event has not come yet."""

    __slots__ = ("anchor", "key", "node", "seen")

    def __init__(self, node: Mapping | Sequence, anchor: str | None) -> None:
        self.node = node
        self.anchor = anchor
        self.key: Node | None = None  # a mapping's key waiting for its value
        self.seen: dict[tuple[str, object], Span] = {}  # a mapping's keys, for duplicates


class _TreeBuilder:
    """The located tree, built from parser events, with limits on depth and alias expansion."""

    __slots__ = ("anchors", "documents", "duplicates", "file", "root", "stack", "total")

    def __init__(self, file: str, duplicates: list[Diagnostic]) -> None:
        self.file = file
        self.duplicates = duplicates
        self.anchors: dict[str, Node] = {}
        self.stack: list[_Open] = []
        self.root: Node | None = None
        self.documents = 0
        self.total = 0  # nodes so far, every alias expansion counted

    def span(self, event: Event) -> Span:
        start, end = event.start_mark, event.end_mark
        if start is None or end is None:  # every event of both parsers has marks
            return Span.point(self.file)
        return Span(self.file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    def scalar(self, event: ScalarEvent) -> None:
        self.total += 1
        value: str | int | float | bool | None = event.value
        style = event.style or None
        if style is None and event.implicit[0] and event.tag != _STR_TAG:
            value = resolve_plain(event.value)
        start, end = event.start_mark, event.end_mark
        if start is None or end is None:  # never, with either parser; see span()
            span = self.span(event)
        else:  # inlined: scalars are most events, and this is the loader's hottest line
            span = Span(self.file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)
        self.add(Scalar(span, value, style), event.anchor)

    def open(self, event: CollectionStartEvent, is_mapping: bool) -> None:
        self.total += 1
        span = self.span(event)
        if len(self.stack) >= MAX_DEPTH:
            message = f"the document is nested more than {MAX_DEPTH} levels deep"
            raise _LoadError(DOCUMENT_TOO_COMPLEX.at(span, message))
        node: Mapping | Sequence = Mapping(span, []) if is_mapping else Sequence(span, [])
        self.stack.append(_Open(node, event.anchor))

    def close(self, event: CollectionEndEvent) -> None:
        open_ = self.stack.pop()
        start, end = open_.node.span, self.span(event)
        open_.node.span = Span(self.file, start.line, start.column, end.end_line, end.end_column)
        self.add(open_.node, open_.anchor)

    def alias(self, event: AliasEvent) -> None:
        target = self.anchors.get(event.anchor or "")
        if target is None:  # libyaml reports undefined aliases itself; a guard anyway
            message = f"unknown alias *{event.anchor}"
            raise _LoadError(SYNTAX_ERROR.at(self.span(event), message))
        self.total += target.size
        if self.total > MAX_NODES:
            message = (
                f"aliases expand this document past {MAX_NODES:,} nodes "
                "(a 'billion laughs' document?)"
            )
            raise _LoadError(DOCUMENT_TOO_COMPLEX.at(self.span(event), message))
        self.add(target, None)

    def document(self, event: DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            message = "the file holds more than one YAML document; put one schema per file"
            raise _LoadError(SYNTAX_ERROR.at(self.span(event), message))

    def add(self, node: Node, anchor: str | None) -> None:
        if anchor:
            self.anchors[anchor] = node
        if not self.stack:
            self.root = node
            return
        top = self.stack[-1]
        parent = top.node
        if isinstance(parent, Sequence):
            parent.items.append(node)
        elif top.key is None:  # this node is a key
            top.key = node
        else:
            key, top.key = top.key, None
            if isinstance(key, Scalar):
                self.check_duplicate(key, top.seen)
            parent.items.append((key, node))
        parent.size += node.size

    def check_duplicate(self, key: Scalar, seen: dict[tuple[str, object], Span]) -> None:
        identity = (type(key.value).__name__, key.value)
        first = seen.get(identity)
        if first is None:
            seen[identity] = key.span
            return
        message = f"duplicate key {key.value!r} (first defined at line {first.line})"
        self.duplicates.append(DUPLICATE_KEY.at(key.span, message))


def _load_json_without_positions(file: str, text: str) -> tuple[Node | None, list[Diagnostic]]:
    """Fallback for JSON that libyaml cannot read: the tree, with every span at line 1."""
    here = Span.point(file)
    duplicates: list[Diagnostic] = []

    def to_node(value: Any) -> Node:
        if isinstance(value, list):
            return Sequence(here, [to_node(v) for v in value])
        if isinstance(value, _Pairs):
            seen: set[str] = set()
            items: list[tuple[Scalar | Node, Node]] = []
            for key, item in value.pairs:
                if key in seen:
                    duplicates.append(DUPLICATE_KEY.at(here, f"duplicate key {key!r}"))
                seen.add(key)
                items.append((Scalar(here, key, '"'), to_node(item)))
            return Mapping(here, items)
        return Scalar(here, value, '"' if isinstance(value, str) else None)

    root = to_node(json.loads(text, object_pairs_hook=_Pairs))
    return root, duplicates


class _Pairs:
    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        self.pairs = pairs

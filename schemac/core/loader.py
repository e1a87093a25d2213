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
import math
import re
from dataclasses import dataclass, field
from typing import Any

from schemac.diagnostics import Diagnostic, Span
from schemac.rules import core as rules

MAX_DEPTH = 64  # a schema is at most ~6 levels deep; anything near this is not a schema
MAX_NODES = 200_000  # counting every alias expansion: bounds all later walks of the tree

_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_STR_TAG = "tag:yaml.org,2002:str"
_WORD_STARTS = frozenset("nNtTfF")  # null, true, false: the only plain words with a type


@dataclass(slots=True, eq=False)
class Node:
    span: Span
    size: int = field(default=1, kw_only=True)  # nodes in this subtree, for the alias budget

    @property
    def kind(self) -> str:
        return "value"


@dataclass(slots=True, eq=False)
class Scalar(Node):
    value: str | int | float | bool | None
    style: str | None = None  # None plain, "'" or '"' quoted, "|" or ">" block

    @property
    def kind(self) -> str:
        return describe_value(self.value)


@dataclass(slots=True, eq=False)
class Sequence(Node):
    items: list[Node]

    @property
    def kind(self) -> str:
        return "list"


@dataclass(slots=True, eq=False)
class Mapping(Node):
    items: list[tuple[Scalar | Node, Node]]

    @property
    def kind(self) -> str:
        return "mapping"

    def get(self, key: str) -> Node | None:
        for key_node, value in self.items:
            if isinstance(key_node, Scalar) and key_node.value == key:
                return value
        return None

    def key_node(self, key: str) -> Node | None:
        for key_node, _ in self.items:
            if isinstance(key_node, Scalar) and key_node.value == key:
                return key_node
        return None


def describe_value(value: object) -> str:
    """The kind of a scalar value, as a user reads it in a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"


def resolve_plain(text: str) -> str | int | float | bool | None:
    """Type a plain (unquoted, untagged) scalar by the YAML 1.2 core schema."""
    first = text[:1]
    if first.isalpha() and first not in _WORD_STARTS:  # most scalars: names and paths
        return text
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python converts (4300): not a number of a schema
            return text
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.fullmatch(text):
        return math.nan
    return text


class _LoadError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _span(file: str, start: Any, end: Any) -> Span:
    return Span(file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _yaml_module() -> tuple[Any, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    return yaml, loader


class _EventClasses:
    """PyYAML's event classes, imported on first use (the loader module itself imports no yaml)."""

    def __getattr__(self, name: str) -> type:
        import yaml.events

        value: type = getattr(yaml.events, name)
        setattr(self, name, value)
        return value


_events = _EventClasses()


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
        return None, [rules.INVALID_ENCODING.at(span, message)]


def load_text(
    file: str, text: str, *, is_json: bool = False
) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one document into a located tree. Returns (None, diagnostics) when it cannot."""
    if is_json:
        json_problem = _json_syntax_problem(file, text)
        if json_problem is not None:
            return None, [json_problem]
    if text.strip() == "" or _only_comments(text):
        return None, [rules.EMPTY_FILE.at(Span.point(file), "the file holds no document")]
    duplicates: list[Diagnostic] = []
    try:
        root = _build(file, text, duplicates)
    except _LoadError as error:
        return None, [*duplicates, error.diagnostic]
    except RecursionError:  # defensive: the builder is iterative, but libyaml input is untrusted
        message = "the document is nested too deeply to be a schema"
        return None, [rules.DOCUMENT_TOO_COMPLEX.at(Span.point(file), message)]
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
        return rules.SYNTAX_ERROR.at(span, f"invalid JSON: {error.msg}")
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        return rules.SYNTAX_ERROR.at(Span.point(file), f"invalid JSON: {error}")
    except RecursionError:
        message = "the document is nested too deeply to be a schema"
        return rules.DOCUMENT_TOO_COMPLEX.at(Span.point(file), message)
    return None


def _syntax_diagnostic(file: str, error: Exception, text: str) -> Diagnostic:
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
    return rules.SYNTAX_ERROR.at(span, message)


def _build(file: str, text: str, duplicates: list[Diagnostic]) -> Node | None:
    _, loader_class = _yaml_module()
    parser = loader_class(text)
    anchors: dict[str, Node] = {}
    # Each open container: (node, pending key for mappings, anchor, keys seen for duplicates).
    stack: list[list[Any]] = []
    root: Node | None = None
    documents = 0
    total = 0

    def add(node: Node, anchor: str | None) -> None:
        nonlocal root
        if anchor:
            anchors[anchor] = node
        if not stack:
            root = node
            return
        top = stack[-1]
        parent = top[0]
        if isinstance(parent, Sequence):
            parent.items.append(node)
        elif top[1] is None:  # this node is a key
            top[1] = node
        else:
            key = top[1]
            top[1] = None
            if isinstance(key, Scalar):
                identity = (type(key.value).__name__, key.value)
                seen: dict[tuple[str, Any], Span] = top[3]
                if identity in seen:
                    first = seen[identity]
                    message = f"duplicate key {key.value!r} (first defined at line {first.line})"
                    duplicates.append(rules.DUPLICATE_KEY.at(key.span, message))
                else:
                    seen[identity] = key.span
            parent.items.append((key, node))
        parent.size += node.size

    try:
        while True:
            event = parser.get_event()
            if event is None:
                break
            kind = type(event)
            if kind is _events.ScalarEvent:
                total += 1
                if not event.style:
                    plain_value = event.implicit[0] and event.tag != _STR_TAG
                    value = resolve_plain(event.value) if plain_value else event.value
                    style = None
                else:
                    value, style = event.value, event.style
                add(
                    Scalar(_span(file, event.start_mark, event.end_mark), value, style),
                    event.anchor,
                )
            elif kind is _events.MappingStartEvent or kind is _events.SequenceStartEvent:
                total += 1
                span = _span(file, event.start_mark, event.end_mark)
                if len(stack) >= MAX_DEPTH:
                    message = f"the document is nested more than {MAX_DEPTH} levels deep"
                    raise _LoadError(rules.DOCUMENT_TOO_COMPLEX.at(span, message))
                is_mapping = kind is _events.MappingStartEvent
                container: Node = Mapping(span, []) if is_mapping else Sequence(span, [])
                stack.append([container, None, event.anchor, {}])
            elif kind is _events.MappingEndEvent or kind is _events.SequenceEndEvent:
                container, _, anchor, _ = stack.pop()
                start = container.span
                end = event.end_mark
                container.span = Span(file, start.line, start.column, end.line + 1, end.column + 1)
                add(container, anchor)
            elif kind is _events.AliasEvent:
                target = anchors.get(event.anchor)
                if target is None:  # libyaml reports undefined aliases itself; a guard anyway
                    span = _span(file, event.start_mark, event.end_mark)
                    message = f"unknown alias *{event.anchor}"
                    raise _LoadError(rules.SYNTAX_ERROR.at(span, message))
                total += target.size
                if total > MAX_NODES:
                    span = _span(file, event.start_mark, event.end_mark)
                    message = (
                        f"aliases expand this document past {MAX_NODES:,} nodes "
                        "(a 'billion laughs' document?)"
                    )
                    raise _LoadError(rules.DOCUMENT_TOO_COMPLEX.at(span, message))
                add(target, None)
            elif kind is _events.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    span = _span(file, event.start_mark, event.end_mark)
                    message = "the file holds more than one YAML document; put one schema per file"
                    raise _LoadError(rules.SYNTAX_ERROR.at(span, message))
            if total > MAX_NODES:
                message = f"the document has more than {MAX_NODES:,} nodes"
                raise _LoadError(rules.DOCUMENT_TOO_COMPLEX.at(Span.point(file), message))
    finally:
        parser.dispose()
    return root


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
                    duplicates.append(rules.DUPLICATE_KEY.at(here, f"duplicate key {key!r}"))
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


def load_file(path: str) -> tuple[Node | None, list[Diagnostic]]:
    """Read and parse one file; I/O problems become diagnostics too."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        return None, [rules.UNREADABLE_FILE.at(Span.point(path), message)]
    text, problems = decode(path, data)
    if text is None:
        return None, problems
    return load_text(path, text, is_json=path.lower().endswith(".json"))


def plain(node: Node | None) -> Any:
    """The plain Python value of a located tree (mappings become dicts; first key wins)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [plain(item) for item in node.items]
    assert isinstance(node, Mapping)
    result: dict[Any, Any] = {}
    for key, value in node.items:
        key_value = key.value if isinstance(key, Scalar) else repr(plain(key))
        result.setdefault(key_value, plain(value))
    return result

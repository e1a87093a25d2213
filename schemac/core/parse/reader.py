"""The typed accessors both front ends read a located tree with, and where findings are kept.

Every accessor returns the value it was asked for, or None after reporting why it cannot: a
node of the wrong kind is reported in one place (:meth:`Reader.wrong_kind`), an unknown key in
another (:meth:`Reader.check_keys`), and so on, so that the same mistake reads the same in the
authoring and the wire format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from schemac import vocabulary
from schemac.config import Config
from schemac.core.tree import Mapping, Node, Scalar, Sequence, describe_value
from schemac.diagnostics import Diagnostic, Span, did_you_mean, suggestion_hint
from schemac.rules.format import (
    MALFORMED_TYPE,
    MISSING_KEY,
    UNKNOWN_CATEGORY,
    UNKNOWN_KEY,
    UNKNOWN_META_FORMAT,
    UNKNOWN_META_VALUE,
    WRONG_KIND,
)

ContainerNode = TypeVar("ContainerNode", Mapping, Sequence)

# How a message names what a container accessor expected, when the caller does not say more.
_CONTAINER_WORDS: dict[type[Node], str] = {Mapping: "a mapping", Sequence: "a list"}


class KnownKeys(dict[str, Node]):
    """A mapping's known keys -> their values (the first of duplicates).

    ``misspelled`` holds the known keys that the mapping's unknown keys look like typos of: a
    misspelled `type` must not also be reported as a missing type.
    """

    def __init__(self) -> None:
        super().__init__()
        self.misspelled: set[str] = set()


@dataclass
class Reader:
    """One document being read: its file, the configuration, and the findings so far."""

    file: str
    config: Config
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Where each exchange code is first written (in `exchanges`, else as a key), for the IR.
    exchange_spans: dict[str, Span] = field(default_factory=dict)
    # Rules written but left out of the IR after a finding (see Schema.unreadable).
    unreadable: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def left_out(self, owner: tuple[str, str], *exchanges: str) -> None:
        """Record that ``owner``'s rules for ``exchanges`` were written but could not be read
        (already reported); "*" when which exchanges is unknown."""
        self.unreadable.setdefault(owner, set()).update(exchanges)

    def wrong_kind(self, node: Node, message: str, hint: str | None = None) -> None:
        """Report a value of the wrong kind: the one place SC103 is raised."""
        self.report(WRONG_KIND.at(node.span, message, hint))

    def expect(
        self,
        node: Node,
        kind: type[ContainerNode],
        what: str,
        expected: str | None = None,
        hint: str | None = None,
    ) -> ContainerNode | None:
        """``node`` if it is a ``kind`` (Mapping or Sequence); else reported, and None."""
        if isinstance(node, kind):
            return node
        expected = expected or _CONTAINER_WORDS[kind]
        self.wrong_kind(node, f"{what} must be {expected}, not {kind_phrase(node)}", hint)
        return None

    def expect_string(self, node: Node, what: str, *, allow_empty: bool = False) -> str | None:
        if isinstance(node, Scalar) and isinstance(node.value, str):
            if node.value == "" and not allow_empty:
                self.wrong_kind(node, f"{what} must not be empty")
                return None
            return node.value
        hint = None
        if isinstance(node, Scalar) and node.value is not None:
            hint = f"quote it to make it a string: '{source_text(node.value)}'"
        self.wrong_kind(node, f"{what} must be a string, not {kind_phrase(node)}", hint)
        return None

    def check_keys(
        self, mapping: Mapping, allowed: tuple[str, ...], where: str, ignored: tuple[str, ...] = ()
    ) -> KnownKeys:
        """The mapping's known keys -> values; unknown and non-string keys are reported."""
        found = KnownKeys()
        for key, value in mapping.items:
            if not (isinstance(key, Scalar) and isinstance(key.value, str)):
                self.wrong_kind(key, f"keys of {where} are names, not {kind_phrase(key)}")
                continue
            name = key.value
            if name in allowed:
                found.setdefault(name, value)
            elif name not in ignored:
                suggestion = did_you_mean(name, allowed)
                if suggestion:
                    found.misspelled.add(suggestion)
                hint = suggestion_hint(name, allowed, _allowed_hint(allowed))
                self.report(UNKNOWN_KEY.at(key.span, f"unknown key `{name}` in {where}", hint))
        return found

    def require(self, found: KnownKeys, key: str, mapping: Mapping, where: str) -> Node | None:
        value = found.get(key)
        if value is None:
            span = head_span(mapping)
            self.report(MISSING_KEY.at(span, f"{where} is missing required key `{key}`"))
        return value

    def exchange_keys(self, mapping: Mapping, what: str) -> Iterator[tuple[str, Scalar, Node]]:
        """(code, key node, value) for each key of a mapping keyed by exchange (or glob)."""
        for key, value in mapping.items:
            code = self.expect_string(key, what)
            if code is not None:
                assert isinstance(key, Scalar)  # expect_string accepts only string scalars
                self.exchange_spans.setdefault(code, key.span)
                yield code, key, value

    def category(self, node: Node) -> str | None:
        value = self.expect_string(node, "the category")
        if value is None:
            return None
        if value not in vocabulary.CATEGORIES:
            hint = suggestion_hint(
                value, vocabulary.CATEGORIES, f"one of: {', '.join(vocabulary.CATEGORIES)}"
            )
            self.report(UNKNOWN_CATEGORY.at(node.span, f"unknown category `{value}`", hint))
            return None
        return value

    def type_name(self, node: Node) -> str | None:
        value = self.expect_string(node, "a type")
        if value is None:
            return None
        problem = vocabulary.type_problem(value, self.config.decimal_max_scale)
        if problem is not None:
            message = f"`{value}` is not a valid type: {problem}"
            self.report(MALFORMED_TYPE.at(node.span, message, vocabulary.TYPE_NAMES_HINT))
            return None
        return value

    def meta_value(self, node: Node) -> str | None:
        value = self.expect_string(node, "a meta value")
        if value is not None and value not in vocabulary.META_VALUES:
            hint = f"the only meta value is `{vocabulary.META_VALUES[0]}`"
            self.report(UNKNOWN_META_VALUE.at(node.span, f"unknown meta value `{value}`", hint))
            return None
        return value

    def meta_format(self, node: Node) -> str | None:
        value = self.expect_string(node, "a meta format")
        if value is not None and value not in vocabulary.META_FORMATS:
            hint = suggestion_hint(
                value, vocabulary.META_FORMATS, f"one of: {', '.join(vocabulary.META_FORMATS)}"
            )
            self.report(UNKNOWN_META_FORMAT.at(node.span, f"unknown meta format `{value}`", hint))
            return None
        return value


def kind_phrase(node: Node) -> str:
    """What a node is, as a message names it: "a list", "an integer (3)", "null (empty)"."""
    if isinstance(node, Scalar):
        kind = describe_value(node.value)
        if node.value is None:
            return "null (empty)"
        return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} ({source_text(node.value)})"
    return "a list" if isinstance(node, Sequence) else "a mapping"


def source_text(value: object) -> str:
    """A scalar as the user wrote it (YAML's booleans, not Python's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def head_span(mapping: Mapping) -> Span:
    """Where to report a missing key: the mapping's first key (or the mapping itself)."""
    if mapping.items:
        first = mapping.items[0][0]
        return first.span
    return mapping.span


def key_span(mapping: Mapping, key: str, default: Span) -> Span:
    """The span of ``key`` in ``mapping``, or ``default`` when it is not there."""
    node = mapping.key_node(key)
    return node.span if node is not None else default


def _allowed_hint(allowed: tuple[str, ...]) -> str:
    return "valid keys: " + ", ".join(f"`{k}`" for k in allowed)

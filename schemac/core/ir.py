"""The intermediate representation: one typed, normalized schema, whatever format it came from.

Front ends (YAML authoring files, wire JSON files, remote API responses) produce a
:class:`Schema`; back ends (wire JSON, YAML, checks) consume it. Every element keeps the span of
the text it came from so that checks can point at the user's own file, line and column.
Spans are ``None`` only for schemas that never had a source file (for example, remote content).

The immutable elements are named tuples: building a frozen dataclass type costs several times
more at import, and the elements are compared only with their own kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from schemac.diagnostics import Span

# A scalar value that may appear as a `case:` key or value, or as `else`.
CaseScalar = str | int | float | bool


class CaseArm(NamedTuple):
    when: CaseScalar
    then: CaseScalar
    when_span: Span | None = None
    then_span: Span | None = None


class CaseMap(NamedTuple):
    """The declarative form of a SQL ``CASE {v} WHEN .. THEN .. [ELSE ..] END`` transform."""

    arms: tuple[CaseArm, ...]
    has_else: bool = False
    otherwise: CaseScalar | None = None
    span: Span | None = None
    else_span: Span | None = None


class Extractor(NamedTuple):
    """How one exchange fills one column: read ``path`` as ``type``, then apply ``transform``.

    ``transform`` is the SQL text sent to the API. When the author wrote ``case:``, ``case`` holds
    the mapping and ``transform`` the SQL rendered from it.
    """

    path: str
    type: str
    transform: str | None = None
    case: CaseMap | None = None
    span: Span | None = None  # the rule as a whole (the exchange key in `from`, or the wire key)
    path_span: Span | None = None
    type_span: Span | None = None
    transform_span: Span | None = None
    transform_style: str | None = None  # YAML scalar style of the transform: None plain, ' " | >


class Meta(NamedTuple):
    value: str
    format: str | None = None  # None: not written (the API's default, ns)
    value_span: Span | None = None
    format_span: Span | None = None


class Column(NamedTuple):
    name: str
    meta: Meta | None = None
    data: dict[str, Extractor] | None = None  # exchange code -> extractor, in written order
    span: Span | None = None  # the column's key (YAML) or its output_column value (wire)


class Unfold(NamedTuple):
    path: str
    span: Span | None = None
    path_span: Span | None = None


class DeriveArray(NamedTuple):
    path: str
    tag: str
    span: Span | None = None
    path_span: Span | None = None
    tag_span: Span | None = None


class DeriveField(NamedTuple):
    field: str
    op: str
    arrays: tuple[DeriveArray, ...]
    tag_field: str
    value_field: str
    span: Span | None = None
    field_span: Span | None = None
    op_span: Span | None = None
    arrays_span: Span | None = None
    value_field_span: Span | None = None


@dataclass(slots=True)
class Schema:
    name: str
    category: str
    columns: list[Column]
    exchanges: list[str]  # the schema's exchanges, explicit or inferred, in order
    # None: absent from the source. {} : present and empty. The wire back end keeps the difference
    # so that a wire file compiles to itself.
    unfold: dict[str, Unfold] | None = None
    derive: dict[str, list[DeriveField]] | None = None
    source: str | None = None  # file path
    source_format: str = "yaml"  # "yaml" (authoring) or "wire"
    span: Span | None = None  # the whole document
    name_span: Span | None = None
    category_span: Span | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # description etc., not sent to the API
    exchange_spans: dict[str, Span] = field(default_factory=dict)  # where each code is first named
    # Rules written but not readable, each reported where it was read: ("column", NAME),
    # ("unfold", ""), ("derive", "") -> exchange codes ("*": which ones is unknown). Checks of
    # what is mapped count them as written: nothing is reported as a consequence of them.
    unreadable: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def wrote(self, owner: tuple[str, str], exchange: str) -> bool:
        """``owner`` (see ``unreadable``) has a rule for ``exchange``, read or not."""
        written = self.unreadable.get(owner, ())
        return exchange in written or "*" in written

    @property
    def key(self) -> tuple[str, str]:
        """The remote identity of a schema: names are unique per (account, category)."""
        return (self.name, self.category)

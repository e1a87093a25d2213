"""Resolve: what the authoring format leaves implicit, made concrete for the IR.

The authoring format keys its rules by exchange code or glob, lets an extractor inherit its
column's type, reads one path on every exchange with ``from: <path>``, and writes transforms as
``case:`` mappings. Here globs are expanded over the schema's exchanges (an exact key wins over
a glob), types are inherited, and ``case`` is rendered to SQL, so that the IR holds only concrete
exchange codes and complete extractors.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from schemac import vocabulary
from schemac.core.ir import CaseMap, Column, Extractor, Meta
from schemac.core.parse.reader import Reader
from schemac.core.sqlcase import render_case
from schemac.diagnostics import Span, suggestion_hint
from schemac.rules.exchanges import (
    AMBIGUOUS_EXCHANGE_RULE,
    EXCHANGE_NOT_DECLARED,
    EXCHANGES_REQUIRED,
    GLOB_MATCHES_NOTHING,
)
from schemac.rules.format import MISSING_TYPE

RuleValue = TypeVar("RuleValue")


@dataclass
class KeyedRules(Generic[RuleValue]):
    """A mapping whose keys are exchange codes or globs, before expansion: (key, span, value)."""

    entries: list[tuple[str, Span, RuleValue]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # keys whose value could not be read

    def keys(self) -> list[tuple[str, Span]]:
        return [(key, span) for key, span, _ in self.entries]


@dataclass
class RawExtractor:
    """One exchange's rule of a column, as written: its type may still come from the column."""

    path: str
    path_span: Span
    span: Span
    key_span: Span | None = None
    type: str | None = None
    type_span: Span | None = None
    type_given: bool = False  # a `type` was written (perhaps misspelled, or malformed)
    transform: str | None = None
    transform_span: Span | None = None
    transform_style: str | None = None
    case: CaseMap | None = None


@dataclass
class RawColumn:
    name: str
    span: Span
    meta: Meta | None = None
    type: str | None = None
    type_span: Span | None = None
    type_given: bool = False
    path_all: tuple[str, Span] | None = None  # `from: <path>`: one path on every exchange
    rules: KeyedRules[RawExtractor] | None = None


def infer_exchanges(reader: Reader, keyed: list[list[tuple[str, Span]]]) -> list[str]:
    """Without `exchanges`, a schema's exchanges are the exact codes its rules name."""
    codes: list[str] = []
    for keys in keyed:
        for key, _span in keys:
            if not vocabulary.is_glob(key) and key not in codes:
                codes.append(key)
    return codes


@dataclass
class ExchangeResolver:
    """Expands exchange-or-glob keys over the schema's exchanges; exact keys win over globs."""

    reader: Reader
    exchanges: list[str]
    declared: bool  # the schema lists its `exchanges` (else they were inferred from the rules)

    def expand(
        self, keyed: KeyedRules[RuleValue], where: str, owner: tuple[str, str]
    ) -> dict[str, RuleValue]:
        """``keyed`` over the schema's exchanges; the rules written for an exchange but left
        out (unreadable, or two globs) are recorded under ``owner`` (Schema.unreadable)."""
        for key in keyed.failed:
            matched = [ex for ex in self.exchanges if fnmatch.fnmatchcase(ex, key)]
            self.reader.left_out(owner, *matched)
        exact: dict[str, RuleValue] = {}
        by_glob: dict[str, list[tuple[str, Span, RuleValue]]] = {}
        for key, span, value in keyed.entries:
            if vocabulary.is_glob(key):
                for exchange in self._glob_matches(key, span, where):
                    by_glob.setdefault(exchange, []).append((key, span, value))
            elif self._declared_or_reported(key, span, where):
                exact[key] = value
        result: dict[str, RuleValue] = {}
        for exchange in self.exchanges:
            if exchange in exact:
                result[exchange] = exact[exchange]
            elif exchange in by_glob:
                candidates = by_glob[exchange]
                if len(candidates) > 1:
                    self._report_ambiguous(exchange, [(c[0], c[1]) for c in candidates], where)
                    self.reader.left_out(owner, exchange)
                    continue
                result[exchange] = candidates[0][2]
        return result

    def _glob_matches(self, glob: str, span: Span, where: str) -> list[str]:
        matches = [ex for ex in self.exchanges if fnmatch.fnmatchcase(ex, glob)]
        if not matches:
            listed = ", ".join(self.exchanges) or "none"
            message = f"glob `{glob}` in {where} matches none of the schema's exchanges"
            hint = f"the schema's exchanges: {listed}"
            self.reader.report(GLOB_MATCHES_NOTHING.at(span, message, hint))
        return matches

    def _declared_or_reported(self, key: str, span: Span, where: str) -> bool:
        if not self.declared or key in self.exchanges:
            return True
        hint = suggestion_hint(key, self.exchanges, f"add `{key}` to the schema's `exchanges`")
        message = f"{where} names exchange `{key}`, which is not in the schema's `exchanges`"
        self.reader.report(EXCHANGE_NOT_DECLARED.at(span, message, hint))
        return False

    def _report_ambiguous(self, exchange: str, globs: list[tuple[str, Span]], where: str) -> None:
        names = " and ".join(f"`{glob}`" for glob, _ in globs)
        message = f"{names} in {where} both match exchange `{exchange}`"
        hint = f"add an exact `{exchange}:` entry, or make the globs disjoint"
        self.reader.report(AMBIGUOUS_EXCHANGE_RULE.at(globs[1][1], message, hint))


def resolve_column(reader: Reader, raw: RawColumn, resolver: ExchangeResolver) -> Column | None:
    if raw.meta is not None:
        return Column(raw.name, meta=raw.meta, span=raw.span)
    if raw.path_all is not None:
        return _resolve_path_all(reader, raw, raw.path_all, resolver.exchanges)
    owner = ("column", raw.name)
    if raw.rules is None:  # a `from` that could not be read, or none (each reported)
        reader.left_out(owner, "*")
        return None
    data = {}
    complete = True
    for exchange, extractor in resolver.expand(raw.rules, f"column `{raw.name}`", owner).items():
        resolved = _resolve_extractor(reader, raw, exchange, extractor)
        if resolved is None:
            reader.left_out(owner, exchange)
            complete = False
            continue
        data[exchange] = resolved
    if not complete and not data:
        return None
    return Column(raw.name, data=data, span=raw.span)


def _resolve_path_all(
    reader: Reader, raw: RawColumn, path_all: tuple[str, Span], exchanges: list[str]
) -> Column | None:
    path, span = path_all
    if not exchanges:
        message = f"column `{raw.name}` reads `{path}` on every exchange, but the schema names none"
        hint = "list the schema's exchanges: `exchanges: [binance, ...]`"
        reader.report(EXCHANGES_REQUIRED.at(span, message, hint))
        return None
    if raw.type is None:
        if not raw.type_given:
            _report_missing_type(reader, raw.name, None, span)
        reader.left_out(("column", raw.name), *exchanges)
        return None
    data = {
        ex: Extractor(path, raw.type, span=span, path_span=span, type_span=raw.type_span)
        for ex in exchanges
    }
    return Column(raw.name, data=data, span=raw.span)


def _resolve_extractor(
    reader: Reader, column: RawColumn, exchange: str, raw: RawExtractor
) -> Extractor | None:
    type_ = raw.type if raw.type_given else column.type
    type_span = raw.type_span if raw.type_given else column.type_span
    if type_ is None:
        if not raw.type_given and not column.type_given:
            _report_missing_type(reader, column.name, exchange, raw.key_span or raw.span)
        return None
    transform = raw.transform
    if raw.case is not None:
        transform = render_case(raw.case, reader.config.dialect)
    return Extractor(
        path=raw.path,
        type=type_,
        transform=transform,
        case=raw.case,
        span=raw.key_span or raw.span,
        path_span=raw.path_span,
        type_span=type_span,
        transform_span=raw.transform_span if raw.case is None else raw.case.span,
        transform_style=raw.transform_style,
    )


def _report_missing_type(reader: Reader, column: str, exchange: str | None, span: Span) -> None:
    where = f"column `{column}`" + (f", exchange `{exchange}`" if exchange else "")
    hint = f"give the column a `type` ({vocabulary.TYPE_NAMES_HINT}), or the rule its own"
    reader.report(MISSING_TYPE.at(span, f"{where} has no type", hint))

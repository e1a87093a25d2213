"""Checks of sync specs against the project and the catalog (scope "sync").

Each is ``(specs, schemas, config) -> Iterator[Diagnostic]``: ``specs`` are the project's sync
specs that read without error, ``schemas`` the project's schemas (those of the configured
`paths`, even when `validate` was given only some files). What a spec says on its own is
checked while it is read (schemac.core.syncspec).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from schemac.checks.exchanges import known_exchange_codes
from schemac.config import Config
from schemac.core.ir import Schema
from schemac.core.syncrefs import DatastreamRef, parse_datastream_ref
from schemac.core.syncspec import SyncSpec
from schemac.diagnostics import Diagnostic, Span, suggestion_hint
from schemac.rules import check
from schemac.rules import sync as rules
from schemac.vocabulary import CATEGORIES


class Followed(NamedTuple):
    """What a ref or filter follows, as far as it is known offline (None: an id, or a field a
    filter leaves open), and where its exchange and its stream type are written."""

    exchange: str | None
    stream_type: str | None
    exchange_span: Span
    stream_type_span: Span
    is_filter: bool


def followed(spec: SyncSpec) -> Iterator[Followed]:
    """The exchange and stream type of each ref and filter of ``spec``, in written order."""
    spans = spec.spans
    for index, text in enumerate(spec.datastreams):
        span = spans.datastreams[index] if index < len(spans.datastreams) else _at(spec)
        parsed = parse_datastream_ref(text)
        if isinstance(parsed, DatastreamRef):
            yield Followed(parsed.exchange, parsed.stream_type, span, span, False)
        else:
            yield Followed(None, None, span, span, False)
    for index, found in enumerate(spec.filters):
        where = spans.filters[index] if index < len(spans.filters) else {}
        whole = where.get("", _at(spec))
        exchange_span = where.get("exchange", whole)
        stream_type_span = where.get("stream_type", whole)
        yield Followed(found.exchange, found.stream_type, exchange_span, stream_type_span, True)


def _at(spec: SyncSpec) -> Span:
    return Span.point(spec.source)


def _schema_span(spec: SyncSpec) -> Span:
    return spec.spans.keys.get("schema") or _at(spec)


def schemas_named(spec: SyncSpec, schemas: list[Schema]) -> list[Schema]:
    """The schemas ``spec.schema`` names: `NAME`, or `NAME@CATEGORY` for one of several."""
    name, _, category = spec.schema.partition("@")
    return [s for s in schemas if s.name == name and category in ("", s.category)]


@check(rules.SYNC_UNKNOWN_EXCHANGE, scope="sync")
def check_exchanges(
    specs: list[SyncSpec], schemas: list[Schema], config: Config
) -> Iterator[Diagnostic]:
    known: list[str] | None = None
    for spec in specs:
        named = schemas_named(spec, schemas)
        for each in followed(spec):
            exchange, span = each.exchange, each.exchange_span
            if exchange is None or exchange in config.exchanges:
                continue
            if len(named) == 1 and exchange not in named[0].exchanges:
                continue  # check_exchanges_in_schema reports it, an error
            known = known if known is not None else known_exchange_codes(config)
            if exchange in known:
                continue
            hint = suggestion_hint(exchange, known, "if the API knows it, add it to `exchanges`")
            yield rules.SYNC_UNKNOWN_EXCHANGE.at(span, f"unknown exchange code `{exchange}`", hint)


@check(rules.SYNC_UNKNOWN_SCHEMA, scope="sync")
def check_schema_exists(
    specs: list[SyncSpec], schemas: list[Schema], config: Config
) -> Iterator[Diagnostic]:
    names = sorted({s.name for s in schemas})
    for spec in specs:
        named = schemas_named(spec, schemas)
        if len(named) == 1:
            continue
        hint: str | None
        if named:
            categories = ", ".join(sorted(s.category for s in named))
            message = f"schema `{spec.schema}` is declared in several categories ({categories})"
            hint = f"write `{spec.schema}@{named[0].category}` (NAME@CATEGORY)"
        else:
            message = f"`{spec.schema}` is no schema of this project"
            listed = ", ".join(f"`{n}`" for n in names[:8]) + (", ..." if len(names) > 8 else "")
            where = ", ".join(config.paths)
            known = f"the schemas are {listed}" if names else f"no schema found in {where}"
            hint = suggestion_hint(spec.schema, names, known)
        yield rules.SYNC_UNKNOWN_SCHEMA.at(_schema_span(spec), message, hint)


@check(rules.SYNC_SCHEMA_MISMATCH, scope="sync")
def check_schema_fits(
    specs: list[SyncSpec], schemas: list[Schema], config: Config
) -> Iterator[Diagnostic]:
    """Refs and filters of another stream type than the schema's category; open filters."""
    for spec in specs:
        named = schemas_named(spec, schemas)
        if len(named) != 1:
            continue  # check_schema_exists reports it
        schema = named[0]
        for each in followed(spec):
            # A stream type that is no category is SC432's (reported while reading).
            if each.stream_type in CATEGORIES and each.stream_type != schema.category:
                message = (
                    f"stream type `{each.stream_type}` is not the category of schema "
                    f"`{schema.name}` ({schema.category})"
                )
                yield rules.SYNC_SCHEMA_MISMATCH.at(each.stream_type_span, message)
            elif each.stream_type is None and each.is_filter:  # open over stream types
                message = (
                    f"this filter has no `stream_type`: it matches datastreams of every type, "
                    f"and schema `{schema.name}` describes {schema.category} messages"
                )
                hint = f"add `stream_type: {schema.category}`"
                yield rules.SYNC_SCHEMA_MISMATCH.at(each.stream_type_span, message, hint)


@check(rules.SYNC_EXCHANGE_NOT_IN_SCHEMA, scope="sync")
def check_exchanges_in_schema(
    specs: list[SyncSpec], schemas: list[Schema], config: Config
) -> Iterator[Diagnostic]:
    for spec in specs:
        named = schemas_named(spec, schemas)
        if len(named) != 1:
            continue
        schema = named[0]
        for each in followed(spec):
            exchange = each.exchange
            if exchange is None or exchange in schema.exchanges:
                continue
            listed = ", ".join(schema.exchanges) or "none"
            message = (
                f"exchange `{exchange}` is not among the exchanges of schema `{schema.name}` "
                f"({listed})"
            )
            otherwise = "add it to the schema's `exchanges`, or follow other datastreams"
            hint = suggestion_hint(exchange, schema.exchanges, otherwise)
            yield rules.SYNC_EXCHANGE_NOT_IN_SCHEMA.at(each.exchange_span, message, hint)

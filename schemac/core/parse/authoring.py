"""The YAML authoring format: ``name``, ``category``, ``exchanges``, ``columns`` as a mapping.

A column reads the receive time (``meta``) or the message (``from``: one path on every exchange,
or a mapping of exchange code or glob to a path or an extractor with ``path``, ``type``,
``transform``, or ``case`` and ``else``). What is read here is raw (keys may be globs, types may
be inherited); :mod:`schemac.core.parse.resolve` makes it concrete.
"""

from __future__ import annotations

import math

from schemac import vocabulary
from schemac.core.ir import CaseArm, CaseMap, CaseScalar, DeriveField, Meta, Schema, Unfold
from schemac.core.parse.reader import KnownKeys, Reader, key_span, kind_phrase, source_text
from schemac.core.parse.resolve import (
    ExchangeResolver,
    KeyedRules,
    RawColumn,
    RawExtractor,
    infer_exchanges,
    resolve_column,
)
from schemac.core.parse.shared import (
    Body,
    build_schema,
    derive_fields,
    read_head,
    unfold_list_hint,
    unfold_rule,
)
from schemac.core.tree import Mapping, Node, Scalar, Sequence
from schemac.rules.exchanges import DUPLICATE_EXCHANGE
from schemac.rules.format import (
    CASE_WITH_TRANSFORM,
    ELSE_WITHOUT_CASE,
    EMPTY_CASE,
    META_COLUMN_TYPE,
    META_DATA_CONFLICT,
    NO_COLUMNS,
    PLACEHOLDER_IN_LITERAL,
    UNKNOWN_KEY,
)

# The keys of each object of the authoring format. `schemac json-schema` prints the same
# structure (schemac/data/authoring.schema.json); a test keeps the two equal.
SCHEMA_KEYS = ("name", "category", "description", "exchanges", "unfold", "derive", "columns")
COLUMN_KEYS = ("description", "meta", "format", "type", "from")
EXTRACTOR_KEYS = ("path", "type", "transform", "case", "else", "description")


def authoring_schema(reader: Reader, root: Node) -> Schema | None:
    mapping = reader.expect(root, Mapping, "a schema file")
    if mapping is None:
        return None
    head = read_head(reader, mapping, SCHEMA_KEYS, "category")
    found = head.found
    declared = _exchange_list(reader, found["exchanges"]) if "exchanges" in found else None
    unfold_raw = _raw_unfold(reader, found["unfold"]) if "unfold" in found else None
    derive_raw = _raw_derive(reader, found["derive"]) if "derive" in found else None
    columns_raw = _raw_columns(reader, head.columns_node) if head.columns_node is not None else []
    if declared is not None:
        exchanges = declared
    else:
        keyed = [column.rules.keys() for column in columns_raw if column.rules is not None]
        keyed += [unfold_raw.keys()] if unfold_raw is not None else []
        keyed += [derive_raw.keys()] if derive_raw is not None else []
        exchanges = infer_exchanges(reader, keyed)
    resolver = ExchangeResolver(reader, exchanges, declared is not None)
    unfold = derive = None
    if unfold_raw is not None:
        unfold = resolver.expand(unfold_raw, "unfold", ("unfold", ""))
    if derive_raw is not None:
        derive = resolver.expand(derive_raw, "derive", ("derive", ""))
    columns = [
        column
        for raw in columns_raw
        if (column := resolve_column(reader, raw, resolver)) is not None
    ]
    body = Body(columns, list(exchanges), unfold, derive)
    description = found.get("description")
    if isinstance(description, Scalar):
        body.extras["description"] = description.value
    return build_schema(reader, head, body, "yaml")


def _exchange_list(reader: Reader, node: Node) -> list[str] | None:
    hint = None
    if isinstance(node, Scalar) and isinstance(node.value, str):
        hint = f"write a list: [{node.value}]"
    items = reader.expect(node, Sequence, "`exchanges`", "a list of exchange codes", hint)
    if items is None:
        return None
    codes: list[str] = []
    for item in items.items:
        code = reader.expect_string(item, "an exchange code")
        if code is None:
            continue
        if vocabulary.is_glob(code):
            reader.wrong_kind(item, f"`exchanges` lists exchange codes, not globs (`{code}`)")
            continue
        if code in codes:
            message = f"exchange `{code}` is listed twice"
            reader.report(DUPLICATE_EXCHANGE.at(item.span, message))
            continue
        reader.exchange_spans.setdefault(code, item.span)
        codes.append(code)
    return codes


def _raw_columns(reader: Reader, node: Node) -> list[RawColumn]:
    if isinstance(node, Sequence):
        message = "`columns` is a mapping of column name to column, not a list"
        hint = "write `columns:` then one `name: {...}` entry per column, in output order"
        reader.wrong_kind(node, message, hint)
        return []
    mapping = reader.expect(node, Mapping, "`columns`")
    if mapping is None:
        return []
    if not mapping.items:
        reader.report(NO_COLUMNS.at(mapping.span, "the schema has no columns"))
    result = []
    names: set[str] = set()
    for key, value in mapping.items:
        if isinstance(key, Scalar) and key.value in names:
            continue  # a duplicate key, reported by the loader
        name = _column_name(reader, key)
        if name is None:
            continue
        assert isinstance(key, Scalar)  # a column name is a string scalar
        names.add(name)
        raw = _raw_column(reader, name, key, value)
        if raw is not None:
            result.append(raw)
    return result


def _column_name(reader: Reader, key: Node) -> str | None:
    if isinstance(key, Scalar) and isinstance(key.value, str) and key.value != "":
        return key.value
    hint = None
    if isinstance(key, Scalar) and key.value is not None:
        hint = f"quote it: '{source_text(key.value)}'"
    message = f"a column name must be a non-empty string, not {kind_phrase(key)}"
    reader.wrong_kind(key, message, hint)
    return None


def _raw_column(reader: Reader, name: str, key: Scalar, node: Node) -> RawColumn | None:
    where = f"column `{name}`"
    mapping = reader.expect(node, Mapping, where)
    if mapping is None:
        return None
    found = reader.check_keys(mapping, COLUMN_KEYS, where)
    column = RawColumn(name=name, span=key.span, type_given="type" in found.misspelled)
    _check_meta_or_from(reader, where, key, mapping, found)
    if "meta" in found:
        _raw_meta(reader, column, where, mapping, found)
    elif "format" in found:
        span = key_span(mapping, "format", key.span)
        message = f"{where}: `format` applies only to meta columns"
        reader.report(UNKNOWN_KEY.at(span, message))
    if "type" in found and "meta" not in found:
        column.type = reader.type_name(found["type"])
        column.type_span = found["type"].span
        column.type_given = True
    if "from" in found:
        _raw_from(reader, column, found["from"])
    return column


def _check_meta_or_from(
    reader: Reader, where: str, key: Scalar, mapping: Mapping, found: KnownKeys
) -> None:
    """A column takes exactly one of `meta` and `from` (a misspelled one counts as written)."""
    has_meta, has_from = "meta" in found, "from" in found
    if has_meta and has_from:
        message = f"{where} has both `meta` and `from`; a column takes exactly one"
        reader.report(META_DATA_CONFLICT.at(key_span(mapping, "from", key.span), message))
    elif not has_meta and not has_from and not found.misspelled & {"meta", "from"}:
        message = f"{where} has neither `meta` nor `from`"
        hint = "read a message field with `from: <path>`, or the receive time with `meta`"
        reader.report(META_DATA_CONFLICT.at(key.span, message, hint))


def _raw_meta(
    reader: Reader, column: RawColumn, where: str, mapping: Mapping, found: KnownKeys
) -> None:
    value = reader.meta_value(found["meta"])
    fmt = reader.meta_format(found["format"]) if "format" in found else None
    if value is not None:
        column.meta = Meta(
            value,
            fmt,
            value_span=found["meta"].span,
            format_span=found["format"].span if "format" in found else None,
        )
    if "type" in found and "from" not in found:
        span = key_span(mapping, "type", column.span)
        message = f"{where}: `type` does not apply to a meta column (its type is implied)"
        hint = "meta timestamps are integers, or strings with `format: iso8601`"
        reader.report(META_COLUMN_TYPE.at(span, message, hint))


def _raw_from(reader: Reader, column: RawColumn, node: Node) -> None:
    what = f"`from` of column `{column.name}`"
    if isinstance(node, Scalar):
        path = reader.expect_string(node, what, allow_empty=True)
        if path is not None:
            column.path_all = (path, node.span)
        return
    mapping = reader.expect(node, Mapping, what)
    if mapping is None:
        return
    keyed: KeyedRules[RawExtractor] = KeyedRules()
    for code, key, value in reader.exchange_keys(mapping, "an exchange code or glob"):
        where = f"column `{column.name}`, exchange `{code}`"
        extractor = _raw_extractor(reader, value, where)
        if extractor is not None:
            extractor.key_span = key.span
            keyed.entries.append((code, key.span, extractor))
        else:
            keyed.failed.append(code)
    column.rules = keyed


def _raw_extractor(reader: Reader, node: Node, where: str) -> RawExtractor | None:
    if isinstance(node, Scalar):
        path = reader.expect_string(node, f"the path of {where}", allow_empty=True)
        if path is None:
            return None
        return RawExtractor(path=path, path_span=node.span, span=node.span)
    mapping = reader.expect(node, Mapping, where)
    if mapping is None:
        return None
    found = reader.check_keys(mapping, EXTRACTOR_KEYS, where)
    path_node = reader.require(found, "path", mapping, where)
    if path_node is None:
        return None
    path = reader.expect_string(path_node, f"the path of {where}", allow_empty=True)
    if path is None:
        return None
    raw = RawExtractor(path=path, path_span=path_node.span, span=mapping.span)
    raw.type_given = "type" in found.misspelled
    if "type" in found:
        raw.type = reader.type_name(found["type"])
        raw.type_span = found["type"].span
        raw.type_given = True
    _raw_transform(reader, raw, mapping, found, where)
    return raw


def _raw_transform(
    reader: Reader, raw: RawExtractor, mapping: Mapping, found: KnownKeys, where: str
) -> None:
    """An extractor's `transform`, or its `case` and `else` (one or the other)."""
    if "transform" in found:
        node = found["transform"]
        text = reader.expect_string(node, f"the transform of {where}")
        if text is not None:
            raw.transform = text
            raw.transform_span = node.span
            raw.transform_style = node.style if isinstance(node, Scalar) else None
    if "case" in found:
        raw.case = _case_map(reader, found["case"], found.get("else"), where)
        if "transform" in found:
            span = key_span(mapping, "transform", mapping.span)
            reader.report(CASE_WITH_TRANSFORM.at(span, f"{where} has both `case` and `transform`"))
    elif "else" in found:
        span = key_span(mapping, "else", mapping.span)
        reader.report(ELSE_WITHOUT_CASE.at(span, f"{where} has `else` but no `case`"))


def _case_map(reader: Reader, node: Node, else_node: Node | None, where: str) -> CaseMap | None:
    mapping = reader.expect(node, Mapping, f"`case` of {where}")
    if mapping is None:
        return None
    if not mapping.items:
        reader.report(EMPTY_CASE.at(mapping.span, f"`case` of {where} has no entries"))
        return None
    arms = []
    for key, value in mapping.items:
        when = _case_scalar(reader, key, "a `case` key")
        then = _case_scalar(reader, value, "a `case` value")
        if when is not None and then is not None:
            arms.append(CaseArm(when, then, key.span, value.span))
    otherwise = None
    if else_node is not None:
        otherwise = _case_scalar(reader, else_node, "`else`")
    if len(arms) != len(mapping.items):
        return None
    return CaseMap(
        tuple(arms),
        has_else=else_node is not None and otherwise is not None,
        otherwise=otherwise,
        span=mapping.span,
        else_span=else_node.span if else_node is not None else None,
    )


def _case_scalar(reader: Reader, node: Node, what: str) -> CaseScalar | None:
    if isinstance(node, Scalar) and node.value is not None:
        value = node.value
        if isinstance(value, float) and not math.isfinite(value):
            reader.wrong_kind(node, f"{what} must be a finite number")
            return None
        if isinstance(value, str) and "{v}" in value:
            message = f"{what} `{value}` contains {{v}}, the transform's placeholder"
            reader.report(PLACEHOLDER_IN_LITERAL.at(node.span, message))
        return value
    reader.wrong_kind(node, f"{what} must be a string, number or boolean, not {kind_phrase(node)}")
    return None


def _raw_unfold(reader: Reader, node: Node) -> KeyedRules[Unfold] | None:
    hint = unfold_list_hint(node, "`unfold: {bybit_linear: data}`")
    mapping = reader.expect(node, Mapping, "`unfold`", hint=hint)
    if mapping is None:
        reader.left_out(("unfold", ""), "*")
        return None
    keyed: KeyedRules[Unfold] = KeyedRules()
    for code, key, value in reader.exchange_keys(mapping, "an exchange code or glob"):
        rule: Unfold | None = None
        if isinstance(value, Scalar):  # the short form: `binance: data.levels`
            path = reader.expect_string(value, f"the unfold path of `{code}`", allow_empty=True)
            if path is not None:
                rule = Unfold(path, key.span, value.span)
        else:
            rule = unfold_rule(reader, code, key, value, f"unfold rule of `{code}`")
        if rule is not None:
            keyed.entries.append((code, key.span, rule))
        else:
            keyed.failed.append(code)
    return keyed


def _raw_derive(reader: Reader, node: Node) -> KeyedRules[list[DeriveField]] | None:
    mapping = reader.expect(node, Mapping, "`derive`")
    if mapping is None:
        reader.left_out(("derive", ""), "*")
        return None
    keyed: KeyedRules[list[DeriveField]] = KeyedRules()
    for code, key, value in reader.exchange_keys(mapping, "an exchange code or glob"):
        fields = derive_fields(reader, value, f"derive rules of `{code}`")
        if fields is not None:
            keyed.entries.append((code, key.span, fields))
        else:
            keyed.failed.append(code)
    return keyed

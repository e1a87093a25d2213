"""The wire format: the API's own JSON shape, as the vendor's docs show it.

``stream_category``, and ``columns`` as a list of ``output_column`` plus ``meta`` or ``data``
(exchange code -> ``{json: {path, type}, transform}``); ``unfold`` and ``derive`` keyed by
exact exchange codes. The fields an API response adds are accepted and dropped.
"""

from __future__ import annotations

from schemac.core.ir import Column, DeriveField, Extractor, Meta, Schema, Unfold
from schemac.core.parse.reader import Reader
from schemac.core.parse.shared import (
    Body,
    build_schema,
    derive_fields,
    read_head,
    unfold_list_hint,
    unfold_rule,
)
from schemac.core.tree import Mapping, Node, Scalar, Sequence
from schemac.rules.format import META_DATA_CONFLICT, NO_COLUMNS

# The create body, plus the fields a response adds (accepted, not sent).
WIRE_SCHEMA_KEYS = ("name", "stream_category", "columns", "unfold", "derive")
WIRE_RESPONSE_KEYS = ("id", "is_built_in", "created_at", "version", "has_draft")
WIRE_COLUMN_KEYS = ("output_column", "meta", "data")
WIRE_META_KEYS = ("value", "format")
WIRE_EXTRACTOR_KEYS = ("json", "transform")
WIRE_JSON_KEYS = ("path", "type")


def is_wire_document(root: Node) -> bool:
    """A wire document names `stream_category` or lists its columns; authoring maps them."""
    if not isinstance(root, Mapping):
        return False
    if root.get("stream_category") is not None:
        return True
    return root.get("category") is None and isinstance(root.get("columns"), Sequence)


def wire_schema(reader: Reader, root: Node) -> Schema | None:
    assert isinstance(root, Mapping)  # what is_wire_document accepts
    head = read_head(reader, root, WIRE_SCHEMA_KEYS, "stream_category", WIRE_RESPONSE_KEYS)
    columns = _columns(reader, head.columns_node) if head.columns_node is not None else []
    found = head.found
    unfold = _unfold(reader, found["unfold"]) if "unfold" in found else None
    derive = _derive(reader, found["derive"]) if "derive" in found else None
    keyed: list[list[str]] = [list(column.data or {}) for column in columns]
    keyed += [list(unfold or {}), list(derive or {})]
    exchanges: list[str] = []
    for codes in keyed:
        exchanges += [code for code in codes if code not in exchanges]
    return build_schema(reader, head, Body(columns, exchanges, unfold, derive), "wire")


def _columns(reader: Reader, node: Node) -> list[Column]:
    items = reader.expect(node, Sequence, "`columns`", "a list of columns")
    if items is None:
        return []
    if not items.items:
        reader.report(NO_COLUMNS.at(items.span, "the schema has no columns"))
    return [column for item in items.items if (column := _column(reader, item)) is not None]


def _column(reader: Reader, node: Node) -> Column | None:
    mapping = reader.expect(node, Mapping, "a column")
    if mapping is None:
        return None
    found = reader.check_keys(mapping, WIRE_COLUMN_KEYS, "a column")
    name_node = reader.require(found, "output_column", mapping, "the column")
    name = reader.expect_string(name_node, "`output_column`") if name_node is not None else None
    where = f"column `{name}`" if name else "the column"
    meta_node, data_node = found.get("meta"), found.get("data")
    # The docs' generated examples show `"data": {}` beside `meta`; an empty data is no rule.
    data_empty = isinstance(data_node, Mapping) and not data_node.items
    if meta_node is not None and data_node is not None and not data_empty:
        message = f"{where} has both `meta` and `data`; a column takes exactly one"
        reader.report(META_DATA_CONFLICT.at(data_node.span, message))
    elif meta_node is None and data_node is None:
        message = f"{where} has neither `meta` nor `data`"
        reader.report(META_DATA_CONFLICT.at(mapping.span, message))
    if name is None or name_node is None:
        return None
    if meta_node is not None:
        meta = _meta(reader, meta_node, where)
        return Column(name, meta=meta, span=name_node.span) if meta is not None else None
    if data_node is None:
        return None
    data = _data(reader, data_node, where)
    return Column(name, data=data, span=name_node.span) if data is not None else None


def _meta(reader: Reader, node: Node, where: str) -> Meta | None:
    what = f"`meta` of {where}"
    mapping = reader.expect(node, Mapping, what)
    if mapping is None:
        return None
    found = reader.check_keys(mapping, WIRE_META_KEYS, what)
    value_node = reader.require(found, "value", mapping, what)
    value = reader.meta_value(value_node) if value_node is not None else None
    format_node = found.get("format")
    fmt = reader.meta_format(format_node) if format_node is not None else None
    if value is None or value_node is None:
        return None
    format_span = format_node.span if format_node is not None else None
    return Meta(value, fmt, value_span=value_node.span, format_span=format_span)


def _data(reader: Reader, node: Node, where: str) -> dict[str, Extractor] | None:
    mapping = reader.expect(node, Mapping, f"`data` of {where}")
    if mapping is None:
        return None
    data: dict[str, Extractor] = {}
    for code, key, value in reader.exchange_keys(mapping, "an exchange code"):
        extractor = _extractor(reader, value, f"{where}, exchange `{code}`", key)
        if extractor is not None:
            data[code] = extractor
    return data


def _extractor(reader: Reader, node: Node, where: str, key: Scalar) -> Extractor | None:
    mapping = reader.expect(node, Mapping, where)
    if mapping is None:
        return None
    found = reader.check_keys(mapping, WIRE_EXTRACTOR_KEYS, where)
    json_node = reader.require(found, "json", mapping, where)
    json = _json(reader, json_node, where) if json_node is not None else None
    if json is None:
        return None
    transform = None
    transform_node = found.get("transform")
    if transform_node is not None and not (
        isinstance(transform_node, Scalar) and transform_node.value is None
    ):
        transform = reader.expect_string(transform_node, f"the transform of {where}")
    path, type_, path_node, type_node = json
    if path is None or type_ is None or path_node is None or type_node is None:
        return None
    written = transform_node if transform is not None else None
    return Extractor(
        path=path,
        type=type_,
        transform=transform,
        span=key.span,
        path_span=path_node.span,
        type_span=type_node.span,
        transform_span=written.span if written is not None else None,
        transform_style=written.style if isinstance(written, Scalar) else None,
    )


def _json(
    reader: Reader, node: Node, where: str
) -> tuple[str | None, str | None, Node | None, Node | None] | None:
    """The `json` of an extractor: (path, type, their nodes), or None if it is no mapping."""
    what = f"`json` of {where}"
    mapping = reader.expect(node, Mapping, what)
    if mapping is None:
        return None
    found = reader.check_keys(mapping, WIRE_JSON_KEYS, what)
    path_node = reader.require(found, "path", mapping, what)
    type_node = reader.require(found, "type", mapping, what)
    path = None
    if path_node is not None:
        path = reader.expect_string(path_node, "the path", allow_empty=True)
    type_ = reader.type_name(type_node) if type_node is not None else None
    return path, type_, path_node, type_node


def _unfold(reader: Reader, node: Node) -> dict[str, Unfold] | None:
    if isinstance(node, Scalar) and node.value is None:
        return None
    hint = unfold_list_hint(node, '`{"bybit_linear": {"path": "data"}}`')
    mapping = reader.expect(node, Mapping, "`unfold`", hint=hint)
    if mapping is None:
        reader.left_out(("unfold", ""), "*")
        return None
    result: dict[str, Unfold] = {}
    for code, key, value in reader.exchange_keys(mapping, "an exchange code"):
        rule = unfold_rule(reader, code, key, value, f"the unfold rule of `{code}`")
        if rule is not None:
            result[code] = rule
        else:
            reader.left_out(("unfold", ""), code)
    return result


def _derive(reader: Reader, node: Node) -> dict[str, list[DeriveField]] | None:
    if isinstance(node, Scalar) and node.value is None:
        return None
    mapping = reader.expect(node, Mapping, "`derive`")
    if mapping is None:
        return None
    result: dict[str, list[DeriveField]] = {}
    for code, _key, value in reader.exchange_keys(mapping, "an exchange code"):
        fields = derive_fields(reader, value, f"derive rules of `{code}`")
        if fields is not None:
            result[code] = fields
    return result

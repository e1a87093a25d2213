"""What the authoring and the wire format share: the schema's head, unfold and derive rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemac.core.ir import Column, DeriveArray, DeriveField, Schema, Unfold
from schemac.core.parse.reader import KnownKeys, Reader
from schemac.core.tree import Mapping, Node, Sequence

UNFOLD_KEYS = ("path",)
DERIVE_KEYS = ("field", "op", "arrays", "tag_field", "value_field")
DERIVE_ARRAY_KEYS = ("path", "tag")
_DERIVE_TEXT_KEYS = ("field", "op", "tag_field", "value_field")


@dataclass(slots=True)
class Head:
    """A schema's top-level keys, with its name and category read (None: reported)."""

    mapping: Mapping
    found: KnownKeys
    name_node: Node | None
    category_node: Node | None
    columns_node: Node | None
    name: str | None = None
    category: str | None = None


def read_head(
    reader: Reader,
    mapping: Mapping,
    keys: tuple[str, ...],
    category_key: str,
    ignored: tuple[str, ...] = (),
) -> Head:
    found = reader.check_keys(mapping, keys, "the schema", ignored)
    head = Head(
        mapping,
        found,
        name_node=reader.require(found, "name", mapping, "the schema"),
        category_node=reader.require(found, category_key, mapping, "the schema"),
        columns_node=reader.require(found, "columns", mapping, "the schema"),
    )
    if head.name_node is not None:
        head.name = reader.expect_string(head.name_node, "the schema name")
    if head.category_node is not None:
        head.category = reader.category(head.category_node)
    return head


@dataclass(slots=True)
class Body:
    """What a front end read below the head, in the IR's terms."""

    columns: list[Column]
    exchanges: list[str]
    unfold: dict[str, Unfold] | None
    derive: dict[str, list[DeriveField]] | None
    extras: dict[str, object] = field(default_factory=dict)


def build_schema(reader: Reader, head: Head, body: Body, source_format: str) -> Schema | None:
    """The IR schema, or None when its name, category or columns could not be read."""
    if head.name is None or head.category is None or head.columns_node is None:
        return None
    return Schema(
        name=head.name,
        category=head.category,
        columns=body.columns,
        exchanges=body.exchanges,
        unfold=body.unfold,
        derive=body.derive,
        source=reader.file,
        source_format=source_format,
        span=head.mapping.span,
        name_span=head.name_node.span if head.name_node is not None else None,
        category_span=head.category_node.span if head.category_node is not None else None,
        extras=body.extras,
        unreadable=reader.unreadable,
        exchange_spans=reader.exchange_spans,
    )


def unfold_list_hint(node: Node, example: str) -> str | None:
    """The hint for an `unfold` written as a list: one array per exchange, or `derive` first.

    A list usually means "these arrays, all of them" (bids and asks), which unfold cannot do."""
    if not isinstance(node, Sequence):
        return None
    return (
        f"`unfold` takes one array path per exchange ({example}); to make rows of several "
        "arrays (bids and asks), merge them with `derive` (op `tagged_concat`) into one field, "
        "then unfold that field (`data.<field>`)"
    )


def unfold_rule(reader: Reader, code: str, key: Node, node: Node, what: str) -> Unfold | None:
    """An unfold rule written as ``{path: ...}`` (``what`` names it if it is not a mapping)."""
    hint = unfold_list_hint(node, f"one path for `{code}`, such as `data`")
    rule_map = reader.expect(node, Mapping, what, hint=hint)
    if rule_map is None:
        return None
    found = reader.check_keys(rule_map, UNFOLD_KEYS, f"the unfold rule of `{code}`")
    path_node = reader.require(found, "path", rule_map, f"the unfold rule of `{code}`")
    if path_node is None:
        return None
    path = reader.expect_string(path_node, f"the unfold path of `{code}`", allow_empty=True)
    if path is None:
        return None
    return Unfold(path, key.span, path_node.span)


def derive_fields(reader: Reader, node: Node, where: str) -> list[DeriveField] | None:
    """The derive fields of one exchange (a list of ``{field, op, arrays, ...}``)."""
    items = reader.expect(node, Sequence, where, "a list of derive fields")
    if items is None:
        return None
    fields = []
    for item in items.items:
        mapping = reader.expect(item, Mapping, f"a derive field of {where}")
        if mapping is None:
            continue
        derived = _derive_field(reader, mapping)
        if derived is not None:
            fields.append(derived)
    return fields


def _derive_field(reader: Reader, mapping: Mapping) -> DeriveField | None:
    found = reader.check_keys(mapping, DERIVE_KEYS, "a derive field")
    values: dict[str, str] = {}
    for key in _DERIVE_TEXT_KEYS:
        value_node = reader.require(found, key, mapping, "the derive field")
        if value_node is not None:
            text = reader.expect_string(value_node, f"`{key}` of the derive field")
            if text is not None:
                values[key] = text
    arrays_node = reader.require(found, "arrays", mapping, "the derive field")
    arrays = _derive_arrays(reader, arrays_node) if arrays_node is not None else None
    if len(values) < len(_DERIVE_TEXT_KEYS) or arrays is None:
        return None
    return DeriveField(
        values["field"],
        values["op"],
        tuple(arrays),
        values["tag_field"],
        values["value_field"],
        span=mapping.span,
        field_span=found["field"].span,
        op_span=found["op"].span,
        arrays_span=found["arrays"].span,
        value_field_span=found["value_field"].span,
    )


def _derive_arrays(reader: Reader, node: Node) -> list[DeriveArray] | None:
    items = reader.expect(node, Sequence, "`arrays`", "a list of {path, tag}")
    if items is None:
        return None
    arrays = []
    for item in items.items:
        mapping = reader.expect(item, Mapping, "an entry of `arrays`")
        if mapping is None:
            continue
        found = reader.check_keys(mapping, DERIVE_ARRAY_KEYS, "an entry of `arrays`")
        path_node = reader.require(found, "path", mapping, "the entry of `arrays`")
        tag_node = reader.require(found, "tag", mapping, "the entry of `arrays`")
        if path_node is None or tag_node is None:
            continue
        path = reader.expect_string(path_node, "the array path", allow_empty=True)
        tag = reader.expect_string(tag_node, "the tag", allow_empty=True)
        if path is not None and tag is not None:
            arrays.append(DeriveArray(path, tag, mapping.span, path_node.span, tag_node.span))
    return arrays

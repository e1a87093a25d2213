"""Parse and resolve: a located tree -> the IR, with a diagnostic for every structural problem.

Two front ends share this module: the YAML authoring format (``name``, ``category``,
``exchanges``, ``columns`` as a mapping, ``from`` with globs, ``case``) and the API's wire format
(``stream_category``, ``columns`` as a list of ``output_column`` + ``meta`` | ``data``). Both
produce the same :class:`schemac.core.ir.Schema`. Resolution (exchange globs, inherited types,
``case`` rendered to SQL) happens here too, so the IR holds only concrete exchange codes.

Parsing never stops at the first problem: each part is checked on its own, and a part that
cannot be understood is left out of the IR (with its diagnostic) so the rest is still checked.
"""

from __future__ import annotations

import fnmatch
import math
from dataclasses import dataclass, field

from schemac import vocabulary
from schemac.config import Config
from schemac.core.ir import (
    CaseArm,
    CaseMap,
    Column,
    DeriveArray,
    DeriveField,
    Extractor,
    Meta,
    Schema,
)
from schemac.core.ir import Unfold as UnfoldRule
from schemac.core.loader import Mapping, Node, Scalar, Sequence, describe_value
from schemac.core.sqlcase import render_case
from schemac.diagnostics import Diagnostic, Span, did_you_mean, suggestion_hint
from schemac.rules import core as rules

# The keys of each object of the authoring format. `schemac json-schema` prints the same
# structure (schemac/data/authoring.schema.json); a test keeps the two equal.
SCHEMA_KEYS = ("name", "category", "description", "exchanges", "unfold", "derive", "columns")
COLUMN_KEYS = ("description", "meta", "format", "type", "from")
EXTRACTOR_KEYS = ("path", "type", "transform", "case", "else", "description")
UNFOLD_KEYS = ("path",)
DERIVE_KEYS = ("field", "op", "arrays", "tag_field", "value_field")
DERIVE_ARRAY_KEYS = ("path", "tag")

# The wire format: the create body, plus the fields a response adds (accepted, not sent).
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


def parse_document(root: Node, file: str, config: Config) -> tuple[Schema | None, list[Diagnostic]]:
    parser = _Parser(file, config)
    schema = parser.wire_schema(root) if is_wire_document(root) else parser.authoring_schema(root)
    return schema, parser.diagnostics


@dataclass
class _Parser:
    file: str
    config: Config
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The keys suggested for the unknown keys of the last mapping checked: a misspelled `type`
    # must not also be reported as a missing type.
    misspelled: set[str] = field(default_factory=set)
    # Where each exchange code of a wire file is first written, for unknown-exchange findings.
    wire_exchange_spans: dict[str, Span] = field(default_factory=dict)

    # -- helpers ----------------------------------------------------------------------------

    def report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def expect_mapping(self, node: Node, what: str) -> Mapping | None:
        if isinstance(node, Mapping):
            return node
        self.report(
            rules.WRONG_KIND.at(node.span, f"{what} must be a mapping, not {_kind_phrase(node)}")
        )
        return None

    def expect_string(self, node: Node, what: str, *, allow_empty: bool = False) -> str | None:
        if isinstance(node, Scalar) and isinstance(node.value, str):
            if node.value == "" and not allow_empty:
                self.report(rules.WRONG_KIND.at(node.span, f"{what} must not be empty"))
                return None
            return node.value
        hint = None
        if isinstance(node, Scalar) and node.value is not None:
            hint = f"quote it to make it a string: '{_source_text(node.value)}'"
        self.report(
            rules.WRONG_KIND.at(
                node.span, f"{what} must be a string, not {_kind_phrase(node)}", hint
            )
        )
        return None

    def check_keys(
        self, mapping: Mapping, allowed: tuple[str, ...], where: str, ignored: tuple[str, ...] = ()
    ) -> dict[str, Node]:
        """The mapping's known keys -> values; unknown and non-string keys are reported."""
        found: dict[str, Node] = {}
        self.misspelled = set()
        for key, value in mapping.items:
            if not (isinstance(key, Scalar) and isinstance(key.value, str)):
                message = f"keys of {where} are names, not {_kind_phrase(key)}"
                self.report(rules.WRONG_KIND.at(key.span, message))
                continue
            name = key.value
            if name in allowed:
                found.setdefault(name, value)
            elif name not in ignored:
                suggestion = did_you_mean(name, allowed)
                if suggestion:
                    self.misspelled.add(suggestion)
                hint = suggestion_hint(name, allowed, _allowed_hint(allowed))
                self.report(
                    rules.UNKNOWN_KEY.at(key.span, f"unknown key `{name}` in {where}", hint)
                )
        return found

    def require(
        self, found: dict[str, Node], key: str, mapping: Mapping, where: str
    ) -> Node | None:
        value = found.get(key)
        if value is None:
            span = _head_span(mapping)
            self.report(rules.MISSING_KEY.at(span, f"{where} is missing required key `{key}`"))
        return value

    def category(self, node: Node) -> str | None:
        value = self.expect_string(node, "the category")
        if value is None:
            return None
        if value not in vocabulary.CATEGORIES:
            hint = suggestion_hint(
                value, vocabulary.CATEGORIES, f"one of: {', '.join(vocabulary.CATEGORIES)}"
            )
            self.report(rules.UNKNOWN_CATEGORY.at(node.span, f"unknown category `{value}`", hint))
            return None
        return value

    def type_name(self, node: Node) -> str | None:
        value = self.expect_string(node, "a type")
        if value is None:
            return None
        problem = vocabulary.type_problem(value, self.config.decimal_max_scale)
        if problem is not None:
            message = f"`{value}` is not a valid type: {problem}"
            self.report(rules.MALFORMED_TYPE.at(node.span, message, vocabulary.TYPE_NAMES_HINT))
            return None
        return value

    def meta_value(self, node: Node) -> str | None:
        value = self.expect_string(node, "a meta value")
        if value is not None and value not in vocabulary.META_VALUES:
            hint = f"the only meta value is `{vocabulary.META_VALUES[0]}`"
            self.report(
                rules.UNKNOWN_META_VALUE.at(node.span, f"unknown meta value `{value}`", hint)
            )
            return None
        return value

    def meta_format(self, node: Node) -> str | None:
        value = self.expect_string(node, "a meta format")
        if value is not None and value not in vocabulary.META_FORMATS:
            hint = suggestion_hint(
                value, vocabulary.META_FORMATS, f"one of: {', '.join(vocabulary.META_FORMATS)}"
            )
            self.report(
                rules.UNKNOWN_META_FORMAT.at(node.span, f"unknown meta format `{value}`", hint)
            )
            return None
        return value

    # -- authoring format -------------------------------------------------------------------

    def authoring_schema(self, root: Node) -> Schema | None:
        mapping = self.expect_mapping(root, "a schema file")
        if mapping is None:
            return None
        found = self.check_keys(mapping, SCHEMA_KEYS, "the schema")
        name_node = self.require(found, "name", mapping, "the schema")
        category_node = self.require(found, "category", mapping, "the schema")
        columns_node = self.require(found, "columns", mapping, "the schema")
        name = self.expect_string(name_node, "the schema name") if name_node else None
        category = self.category(category_node) if category_node else None

        declared = self.exchange_list(found["exchanges"]) if "exchanges" in found else None
        unfold_raw = self.raw_unfold(found["unfold"]) if "unfold" in found else None
        derive_raw = self.raw_derive(found["derive"]) if "derive" in found else None
        columns_raw = self.raw_columns(columns_node) if columns_node is not None else []

        exchanges = (
            declared
            if declared is not None
            else self.infer_exchanges(columns_raw, unfold_raw, derive_raw)
        )
        resolver = _ExchangeResolver(self, exchanges, declared is not None)
        unfold = resolver.expand(unfold_raw, "unfold") if unfold_raw is not None else None
        derive = resolver.expand(derive_raw, "derive") if derive_raw is not None else None
        columns = [
            column
            for raw in columns_raw
            if (column := self.resolve_column(raw, resolver)) is not None
        ]
        if name is None or category is None or columns_node is None:
            return None
        extras = {}
        if "description" in found and isinstance(found["description"], Scalar):
            extras["description"] = found["description"].value
        return Schema(
            name=name,
            category=category,
            columns=columns,
            exchanges=list(exchanges),
            unfold=unfold,
            derive=derive,
            source=self.file,
            source_format="yaml",
            span=mapping.span,
            name_span=name_node.span if name_node else None,
            category_span=category_node.span if category_node else None,
            extras=extras,
        )

    def exchange_list(self, node: Node) -> list[str] | None:
        if not isinstance(node, Sequence):
            hint = None
            if isinstance(node, Scalar) and isinstance(node.value, str):
                hint = f"write a list: [{node.value}]"
            message = f"`exchanges` must be a list of exchange codes, not {_kind_phrase(node)}"
            self.report(rules.WRONG_KIND.at(node.span, message, hint))
            return None
        codes: list[str] = []
        for item in node.items:
            code = self.expect_string(item, "an exchange code")
            if code is None:
                continue
            if vocabulary.is_glob(code):
                message = f"`exchanges` lists exchange codes, not globs (`{code}`)"
                self.report(rules.WRONG_KIND.at(item.span, message))
                continue
            if code in codes:
                message = f"exchange `{code}` is listed twice"
                self.report(rules.DUPLICATE_KEY.at(item.span, message))
                continue
            self.check_known_exchange(code, item.span)
            codes.append(code)
        return codes

    def check_known_exchange(self, code: str, span: Span) -> None:
        known = self.config.exchanges
        if code in known:
            return
        hint = suggestion_hint(
            code, known, "add it to `exchanges` in the configuration if the API knows it"
        )
        self.report(rules.UNKNOWN_EXCHANGE.at(span, f"unknown exchange code `{code}`", hint))

    def infer_exchanges(
        self,
        columns: list[_RawColumn],
        unfold: _KeyedRules | None,
        derive: _KeyedRules | None,
    ) -> list[str]:
        """Without `exchanges`, a schema's exchanges are the exact codes its rules name."""
        codes: list[str] = []
        keyed: list[_KeyedRules] = [c.rules for c in columns if c.rules is not None]
        keyed += [r for r in (unfold, derive) if r is not None]
        for rules_ in keyed:
            for key, key_span, _ in rules_.entries:
                if not vocabulary.is_glob(key) and key not in codes:
                    self.check_known_exchange(key, key_span)
                    codes.append(key)
        return codes

    def raw_columns(self, node: Node) -> list[_RawColumn]:
        if isinstance(node, Sequence):
            message = "`columns` is a mapping of column name to column, not a list"
            hint = "write `columns:` then one `name: {...}` entry per column, in output order"
            self.report(rules.WRONG_KIND.at(node.span, message, hint))
            return []
        mapping = self.expect_mapping(node, "`columns`")
        if mapping is None:
            return []
        if not mapping.items:
            self.report(rules.NO_COLUMNS.at(mapping.span, "the schema has no columns"))
        result = []
        names: set[str] = set()
        for key, value in mapping.items:
            if isinstance(key, Scalar) and key.value in names:
                continue  # a duplicate key, reported by the loader
            if not isinstance(key, Scalar) or not isinstance(key.value, str) or key.value == "":
                hint = None
                if isinstance(key, Scalar) and key.value is not None:
                    hint = f"quote it: '{_source_text(key.value)}'"
                message = f"a column name must be a non-empty string, not {_kind_phrase(key)}"
                self.report(rules.WRONG_KIND.at(key.span, message, hint))
                continue
            names.add(key.value)
            raw = self.raw_column(key.value, key, value)
            if raw is not None:
                result.append(raw)
        return result

    def raw_column(self, name: str, key: Scalar, node: Node) -> _RawColumn | None:
        where = f"column `{name}`"
        mapping = self.expect_mapping(node, where)
        if mapping is None:
            return None
        found = self.check_keys(mapping, COLUMN_KEYS, where)
        column = _RawColumn(name=name, span=key.span, type_given="type" in self.misspelled)
        has_meta, has_from = "meta" in found, "from" in found
        misspelled = self.misspelled
        if has_meta and has_from:
            key_node = mapping.key_node("from")
            span = key_node.span if key_node is not None else key.span
            message = f"{where} has both `meta` and `from`; a column takes exactly one"
            self.report(rules.META_DATA_CONFLICT.at(span, message))
        elif not has_meta and not has_from and not misspelled & {"meta", "from"}:
            message = f"{where} has neither `meta` nor `from`"
            hint = "read a message field with `from: <path>`, or the receive time with `meta`"
            self.report(rules.META_DATA_CONFLICT.at(key.span, message, hint))
        if has_meta:
            value = self.meta_value(found["meta"])
            fmt = self.meta_format(found["format"]) if "format" in found else None
            if value is not None:
                column.meta = Meta(
                    value,
                    fmt,
                    value_span=found["meta"].span,
                    format_span=found["format"].span if "format" in found else None,
                )
            if "type" in found and not has_from:
                key_node = mapping.key_node("type")
                message = f"{where}: `type` does not apply to a meta column (its type is implied)"
                hint = "meta timestamps are integers, or strings with `format: iso8601`"
                self.report(
                    rules.UNKNOWN_KEY.at(key_node.span if key_node else key.span, message, hint)
                )
        elif "format" in found:
            key_node = mapping.key_node("format")
            message = f"{where}: `format` applies only to meta columns"
            self.report(rules.UNKNOWN_KEY.at(key_node.span if key_node else key.span, message))
        if "type" in found and not has_meta:
            column.type = self.type_name(found["type"])
            column.type_span = found["type"].span
            column.type_given = True
        if has_from:
            self.raw_from(column, found["from"])
        return column

    def raw_from(self, column: _RawColumn, node: Node) -> None:
        if isinstance(node, Scalar):
            path = self.expect_string(node, f"`from` of column `{column.name}`", allow_empty=True)
            if path is not None:
                column.path_all = (path, node.span)
            return
        mapping = self.expect_mapping(node, f"`from` of column `{column.name}`")
        if mapping is None:
            return
        entries = []
        for key, value in mapping.items:
            code = self.expect_string(key, "an exchange code or glob")
            if code is None:
                continue
            extractor = self.raw_extractor(value, f"column `{column.name}`, exchange `{code}`")
            if extractor is not None:
                extractor.key_span = key.span
                entries.append((code, key.span, extractor))
        column.rules = _KeyedRules(entries, mapping)

    def raw_extractor(self, node: Node, where: str) -> _RawExtractor | None:
        if isinstance(node, Scalar):
            path = self.expect_string(node, f"the path of {where}", allow_empty=True)
            if path is None:
                return None
            return _RawExtractor(path=path, path_span=node.span, span=node.span)
        mapping = self.expect_mapping(node, where)
        if mapping is None:
            return None
        found = self.check_keys(mapping, EXTRACTOR_KEYS, where)
        path_node = self.require(found, "path", mapping, where)
        path = None
        if path_node is not None:
            path = self.expect_string(path_node, f"the path of {where}", allow_empty=True)
        if path is None:
            return None
        raw = _RawExtractor(path=path, path_span=path_node.span, span=mapping.span)
        raw.type_given = "type" in self.misspelled
        if "type" in found:
            raw.type = self.type_name(found["type"])
            raw.type_span = found["type"].span
            raw.type_given = True
        if "transform" in found:
            text = self.expect_string(found["transform"], f"the transform of {where}")
            if text is not None:
                node_ = found["transform"]
                raw.transform = text
                raw.transform_span = node_.span
                raw.transform_style = node_.style if isinstance(node_, Scalar) else None
        if "case" in found:
            raw.case = self.case_map(found["case"], found.get("else"), where)
            if "transform" in found:
                key_node = mapping.key_node("transform")
                message = f"{where} has both `case` and `transform`"
                span = key_node.span if key_node is not None else mapping.span
                self.report(rules.CASE_WITH_TRANSFORM.at(span, message))
        elif "else" in found:
            key_node = mapping.key_node("else")
            span = key_node.span if key_node is not None else mapping.span
            self.report(rules.ELSE_WITHOUT_CASE.at(span, f"{where} has `else` but no `case`"))
        return raw

    def case_map(self, node: Node, else_node: Node | None, where: str) -> CaseMap | None:
        mapping = self.expect_mapping(node, f"`case` of {where}")
        if mapping is None:
            return None
        if not mapping.items:
            self.report(rules.EMPTY_CASE.at(mapping.span, f"`case` of {where} has no entries"))
            return None
        arms = []
        for key, value in mapping.items:
            when = self.case_scalar(key, "a `case` key")
            then = self.case_scalar(value, "a `case` value")
            if when is not None and then is not None:
                arms.append(CaseArm(when, then, key.span, value.span))
        otherwise = None
        if else_node is not None:
            otherwise = self.case_scalar(else_node, "`else`")
        if len(arms) != len(mapping.items):
            return None
        return CaseMap(
            tuple(arms),
            has_else=else_node is not None and otherwise is not None,
            otherwise=otherwise,
            span=mapping.span,
            else_span=else_node.span if else_node is not None else None,
        )

    def case_scalar(self, node: Node, what: str) -> str | int | float | bool | None:
        if isinstance(node, Scalar) and node.value is not None:
            value = node.value
            if isinstance(value, float) and not math.isfinite(value):
                self.report(rules.WRONG_KIND.at(node.span, f"{what} must be a finite number"))
                return None
            if isinstance(value, str) and "{v}" in value:
                message = f"{what} `{value}` contains {{v}}, the transform's placeholder"
                self.report(rules.PLACEHOLDER_IN_LITERAL.at(node.span, message))
            return value
        message = f"{what} must be a string, number or boolean, not {_kind_phrase(node)}"
        self.report(rules.WRONG_KIND.at(node.span, message))
        return None

    def raw_unfold(self, node: Node) -> _KeyedRules | None:
        mapping = self.expect_mapping(node, "`unfold`")
        if mapping is None:
            return None
        entries = []
        for key, value in mapping.items:
            code = self.expect_string(key, "an exchange code or glob")
            if code is None:
                continue
            if isinstance(value, Scalar):
                path = self.expect_string(value, f"the unfold path of `{code}`", allow_empty=True)
                if path is not None:
                    entries.append((code, key.span, UnfoldRule(path, key.span, value.span)))
                continue
            rule_map = self.expect_mapping(value, f"unfold rule of `{code}`")
            if rule_map is None:
                continue
            found = self.check_keys(rule_map, UNFOLD_KEYS, f"the unfold rule of `{code}`")
            path_node = self.require(found, "path", rule_map, f"the unfold rule of `{code}`")
            if path_node is None:
                continue
            path = self.expect_string(path_node, f"the unfold path of `{code}`", allow_empty=True)
            if path is not None:
                entries.append((code, key.span, UnfoldRule(path, key.span, path_node.span)))
        return _KeyedRules(entries, mapping)

    def raw_derive(self, node: Node) -> _KeyedRules | None:
        mapping = self.expect_mapping(node, "`derive`")
        if mapping is None:
            return None
        entries = []
        for key, value in mapping.items:
            code = self.expect_string(key, "an exchange code or glob")
            if code is None:
                continue
            fields = self.derive_fields(value, f"derive rules of `{code}`")
            if fields is not None:
                entries.append((code, key.span, fields))
        return _KeyedRules(entries, mapping)

    def derive_fields(self, node: Node, where: str) -> list[DeriveField] | None:
        if not isinstance(node, Sequence):
            message = f"{where} must be a list of derive fields, not {_kind_phrase(node)}"
            self.report(rules.WRONG_KIND.at(node.span, message))
            return None
        fields = []
        for item in node.items:
            mapping = self.expect_mapping(item, f"a derive field of {where}")
            if mapping is None:
                continue
            found = self.check_keys(mapping, DERIVE_KEYS, "a derive field")
            values: dict[str, str] = {}
            for key in ("field", "op", "tag_field", "value_field"):
                value_node = self.require(found, key, mapping, "the derive field")
                if value_node is not None:
                    text = self.expect_string(value_node, f"`{key}` of the derive field")
                    if text is not None:
                        values[key] = text
            arrays_node = self.require(found, "arrays", mapping, "the derive field")
            arrays = self.derive_arrays(arrays_node) if arrays_node is not None else None
            if len(values) == 4 and arrays is not None:
                fields.append(
                    DeriveField(
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
                )
        return fields

    def derive_arrays(self, node: Node) -> list[DeriveArray] | None:
        if not isinstance(node, Sequence):
            message = f"`arrays` must be a list of {{path, tag}}, not {_kind_phrase(node)}"
            self.report(rules.WRONG_KIND.at(node.span, message))
            return None
        arrays = []
        for item in node.items:
            mapping = self.expect_mapping(item, "an entry of `arrays`")
            if mapping is None:
                continue
            found = self.check_keys(mapping, DERIVE_ARRAY_KEYS, "an entry of `arrays`")
            path_node = self.require(found, "path", mapping, "the entry of `arrays`")
            tag_node = self.require(found, "tag", mapping, "the entry of `arrays`")
            if path_node is None or tag_node is None:
                continue
            path = self.expect_string(path_node, "the array path", allow_empty=True)
            tag = self.expect_string(tag_node, "the tag", allow_empty=True)
            if path is not None and tag is not None:
                arrays.append(DeriveArray(path, tag, mapping.span, path_node.span, tag_node.span))
        return arrays

    def resolve_column(self, raw: _RawColumn, resolver: _ExchangeResolver) -> Column | None:
        if raw.meta is not None:
            return Column(raw.name, meta=raw.meta, span=raw.span)
        if raw.path_all is not None:
            path, span = raw.path_all
            if not resolver.exchanges:
                message = (
                    f"column `{raw.name}` reads `{path}` on every exchange, "
                    "but the schema names none"
                )
                hint = "list the schema's exchanges: `exchanges: [binance, ...]`"
                self.report(rules.EXCHANGES_REQUIRED.at(span, message, hint))
                return None
            if raw.type is None:
                if not raw.type_given:
                    self.report_missing_type(raw.name, None, span)
                return None
            data = {
                ex: Extractor(path, raw.type, span=span, path_span=span, type_span=raw.type_span)
                for ex in resolver.exchanges
            }
            return Column(raw.name, data=data, span=raw.span)
        if raw.rules is None:
            return None
        data = {}
        complete = True
        for exchange, extractor in resolver.expand(raw.rules, f"column `{raw.name}`").items():
            resolved = self.resolve_extractor(raw, exchange, extractor)
            if resolved is None:
                complete = False
                continue
            data[exchange] = resolved
        if not complete and not data:
            return None
        return Column(raw.name, data=data, span=raw.span)

    def resolve_extractor(
        self, column: _RawColumn, exchange: str, raw: _RawExtractor
    ) -> Extractor | None:
        type_ = raw.type if raw.type_given else column.type
        type_span = raw.type_span if raw.type_given else column.type_span
        if type_ is None:
            if not raw.type_given and not column.type_given:
                self.report_missing_type(column.name, exchange, raw.key_span or raw.span)
            return None
        transform = raw.transform
        if raw.case is not None:
            transform = render_case(raw.case, self.config.dialect)
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

    def report_missing_type(self, column: str, exchange: str | None, span: Span) -> None:
        where = f"column `{column}`" + (f", exchange `{exchange}`" if exchange else "")
        hint = "give the column a `type` (decimal(N), f64, i64, string, bool), or the rule its own"
        self.report(rules.MISSING_TYPE.at(span, f"{where} has no type", hint))

    # -- wire format ------------------------------------------------------------------------

    def wire_schema(self, root: Node) -> Schema | None:
        mapping = root
        assert isinstance(mapping, Mapping)
        found = self.check_keys(mapping, WIRE_SCHEMA_KEYS, "the schema", WIRE_RESPONSE_KEYS)
        name_node = self.require(found, "name", mapping, "the schema")
        category_node = self.require(found, "stream_category", mapping, "the schema")
        columns_node = self.require(found, "columns", mapping, "the schema")
        name = self.expect_string(name_node, "the schema name") if name_node else None
        category = self.category(category_node) if category_node else None
        columns: list[Column] = []
        if columns_node is not None:
            if not isinstance(columns_node, Sequence):
                message = f"`columns` must be a list of columns, not {_kind_phrase(columns_node)}"
                self.report(rules.WRONG_KIND.at(columns_node.span, message))
            else:
                if not columns_node.items:
                    self.report(rules.NO_COLUMNS.at(columns_node.span, "the schema has no columns"))
                for item in columns_node.items:
                    column = self.wire_column(item)
                    if column is not None:
                        columns.append(column)
        unfold = self.wire_unfold(found["unfold"]) if "unfold" in found else None
        derive = self.wire_derive(found["derive"]) if "derive" in found else None
        exchanges: list[str] = []
        for column in columns:
            for code in column.data or {}:
                if code not in exchanges:
                    exchanges.append(code)
        for keyed in (unfold or {}, derive or {}):
            for code in keyed:
                if code not in exchanges:
                    exchanges.append(code)
        for code in exchanges:
            self.check_known_exchange(code, self.wire_exchange_spans.get(code, mapping.span))
        if name is None or category is None or columns_node is None:
            return None
        return Schema(
            name=name,
            category=category,
            columns=columns,
            exchanges=exchanges,
            unfold=unfold,
            derive=derive,
            source=self.file,
            source_format="wire",
            span=mapping.span,
            name_span=name_node.span if name_node else None,
            category_span=category_node.span if category_node else None,
        )

    def wire_key(self, key: Node) -> str | None:
        code = self.expect_string(key, "an exchange code")
        if code is not None:
            self.wire_exchange_spans.setdefault(code, key.span)
        return code

    def wire_column(self, node: Node) -> Column | None:
        mapping = self.expect_mapping(node, "a column")
        if mapping is None:
            return None
        found = self.check_keys(mapping, WIRE_COLUMN_KEYS, "a column")
        name_node = self.require(found, "output_column", mapping, "the column")
        name = self.expect_string(name_node, "`output_column`") if name_node else None
        where = f"column `{name}`" if name else "the column"
        meta_node, data_node = found.get("meta"), found.get("data")
        # The docs' generated examples show `"data": {}` beside `meta`; an empty data is no rule.
        data_empty = isinstance(data_node, Mapping) and not data_node.items
        if meta_node is not None and data_node is not None and not data_empty:
            message = f"{where} has both `meta` and `data`; a column takes exactly one"
            self.report(rules.META_DATA_CONFLICT.at(data_node.span, message))
        elif meta_node is None and data_node is None:
            message = f"{where} has neither `meta` nor `data`"
            self.report(rules.META_DATA_CONFLICT.at(mapping.span, message))
        if name is None:
            return None
        span = name_node.span if name_node else mapping.span
        if meta_node is not None:
            meta_map = self.expect_mapping(meta_node, f"`meta` of {where}")
            if meta_map is None:
                return None
            meta_found = self.check_keys(meta_map, WIRE_META_KEYS, f"`meta` of {where}")
            value_node = self.require(meta_found, "value", meta_map, f"`meta` of {where}")
            value = self.meta_value(value_node) if value_node else None
            fmt = self.meta_format(meta_found["format"]) if "format" in meta_found else None
            if value is None:
                return None
            meta = Meta(
                value,
                fmt,
                value_span=value_node.span if value_node else None,
                format_span=meta_found["format"].span if "format" in meta_found else None,
            )
            return Column(name, meta=meta, span=span)
        if data_node is None:
            return None
        data_map = self.expect_mapping(data_node, f"`data` of {where}")
        if data_map is None:
            return None
        data: dict[str, Extractor] = {}
        for key, value in data_map.items:
            code = self.wire_key(key)
            if code is None:
                continue
            extractor = self.wire_extractor(value, f"{where}, exchange `{code}`", key.span)
            if extractor is not None:
                data[code] = extractor
        return Column(name, data=data, span=span)

    def wire_extractor(self, node: Node, where: str, key_span: Span) -> Extractor | None:
        mapping = self.expect_mapping(node, where)
        if mapping is None:
            return None
        found = self.check_keys(mapping, WIRE_EXTRACTOR_KEYS, where)
        json_node = self.require(found, "json", mapping, where)
        if json_node is None:
            return None
        json_map = self.expect_mapping(json_node, f"`json` of {where}")
        if json_map is None:
            return None
        json_found = self.check_keys(json_map, WIRE_JSON_KEYS, f"`json` of {where}")
        path_node = self.require(json_found, "path", json_map, f"`json` of {where}")
        type_node = self.require(json_found, "type", json_map, f"`json` of {where}")
        path = self.expect_string(path_node, "the path", allow_empty=True) if path_node else None
        type_ = self.type_name(type_node) if type_node else None
        transform = None
        transform_node = found.get("transform")
        if transform_node is not None and not (
            isinstance(transform_node, Scalar) and transform_node.value is None
        ):
            transform = self.expect_string(transform_node, f"the transform of {where}")
        if path is None or type_ is None or path_node is None or type_node is None:
            return None
        return Extractor(
            path=path,
            type=type_,
            transform=transform,
            span=key_span,
            path_span=path_node.span,
            type_span=type_node.span,
            transform_span=transform_node.span
            if transform is not None and transform_node
            else None,
            transform_style=transform_node.style
            if isinstance(transform_node, Scalar) and transform is not None
            else None,
        )

    def wire_unfold(self, node: Node) -> dict[str, UnfoldRule] | None:
        if isinstance(node, Scalar) and node.value is None:
            return None
        mapping = self.expect_mapping(node, "`unfold`")
        if mapping is None:
            return None
        result: dict[str, UnfoldRule] = {}
        for key, value in mapping.items:
            code = self.wire_key(key)
            if code is None:
                continue
            rule_map = self.expect_mapping(value, f"the unfold rule of `{code}`")
            if rule_map is None:
                continue
            found = self.check_keys(rule_map, UNFOLD_KEYS, f"the unfold rule of `{code}`")
            path_node = self.require(found, "path", rule_map, f"the unfold rule of `{code}`")
            if path_node is None:
                continue
            path = self.expect_string(path_node, f"the unfold path of `{code}`", allow_empty=True)
            if path is not None:
                result[code] = UnfoldRule(path, key.span, path_node.span)
        return result

    def wire_derive(self, node: Node) -> dict[str, list[DeriveField]] | None:
        if isinstance(node, Scalar) and node.value is None:
            return None
        mapping = self.expect_mapping(node, "`derive`")
        if mapping is None:
            return None
        result: dict[str, list[DeriveField]] = {}
        for key, value in mapping.items:
            code = self.wire_key(key)
            if code is None:
                continue
            fields = self.derive_fields(value, f"derive rules of `{code}`")
            if fields is not None:
                result[code] = fields
        return result


@dataclass
class _RawExtractor:
    path: str
    path_span: Span
    span: Span
    key_span: Span | None = None
    type: str | None = None
    type_span: Span | None = None
    type_given: bool = False
    transform: str | None = None
    transform_span: Span | None = None
    transform_style: str | None = None
    case: CaseMap | None = None


@dataclass
class _KeyedRules:
    """A mapping whose keys are exchange codes or globs, before expansion."""

    entries: list[tuple[str, Span, object]]
    mapping: Mapping


@dataclass
class _RawColumn:
    name: str
    span: Span
    meta: Meta | None = None
    type: str | None = None
    type_span: Span | None = None
    type_given: bool = False
    path_all: tuple[str, Span] | None = None
    rules: _KeyedRules | None = None


@dataclass
class _ExchangeResolver:
    """Expands exchange-or-glob keys over the schema's exchanges; exact keys win over globs."""

    parser: _Parser
    exchanges: list[str]
    declared: bool

    def expand(self, keyed: _KeyedRules, where: str) -> dict[str, object]:
        exact: dict[str, object] = {}
        by_glob: dict[str, list[tuple[str, Span, object]]] = {}
        for key, span, value in keyed.entries:
            if vocabulary.is_glob(key):
                matches = [ex for ex in self.exchanges if fnmatch.fnmatchcase(ex, key)]
                if not matches:
                    listed = ", ".join(self.exchanges) or "none"
                    message = f"glob `{key}` in {where} matches none of the schema's exchanges"
                    hint = f"the schema's exchanges: {listed}"
                    self.parser.report(rules.GLOB_MATCHES_NOTHING.at(span, message, hint))
                for exchange in matches:
                    by_glob.setdefault(exchange, []).append((key, span, value))
                continue
            if self.declared and key not in self.exchanges:
                hint = suggestion_hint(
                    key, self.exchanges, f"add `{key}` to the schema's `exchanges`"
                )
                message = (
                    f"{where} names exchange `{key}`, which is not in the schema's `exchanges`"
                )
                self.parser.report(rules.EXCHANGE_NOT_DECLARED.at(span, message, hint))
                continue
            exact[key] = value
        result: dict[str, object] = {}
        for exchange in self.exchanges:
            if exchange in exact:
                result[exchange] = exact[exchange]
            elif exchange in by_glob:
                candidates = by_glob[exchange]
                if len(candidates) > 1:
                    globs = " and ".join(f"`{c[0]}`" for c in candidates)
                    message = f"{globs} in {where} both match exchange `{exchange}`"
                    hint = f"add an exact `{exchange}:` entry, or make the globs disjoint"
                    self.parser.report(
                        rules.AMBIGUOUS_EXCHANGE_RULE.at(candidates[1][1], message, hint)
                    )
                    continue
                result[exchange] = candidates[0][2]
        return result


def _kind_phrase(node: Node) -> str:
    if isinstance(node, Scalar):
        kind = describe_value(node.value)
        if node.value is None:
            return "null (empty)"
        return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} ({_source_text(node.value)})"
    return "a list" if isinstance(node, Sequence) else "a mapping"


def _source_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _allowed_hint(allowed: tuple[str, ...]) -> str:
    return "valid keys: " + ", ".join(f"`{k}`" for k in allowed)


def _head_span(mapping: Mapping) -> Span:
    """Where to report a missing key: the mapping's first key (or the mapping itself)."""
    if mapping.items:
        first = mapping.items[0][0]
        return first.span
    return mapping.span

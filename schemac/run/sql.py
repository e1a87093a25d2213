"""`schemac sql`: the one SELECT that turns a raw-messages relation into a schema's rows.

This rendering is the single definition of what a schema means; `preview`, `test` and `run`
execute it and never interpret a schema themselves. From the IR it writes, per exchange of the
schema, one branch over the raw relation ``(collection_timestamp_ns, exchange, message)``:

- `derive` ``tagged_concat`` builds the tagged array as JSON text, element by element
  (``{"<tag_field>": "<tag>", "<value_field>": <element>}``, arrays in the order listed);
- `unfold` at path P is an ARRAY JOIN over the array at P (or over a derived array): a column
  path through P reads the element, other paths read the message;
- a data column reads its path as its declared type (Nullable, :mod:`schemac.run.semantics`),
  then applies the transform with `{v}` bound to that value (a `case` is already a transform);
- branches are joined with UNION ALL and ordered by collection time, then element position.

ClickHouse is the reference dialect (the vendor's engine); the DuckDB rendering builds the same
relation with DuckDB's JSON functions and translates each transform with sqlglot
(:mod:`schemac.run.portable`).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass

from schemac.core.ir import Column, DeriveField, Schema
from schemac.run.parseonce import GUARD, Read, TupleTree
from schemac.run.semantics import DEFAULT_TABLE, META_EXPRESSIONS, engine_type
from schemac.sql.portable import PORTABLE_MARKER, to_duckdb
from schemac.vocabulary import TRANSFORM_PLACEHOLDER

ELEMENT = "_elem"  # the unfolded element, as JSON text
POSITION = "_pos"  # its 1-based position in the unfolded array
TIMESTAMP = "_ts"
MESSAGE_DOC = "_m"  # the message, parsed once (schemac.run.parseonce)
ELEMENT_DOC = "_e"  # the unfolded element, parsed once


@dataclass(frozen=True)
class Branch:
    """One exchange's part of the SELECT: its array to unfold (or None) and its columns.

    ``message_doc`` and ``element_doc`` are the SQL that parses the message, and the unfolded
    element, once for every column that reads them (None when no column does); the columns
    read the results as MESSAGE_DOC and ELEMENT_DOC (:mod:`schemac.run.parseonce`).
    """

    exchange: str
    unfold_path: tuple[str, ...] | None
    unfold_source: str | None  # SQL of the array to ARRAY JOIN
    columns: tuple[str, ...]  # SQL of each output column, in schema order
    message_doc: str | None = None
    element_doc: str | None = None


def render_sql(
    schema: Schema,
    dialect: str = "clickhouse",
    table: str = DEFAULT_TABLE,
    *,
    parse_once: bool = True,
    valid_column: str | None = None,
) -> str:
    """The SELECT of ``schema`` over ``table`` in ``dialect`` (``clickhouse`` or ``duckdb``).

    A transform DuckDB cannot run is rendered as sqlglot writes it; the portability check
    (SC801, :mod:`schemac.checks.portability`) reports it. ``parse_once=False`` reads every
    path with its own call (the reference the parse-once rendering is tested against).
    ``valid_column`` names a column of ``table`` that already says whether each message is
    JSON (the engines compute it once per batch, and list the lines that are not from it).
    """
    writer = _ClickHouse() if dialect == "clickhouse" else _DuckDB()
    writer.parse_once = parse_once
    writer.valid = valid_column or f"{writer.is_valid_json}(message)"
    branches = [_branch(schema, exchange, writer) for exchange in schema.exchanges]
    names = [writer.quote_name(column.name) for column in schema.columns]
    parts = [writer.branch_sql(branch, names, table) for branch in branches]
    union = "\nUNION ALL\n".join(parts)
    outer = ", ".join(names)
    return f"SELECT {outer}\nFROM (\n{union}\n)\nORDER BY {TIMESTAMP}, {POSITION}"


def _branch(schema: Schema, exchange: str, writer: _Writer) -> Branch:
    derived = {f"data.{d.field}": d for d in (schema.derive or {}).get(exchange, [])}
    unfold = (schema.unfold or {}).get(exchange)
    unfold_path = tuple(unfold.path.split(".")) if unfold else None
    unfold_source = None
    if unfold_path is not None:
        unfold_source = writer.array(*_document(unfold_path, derived, writer))
    reads = [_read_of(column, exchange, unfold_path, derived, writer) for column in schema.columns]
    message_doc: str | None = None
    element_doc: str | None = None
    values: dict[Read, str] = {}
    if writer.parse_once:
        message_doc, values = writer.document("message", MESSAGE_DOC, reads)
        element_doc, element_values = writer.document(ELEMENT, ELEMENT_DOC, reads)
        values.update(element_values)
    columns = tuple(
        _column_sql(column, exchange, read, values, writer)
        for column, read in zip(schema.columns, reads, strict=True)
    )
    return Branch(exchange, unfold_path, unfold_source, columns, message_doc, element_doc)


def _document(
    path: tuple[str, ...], derived: dict[str, DeriveField], writer: _Writer
) -> tuple[str, tuple[str, ...]]:
    """The JSON text a path is read from, and the rest of the path within it."""
    for prefix, field in derived.items():
        segments = tuple(prefix.split("."))
        if path[: len(segments)] == segments:
            return writer.derived_json(field), path[len(segments) :]
    return "message", path


def _read_of(
    column: Column,
    exchange: str,
    unfold_path: tuple[str, ...] | None,
    derived: dict[str, DeriveField],
    writer: _Writer,
) -> Read | None:
    """What a data column reads in this branch: the document, the path in it, the type."""
    extractor = (column.data or {}).get(exchange) if column.meta is None else None
    if extractor is None:
        return None
    path = tuple(extractor.path.split("."))
    if unfold_path is not None and path[: len(unfold_path)] == unfold_path:
        return Read(ELEMENT, path[len(unfold_path) :], extractor.type)
    source, rest = _document(path, derived, writer)
    return Read(source, rest, extractor.type)


def _column_sql(
    column: Column, exchange: str, read: Read | None, values: dict[Read, str], writer: _Writer
) -> str:
    if column.meta is not None:
        return writer.meta(column.meta.format)
    extractor = (column.data or {}).get(exchange)
    if extractor is None or read is None:  # a column that does not map this exchange: NULL
        return "NULL"  # (SC308 warns)
    value = values.get(read) or writer.extract(read.source, read.path, read.schemac_type)
    if extractor.transform is None:
        return value
    return writer.transform(extractor.transform, value)


def sql_string(text: str, dialect: str = "clickhouse") -> str:
    """A single-quoted SQL string literal that ``dialect`` reads back as ``text``.

    Both read a doubled quote as a quote; ClickHouse also reads backslash escapes, so its
    backslashes are doubled, while DuckDB (standard SQL) reads a backslash as itself.
    """
    if dialect == "clickhouse":
        text = text.replace("\\", "\\\\")
    return "'" + text.replace("'", "''") + "'"


class _Writer(ABC):
    """The dialect-specific pieces of a branch; each dialect fills in the abstract ones."""

    dialect: str  # the field of META_EXPRESSIONS and EngineType that is this dialect's
    parse_once = True  # read a document's paths with one call (schemac.run.parseonce)
    is_valid_json: str  # the function that tells JSON text from other text
    valid = ""  # the condition a message must meet to give rows: is_valid_json, or a column

    def quote_name(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def meta(self, meta_format: str | None) -> str:
        template: str = getattr(META_EXPRESSIONS[meta_format], self.dialect)
        return template.format(ts="collection_timestamp_ns")

    @abstractmethod
    def extract(self, source: str, path: tuple[str, ...], schemac_type: str) -> str:
        """SQL reading ``path`` of the JSON text ``source`` as ``schemac_type``, else NULL."""

    @abstractmethod
    def array(self, source: str, path: tuple[str, ...]) -> str:
        """SQL of the array at ``path`` of ``source``, as a list of JSON texts."""

    @abstractmethod
    def derived_json(self, field: DeriveField) -> str:
        """SQL of a derived `tagged_concat` field, as the JSON text of its array."""

    @abstractmethod
    def transform(self, text: str, value: str) -> str:
        """The transform with `{v}` bound to ``value``."""

    @abstractmethod
    def unfold_join(self, array: str) -> str:
        """The clause that turns each element of ``array`` into a row (ELEMENT, POSITION)."""

    @abstractmethod
    def document(
        self, source: str, alias: str, reads: list[Read | None]
    ) -> tuple[str | None, dict[Read, str]]:
        """SQL parsing ``source`` once, to be named ``alias``, and the SQL of each read of
        ``reads`` that takes its value from it; (None, {}) when no read can."""

    element_columns = ""  # what `SELECT *` leaves out after the unfold join, to keep

    def branch_sql(self, branch: Branch, names: list[str], table: str) -> str:
        columns = [f"{sql} AS {name}" for sql, name in zip(branch.columns, names, strict=True)]
        columns.append(f"collection_timestamp_ns AS {TIMESTAMP}")
        exchange = sql_string(branch.exchange, self.dialect)
        where = f"WHERE exchange = {exchange} AND {self.valid}"
        source = f"{table}\n{where}"  # the branch's messages
        if branch.message_doc is not None:
            source = f"(SELECT *, {branch.message_doc} AS {MESSAGE_DOC} FROM {source})"
        if branch.unfold_source is None:
            columns.append(f"0 AS {POSITION}")
            return f"SELECT {', '.join(columns)}\nFROM {source}"
        columns.append(POSITION)
        if branch.message_doc is None:
            source = f"(SELECT * FROM {source})"
        unfolded = f"{source}\n{self.unfold_join(branch.unfold_source)}"
        if branch.element_doc is not None:
            unfolded = (
                f"(SELECT *{self.element_columns}, {branch.element_doc} AS {ELEMENT_DOC} "
                f"FROM {unfolded})"
            )
        return f"SELECT {', '.join(columns)}\nFROM {unfolded}"

    @staticmethod
    def tag_prefix(field: DeriveField, tag: str) -> str:
        """The JSON text of a tagged element before its value: ``{"side": "bid", "level": ``."""
        return (
            "{"
            + json.dumps(field.tag_field)
            + ": "
            + json.dumps(tag)
            + ", "
            + (json.dumps(field.value_field) + ": ")
        )


class _ClickHouse(_Writer):
    dialect = "clickhouse"
    is_valid_json = "isValidJSON"

    @staticmethod
    def _keys(path: tuple[str, ...]) -> str:
        # JSONExtract takes object keys as strings and array positions as 1-based integers.
        return "".join(f", {int(s) + 1}" if s.isdigit() else f", {sql_string(s)}" for s in path)

    def extract(self, source: str, path: tuple[str, ...], schemac_type: str) -> str:
        target = self._target(schemac_type)
        return f"JSONExtract({source}{self._keys(path)}, {sql_string(target)})"

    def array(self, source: str, path: tuple[str, ...]) -> str:
        return f"JSONExtractArrayRaw({source}{self._keys(path)})"

    element_columns = f", {ELEMENT}, {POSITION}"  # ARRAY JOIN's aliases are not in `*`

    def document(
        self, source: str, alias: str, reads: list[Read | None]
    ) -> tuple[str | None, dict[Read, str]]:
        tree = TupleTree()
        values = {
            read: self._tuple_leaf(alias, read.path)
            for read in reads
            if read is not None
            and read.source == source
            and tree.add(read.path, self._target(read.schemac_type))
        }
        if not values:
            return None, {}
        return f"JSONExtract({source}, {sql_string(tree.type_sql())})", values

    @staticmethod
    def _target(schemac_type: str) -> str:
        return f"Nullable({engine_type(schemac_type).clickhouse})"

    @staticmethod
    def _tuple_leaf(alias: str, path: tuple[str, ...]) -> str:
        """The leaf at ``path`` of the tuple ``alias``; NULL where a tuple was filled from an
        array (its guard field is not NULL; :mod:`schemac.run.parseonce`)."""
        node, guards = alias, []
        for segment in path:
            guards.append(f"isNull(tupleElement({node}, {sql_string(GUARD)}))")
            node = f"tupleElement({node}, {sql_string(segment)})"
        return f"if({' AND '.join(guards)}, {node}, NULL)"

    def derived_json(self, field: DeriveField) -> str:
        parts = [
            f"arrayMap(x -> concat({sql_string(self.tag_prefix(field, a.tag))}, x, '}}'), "
            f"{self.array('message', tuple(a.path.split('.')))})"
            for a in field.arrays
        ]
        return f"concat('[', arrayStringConcat(arrayConcat({', '.join(parts)}), ','), ']')"

    def transform(self, text: str, value: str) -> str:
        # Bound as the vendor binds it: the value's SQL in place of `{v}` (the screen holds that
        # `{v}` occurs only as an expression, never inside a literal or a comment).
        return "(" + text.replace(TRANSFORM_PLACEHOLDER, f"({value})") + ")"

    def unfold_join(self, array: str) -> str:
        return f"ARRAY JOIN {array} AS {ELEMENT}, arrayEnumerate({array}) AS {POSITION}"


class _DuckDB(_Writer):
    dialect = "duckdb"
    is_valid_json = "json_valid"

    @staticmethod
    def _json_path(path: tuple[str, ...], elements: bool = False) -> str:
        """The JSONPath of ``path``; with ``elements``, of every element of the array there."""
        steps = "".join(f"[{s}]" if s.isdigit() else "." + json.dumps(s) for s in path)
        return sql_string("$" + steps + ("[*]" if elements else ""), "duckdb")

    def extract(self, source: str, path: tuple[str, ...], schemac_type: str) -> str:
        target = engine_type(schemac_type).duckdb
        return f"TRY_CAST(json_extract_string({source}, {self._json_path(path)}) AS {target})"

    def array(self, source: str, path: tuple[str, ...]) -> str:
        # `[*]` gives the elements as a list, and an empty list where there is no array (a
        # missing path, an object, a string): no row, as ClickHouse's JSONExtractArrayRaw.
        # A cast to JSON[] would fail the whole batch on such a message.
        return f"json_extract({source}, {self._json_path(path, elements=True)})"

    def document(
        self, source: str, alias: str, reads: list[Read | None]
    ) -> tuple[str | None, dict[Read, str]]:
        # json_extract_string with a list of paths parses once and gives, per path, the text
        # the single-path call gives.
        paths: list[str] = []
        values: dict[Read, str] = {}
        for read in reads:
            if read is None or read.source != source or read in values:
                continue
            path = self._json_path(read.path)
            if path not in paths:
                paths.append(path)
            target = engine_type(read.schemac_type).duckdb
            values[read] = f"TRY_CAST({alias}[{paths.index(path) + 1}] AS {target})"
        if not values:
            return None, {}
        return f"json_extract_string({source}, [{', '.join(paths)}])", values

    def derived_json(self, field: DeriveField) -> str:
        parts = [
            f"list_transform({self.array('message', tuple(a.path.split('.')))}, "
            f"lambda x: json({sql_string(self.tag_prefix(field, a.tag), 'duckdb')} || x || '}}'))"
            for a in field.arrays
        ]
        lists = parts[0] if len(parts) == 1 else f"list_concat({', '.join(parts)})"
        return f"CAST(COALESCE({lists}, []) AS JSON)"

    def transform(self, text: str, value: str) -> str:
        return "(" + to_duckdb(text).sql.replace(PORTABLE_MARKER, f"({value})") + ")"

    def unfold_join(self, array: str) -> str:
        return f"CROSS JOIN unnest({array}) WITH ORDINALITY AS _unfolded({ELEMENT}, {POSITION})"

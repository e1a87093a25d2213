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
from schemac.run.semantics import DEFAULT_TABLE, META_EXPRESSIONS, engine_type
from schemac.sql.portable import PORTABLE_MARKER, to_duckdb
from schemac.vocabulary import TRANSFORM_PLACEHOLDER

ELEMENT = "_elem"  # the unfolded element, as JSON text
POSITION = "_pos"  # its 1-based position in the unfolded array
TIMESTAMP = "_ts"


@dataclass(frozen=True)
class Branch:
    """One exchange's part of the SELECT: its array to unfold (or None) and its columns."""

    exchange: str
    unfold_path: tuple[str, ...] | None
    unfold_source: str | None  # SQL of the array to ARRAY JOIN
    columns: tuple[str, ...]  # SQL of each output column, in schema order


def render_sql(schema: Schema, dialect: str = "clickhouse", table: str = DEFAULT_TABLE) -> str:
    """The SELECT of ``schema`` over ``table`` in ``dialect`` (``clickhouse`` or ``duckdb``).

    A transform DuckDB cannot run is rendered as sqlglot writes it; the portability check
    (SC801, :mod:`schemac.checks.portability`) reports it.
    """
    writer = _ClickHouse() if dialect == "clickhouse" else _DuckDB()
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
    columns = tuple(
        _column_sql(column, exchange, unfold_path, derived, writer) for column in schema.columns
    )
    return Branch(exchange, unfold_path, unfold_source, columns)


def _document(
    path: tuple[str, ...], derived: dict[str, DeriveField], writer: _Writer
) -> tuple[str, tuple[str, ...]]:
    """The JSON text a path is read from, and the rest of the path within it."""
    for prefix, field in derived.items():
        segments = tuple(prefix.split("."))
        if path[: len(segments)] == segments:
            return writer.derived_json(field), path[len(segments) :]
    return "message", path


def _column_sql(
    column: Column,
    exchange: str,
    unfold_path: tuple[str, ...] | None,
    derived: dict[str, DeriveField],
    writer: _Writer,
) -> str:
    if column.meta is not None:
        return writer.meta(column.meta.format)
    extractor = (column.data or {}).get(exchange)
    if extractor is None:  # a column that does not map this exchange: NULL (SC308 warns)
        return "NULL"
    path = tuple(extractor.path.split("."))
    if unfold_path is not None and path[: len(unfold_path)] == unfold_path:
        value = writer.extract(ELEMENT, path[len(unfold_path) :], extractor.type)
    else:
        source, rest = _document(path, derived, writer)
        value = writer.extract(source, rest, extractor.type)
    if extractor.transform is None:
        return value
    return writer.transform(extractor.transform, value)


def sql_string(text: str) -> str:
    """A single-quoted SQL string literal that both dialects read back as ``text``."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


class _Writer(ABC):
    """The dialect-specific pieces of a branch; each dialect fills in the abstract ones."""

    dialect: str  # the field of META_EXPRESSIONS and EngineType that is this dialect's
    is_valid_json: str  # the function that tells JSON text from other text

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

    def branch_sql(self, branch: Branch, names: list[str], table: str) -> str:
        columns = [f"{sql} AS {name}" for sql, name in zip(branch.columns, names, strict=True)]
        columns.append(f"collection_timestamp_ns AS {TIMESTAMP}")
        where = f"WHERE exchange = {sql_string(branch.exchange)} AND {self.is_valid_json}(message)"
        if branch.unfold_source is None:
            columns.append(f"0 AS {POSITION}")
            return f"SELECT {', '.join(columns)}\nFROM {table}\n{where}"
        columns.append(POSITION)
        join = self.unfold_join(branch.unfold_source)
        return f"SELECT {', '.join(columns)}\nFROM {table}\n{join}\n{where}"

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
        target = f"Nullable({engine_type(schemac_type).clickhouse})"
        return f"JSONExtract({source}{self._keys(path)}, {sql_string(target)})"

    def array(self, source: str, path: tuple[str, ...]) -> str:
        return f"JSONExtractArrayRaw({source}{self._keys(path)})"

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
    def _json_path(path: tuple[str, ...]) -> str:
        steps = "".join(f"[{s}]" if s.isdigit() else "." + json.dumps(s) for s in path)
        return sql_string("$" + steps)

    def extract(self, source: str, path: tuple[str, ...], schemac_type: str) -> str:
        target = engine_type(schemac_type).duckdb
        return f"TRY_CAST(json_extract_string({source}, {self._json_path(path)}) AS {target})"

    def array(self, source: str, path: tuple[str, ...]) -> str:
        return f"CAST(json_extract({source}, {self._json_path(path)}) AS JSON[])"

    def derived_json(self, field: DeriveField) -> str:
        parts = [
            f"list_transform({self.array('message', tuple(a.path.split('.')))}, "
            f"lambda x: json({sql_string(self.tag_prefix(field, a.tag))} || x || '}}'))"
            for a in field.arrays
        ]
        lists = parts[0] if len(parts) == 1 else f"list_concat({', '.join(parts)})"
        return f"CAST(COALESCE({lists}, []) AS JSON)"

    def transform(self, text: str, value: str) -> str:
        return "(" + to_duckdb(text).sql.replace(PORTABLE_MARKER, f"({value})") + ")"

    def unfold_join(self, array: str) -> str:
        return f"CROSS JOIN unnest({array}) WITH ORDINALITY AS _unfolded({ELEMENT}, {POSITION})"

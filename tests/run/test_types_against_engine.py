"""The type checker against the engine: for generated columns, the output type `schemac inspect`
shows (with its nullability) is the type ClickHouse returns (``toTypeName``), mapped back.

Each example is a one-column schema: an input type, and a plain read, a `case` mapping (with or
without `else`) or a transform built from the functions the type checker knows. It runs on chDB
over a message holding a value and one without it (NULL). Deterministic (derandomized) and kept
small for CI; a disagreement is a bug in the type checker, fixed there, never here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemac.config import Config
from schemac.diagnostics import Severity
from schemac.project import check_project, load_project
from schemac.run.inputs import inline_batch
from schemac.run.semantics import schemac_type_of
from schemac.run.sql import render_sql
from schemac.types.inspect import inspect_schema, shown_type

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

INPUT_TYPES = ("decimal(0)", "decimal(2)", "decimal(8)", "f64", "i64", "string", "bool")
# A value of each input type as an exchange sends it (decimals as strings, as Binance does).
VALUES: dict[str, Any] = {
    "decimal(0)": "42",
    "decimal(2)": "12.34",
    "decimal(8)": "0.12345678",
    "f64": 1.5,
    "i64": 1234,
    "string": "Buy",
    "bool": True,
}
NUMERIC = ("decimal(0)", "decimal(2)", "decimal(8)", "f64", "i64")

# -- transforms: SQL text over `{v}`, of a known kind, valid in ClickHouse -------------------------

number_literal = st.sampled_from(["2", "100", "1000", "-1", "0.5", "2.5", "1e3"])
int_literal = st.sampled_from(["0", "1", "2", "3"])


def numeric_from(value: str) -> st.SearchStrategy[str]:
    """Numeric expressions over the numeric expression ``value``."""
    return st.one_of(
        st.just(value),
        st.builds(lambda lit, op: f"{value} {op} {lit}", number_literal, st.sampled_from("+-*")),
        number_literal.filter(lambda lit: lit not in ("0",)).map(lambda lit: f"{value} / {lit}"),
        # Not `x / x` nor `x % x`: ClickHouse computes a NULL row on a default 0, and a decimal
        # division by zero fails the query (a run-time hazard, not a type).
        st.sampled_from(["+", "-", "*"]).map(lambda op: f"{value} {op} {value}"),
        st.just(f"{value} % 3"),
        int_literal.map(lambda digits: f"round({value}, {digits})"),
        st.sampled_from(
            ["round", "abs", "floor", "ceil", "trunc", "toFloat64", "toInt64", "sign", "-"]
        ).map(lambda name: f"{name}({value})"),
        int_literal.map(lambda digits: f"roundBankers({value}, {digits})"),
        st.sampled_from(["toDecimal32", "toDecimal64", "toDecimal128"]).flatmap(
            lambda name: int_literal.map(lambda scale: f"{name}({value}, {scale})")
        ),
        st.just(f"if({value} > 1, {value}, 0)"),
        st.just(f"greatest({value}, 1)"),
    )


def numeric_transform() -> st.SearchStrategy[str]:
    inner = numeric_from("{v}")
    return st.one_of(
        inner,
        inner.flatmap(lambda e: numeric_from(f"({e})")).filter(lambda t: t.count("{v}") <= 4),
        inner.map(lambda e: f"toString({e})"),
        # No common type unless the value is an f64: schemac refuses it (SC501), ClickHouse
        # returns a Variant. Top level only, where the Variant is the column's type.
        inner.map(lambda e: f"if({e} > 1, {e}, 2.5)"),
        # Top level only: intDiv of a decimal is an Int128, which ClickHouse refuses to add to a
        # Float64 (a gap: schemac does not report that query error, see docs/types.md).
        st.just("intDiv({v}, 2)"),
        st.sampled_from("+-*").map(lambda op: f"{{v}} {op} toDecimal64({{v}}, 3)"),
        st.just("toDateTime64({v} / 1000, 3)"),
        st.just("toDateTime64({v}, 6)"),
        st.just("multiIf({v} > 100, 'big', {v} > 1, 'mid', 'small')"),
        st.just("multiIf({v} > 100, 'big', {v} > 1, 'mid', NULL)"),
        st.just("CASE WHEN {v} > 1 THEN 'up' ELSE 'down' END"),
        st.just("CASE WHEN {v} > 1 THEN 'up' END"),
        st.just("CASE WHEN {v} > 1 THEN {v} ELSE 0 END"),
        st.just("ifNull({v}, 0)"),
        st.just("ifNull({v}, 0.5)"),
        st.just("CASE WHEN {v} > 1 THEN {v} ELSE 2.5 END"),
        st.just("multiIf({v} > 1, {v}, {v} > 0, 1, 0)"),
        st.just("nullIf({v}, 0)"),
        st.just("toUnixTimestamp64Milli(toDateTime64({v}, 3))"),
        st.just("{v} > 1"),
        st.just("{v} IN (1, 2)"),
        st.just("toInt64(ifNull({v}, 0) > 1)"),
    )


def string_transform() -> st.SearchStrategy[str]:
    return st.sampled_from(
        [
            "lower({v})",
            "upper({v})",
            "concat({v}, '-x')",
            "substring({v}, 1, 2)",
            "length({v})",
            "length({v}) * 2",
            "toString(length({v}))",
            "if({v} = 'Buy', 'buy', 'sell')",
            "if({v} = 'Buy', {v}, 'sell')",
            "multiIf({v} = 'Buy', 1, {v} = 'Sell', -1, 0)",
            "CASE WHEN {v} = 'Buy' THEN 'b' END",
            "CASE {v} WHEN 'Buy' THEN 1.5 ELSE 2 END",
            "toInt64OrZero({v})",
            "toInt64OrNull({v})",
            "toFloat64OrZero({v})",
            "toDecimal64OrZero({v}, 3)",
            "ifNull({v}, '')",
            "coalesce({v}, 'none')",
            "lower(ifNull({v}, 'none'))",
            "{v} = 'Buy'",
            "assumeNotNull({v})",
            "toTypeName({v})",
            "startsWith({v}, 'B')",
            "empty({v})",
            "position({v}, 'u')",
            "{v} || 'x'",
            "replaceAll({v}, 'B', 'b')",
        ]
    )


def bool_transform() -> st.SearchStrategy[str]:
    return st.sampled_from(
        [
            "CASE WHEN {v} THEN 'sell' ELSE 'buy' END",
            "CASE WHEN {v} THEN 'sell' END",
            "if({v}, 1, 2)",
            "if({v}, 1, -1)",
            "if({v}, 1.5, 2)",
            "multiIf({v}, 'a', 'b')",
            "toString({v})",
            "toInt64({v})",
            "NOT {v}",
            "{v} AND {v}",
            "xor({v}, {v})",
            "if({v}, true, false)",
            "isNull({v})",
            "ifNull({v}, false)",
        ]
    )


def transform_for(input_type: str) -> st.SearchStrategy[str]:
    if input_type in NUMERIC:
        return numeric_transform()
    return string_transform() if input_type == "string" else bool_transform()


# -- case maps -----------------------------------------------------------------------------------

CASE_VALUES = {
    "string": st.sampled_from(["buy", "sell", "'1'"]),
    "int": st.sampled_from(["1", "-1", "2", "300"]),
    "number": st.sampled_from(["1", "-1", "2.5", "0.1"]),
    "bool": st.sampled_from(["true", "false"]),
}
CASE_KEYS = {
    "string": ["Buy", "Sell", "B"],
    "bool": ["true", "false"],
    "i64": ["1", "2", "1234"],
}


@st.composite
def case_map(draw: st.DrawFn, input_type: str) -> str:
    keys = CASE_KEYS.get(input_type, CASE_KEYS["i64"])
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=len(keys), unique=True))
    values = CASE_VALUES[draw(st.sampled_from(sorted(CASE_VALUES)))]
    arms = ", ".join(f"{key}: {draw(values)}" for key in chosen)
    text = f"case: {{{arms}}}"
    if draw(st.booleans()):
        text += f"\n        else: {draw(values)}"
    return text


# -- one column, run ------------------------------------------------------------------------------


@st.composite
def columns(draw: st.DrawFn) -> tuple[str, str]:
    """An input type and the lines of its extractor after `path` and `type`."""
    input_type = draw(st.sampled_from(INPUT_TYPES))
    how = draw(st.sampled_from(["plain", "case", "transform", "transform"]))
    if how == "plain":
        return input_type, ""
    if how == "case" and (input_type in ("string", "bool", "i64")):
        return input_type, draw(case_map(input_type))
    return input_type, f"transform: {json.dumps(draw(transform_for(input_type)))}"


def schema_text(input_type: str, extractor: str) -> str:
    lines = [
        "name: generated",
        "category: trade",
        "exchanges: [binance]",
        "columns:",
        "  out:",
        "    from:",
        "      binance:",
        "        path: data.v",
        f"        type: {input_type}",
    ]
    if extractor:
        lines.append(f"        {extractor}")
    return "\n".join(lines) + "\n"


def engine_and_inferred(clickhouse: Any, path: Path, input_type: str) -> tuple[str, str]:
    project = load_project([str(path)], Config(root=path.parent))
    [schema] = project.schemas
    # Every check runs, as in `validate`; the catalog does not know the generated path (SC601).
    findings = [*project.diagnostics, *check_project(project)]
    errors = [d for d in findings if d.severity is Severity.ERROR and d.code != "SC601"]
    messages = [json.dumps({"data": {"v": VALUES[input_type]}}), json.dumps({"data": {}})]
    batch = inline_batch(messages, "binance")
    sql = render_sql(schema, "clickhouse", clickhouse.table)
    assert clickhouse.rows(sql, batch).num_rows == 2  # it runs on the value and on NULL
    [engine_type] = clickhouse.type_names(sql, batch)
    if errors:  # schemac refuses only what ClickHouse cannot type either (SC501: a Variant)
        assert [d.code for d in errors] == ["SC501"], (path.read_text(), errors)
        assert engine_type.startswith("Variant("), (path.read_text(), engine_type)
        return engine_type, engine_type
    [column] = inspect_schema(schema, "clickhouse").columns
    [row] = column.exchanges
    return schemac_type_of(engine_type), shown_type(row.output, row.nullable)


@SETTINGS
@given(column=columns())
def test_inferred_output_type_is_the_engine_type(  # type: ignore[no-untyped-def]
    column: tuple[str, str], clickhouse, tmp_path_factory
) -> None:
    input_type, extractor = column
    path = tmp_path_factory.mktemp("generated") / "generated.yaml"
    path.write_text(schema_text(input_type, extractor))
    engine, inferred = engine_and_inferred(clickhouse, path, input_type)
    assert inferred == engine, path.read_text()

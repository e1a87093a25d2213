"""The parse stage on its own: located tree -> IR, spans, globs, inherited types, wire input."""

from __future__ import annotations

from pathlib import Path

from helpers import MINIMAL_SCHEMA, run_cli

from schemac.config import Config
from schemac.core.ir import Schema
from schemac.core.loader import load_text
from schemac.core.parse import is_wire_document, parse_document


def parse(text: str, file: str = "s.yaml") -> tuple[Schema | None, list[tuple[str, int]]]:
    root, problems = load_text(file, text, is_json=file.endswith(".json"))
    assert root is not None and problems == []
    schema, diagnostics = parse_document(root, file, Config())
    return schema, [(d.code, d.span.line) for d in diagnostics]


def test_ir_of_an_authoring_file() -> None:
    schema, problems = parse(
        "name: s\ncategory: trade\nexchanges: [binance, bybit_spot]\n"
        "unfold: {bybit_*: data}\n"
        "columns:\n"
        "  ts: {meta: collection_timestamp_ns}\n"
        "  q:\n"
        "    type: decimal(8)\n"
        "    from: {binance: data.q, bybit_*: {path: data.v, transform: 'abs({v})'}}\n"
    )
    assert problems == []
    assert schema is not None
    assert schema.key == ("s", "trade")
    assert schema.exchanges == ["binance", "bybit_spot"]
    assert schema.unfold is not None and schema.unfold["bybit_spot"].path == "data"
    ts, q = schema.columns
    assert ts.meta is not None and ts.meta.format is None and ts.data is None
    assert q.data is not None and list(q.data) == ["binance", "bybit_spot"]
    bybit = q.data["bybit_spot"]
    assert (bybit.path, bybit.type, bybit.transform) == ("data.v", "decimal(8)", "abs({v})")
    # spans point at what the user wrote: the path value, the inherited type, the transform
    assert bybit.path_span is not None and (bybit.path_span.line, bybit.path_span.column) == (9, 45)
    assert bybit.type_span is not None and bybit.type_span.line == 8
    assert bybit.transform_span is not None and bybit.transform_span.line == 9


def test_case_is_kept_beside_its_rendered_transform() -> None:
    schema, _ = parse(
        "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
        "  side:\n    from:\n      binance: {path: data.m, type: bool, case: {true: a}, else: b}\n"
    )
    assert schema is not None
    (column,) = schema.columns
    extractor = column.data["binance"]  # type: ignore[index]
    assert extractor.case is not None
    assert [(arm.when, arm.then) for arm in extractor.case.arms] == [(True, "a")]
    assert extractor.case.has_else and extractor.case.otherwise == "b"
    assert extractor.transform == "CASE {v} WHEN true THEN 'a' ELSE 'b' END"


def test_problems_in_one_column_do_not_hide_the_others() -> None:
    schema, problems = parse(
        "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
        "  a: {type: nope, from: data.a}\n"
        "  b: {typo: f64, from: data.b}\n"
        "  c: {type: f64, from: data.c}\n"
    )
    assert ("SC105", 5) in problems and ("SC101", 6) in problems
    assert schema is not None and [c.name for c in schema.columns] == ["c"]


def test_wire_detection() -> None:
    for text, wire in [
        ('{"name": "s", "stream_category": "trade", "columns": []}', True),
        ('{"name": "s", "columns": [{"output_column": "ts"}]}', True),
        ("name: s\ncategory: trade\ncolumns:\n  - ts\n", False),
        ("name: s\ncategory: trade\ncolumns: {}\n", False),
    ]:
        root, _ = load_text("f.yaml", text)
        assert root is not None and is_wire_document(root) is wire, text


def test_ir_of_a_wire_file() -> None:
    schema, problems = parse(
        '{"name": "w", "stream_category": "quote", "columns": [\n'
        '  {"output_column": "bid", "data": {"coinbase": {"json": {"path": "p", "type": "f64"},\n'
        '                                      "transform": "{v} * 2"}}}\n'
        '], "unfold": {"coinbase": {"path": "events"}}, "derive": null}\n',
        file="w.json",
    )
    assert problems == []
    assert schema is not None and schema.source_format == "wire"
    assert schema.exchanges == ["coinbase"]
    assert schema.derive is None and schema.unfold is not None
    extractor = schema.columns[0].data["coinbase"]  # type: ignore[index]
    assert (extractor.path, extractor.type, extractor.transform) == ("p", "f64", "{v} * 2")


def test_decimal_spellings_the_wire_schema_refuses_are_caught_by_validate(project: Path) -> None:
    for spelling in ("decimal(007)", "decimal(٣)", "decimal(08)"):
        (project / "s.yaml").write_text(
            MINIMAL_SCHEMA + f"  p: {{type: '{spelling}', from: data.p}}\n"
        )
        result = run_cli("validate", "s.yaml")
        assert result.code == 1 and "SC105" in result.out, spelling
        assert run_cli("compile", "s.yaml").code == 1  # refused, never an internal error

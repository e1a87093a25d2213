"""The parse stage on its own: located tree -> IR, spans, globs, inherited types, wire input."""

from __future__ import annotations

from pathlib import Path

from helpers import MINIMAL_SCHEMA, run_cli

from schemac.checks import all_checks
from schemac.config import Config
from schemac.core.ir import Schema
from schemac.core.loader import load_file, load_text
from schemac.core.parse import is_wire_document, parse_document

CASES = Path(__file__).parent / "rules" / "cases"


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


def _findings(text: str, file: str = "f.yaml") -> list[tuple[str, int, int, str]]:
    root, problems = load_text(file, text)
    assert root is not None and problems == []
    _, diagnostics = parse_document(root, file, Config())
    return [(d.code, d.span.line, d.span.column, d.message) for d in diagnostics]


def test_authoring_findings_keep_their_messages_and_positions() -> None:
    text = (
        "name: a\ncategory: trade\n"
        "exchanges: [binance, 'bybit_*', binance, 3, coinbase]\n"
        "unfold:\n  binance: data.x\n  coinbase: {pth: x}\n"
        "derive:\n  binance: 5\n"
        "columns:\n"
        "  1: {meta: collection_timestamp_ns}\n"
        "  ts: {meta: collection_timestamp_ns, type: i64, format: iso8601}\n"
        "  ts2: {type: f64, format: ms, from: x}\n"
        "  p:\n    type: decimal(8)\n    from:\n"
        "      binance: {path: data.p, type: f64, case: {.inf: 2, [x]: 3}, else: .nan}\n"
        "      coinbase: {path: data.p, case: {}, transform: x}\n"
        "      3: x\n"
        "  q:\n    from: {binance: {path: x, else: 1}, coinbase: [x]}\n"
    )
    assert _findings(text) == [
        ("SC103", 3, 22, "`exchanges` lists exchange codes, not globs (`bybit_*`)"),
        ("SC309", 3, 33, "exchange `binance` is listed twice"),
        ("SC103", 3, 42, "an exchange code must be a string, not an integer (3)"),
        ("SC101", 6, 14, "unknown key `pth` in the unfold rule of `coinbase`"),
        ("SC102", 6, 14, "the unfold rule of `coinbase` is missing required key `path`"),
        (
            "SC103",
            8,
            12,
            "derive rules of `binance` must be a list of derive fields, not an integer (5)",
        ),
        ("SC103", 10, 3, "a column name must be a non-empty string, not an integer (1)"),
        (
            "SC118",
            11,
            39,
            "column `ts`: `type` does not apply to a meta column (its type is implied)",
        ),
        ("SC101", 12, 20, "column `ts2`: `format` applies only to meta columns"),
        ("SC103", 16, 49, "a `case` key must be a finite number"),
        ("SC103", 16, 58, "a `case` key must be a string, number or boolean, not a list"),
        ("SC103", 16, 73, "`else` must be a finite number"),
        ("SC116", 17, 38, "`case` of column `p`, exchange `coinbase` has no entries"),
        ("SC113", 17, 42, "column `p`, exchange `coinbase` has both `case` and `transform`"),
        ("SC103", 18, 7, "an exchange code or glob must be a string, not an integer (3)"),
        ("SC114", 20, 31, "column `q`, exchange `binance` has `else` but no `case`"),
        ("SC103", 20, 51, "column `q`, exchange `coinbase` must be a mapping, not a list"),
        ("SC115", 20, 12, "column `q`, exchange `binance` has no type"),
    ]


def test_wire_findings_keep_their_messages_and_positions() -> None:
    text = (
        "name: w\nstream_category: trade\ncolumns:\n"
        "  - output_column: ts\n    meta: 5\n"
        "  - output_column: ts2\n    meta: {format: ms}\n"
        "  - output_column: p\n    data: [x]\n"
        "  - output_column: q\n    data:\n"
        "      5: {json: {path: a, type: f64}}\n"
        "      binance: 7\n"
        "      okx: {transform: x}\n"
        "      coinbase: {json: 3}\n"
        "unfold: {binance: 3, okx: {pth: x}}\n"
        "derive: {binance: {}}\n"
    )
    assert _findings(text) == [
        ("SC103", 5, 11, "`meta` of column `ts` must be a mapping, not an integer (5)"),
        ("SC102", 7, 12, "`meta` of column `ts2` is missing required key `value`"),
        ("SC103", 9, 11, "`data` of column `p` must be a mapping, not a list"),
        ("SC103", 12, 7, "an exchange code must be a string, not an integer (5)"),
        ("SC103", 13, 16, "column `q`, exchange `binance` must be a mapping, not an integer (7)"),
        ("SC102", 14, 13, "column `q`, exchange `okx` is missing required key `json`"),
        (
            "SC103",
            15,
            24,
            "`json` of column `q`, exchange `coinbase` must be a mapping, not an integer (3)",
        ),
        ("SC103", 16, 19, "the unfold rule of `binance` must be a mapping, not an integer (3)"),
        ("SC101", 16, 28, "unknown key `pth` in the unfold rule of `okx`"),
        ("SC102", 16, 28, "the unfold rule of `okx` is missing required key `path`"),
        (
            "SC103",
            17,
            19,
            "derive rules of `binance` must be a list of derive fields, not a mapping",
        ),
    ]


def test_the_parse_stage_declares_every_rule_it_emits() -> None:
    (registered,) = [c for c in all_checks() if c.function is parse_document]
    assert registered.scope == "stage"
    declared = {rule.code for rule in registered.rules}
    emitted: set[str] = set()
    for case in sorted(CASES.iterdir()):
        for path in [case] if case.is_file() else sorted(case.iterdir()):
            root, _ = load_file(str(path))
            if root is not None:
                emitted |= {d.code for d in parse_document(root, str(path), Config())[1]}
    assert emitted - declared == set()
    assert {"SC103", "SC118", "SC309"} <= emitted


def test_wrong_kind_is_raised_in_one_place() -> None:
    parse_package = Path(__file__).parent.parent / "schemac" / "core" / "parse"
    sites = [
        path.name
        for path in sorted(parse_package.glob("*.py"))
        for line in path.read_text().splitlines()
        if "WRONG_KIND.at(" in line
    ]
    assert sites == ["reader.py"]

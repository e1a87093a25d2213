"""`schemac sql`: the one rendering of a schema, and the portability rule SC801."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import REPO, run_cli

from schemac.checks.portability import check_portable_to_duckdb
from schemac.config import Config
from schemac.rules import all_rules
from schemac.run.sql import render_sql, sql_string

from .conftest import SCHEMAS, load_schema

PORTABILITY_CASES = REPO / "tests" / "rules" / "portability"
CASE_NAME = re.compile(r"(?P<code>SC\d{3})@(?P<line>\d+)_")


def test_a_path_reads_keys_by_name_and_positions_one_based() -> None:
    sql = render_sql(load_schema(SCHEMAS / "quotes.yaml"), "clickhouse")
    # bybit's `data.b.0.0` is the first element of the first level: 1-based in JSONExtract
    assert "JSONExtract(message, 'data', 'b', 1, 1, 'Nullable(Decimal(38, 8))')" in sql
    duck = render_sql(load_schema(SCHEMAS / "quotes.yaml"), "duckdb")
    assert """'$."data"."b"[0][0]'""" in duck


def test_every_exchange_is_a_branch_and_unfold_is_an_array_join() -> None:
    sql = render_sql(load_schema(SCHEMAS / "trades.yaml"), "clickhouse")
    assert sql.count("UNION ALL") == 3  # 4 branches: binance, bybit_linear, bybit_spot, coinbase
    assert "ARRAY JOIN JSONExtractArrayRaw(message, 'events', 1, 'trades') AS _elem" in sql
    assert "WHERE exchange = 'coinbase' AND isValidJSON(message)" in sql


def test_derive_builds_the_tagged_array_in_the_order_listed() -> None:
    sql = render_sql(load_schema(SCHEMAS / "book_levels.yaml"), "clickhouse")
    bids = sql.index("""'{"side": "bid", "level": '""")
    asks = sql.index("""'{"side": "ask", "level": '""")
    assert bids < asks


def test_string_literals_survive_quotes_and_backslashes(clickhouse, duckdb_engine) -> None:  # type: ignore[no-untyped-def]
    from schemac.run.inputs import inline_batch

    text = "it's a \\ test \\' and \\\\"
    batch = inline_batch(["{}"], "binance")
    for engine in (clickhouse, duckdb_engine):
        literal = sql_string(text, engine.name)
        got = engine.rows(f"SELECT {literal} AS s FROM {engine.table}", batch).to_pylist()
        assert got == [{"s": text}], (engine.name, literal)


def test_schemac_sql_prints_the_select(tmp_path: Path) -> None:
    result = run_cli("sql", str(SCHEMAS / "klines.yaml"), "--table", "raw")
    assert result.code == 0, result.err
    assert result.out.startswith('SELECT "received_at", "open_time"')
    assert "FROM raw\n" in result.out


def test_schemac_sql_refuses_a_schema_with_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: t\ncategory: trades\nexchanges: [binance]\ncolumns: {}\n")
    (tmp_path / "schemac.toml").write_text("")
    result = run_cli("sql", str(bad), cwd=tmp_path)
    assert result.code == 1
    assert "error[SC104]" in result.err and result.out == ""


def _portability_codes(path: Path) -> list[tuple[str, int]]:
    schema = load_schema(path)
    return [(d.code, d.span.line) for d in check_portable_to_duckdb(schema, Config())]


@pytest.mark.parametrize("case", sorted(PORTABILITY_CASES.iterdir()), ids=lambda p: p.name)
def test_portability_rule_case(case: Path) -> None:
    match = CASE_NAME.match(case.name)
    assert match is not None
    assert (match["code"], int(match["line"])) in _portability_codes(case)


def test_portability_rule_examples(tmp_path: Path) -> None:
    rule = all_rules()["SC801"]
    (tmp_path / "bad.yaml").write_text(rule.bad)
    (tmp_path / "good.yaml").write_text(rule.good)
    assert [code for code, _ in _portability_codes(tmp_path / "bad.yaml")] == ["SC801"]
    assert _portability_codes(tmp_path / "good.yaml") == []


def test_schemac_sql_for_duckdb_warns_about_what_it_cannot_translate() -> None:
    case = next(PORTABILITY_CASES.iterdir())
    result = run_cli("sql", str(case), "--dialect", "duckdb")
    assert result.code == 0
    assert "warning[SC801]" in result.err and "toUnixTimestamp64Nano" in result.err
    assert result.out.startswith("SELECT")


def test_bundled_schemas_are_portable_to_duckdb() -> None:
    for path in sorted(SCHEMAS.glob("*.yaml")):
        if not path.name.endswith(".test.yaml"):
            assert _portability_codes(path) == [], path.name

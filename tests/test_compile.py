"""Compile: YAML -> wire JSON, wire JSON -> itself, the bundled JSON Schema, writing files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from helpers import EXAMPLE_SCHEMAS, REPO, run_cli

import schemac
from schemac.config import Config
from schemac.render.wire import dumps, wire_schema_errors

EXAMPLES = EXAMPLE_SCHEMAS


def compile_text(tmp_path: Path, text: str, name: str = "s.yaml") -> dict:  # type: ignore[type-arg]
    path = tmp_path / name
    path.write_text(text)
    project = schemac.load_project([str(path)], Config(root=tmp_path))
    # These tests are about compiling; paths the exchange catalog would question are fine here.
    errors = [d for d in schemac.check(project) if d.severity.value == "error" and d.code < "SC600"]
    assert errors == [], errors
    return schemac.compile_schema(project.schemas[0])


def test_design_example_compiles_to_the_documented_shape(tmp_path: Path) -> None:
    body = compile_text(
        tmp_path,
        """
name: s
category: trade
exchanges: [binance, bybit_linear, bybit_spot]
unfold:
  bybit_*: data
columns:
  ts: {meta: collection_timestamp_ns, format: ms}
  price: {type: decimal(18), from: data.p}
  side:
    from:
      binance: {path: data.m, type: bool, case: {true: sell, false: buy}}
      bybit_*: {path: data.S, type: string, case: {Buy: buy, Sell: sell}}
""",
    )
    assert list(body) == ["name", "stream_category", "columns", "unfold"]
    assert body["stream_category"] == "trade"
    assert body["unfold"] == {"bybit_linear": {"path": "data"}, "bybit_spot": {"path": "data"}}
    assert body["columns"][0] == {
        "output_column": "ts",
        "meta": {"value": "collection_timestamp_ns", "format": "ms"},
    }
    assert body["columns"][1]["data"]["bybit_spot"] == {
        "json": {"path": "data.p", "type": "decimal(18)"}
    }
    side = body["columns"][2]["data"]
    assert side["binance"] == {
        "json": {"path": "data.m", "type": "bool"},
        "transform": "CASE {v} WHEN true THEN 'sell' WHEN false THEN 'buy' END",
    }
    assert side["bybit_linear"]["transform"] == (
        "CASE {v} WHEN 'Buy' THEN 'buy' WHEN 'Sell' THEN 'sell' END"
    )


def test_exact_key_wins_over_glob_and_type_is_inherited(tmp_path: Path) -> None:
    body = compile_text(
        tmp_path,
        """
name: s
category: trade
exchanges: [bybit_linear, bybit_spot]
columns:
  q:
    type: decimal(8)
    from: {bybit_*: data.v, bybit_spot: {path: data.size, type: f64}}
""",
    )
    data = body["columns"][0]["data"]
    assert data["bybit_linear"] == {"json": {"path": "data.v", "type": "decimal(8)"}}
    assert data["bybit_spot"] == {"json": {"path": "data.size", "type": "f64"}}


def test_exchanges_inferred_when_omitted(tmp_path: Path) -> None:
    body = compile_text(
        tmp_path,
        "name: s\ncategory: trade\ncolumns:\n  p:\n    type: f64\n"
        "    from: {coinbase: price, binance: data.p}\n",
    )
    assert list(body["columns"][0]["data"]) == ["coinbase", "binance"]


def test_case_quotes_string_literals(tmp_path: Path) -> None:
    body = compile_text(
        tmp_path,
        """
name: s
category: trade
exchanges: [binance]
columns:
  c:
    from:
      binance:
        path: data.S
        type: string
        case: {"it's": "O'Brien", 'back\\slash': "a\\\\b", SELECT: "END"}
        else: "'; DROP TABLE x; --"
""",
    )
    transform = body["columns"][0]["data"]["binance"]["transform"]
    assert transform == (
        "CASE {v} WHEN 'it''s' THEN 'O''Brien' WHEN 'back\\\\slash' THEN 'a\\\\b' "
        "WHEN 'SELECT' THEN 'END' ELSE '''; DROP TABLE x; --' END"
    )
    import sqlglot

    parsed = sqlglot.parse_one(transform.replace("{v}", "_v_"), read="clickhouse")
    literals = sorted(lit.this for lit in parsed.find_all(sqlglot.exp.Literal))
    expected = ["it's", "O'Brien", "back\\slash", "a\\b", "SELECT", "END", "'; DROP TABLE x; --"]
    assert literals == sorted(expected)


def test_yaml_12_case_keys(tmp_path: Path) -> None:
    body = compile_text(
        tmp_path,
        "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n  c:\n    from:\n"
        "      binance: {path: data.x, type: string, case: {Yes: open, No: closed, on: open}}\n",
    )
    assert body["columns"][0]["data"]["binance"]["transform"] == (
        "CASE {v} WHEN 'Yes' THEN 'open' WHEN 'No' THEN 'closed' WHEN 'on' THEN 'open' END"
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_compile_and_conform_to_the_wire_schema(example: Path) -> None:
    result = run_cli("compile", str(example))
    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert wire_schema_errors(body) == []
    assert result.out == dumps(body)  # canonical text: 2-space indent, newline at the end


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_wire_json_compiles_to_itself(example: Path, tmp_path: Path) -> None:
    wire = run_cli("compile", str(example)).out
    path = tmp_path / f"{json.loads(wire)['name']}.json"
    path.write_text(wire)
    again = run_cli("compile", str(path))
    assert again.code == 0, again.err
    assert again.out == wire


def test_wire_file_keeps_empty_unfold_and_derive(tmp_path: Path) -> None:
    body = {
        "name": "w",
        "stream_category": "trade",
        "columns": [{"output_column": "ts", "meta": {"value": "collection_timestamp_ns"}}],
        "unfold": {},
        "derive": {},
    }
    path = tmp_path / "w.json"
    path.write_text(dumps(body))
    assert json.loads(run_cli("compile", str(path)).out) == body


def test_response_fields_are_accepted_and_dropped(tmp_path: Path) -> None:
    response = {
        "id": "sch_0194a1b2c3d4e5f6a7b8c9d0e1f2a3b4",
        "name": "w",
        "stream_category": "trade",
        "is_built_in": False,
        "created_at": "2023-11-07T05:31:56Z",
        "version": 1,
        "has_draft": False,
        "columns": [{"output_column": "ts", "meta": {"value": "collection_timestamp_ns"}}],
    }
    path = tmp_path / "w.json"
    path.write_text(json.dumps(response))
    body = json.loads(run_cli("compile", str(path)).out)
    assert list(body) == ["name", "stream_category", "columns"]


def test_compile_refuses_a_file_with_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\ncategory: trades\ncolumns: {}\n")
    result = run_cli("compile", str(path))
    assert result.code == 1
    assert result.out == ""
    assert "SC104" in result.err and "SC109" in result.err


def test_compile_output_file_is_written_and_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out" / "trades.json"
    assert run_cli("compile", str(EXAMPLES[0]), "-o", str(out)).code == 0
    first = out.read_text()
    assert json.loads(first)["name"]
    # same content: a no-op, success
    assert run_cli("compile", str(EXAMPLES[0]), "-o", str(out)).code == 0
    # other content: refused without --force, and the file is untouched
    result = run_cli("compile", str(EXAMPLES[1]), "-o", str(out))
    assert result.code == 1 and "--force" in result.err  # kept: as pull, import, learn
    assert out.read_text() == first
    assert run_cli("compile", str(EXAMPLES[1]), "-o", str(out), "--force").code == 0
    assert out.read_text() != first
    assert [p.name for p in out.parent.iterdir()] == ["trades.json"]  # no temporary left behind


def test_compile_usage_errors(tmp_path: Path) -> None:
    assert run_cli("compile", str(tmp_path / "nope.yaml")).code == 2
    assert run_cli("compile", str(tmp_path)).code == 2


def test_written_files_are_readable_like_any_other(project: Path) -> None:
    out = project / "out.json"
    assert run_cli("compile", str(REPO / "schemas" / "trades.yaml"), "-o", str(out)).code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    out.chmod(0o640)  # an existing file keeps its mode when replaced
    args = ("compile", str(REPO / "schemas" / "quotes.yaml"), "-o", str(out), "--force")
    assert run_cli(*args).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_compile_into_a_folder_is_a_usage_error(project: Path) -> None:
    (project / "out").mkdir()
    result = run_cli("compile", str(REPO / "schemas" / "trades.yaml"), "-o", "out")
    assert result.code == 2 and "is a folder" in result.err

"""`schemac inspect` on the example schemas: text table and JSON data agree."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from helpers import EXAMPLE_SCHEMAS, REPO, run_cli

from schemac.core.ir import CaseArm, CaseMap
from schemac.types.inspect import describe_case


def test_inspect_json_of_the_example_trades() -> None:
    result = run_cli("inspect", str(REPO / "schemas" / "trades.yaml"), "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["version"] == 1
    [schema] = document["schemas"]
    columns = {column["name"]: column for column in schema["columns"]}
    assert next(iter(columns)) == "received_at"
    assert columns["received_at"]["output"] == "i64"
    assert columns["received_at"]["meta"] == "collection_timestamp_ns (ms)"
    assert columns["received_at"]["nullable"] is False  # every message has a timestamp
    side = {row["exchange"]: row for row in columns["side"]["exchanges"]}
    assert side["binance"]["type"] == "bool"
    assert side["binance"]["case"] == "{true: sell, false: buy}"
    rendered = "CASE {v} WHEN true THEN 'sell' WHEN false THEN 'buy' END"
    assert side["binance"]["transform"] == rendered
    assert side["binance"]["output"] == "string" and columns["side"]["output"] == "string"
    trade_id = {row["exchange"]: row for row in columns["trade_id"]["exchanges"]}
    assert trade_id["binance"] == {
        "exchange": "binance",
        "path": "data.t",
        "type": "i64",
        "transform": "toString({v})",
        "case": None,
        "output": "string",
        "nullable": True,  # toString(NULL) is NULL: a trade without an id
    }
    assert columns["price"]["output"] == "decimal(8)"


def test_inspect_text_of_every_example() -> None:
    result = run_cli("inspect", str(REPO / "schemas"))
    assert result.code == 0, result.err
    names = [p.stem for p in EXAMPLE_SCHEMAS]
    titles = re.findall(r"^(\w+) \(\w+\)  \S+$", result.out, re.MULTILINE)
    assert sorted(titles) == names
    lines = result.out.splitlines()
    header = next(line for line in lines if line.startswith("column "))
    expected = ["column", "exchange", "path", "type", "transform", "/", "case", "output"]
    assert header.split() == expected
    change = next(line for line in lines if "toFloat64({v}) * 100" in line)
    assert change.split()[-1] == "f64?"  # `?`: NULL when the message lacks the path
    closed = [line for line in lines if "case {true: closed, false: open}" in line]
    assert len(closed) == 3 and all(line.split()[-1] == "string?" for line in closed)
    meta = next(line for line in lines if "collection_timestamp_ns (ms)" in line)
    assert meta.split()[-1] == "i64"  # a meta column is never NULL


def test_inspect_shows_unknown_and_conflict(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "name: s\ncategory: trade\nexchanges: [binance, coinbase]\ncolumns:\n"
        "  t:\n    from:\n      binance: {path: data.T, type: i64, transform: 'toDate({v})'}\n"
        "      coinbase: {path: time, type: string}\n"
        "  p:\n    from:\n      binance: {path: data.p, type: string}\n"
        "      coinbase: {path: price, type: f64}\n"
    )
    document = json.loads(run_cli("inspect", str(tmp_path / "s.yaml"), "--format", "json").out)
    t, p = document["schemas"][0]["columns"]
    assert [row["output"] for row in t["exchanges"]] == ["unknown", "string"]
    assert t["output"] == "string" and p["output"] == "conflict"


def test_inspect_usage_and_broken_files(tmp_path: Path) -> None:
    assert run_cli("inspect", str(tmp_path / "missing.yaml")).code == 2
    (tmp_path / "broken.yaml").write_text("name: [\n")
    result = run_cli("inspect", str(tmp_path / "broken.yaml"))
    assert result.code == 1 and "SC001" in result.err and result.out == ""


def test_a_case_is_described_in_yaml_flow_style() -> None:
    # Non-finite numbers come only from a CaseMap built in code (a schema file cannot hold
    # one): they are written as YAML spells them, not as Python does (`inf`, `nan`).
    arms = (CaseArm("Buy", math.inf), CaseArm(1.5, -math.inf), CaseArm(True, math.nan))
    case = CaseMap(arms, has_else=True, otherwise="it's")
    expected = '{Buy: .inf, 1.5: -.inf, true: .nan} else "it\'s" (values of mixed kinds)'
    assert describe_case(case) == expected
    assert describe_case(CaseMap((CaseArm(1, 2.0),))) == "{1: 2.0}"


def test_inspect_nullability(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "name: s\ncategory: trade\nexchanges: [binance, coinbase]\ncolumns:\n"
        "  side:\n    from:\n"
        "      binance: {path: data.m, type: bool, case: {true: sell}, else: buy}\n"
        "      coinbase: {path: side, type: string, transform: \"ifNull({v}, 'none')\"}\n"
        "  only:\n    from:\n      binance: {path: data.m, type: bool, case: {true: sell}}\n"
    )
    document = json.loads(run_cli("inspect", str(tmp_path / "s.yaml"), "--format", "json").out)
    side, only = document["schemas"][0]["columns"]
    assert [row["nullable"] for row in side["exchanges"]] == [False, False]
    assert side["nullable"] is False
    # a case without else is NULL for an unmatched value; coinbase does not map `only`: NULL
    assert only["exchanges"][0]["nullable"] is True and only["nullable"] is True
    text = run_cli("inspect", str(tmp_path / "s.yaml")).out
    assert "string?" in text and any(line.split()[-1] == "string" for line in text.splitlines())

"""`schemac preview`, `run` and `test` end to end through the CLI."""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

import pytest
from helpers import REPO, run_cli

from .conftest import SCHEMAS

TRADES = str(SCHEMAS / "trades.yaml")
BINANCE_TRADE = (
    '{"stream":"btcusdt@trade","data":{"e":"trade","s":"BTCUSDT","t":7,"p":"94210.15",'
    '"q":"0.5","T":1767225600121,"m":true}}'
)


def test_preview_shows_rows_from_the_bundled_fixtures() -> None:
    result = run_cli("preview", TRADES, "--limit", "2")
    assert result.code == 0, result.err
    header, _rule, *rows = result.out.splitlines()
    assert header.split() == [
        "received_at", "trade_time", "symbol", "price", "quantity", "side", "trade_id"
    ]  # fmt: skip
    assert len(rows) == 2 and "94210.15000000" in rows[0] and "sell" in rows[0]
    # the fixtures of all four exchanges fit in one batch: every row is counted, two are shown
    assert "13 rows (showing 2) from 10 messages; NULL cells: none" in result.err


def test_preview_reads_json_lines_and_reports_lines_that_are_not_json(tmp_path: Path) -> None:
    messages = tmp_path / "msgs.jsonl"
    messages.write_text(
        BINANCE_TRADE + "\n{broken\n" + BINANCE_TRADE.replace('"p":"94210.15",', "") + "\n"
    )
    result = run_cli(
        "preview", TRADES, "--input", str(messages), "--exchange", "binance", "--format", "json"
    )
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [row["price"] for row in rows] == ["94210.15000000", None]
    assert f"{messages}:2: warning: not a JSON message" in result.err
    assert "NULL cells: price 1" in result.err


def _vendor_file(folder: Path, name: str, lines: list[tuple[int, str]]) -> Path:
    path = folder / name
    with gzip.open(path, "wt", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["collection_timestamp_ns", "raw"])
        writer.writerows(lines)
    return path


def test_preview_reads_the_vendors_raw_exports_and_their_file_names(tmp_path: Path) -> None:
    _vendor_file(
        tmp_path,
        "binance_BTCUSDT_trades_part_2024010100.csv.gz",
        [(1704067200000000000, BINANCE_TRADE)],
    )
    _vendor_file(
        tmp_path,
        "binance_BTCUSDT_trades_part_2024010101.csv.gz",
        [(1704070800000000000, BINANCE_TRADE)],
    )
    result = run_cli("preview", TRADES, "--input", str(tmp_path / "*.csv.gz"), "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(result.out.splitlines()))
    assert [row["received_at"] for row in rows] == ["1704067200000", "1704070800000"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--input", "nope.jsonl", "--exchange", "binance"], "nope.jsonl: no such file"),
        (["--exchange", "okx"], "does not map exchange `okx`"),
        (["--input", "x_part_1.csv.gz"], "no such file"),
        (["--limit", "-1"], "--limit"),
    ],
)
def test_preview_usage_errors_are_one_line_and_exit_2(arguments: list[str], message: str) -> None:
    result = run_cli("preview", TRADES, *arguments)
    assert result.code == 2 and message in result.err and "Traceback" not in result.err


def test_a_missing_extra_is_one_line_naming_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "chdb", None)  # import chdb now raises ImportError
    result = run_cli("preview", TRADES)
    assert result.code == 2
    assert result.err.strip() == "schemac: error: chDB is not installed: pip install 'schemac[run]'"


def test_run_writes_parquet_with_decimal_types_atomically(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    target = tmp_path / "trades.parquet"
    result = run_cli("run", TRADES, "-o", str(target))
    assert result.code == 0, result.err
    table = pq.read_table(target)
    assert str(table.schema.field("price").type) == "decimal128(38, 8)"
    assert table.num_rows == 13
    assert [p.name for p in tmp_path.iterdir()] == ["trades.parquet"]  # no temporary left
    again = run_cli("run", TRADES, "-o", str(target))
    assert again.code == 2 and "use --force" in again.err


def test_run_that_fails_leaves_no_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"not gzip at all")
    target = tmp_path / "out.jsonl"
    result = run_cli(
        "run", TRADES, "--input", str(broken), "--exchange", "binance", "-o", str(target)
    )
    assert result.code == 1 and "broken.csv.gz" in result.err
    assert list(tmp_path.iterdir()) == [broken]


def test_golden_rows_of_the_bundled_schemas_pass() -> None:
    result = run_cli("test", str(SCHEMAS))
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines()[-1].endswith(" passed, 0 failed")


def test_a_golden_mismatch_prints_the_differing_cells_and_update_fixes_it(tmp_path: Path) -> None:
    (tmp_path / "schemac.toml").write_text('paths = ["."]\n')
    (tmp_path / "t.yaml").write_text((SCHEMAS / "trades.yaml").read_text())
    (tmp_path / "t.test.yaml").write_text(
        "cases:\n  - name: one trade\n    exchange: binance\n    messages:\n"
        f"      - {BINANCE_TRADE}\n"
        "    rows:\n      - {price: '94210.16', side: sell}\n"
    )
    failed = run_cli("test", cwd=tmp_path)
    assert failed.code == 1
    assert 'row 1: price: expected "94210.16", got "94210.15000000"' in failed.out
    updated = run_cli("test", "--update", cwd=tmp_path)
    assert updated.code == 0, updated.out
    assert run_cli("test", cwd=tmp_path).code == 0
    assert 'price: "94210.15000000"' in (tmp_path / "t.test.yaml").read_text()


def test_the_docs_show_what_preview_prints() -> None:
    page = (REPO / "docs" / "run.md").read_text()
    block = page[page.index("$ schemac preview schemas/trades.yaml\n") :].split("```")[0]
    command, *expected = block.splitlines()
    result = run_cli(*command.split()[2:], cwd=REPO)  # after "$ schemac"
    assert result.code == 0
    assert (result.out + result.err).splitlines() == expected

"""`schemac new sync NAME --schema S --datastream REF`: a sync spec that validates, or nothing."""

from __future__ import annotations

from pathlib import Path

from helpers import run_cli

from schemac.core.syncspec import load_sync_specs
from schemac.rules.examples import TRADES


def _project(tmp_path: Path) -> Path:
    (tmp_path / "schemac.toml").write_text("")
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "my_trades.yaml").write_text(TRADES)
    return tmp_path


def test_new_sync_writes_a_spec_that_validates(tmp_path: Path) -> None:
    root = _project(tmp_path)
    args = ["new", "sync", "btc", "--schema", "my_trades", "--datastream", "binance:BTCUSDT:trade"]
    result = run_cli(*args, "--datastream", "42", "--format", "parquet", cwd=root)
    assert (result.code, result.out) == (0, "wrote syncs/btc.yaml\n"), result.err
    [spec], found = load_sync_specs(root)
    assert found == []
    assert (spec.name, spec.schema, spec.datastreams) == (
        "btc",
        "my_trades",
        ("binance:BTCUSDT:trade", "42"),
    )
    assert (spec.start, spec.lag_ns, spec.window_ns, spec.format) == (
        "3d-ago",
        300 * 10**9,
        3600 * 10**9,
        "parquet",
    )
    assert spec.destination == root / "data" / "btc"
    validated = run_cli("validate", cwd=root)
    assert validated.code == 0, validated.out
    again = run_cli(*args, "--datastream", "42", "--format", "parquet", cwd=root)
    assert (again.code, again.out) == (0, "unchanged syncs/btc.yaml\n")
    other = run_cli(*args, cwd=root)
    assert other.code != 0 and "exists with other content" in other.err


def test_new_sync_refuses_a_spec_with_errors_and_writes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = run_cli(
        "new", "sync", "x", "--schema", "my_trades", "--datastream", "binance/BTCUSDT",
        "--start", "yesterday", "--window", "45m", cwd=root,
    )  # fmt: skip
    assert result.code == 2
    for code in ("SC431", "SC424", "SC426"):
        assert f"[{code}]" in result.err
    assert not (root / "syncs").exists()


def test_new_sync_needs_a_schema_and_a_datastream(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = run_cli("new", "sync", "x", "--schema", "my_trades", cwd=root)
    assert result.code == 2 and "needs --schema and at least one --datastream" in result.err
    result = run_cli("new", "sync", "../x", "--schema", "s", "--datastream", "1", cwd=root)
    assert result.code == 2 and "cannot name a sync spec" in result.err


def test_new_schema_still_needs_its_category_and_exchanges(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = run_cli("new", "foo", "--category", "trade", cwd=root)
    assert result.code == 2 and "required: --exchanges" in result.err
    result = run_cli("new", "foo", "bar", "--category", "trade", "--exchanges", "binance", cwd=root)
    assert result.code == 2 and "unexpected argument `bar`" in result.err
    result = run_cli("new", "sync", "--category", "trade", "--exchanges", "binance", cwd=root)
    assert result.code == 0 and (root / "schemas" / "sync.yaml").exists()

"""`schemac catalog list/show/learn` through the CLI, and learn against the shipped entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli

from schemac.catalog import Catalog, load_catalog
from schemac.catalog.learn import SampleError, learn_entry, read_samples
from schemac.catalog.wiretypes import conforms

from .conftest import FIXTURES, fixture_files, read_fixture


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schemac.toml").write_text('catalog_dirs = ["catalog/"]\n')
    (tmp_path / "catalog").mkdir()
    return tmp_path


def test_list_shows_confirmed_and_inferred(project: Path) -> None:
    result = run_cli("catalog", "list")
    assert result.code == 0, result.err
    binance = next(line for line in result.out.splitlines() if line.startswith("binance "))
    assert binance.split()[:9] == ["binance", "confirmed", "C", "C", "C", "C", "C", "C", "-"]
    coinbase = next(line for line in result.out.splitlines() if line.startswith("coinbase "))
    assert coinbase.split()[2] == "i"


def test_list_json_marks_user_files(project: Path) -> None:
    (project / "catalog").mkdir(exist_ok=True)
    (project / "catalog" / "examplex.yaml").write_text(
        "exchange: examplex\ncategories:\n  trade:\n    status: inferred\n    source: capture\n"
        "    paths:\n      p: sdec\n"
    )
    rows = json.loads(run_cli("catalog", "list", "--format", "json").out)
    mine = next(row for row in rows if row["exchange"] == "examplex")
    assert mine == {
        "exchange": "examplex",
        "name": "examplex",
        "code": "guessed",
        "origin": "user",
        "categories": {"trade": "inferred"},
    }


def test_show_lists_paths_types_enums_and_marks(project: Path) -> None:
    result = run_cli("catalog", "show", "bybit_linear", "trade", "--unfold", "data")
    assert result.code == 0, result.err
    rows = {line.split()[0]: line.split()[1:] for line in result.out.splitlines() if line}
    assert rows["data.S"][:3] == ["str", "Buy,", "Sell"]
    assert rows["data"][:2] == ["arr", "rows"]
    assert rows["data.seq"][:2] == ["int", "optional"]


def test_show_json_without_unfold_uses_positions(project: Path) -> None:
    result = run_cli("catalog", "show", "binance", "orderbook", "--format", "json")
    document = json.loads(result.out)
    assert document["status"] == "confirmed"
    by_path = {p["path"]: p for p in document["paths"]}
    assert by_path["data.bids.0.0"]["type"] == "sdec"
    assert by_path["data.bids"]["marks"] == ["rows"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("binanse", "trade"), 1, "did you mean binance?"),
        (("binance", "liquidation"), 1, "no liquidation stream"),
        (("binance", "trades"), 2, "unknown category"),
        (("bybit_linear", "trade", "--unfold", "topic"), 2, "not a row array"),
    ],
)
def test_show_errors(project: Path, args: tuple[str, ...], code: int, message: str) -> None:
    result = run_cli("catalog", "show", *args)
    assert result.code == code
    assert message in result.err


def test_a_malformed_user_file_is_a_message_not_a_traceback(project: Path) -> None:
    (project / "catalog").mkdir(exist_ok=True)
    (project / "catalog" / "binance.yaml").write_text(
        "exchange: binance\ncategories:\n  trade:\n    status: sure\n    source: x\n"
        "    paths: {p: sdec}\n"
    )
    result = run_cli("catalog", "show", "binance", "trade")
    assert result.code == 1
    assert (
        "binance.yaml: categories.trade: `status` must be one of confirmed, inferred" in result.err
    )


def test_learn_writes_a_file_that_the_catalog_then_uses(project: Path) -> None:
    samples = project / "samples.jsonl"
    samples.write_text((FIXTURES / "bybit_linear" / "trade.jsonl").read_text())
    result = run_cli("catalog", "learn", "okx", "trade", str(samples))
    assert result.code == 0, result.err
    written = project / "catalog" / "okx.trade.yaml"
    assert written.is_file()
    assert "wrote catalog/okx.trade.yaml" in result.out
    entry = load_catalog([project / "catalog"]).entry("okx", "trade")
    assert entry is not None and entry.status == "inferred"
    assert entry.paths["data[].S"].enum == ("Buy", "Sell")
    assert entry.paths["data[].RPI"].optional
    again = run_cli("catalog", "learn", "okx", "trade", str(samples))
    assert again.code == 0 and "unchanged" in again.out  # the same entry: nothing to write
    written.write_text(written.read_text() + "# edited by hand\n")
    edited = run_cli("catalog", "learn", "okx", "trade", str(samples))
    assert edited.code == 1 and "--force" in edited.err
    assert written.read_text().endswith("# edited by hand\n")  # kept without --force
    assert run_cli("catalog", "learn", "okx", "trade", str(samples), "--force").code == 0


def test_learn_to_stdout(project: Path) -> None:
    samples = project / "s.jsonl"
    samples.write_text('{"a": 1, "b": "x"}\n{"a": 2.5}\n')
    result = run_cli("catalog", "learn", "examplex", "ticker", str(samples), "-o", "-")
    assert result.code == 0
    assert "      a: num\n      b: str?\n" in result.out
    assert not any((project / "catalog").iterdir())  # nothing written


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json\n", "s.jsonl:1: not a JSON value"),
        ('{"a": 1}\n42\n', "s.jsonl:2: a raw message is a JSON object or array"),
        ("\n\n", "no messages"),
        ("{}\n", "no fields"),
    ],
)
def test_learn_rejects_garbage(project: Path, content: str, message: str) -> None:
    (project / "s.jsonl").write_text(content)
    result = run_cli("catalog", "learn", "examplex", "trade", "s.jsonl")
    assert result.code == 1
    assert message in result.err
    assert "Traceback" not in result.err


def test_learn_usage_errors(project: Path) -> None:
    bad_code = run_cli("catalog", "learn", "Bad-Code", "trade", "x")
    assert bad_code.code == 2 and "an exchange code is lower-case letters" in bad_code.err
    assert run_cli("catalog", "learn", "okx", "trades", "x").code == 2
    assert run_cli("catalog").code == 2


def test_learn_widens_and_finds_enums() -> None:
    messages = read_samples(
        "\n".join(
            [
                '{"px": "1", "n": 1, "side": "buy", "id": 9007199254740993}',
                '{"px": "1.5", "n": 2.5, "side": "sell", "id": 1}',
                '{"px": "", "n": 3, "side": "buy", "id": 2, "extra": [1, "a"]}',
            ]
        ),
        "x",
    )
    entry = learn_entry("x", "trade", messages, "test")
    assert entry.paths["px"].types == ("sdec",)
    assert entry.paths["n"].types == ("num",)
    assert entry.paths["id"].types == ("bigint",)
    assert entry.paths["side"].enum == ("buy", "sell")
    assert entry.paths["extra"].positional and entry.paths["extra"].optional
    assert entry.paths["extra.1"].types == ("str",)
    with pytest.raises(SampleError):
        read_samples("[1,", "x")


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_learning_from_a_fixture_gives_back_the_shipped_entry(catalog: Catalog, path: Path) -> None:
    shipped = catalog.entry(path.parent.name, path.stem)
    assert shipped is not None
    learned = learn_entry(shipped.exchange, shipped.category, read_fixture(path), "fixture")
    assert list(learned.paths) == list(shipped.paths) or set(learned.paths) == set(shipped.paths)
    for catalog_path, info in learned.paths.items():
        expected = shipped.paths[catalog_path]
        assert all(conforms(t, expected.types) for t in info.types), catalog_path
        assert info.optional == expected.optional, catalog_path
        assert (info.rows, info.positional) == (expected.rows, expected.positional), catalog_path
        if info.enum and expected.enum:
            assert set(info.enum) <= set(expected.enum), catalog_path

"""`schemac new`: a schema from the exchange catalog that validates clean with --strict, for
every category and every exchange of the catalog (and each category's all-exchanges glob)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import run_cli

from schemac.catalog import load_catalog
from schemac.fmt import format_text
from schemac.scaffold.template import categories, load_template
from schemac.vocabulary import CATEGORIES

CATALOG = load_catalog()
CODES = CATALOG.codes()
CASES = [
    (category, code)
    for category in CATEGORIES
    for code in [*CODES, "*"]
    if code == "*" or CATALOG.entry(code, category) is not None
]
UNAVAILABLE = [
    (category, code)
    for category in CATEGORIES
    for code in CODES
    if CATALOG.entry(code, category) is None
]


def _project(tmp_path: Path, extra: str = "") -> Path:
    # Every catalog code is a known code here: SC301 reads the configuration's list.
    codes = ", ".join(f'"{code}"' for code in CODES)
    (tmp_path / "schemac.toml").write_text(f'paths = ["schemas"]\nexchanges = [{codes}]\n{extra}')
    return tmp_path


def test_every_category_has_a_template() -> None:
    assert categories() == sorted(CATEGORIES)
    for category in CATEGORIES:
        assert load_template(category).category == category


@pytest.mark.parametrize(("category", "code"), CASES, ids=lambda v: v)
def test_new_validates_strict_for_every_exchange_and_category(
    tmp_path: Path, category: str, code: str
) -> None:
    root = _project(tmp_path)
    made = run_cli("new", "s", "--category", category, "--exchanges", code, cwd=root)
    assert made.code == 0, made
    assert made.out.startswith("wrote schemas/s.yaml: ")
    text = (root / "schemas" / "s.yaml").read_text()
    checked = run_cli("validate", "--strict", "--no-color", cwd=root)
    assert checked.code == 0, text + checked.out
    assert format_text(text, "s.yaml").text == text  # already in fmt's layout
    schema = yaml.safe_load(text)
    assert schema["columns"]["received_at"] == {"meta": "collection_timestamp_ns"}
    assert len(schema["columns"]) >= 4, text  # the usual columns, not just the timestamp
    expected = [c for c in CODES if CATALOG.entry(c, category)] if code == "*" else [code]
    assert schema["exchanges"] == expected


@pytest.mark.parametrize(("category", "code"), UNAVAILABLE, ids=lambda v: v)
def test_a_category_the_exchange_does_not_send_is_refused(
    tmp_path: Path, category: str, code: str
) -> None:
    result = run_cli(
        "new", "s", "--category", category, "--exchanges", code, cwd=_project(tmp_path)
    )
    assert result.code == 2 and f"{code} has no `{category}`" in result.err
    assert not (tmp_path / "schemas").exists()


def _new(root: Path, category: str, exchanges: str) -> dict[str, object]:
    result = run_cli(
        "new", "s", "--category", category, "--exchanges", exchanges, "--force", cwd=root
    )
    assert result.code == 0, result
    loaded: dict[str, object] = yaml.safe_load((root / "schemas" / "s.yaml").read_text())
    return loaded


def test_enum_fields_are_normalised_by_case_maps_from_the_catalog(tmp_path: Path) -> None:
    schema = _new(_project(tmp_path), "trade", "binance,bybit_linear,coinbase,okx")
    side = schema["columns"]["side"]["from"]  # type: ignore[index]
    assert side["bybit_linear"]["case"] == {"Buy": "buy", "Sell": "sell"}
    assert side["coinbase"]["case"] == {"BUY": "buy", "SELL": "sell"}
    assert side["binance"] == {
        "path": "data.m",
        "type": "bool",
        "case": {True: "sell", False: "buy"},
    }
    assert "case" not in side["okx"]  # okx already sends buy/sell


def test_arrays_are_unfolded_and_split_books_derived(tmp_path: Path) -> None:
    root = _project(tmp_path)
    trades = _new(root, "trade", "binance,bybit_*,coinbase")
    assert trades["unfold"] == {
        "bybit_linear": "data",
        "bybit_spot": "data",
        "coinbase": "events.0.trades",
    }
    book = _new(root, "orderbook", "binance,coinbase")
    assert book["unfold"] == {"binance": "data.levels", "coinbase": "events.0.updates"}
    (field,) = book["derive"]["binance"]  # type: ignore[index]
    assert field["arrays"] == [
        {"path": "data.bids", "tag": "bid"},
        {"path": "data.asks", "tag": "ask"},
    ]


def test_globs_expand_over_the_catalogs_exchanges_of_the_category(tmp_path: Path) -> None:
    schema = _new(_project(tmp_path), "liquidation", "bybit*,*usdm,bybit_linear")
    assert schema["exchanges"] == ["bybit_linear", "binance_usdm"]  # bybit_spot has none


def test_a_column_some_exchange_does_not_send_is_left_out_and_said(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = run_cli("new", "s", "--category", "orderbook", "--exchanges", "binance", cwd=root)
    assert result.code == 0 and "left out `symbol`: not sent by binance" in result.err
    text = (root / "schemas" / "s.yaml").read_text()
    assert "# Left out: `symbol`, which is not sent by binance.\n" in text


def test_an_exchange_from_the_users_catalog_folder(tmp_path: Path) -> None:
    root = _project(tmp_path, 'catalog_dirs = ["catalog"]\n')
    (root / "catalog").mkdir()
    (root / "catalog" / "kraken.yaml").write_text(
        "exchange: kraken\nname: Kraken\ncode: guessed\ncode_source: a test\ncategories:\n"
        "  trade:\n    status: inferred\n    source: a test\n    paths:\n"
        "      data: arr\n      data[].T: int\n      data[].s: str\n      data[].p: sdec\n"
        "      data[].v: sdec\n      data[].S: {type: str, enum: [B, S]}\n      data[].i: str\n"
    )
    (root / "schemac.toml").write_text(
        (root / "schemac.toml").read_text().replace('"okx"', '"okx", "kraken"')
    )
    schema = _new(root, "trade", "kraken")
    assert schema["unfold"] == {"kraken": "data"}
    # `side` is left out: `B`/`S` stand for no value the template knows
    assert set(schema["columns"]) == {
        "received_at",
        "trade_time",
        "symbol",
        "price",
        "quantity",
        "trade_id",
    }  # type: ignore[arg-type]
    assert run_cli("validate", "--strict", cwd=root).code == 0


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "schemas").mkdir()
    (root / "schemas" / "s.yaml").write_text("# mine\n")
    args = ("new", "s", "--category", "trade", "--exchanges", "binance")
    refused = run_cli(*args, cwd=root)
    # as compile -o, pull and import: exit 1 for a target with other content
    assert refused.code == 1 and "exists with other content" in refused.err
    assert (root / "schemas" / "s.yaml").read_text() == "# mine\n"
    assert run_cli(*args, "--force", cwd=root).code == 0
    again = run_cli(*args, cwd=root)  # the same content: nothing to refuse
    assert again.code == 0 and again.out.startswith("unchanged schemas/s.yaml")


def test_out_names_the_folder(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = run_cli(
        "new", "q", "--category", "quote", "--exchanges", "binance", "--out", "x", cwd=root
    )
    assert result.code == 0 and (root / "x" / "q.yaml").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("../evil", "--category", "trade", "--exchanges", "binance"), "cannot name a schema"),
        (("s", "--category", "trades", "--exchanges", "binance"), "unknown category `trades`"),
        (("s", "--category", "trade", "--exchanges", "kraken"), "no `trade` data for exchange"),
        (("s", "--category", "trade", "--exchanges", "zz*"), "`zz*` matches no exchange"),
        (("s", "--category", "trade", "--exchanges", ","), "name at least one exchange"),
    ],
)
def test_bad_input_is_a_usage_error(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli("new", *args, cwd=_project(tmp_path))
    assert result.code == 2 and message in result.err, result

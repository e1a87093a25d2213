"""One test per catalog check, on IR built directly, plus the rules' own examples through the
parser and the example schemas of the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MINIMAL_SCHEMA, REPO, run_cli

from schemac.catalog import Catalog, load_catalog
from schemac.checks.catalog import check_schema
from schemac.core.ir import (
    CaseArm,
    CaseMap,
    Column,
    DeriveArray,
    DeriveField,
    Extractor,
    Schema,
    Unfold,
)
from schemac.diagnostics import Diagnostic, Severity, Span
from schemac.rules import Rule
from schemac.rules import catalog as catalog_rules

FILE = "schemas/example.yaml"


def span(line: int) -> Span:
    return Span(FILE, line, 5, line, 12)


def extractor(path: str, type_: str, line: int = 10, **more: object) -> Extractor:
    return Extractor(path=path, type=type_, path_span=span(line), span=span(line), **more)  # type: ignore[arg-type]


def schema(
    category: str,
    columns: dict[str, dict[str, Extractor]],
    unfold: dict[str, str] | None = None,
    derive: dict[str, list[DeriveField]] | None = None,
) -> Schema:
    exchanges = list(dict.fromkeys(ex for data in columns.values() for ex in data))
    return Schema(
        name="example",
        category=category,
        columns=[Column(name=name, data=data, span=span(9)) for name, data in columns.items()],
        exchanges=exchanges,
        unfold={ex: Unfold(path, span(3), span(3)) for ex, path in (unfold or {}).items()} or None,
        derive=derive,
        source=FILE,
        category_span=span(2),
    )


def codes(found: list[Diagnostic]) -> list[str]:
    return [d.code for d in found]


def test_unknown_path_on_a_confirmed_entry_is_an_error_with_the_nearest_path(
    catalog: Catalog,
) -> None:
    found = check_schema(
        schema("trade", {"price": {"binance": extractor("data.P", "decimal(18)")}}), catalog
    )
    assert codes(found) == ["SC601"]
    assert found[0].severity is Severity.ERROR
    assert found[0].span == span(10)
    assert found[0].hint == "did you mean `data.p`?"


def test_unknown_path_on_an_inferred_entry_is_a_warning(catalog: Catalog) -> None:
    found = check_schema(
        schema("trade", {"seq": {"coinbase": extractor("sequence", "i64")}}), catalog
    )
    assert codes(found) == ["SC602"]
    assert found[0].severity is Severity.WARNING
    assert "sequence_num" in (found[0].hint or "")


def test_hints_follow_the_unfold(catalog: Catalog) -> None:
    found = check_schema(
        schema(
            "trade",
            {"qty": {"bybit_linear": extractor("data.q", "decimal(18)")}},
            {"bybit_linear": "data"},
        ),
        catalog,
    )
    assert codes(found) == ["SC601"]
    assert "`data.p`" in (found[0].hint or "") or "`data.s`" in (found[0].hint or "")
    assert "data.0." not in (found[0].hint or "")


def test_a_path_through_an_array_without_unfold(catalog: Catalog) -> None:
    found = check_schema(
        schema("trade", {"price": {"bybit_linear": extractor("data.p", "decimal(18)")}}), catalog
    )
    assert codes(found) == ["SC603"]
    assert "unfold: {bybit_linear: data}" in (found[0].hint or "")


def test_an_index_into_a_row_array_needs_no_unfold(catalog: Catalog) -> None:
    bid = extractor("data.b.0.0", "decimal(18)")
    assert check_schema(schema("quote", {"bid": {"bybit_spot": bid}}), catalog) == []


def test_unfold_of_an_object_is_an_error(catalog: Catalog) -> None:
    found = check_schema(
        schema(
            "trade", {"price": {"binance": extractor("data.p", "decimal(18)")}}, {"binance": "data"}
        ),
        catalog,
    )
    assert codes(found) == ["SC604"]
    assert found[0].span == span(3)


def test_unfold_of_a_missing_path_is_an_unknown_path(catalog: Catalog) -> None:
    found = check_schema(
        schema("trade", {"t": {"bybit_linear": extractor("ts", "i64")}}, {"bybit_linear": "dta"}),
        catalog,
    )
    assert codes(found) == ["SC601"]
    assert found[0].hint == "did you mean `data`?"


def test_nested_unfold_reaches_coinbase_trades(catalog: Catalog) -> None:
    price = extractor("events.0.trades.price", "decimal(18)")
    side = extractor(
        "events.0.trades.side",
        "string",
        case=CaseMap((CaseArm("BUY", "buy"), CaseArm("SELL", "sell")), has_else=False),
    )
    found = check_schema(
        schema(
            "trade",
            {"price": {"coinbase": price}, "side": {"coinbase": side}},
            {"coinbase": "events.0.trades"},
        ),
        catalog,
    )
    assert found == []


@pytest.mark.parametrize(
    ("path", "type_", "code"),
    [
        ("data.m", "decimal(18)", "SC605"),  # a bool read as a decimal
        ("data.s", "f64", "SC605"),  # text read as a number
        ("data", "string", "SC605"),  # an object read as a scalar
        ("data.p", "i64", "SC606"),  # a string-encoded decimal read as i64
        ("data.p", "decimal(8)", None),
        ("data.t", "i64", None),
        ("data.m", "bool", None),
    ],
)
def test_declared_type_against_the_wire_type(
    catalog: Catalog, path: str, type_: str, code: str | None
) -> None:
    found = check_schema(schema("trade", {"c": {"binance": extractor(path, type_)}}), catalog)
    assert codes(found) == ([code] if code else [])


def test_a_big_integer_read_as_f64_is_lossy(tmp_path: Path) -> None:
    (tmp_path / "bigx.yaml").write_text(
        "exchange: bigx\ncategories:\n  trade:\n    status: confirmed\n    source: test\n"
        "    paths:\n      ts: bigint\n"
    )
    found = check_schema(
        schema("trade", {"ts": {"bigx": extractor("ts", "f64")}}), load_catalog([tmp_path])
    )
    assert codes(found) == ["SC606"]
    assert "2^53" in found[0].message


def test_case_keys_outside_the_enum(catalog: Catalog) -> None:
    arms = (CaseArm("buy", "buy", when_span=span(11)), CaseArm("Sell", "sell", when_span=span(12)))
    side = extractor("data.S", "string", case=CaseMap(arms, has_else=False))
    found = check_schema(
        schema("trade", {"side": {"bybit_linear": side}}, {"bybit_linear": "data"}), catalog
    )
    assert codes(found) == ["SC607"]
    assert found[0].span == span(11)
    assert found[0].hint is not None and found[0].hint.startswith("did you mean `Buy`?")


def test_case_on_a_bool_takes_only_true_and_false(catalog: Catalog) -> None:
    good = CaseMap((CaseArm(True, "sell"), CaseArm(False, "buy")))
    bad = CaseMap((CaseArm("yes", "sell"),))
    assert (
        check_schema(
            schema("trade", {"s": {"binance": extractor("data.m", "bool", case=good)}}), catalog
        )
        == []
    )
    found = check_schema(
        schema("trade", {"s": {"binance": extractor("data.m", "bool", case=bad)}}), catalog
    )
    assert codes(found) == ["SC607"]


def test_an_optional_path_without_else_or_transform(catalog: Catalog) -> None:
    mark = extractor("data.markPrice", "decimal(18)")
    found = check_schema(schema("ticker", {"mark": {"bybit_linear": mark}}), catalog)
    assert codes(found) == ["SC608"]
    assert found[0].severity is Severity.INFO
    handled = extractor("data.markPrice", "decimal(18)", transform="coalesce({v}, 0)")
    assert check_schema(schema("ticker", {"mark": {"bybit_linear": handled}}), catalog) == []
    phase = extractor(
        "data.tickDirection",
        "string",
        case=CaseMap((CaseArm("PlusTick", "up"),), has_else=True, otherwise="other"),
        transform="CASE ... END",
    )
    assert check_schema(schema("ticker", {"dir": {"bybit_linear": phase}}), catalog) == []


def test_no_entry_is_reported_once_per_exchange(catalog: Catalog) -> None:
    found = check_schema(
        schema(
            "trade",
            {
                "a": {"examplex": extractor("p", "decimal(18)")},
                "b": {"examplex": extractor("q", "f64")},
            },
        ),
        catalog,
    )
    assert codes(found) == ["SC609"]
    assert "schemac catalog learn examplex trade" in (found[0].hint or "")


def test_a_category_the_exchange_does_not_have(catalog: Catalog) -> None:
    found = check_schema(
        schema("liquidation", {"p": {"binance": extractor("data.p", "decimal(18)")}}), catalog
    )
    assert codes(found) == ["SC609"]
    assert "no liquidation channel" in found[0].message


def test_derived_fields_land_under_data(catalog: Catalog) -> None:
    levels = DeriveField(
        "levels",
        "tagged_concat",
        (DeriveArray("data.b", "bid"), DeriveArray("data.a", "ask")),
        tag_field="side",
        value_field="level",
    )
    columns = {
        "side": {
            "bybit_spot": extractor(
                "data.levels.side",
                "string",
                case=CaseMap((CaseArm("bid", "b"), CaseArm("offer", "a")), has_else=True),
            )
        },
        "price": {"bybit_spot": extractor("data.levels.level.0", "decimal(8)")},
        "third": {"bybit_spot": extractor("data.levels.level.2", "decimal(8)")},
    }
    found = check_schema(
        schema("orderbook", columns, {"bybit_spot": "data.levels"}, {"bybit_spot": [levels]}),
        catalog,
    )
    assert sorted(codes(found)) == ["SC601", "SC607"]
    assert "`offer`" in next(d.message for d in found if d.code == "SC607")


def test_a_derive_array_that_is_not_an_array(catalog: Catalog) -> None:
    levels = DeriveField(
        "levels", "tagged_concat", (DeriveArray("data.s", "bid", span(5)),), "side", "level"
    )
    columns = {"s": {"bybit_spot": extractor("data.s", "string")}}
    found = check_schema(schema("orderbook", columns, derive={"bybit_spot": [levels]}), catalog)
    assert codes(found) == ["SC604"]
    assert found[0].span == span(5)


def test_user_entries_override_shipped_ones(tmp_path: Path) -> None:
    (tmp_path / "binance.yaml").write_text(
        "exchange: binance\ncategories:\n  trade:\n    status: inferred\n    source: raw export\n"
        "    paths:\n      p: sdec\n"
    )
    catalog = load_catalog([tmp_path])
    raw_root = check_schema(
        schema("trade", {"p": {"binance": extractor("p", "decimal(18)")}}), catalog
    )
    assert raw_root == []
    wrapped = check_schema(
        schema("trade", {"p": {"binance": extractor("data.p", "decimal(18)")}}), catalog
    )
    assert codes(wrapped) == ["SC602"]
    assert catalog.entry("binance", "kline") is not None  # other categories stay shipped


def catalog_rules_list() -> list[Rule]:
    return [v for v in vars(catalog_rules).values() if isinstance(v, Rule)]


def test_rule_codes_are_in_the_catalog_range() -> None:
    rules = catalog_rules_list()
    assert len(rules) == 9
    assert all("SC601" <= r.code <= "SC699" for r in rules)


@pytest.mark.parametrize("rule", catalog_rules_list(), ids=lambda r: r.code)
def test_rule_examples_through_the_parser(rule: Rule, tmp_path: Path, catalog: Catalog) -> None:
    import schemac
    from schemac.config import Config

    for kind, expect in (("bad", True), ("good", False)):
        path = tmp_path / f"{kind}.yaml"
        path.write_text(getattr(rule, kind))
        project = schemac.load_project([str(path)], Config(root=tmp_path))
        assert len(project.schemas) == 1, project.diagnostics
        found = codes(check_schema(project.schemas[0], catalog))
        assert (rule.code in found) is expect, f"{kind}: {found}"


def test_the_example_schemas_are_clean_against_the_catalog(catalog: Catalog) -> None:
    import schemac
    from schemac.config import Config

    project = schemac.load_project([str(REPO / "schemas")], Config(root=REPO))
    assert project.schemas
    found = [d for s in project.schemas for d in check_schema(s, catalog)]
    assert found == []


def test_only_the_exchanges_a_schema_uses_are_read(catalog: Catalog) -> None:
    fresh = load_catalog()
    check_schema(schema("trade", {"p": {"binance": extractor("data.p", "decimal(18)")}}), fresh)
    assert set(fresh._exchanges) == {"binance"}


def test_missing_catalog_folder_is_a_configuration_error(project: Path) -> None:
    (project / "schemac.toml").write_text('catalog_dirs = ["catalgo"]\n')
    (project / "schemas").mkdir()
    (project / "schemas" / "s.yaml").write_text(MINIMAL_SCHEMA)
    result = run_cli("validate")
    assert result.code == 2
    assert "catalog folder `catalgo` does not exist" in result.out
    assert run_cli("catalog", "list").code == 2


def test_broken_catalog_file_is_reported_at_the_file(project: Path) -> None:
    (project / "schemac.toml").write_text('catalog_dirs = ["catalog"]\n')
    (project / "catalog").mkdir()
    (project / "catalog" / "binance.yaml").write_text("exchange: binance\nexchange: binance\n")
    (project / "schemas").mkdir()
    (project / "schemas" / "s.yaml").write_text(MINIMAL_SCHEMA + "  p: {type: f64, from: data.p}\n")
    result = run_cli("validate")
    assert result.code == 2
    assert "catalog/binance.yaml:2:1: error[SC901]" in result.out
    assert "duplicate key" in result.out


def test_catalog_files_are_yaml_12(project: Path) -> None:
    (project / "schemac.toml").write_text('catalog_dirs = ["catalog"]\n')
    (project / "catalog").mkdir()
    (project / "catalog" / "examplex.yaml").write_text(
        "exchange: examplex\ncategories:\n  trade:\n    status: confirmed\n    source: test\n"
        "    paths:\n      side: {type: str, enum: [Yes, No]}\n"
    )
    (project / "schemas").mkdir()
    (project / "schemas" / "s.yaml").write_text(
        "name: s\ncategory: trade\nexchanges: [examplex]\ncolumns:\n"
        "  side:\n    from:\n"
        "      examplex: {path: side, type: string, case: {Yes: buy, No: sell}}\n"
    )
    (project / "schemac.toml").write_text('catalog_dirs = ["catalog"]\nexchanges = ["examplex"]\n')
    result = run_cli("validate")
    assert result.code == 0, result.out
    assert "SC607" not in result.out  # Yes and No are the documented strings, not booleans

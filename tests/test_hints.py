"""Hints that lead somewhere, and messages that say what is true (issue 9, "Misleading hints").

Each test runs the real pipeline (load, parse, every check) over a schema written to a
temporary folder, and reads the findings as the user would.
"""

from __future__ import annotations

import re
from pathlib import Path

import schemac
from schemac.config import Config
from schemac.diagnostics import Diagnostic


def validate(tmp_path: Path, text: str, name: str = "s.yaml") -> list[Diagnostic]:
    file = tmp_path / name
    file.write_text(text)
    return schemac.check(schemac.load_project([str(file)], Config(root=tmp_path)))


def codes(found: list[Diagnostic]) -> list[str]:
    return [d.code for d in found if d.code != "SC402"]  # the file name is not the point


def only(found: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in found if d.code == code]


# -- SC603: a hint that leads to a fixed point that validates ---------------------------------

COINBASE = """\
name: s
category: trade
exchanges: [coinbase]
unfold:
  coinbase: {unfold}
columns:
  price: {{type: decimal(18), from: {price}}}
  size: {{type: decimal(18), from: {size}}}
"""

_UNFOLD_HINT = re.compile(r"`unfold: \{coinbase: ([\w.]+)\}`")
_READ_HINT = re.compile(r"read `([\w.]+)`")


def _follow(found: list[Diagnostic], values: dict[str, str]) -> dict[str, str]:
    """Apply what the SC603 hints say, as an author would: a new unfold, a new path to read."""
    changed = dict(values)
    for finding in only(found, "SC603"):
        hint = finding.hint or ""
        unfold = _UNFOLD_HINT.search(hint)
        if unfold:
            changed["unfold"] = unfold.group(1)
        read = _READ_HINT.search(hint)
        line = finding.span.line
        if read and line in (7, 8):
            changed["price" if line == 7 else "size"] = read.group(1)
    return changed


def test_sc603_hints_for_coinbase_trades_reach_a_schema_that_validates(tmp_path: Path) -> None:
    # Before: unfold `events` -> "unfold events.trades" -> "unfold events" -> ... forever.
    values = {"unfold": "events", "price": "events.trades.price", "size": "events.trades.size"}
    seen = [values]
    for _ in range(4):
        found = validate(tmp_path, COINBASE.format(**values))
        if not codes(found):
            break
        assert codes(found) == ["SC603"] * len(codes(found)), found
        values = _follow(found, values)
        assert values not in seen, f"the hints lead back to {values}"
        seen.append(values)
    assert codes(validate(tmp_path, COINBASE.format(**values))) == []
    assert values["unfold"] == "events.0.trades"


def test_sc603_on_an_unfold_path_through_an_array_points_at_a_position(tmp_path: Path) -> None:
    values = {"unfold": "events.trades", "price": "events.trades.price", "size": "x.y"}
    found = only(validate(tmp_path, COINBASE.format(**values)), "SC603")
    on_unfold = [d for d in found if d.span.line == 5]
    assert on_unfold == found, found  # the columns read under it do not repeat the finding
    assert "`unfold: {coinbase: events.0.trades}`" in (on_unfold[0].hint or "")
    assert "unfold: {coinbase: events}" not in (on_unfold[0].hint or "")


BYBIT_LEVELS = """\
name: s
category: orderbook
exchanges: [bybit_linear]
unfold: {bybit_linear: data.b}
columns:
  price: {type: decimal(18), from: data.b.price}
"""


def test_sc603_after_an_unfold_of_levels_does_not_say_there_is_no_unfold(tmp_path: Path) -> None:
    (finding,) = only(validate(tmp_path, BYBIT_LEVELS), "SC603")
    assert "without an unfold" not in finding.message
    assert "the unfold at `data.b`" in finding.message
    assert "positions, not a field `price`" in finding.message
    assert finding.hint == "address a position: `data.b.0` (price), `data.b.1` (size)"
    fixed = BYBIT_LEVELS.replace("data.b.price", "data.b.0")
    assert codes(validate(tmp_path, fixed)) == []


# -- `unfold` written as a list: a pointer to `derive` -----------------------------------------

BOOK = """\
name: s
category: orderbook
exchanges: [bybit_linear]
unfold: {unfold}
columns:
  price: {{type: decimal(18), from: data.b.0}}
"""


def test_unfold_as_a_list_points_at_derive(tmp_path: Path) -> None:
    for unfold in ("[data.b, data.a]", "{bybit_linear: [data.b, data.a]}"):
        found = only(validate(tmp_path, BOOK.format(unfold=unfold)), "SC103")
        assert len(found) == 1, found
        assert "must be a mapping, not a list" in found[0].message
        assert "`derive` (op `tagged_concat`)" in (found[0].hint or "")


def test_wire_unfold_as_a_list_points_at_derive(tmp_path: Path) -> None:
    wire = (
        '{"name": "s", "stream_category": "orderbook", "unfold": ["data.b"], "columns": '
        '[{"output_column": "p", "data": {"bybit_linear": {"path": "data.b.0", '
        '"type": "decimal(18)"}}}]}'
    )
    found = only(validate(tmp_path, wire, "s.json"), "SC103")
    assert "`derive`" in (found[0].hint or "")


# -- YAML syntax errors in plain words -----------------------------------------------------------

HEAD = "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n  price:\n    type: decimal(18)\n"


def test_a_key_indented_between_two_levels_is_explained(tmp_path: Path) -> None:
    (finding,) = validate(tmp_path, HEAD + "   from: data.p\n")
    assert finding.code == "SC001"
    assert "did not find expected key" not in finding.message
    assert (finding.span.line, finding.span.column) == (7, 4)
    assert "line 7 is indented by 3 spaces" in finding.message
    assert "by 4 spaces to put it beside `type:`" in (finding.hint or "")
    assert codes(validate(tmp_path, HEAD + "    from: data.p\n")) == []


def test_a_key_indented_too_deep_is_explained(tmp_path: Path) -> None:
    (finding,) = validate(tmp_path, HEAD + "      from: data.p\n")
    assert "not allowed in this context" not in finding.message
    assert "line 7 is indented deeper than line 6" in finding.message
    assert "indent `from:` by 4 spaces" in (finding.hint or "")


def test_a_tab_a_missing_colon_and_an_open_brace_are_explained(tmp_path: Path) -> None:
    (tab,) = validate(tmp_path, HEAD + "\tfrom: data.p\n")
    assert "tab" in tab.message and tab.hint
    (colon,) = validate(tmp_path, "name: s\ncategory trade\ncolumns: {}\n")
    assert colon.span.line == 2 and "`category trade`" in (colon.hint or "")
    (brace,) = validate(tmp_path, HEAD + "    from: {binance: data.p\n")
    assert brace.message.endswith("the `{` opened on line 7 is never closed")
    assert brace.hint == "add the closing `}`"


# -- SC506: bool keys under `string`, where the exchange sends a boolean -------------------------

MAKER = """\
name: s
category: trade
exchanges: [binance]
columns:
  side:
    type: string
    from:
      binance: {{path: {path}, case: {{true: sell, false: buy}}}}
"""


def test_sc506_says_type_bool_when_the_catalog_says_the_path_is_a_bool(tmp_path: Path) -> None:
    found = only(validate(tmp_path, MAKER.format(path="data.m")), "SC506")
    assert len(found) == 2
    for finding in found:
        assert "quote" not in (finding.hint or "")
        assert "`data.m` on binance (trade) is a boolean" in (finding.hint or "")
        assert "`type: bool`" in (finding.hint or "")
    fixed = MAKER.format(path="data.m").replace("case:", "type: bool, case:")
    assert codes(validate(tmp_path, fixed)) == []


def test_sc506_still_says_quote_the_key_when_the_path_is_a_string(tmp_path: Path) -> None:
    found = only(validate(tmp_path, MAKER.format(path="data.s")), "SC506")
    assert found and all("quote the key" in (f.hint or "") for f in found)


# -- Follow-on findings: nothing reported as a consequence of an error already reported ---------

TWO = """\
name: s
category: trade
exchanges: [binance, bybit_spot]
unfold:
  bybit_spot: data
columns:
  price: {{type: decimal(18), from: {{binance: data.p, bybit_spot: data.p}}}}
  size:
{size}
"""


def test_a_missing_type_does_not_make_the_exchange_unmapped(tmp_path: Path) -> None:
    size = "    from: {binance: {path: data.q, type: decimal(18)}, bybit_spot: data.v}"
    found = codes(validate(tmp_path, TWO.format(size=size)))
    assert found == ["SC115"], found
    only_column = TWO.replace(
        "  price: {{type: decimal(18), from: {{binance: data.p, bybit_spot: data.p}}}}\n", ""
    )
    found = codes(validate(tmp_path, only_column.format(size=size)))
    assert found == ["SC115"], found  # not SC304 (the unfold is read by the column in error)


def test_overlapping_globs_do_not_make_the_exchange_unmapped(tmp_path: Path) -> None:
    size = "    type: decimal(18)\n    from: {binance: data.q, bybit_*: data.v, '*_spot': data.v}"
    found = codes(validate(tmp_path, TWO.format(size=size)))
    assert found == ["SC307"], found
    alone = TWO.replace(
        "  price: {{type: decimal(18), from: {{binance: data.p, bybit_spot: data.p}}}}\n", ""
    )
    assert codes(validate(tmp_path, alone.format(size=size))) == ["SC307"]


def test_an_unreadable_unfold_is_not_followed_by_findings_about_the_paths(
    tmp_path: Path,
) -> None:
    found = codes(validate(tmp_path, BOOK.format(unfold="[data.b, data.a]")))
    assert found == ["SC103"], found  # not SC605 (`data.b.0`, a level, read without the unfold)
    for unfold in ("{bybit_*: data.b, '*_linear': data.a}", "{bybit_linear: {path: 3}}"):
        found = codes(validate(tmp_path, BOOK.format(unfold=unfold)))
        assert len(found) == 1 and found[0] in ("SC307", "SC103"), (unfold, found)


def test_a_genuinely_unmapped_exchange_is_still_reported(tmp_path: Path) -> None:
    size = "    type: decimal(18)\n    from: {binance: data.q}"
    assert codes(validate(tmp_path, TWO.format(size=size))) == ["SC308"]
    size = "    type: decimal(18)\n    from: {binance: data.q}"
    no_price = TWO.replace("bybit_spot: data.p}}}}", "}}}}")
    assert sorted(codes(validate(tmp_path, no_price.format(size=size)))) == [
        "SC304",
        "SC308",
        "SC308",
    ]


# -- SC301: one source of known codes, the catalog plus the configuration -----------------------

CODES = """\
name: s
category: trade
exchanges: [{codes}]
columns:
  ts: {{meta: collection_timestamp_ns}}
"""


def test_sc301_knows_every_code_the_catalog_ships(tmp_path: Path) -> None:
    from schemac.catalog import load_catalog

    shipped = load_catalog().codes()
    assert {"binance_usdm", "okx"} <= set(shipped)
    assert codes(validate(tmp_path, CODES.format(codes=", ".join(shipped)))) == []
    (finding,) = only(validate(tmp_path, CODES.format(codes="binance, okz")), "SC301")
    assert finding.code == "SC301" and "`okz`" in finding.message
    assert finding.hint == "did you mean `okx`?"
    assert (finding.span.line, finding.span.column) == (3, 22)


def test_sc301_knows_the_codes_of_a_users_catalog_folder(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "kraken.yaml").write_text(
        "exchange: kraken\nname: Kraken\ncode: guessed\ncode_source: a guess\ncategories: {}\n"
    )
    text = CODES.format(codes="kraken")
    assert only(validate(tmp_path, text), "SC301")
    file = tmp_path / "s.yaml"
    config = Config(root=tmp_path, catalog_dirs=["catalog"])
    found = schemac.check(schemac.load_project([str(file)], config))
    assert only(found, "SC301") == []


def test_sc301_in_a_wire_file_points_at_the_code(tmp_path: Path) -> None:
    wire = (
        '{"name": "s", "stream_category": "trade", "columns": [{"output_column": "p", '
        '"data": {"krakn": {"json": {"path": "price", "type": "f64"}}}}]}'
    )
    found = only(validate(tmp_path, wire, "s.json"), "SC301")
    assert len(found) == 1 and found[0].span.line == 1 and found[0].span.column > 1


def test_an_unreadable_derive_is_not_followed_by_findings_about_the_paths(
    tmp_path: Path,
) -> None:
    text = BOOK.format(unfold="{bybit_linear: data.levels}").replace(
        "unfold:", "derive: [data.b, data.a]\nunfold:"
    )
    text = text.replace("data.b.0", "data.levels.level.0")
    found = codes(validate(tmp_path, text))
    assert found == ["SC103"], found  # not SC601/SC604 about `data.levels`, which derive makes


def test_an_unfold_on_an_object_still_lets_the_columns_be_checked(tmp_path: Path) -> None:
    text = (
        "name: s\ncategory: trade\nexchanges: [binance]\nunfold: {binance: data}\n"
        "columns:\n  price: {type: decimal(18), from: data.P}\n"
    )
    assert sorted(codes(validate(tmp_path, text))) == ["SC601", "SC604"]

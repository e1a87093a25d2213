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
    assert on_unfold, found
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

"""Enum domains marked complete (`complete: true`): SC607 is an error there, a warning elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli

import schemac
from schemac.catalog import CatalogError, load_catalog
from schemac.catalog.fileformat import read_exchange_file
from schemac.config import Config
from schemac.diagnostics import Diagnostic, Severity

CASES = Path(__file__).resolve().parent.parent / "rules" / "cases"


def _sc607(paths: list[Path], config: Config) -> list[Diagnostic]:
    found = schemac.check(schemac.load_project([str(p) for p in paths], config))
    return [d for d in found if d.code == "SC607"]


def test_a_key_outside_a_complete_domain_is_an_error() -> None:
    (case,) = CASES.glob("SC607@12_*")
    found = _sc607([case], Config(root=CASES))
    assert [(d.severity, d.span.line) for d in found] == [(Severity.ERROR, 12)]
    assert "every value the exchange documents" in found[0].message


def test_a_key_outside_a_domain_not_marked_complete_is_a_warning() -> None:
    (case,) = CASES.glob("SC607@13_*")
    found = _sc607([case], Config(root=CASES))
    assert [(d.severity, d.span.line) for d in found] == [(Severity.WARNING, 13)]
    assert "may not be complete" in found[0].message


def test_the_configured_severity_still_wins() -> None:
    (case,) = CASES.glob("SC607@12_*")
    config = Config(root=CASES, severity={"SC607": "warning"})
    assert [d.severity for d in _sc607([case], config)] == [Severity.WARNING]


def test_the_shipped_catalog_marks_documented_domains_only() -> None:
    catalog = load_catalog()
    side = catalog.entry("bybit_linear", "trade")
    assert side is not None and side.paths["data[].S"].complete
    coinbase = catalog.entry("coinbase", "trade")
    assert coinbase is not None and not coinbase.paths["events[].trades[].side"].complete
    for code in catalog.codes():
        info = catalog.exchange(code)
        assert info is not None
        for entry in info.entries.values():
            for path in entry.paths.values():
                if path.complete:  # the exchange's own docs list the values
                    assert path.enum, f"{code} {entry.category} {path.path}"
                    assert entry.confirmed, f"{code} {entry.category} {path.path}: not from docs"


def _write(tmp_path: Path, spec: str) -> Path:
    file = tmp_path / "venue.yaml"
    file.write_text(
        "exchange: venue\nname: Venue\ncode: guessed\ncode_source: test\ncategories:\n"
        "  trade:\n    status: confirmed\n    source: test\n    paths:\n"
        f"      side: {spec}\n"
    )
    return file


def test_complete_in_a_users_catalog_file(tmp_path: Path) -> None:
    info = read_exchange_file(_write(tmp_path, "{type: str, enum: [b, s], complete: true}"))
    assert info.entries["trade"].paths["side"].complete
    with pytest.raises(CatalogError, match="`complete` must be true or false"):
        read_exchange_file(_write(tmp_path, "{type: str, enum: [b, s], complete: yes please}"))
    with pytest.raises(CatalogError, match="give the `enum`"):
        read_exchange_file(_write(tmp_path, "{type: str, complete: true}"))


def test_catalog_show_marks_complete_domains(project: Path) -> None:
    result = run_cli("catalog", "show", "bybit_linear", "trade", "--format", "json")
    assert result.code == 0
    import json

    rows = {row["catalog_path"]: row for row in json.loads(result.out)["paths"]}
    assert "complete" in rows["data[].S"]["marks"]
    assert "complete" not in rows["data[].p"]["marks"]


def test_learn_never_marks_an_enum_complete() -> None:
    from schemac.catalog.learn import learn_entry

    messages = [{"side": "buy"}, {"side": "sell"}, {"side": "buy"}, {"side": "sell"}]
    learned = learn_entry("venue", "trade", messages, "samples")
    assert learned.paths["side"].enum == ("buy", "sell")
    assert not learned.paths["side"].complete

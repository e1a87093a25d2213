"""Fixtures and catalog entries cannot drift: every fixture line conforms to its entry, every
entry has a fixture, every path of an entry shows up in its fixture, and every optional path is
seen both present and absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemac.catalog import Catalog

from .conform import check_messages
from .conftest import FIXTURES, fixture_files, read_fixture


def all_entries(catalog: Catalog) -> list[tuple[str, str]]:
    pairs = []
    for code in catalog.codes():
        info = catalog.exchange(code)
        assert info is not None
        pairs.extend((code, category) for category in info.entries)
    return pairs


def test_the_shipped_catalog_covers_the_documented_codes(catalog: Catalog) -> None:
    for code in ("binance", "bybit_linear", "bybit_spot", "coinbase"):
        info = catalog.exchange(code)
        assert info is not None, code
        assert info.code_status == "confirmed"
        assert len(info.entries) + len(info.unavailable) == 7, code


def test_every_entry_has_a_fixture(catalog: Catalog) -> None:
    missing = [
        f"{code}/{category}"
        for code, category in all_entries(catalog)
        if not (FIXTURES / code / f"{category}.jsonl").is_file()
    ]
    assert missing == []


def test_every_fixture_has_an_entry(catalog: Catalog) -> None:
    orphans = [
        str(path.relative_to(FIXTURES))
        for path in fixture_files()
        if catalog.entry(path.parent.name, path.stem) is None
    ]
    assert fixture_files() and orphans == []


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_conforms_to_its_entry(catalog: Catalog, path: Path) -> None:
    entry = catalog.entry(path.parent.name, path.stem)
    assert entry is not None
    messages = read_fixture(path)
    assert messages, "a fixture holds at least one message"
    coverage = check_messages(entry, messages, label=path.name)
    assert coverage.problems == []
    never_seen = [p for p in entry.paths if p and not coverage.present.get(p)]
    assert never_seen == [], "every catalog path appears in the fixture"
    optional_never_absent = [
        p for p, info in entry.paths.items() if info.optional and not coverage.absent.get(p)
    ]
    assert optional_never_absent == [], "every optional path is absent from some message"

"""The precompiled shipped catalog (schemac/data/catalog.json) and where catalog errors point."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from schemac.catalog import CatalogError, load_catalog, loader, precompiled
from schemac.catalog.fileformat import read_exchange_file
from schemac.catalog.model import SHIPPED_DIR
from schemac.catalog.precompiled import (
    PRECOMPILED_FILE,
    compile_catalog,
    precompiled_exchange,
    write_precompiled,
)
from schemac.diagnostics import Span

SHIPPED_FILES = sorted(SHIPPED_DIR.glob("*.yaml"))
REGENERATE = "run `python -m schemac.catalog.precompiled` after editing schemac/data/catalog/"


def test_the_precompiled_catalog_is_up_to_date() -> None:
    assert PRECOMPILED_FILE.read_text(encoding="utf-8") == compile_catalog(SHIPPED_DIR), REGENERATE


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.stem)
def test_the_precompiled_exchange_equals_a_fresh_load(path: Path) -> None:
    fresh = read_exchange_file(path, path.stem)
    compiled = precompiled_exchange(path)
    assert compiled is not None, REGENERATE
    assert compiled == fresh
    for category, entry in fresh.entries.items():  # not compared by ==
        assert compiled.entries[category].child_index == entry.child_index


def test_the_shipped_catalog_is_read_without_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_yaml(path: Path, expected_code: str | None = None) -> None:
        raise AssertionError(f"{path} was read from its YAML")

    monkeypatch.setattr(loader, "read_exchange_file", no_yaml)
    catalog = load_catalog()
    for code in catalog.codes():
        assert catalog.exchange(code) is not None


@pytest.fixture
def shipped_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped folder and its precompiled file, used as the shipped catalog."""
    folder = tmp_path / "catalog"
    shutil.copytree(SHIPPED_DIR, folder)
    target = tmp_path / "catalog.json"
    write_precompiled(folder, target)
    monkeypatch.setattr(loader, "SHIPPED_DIR", folder)
    monkeypatch.setattr(precompiled, "PRECOMPILED_FILE", target)
    return folder


def test_an_edited_file_is_read_from_its_yaml(shipped_copy: Path) -> None:
    path = shipped_copy / "binance.yaml"
    assert precompiled_exchange(path) is not None
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: confirmed", "status: inferred", 1), encoding="utf-8")
    assert precompiled_exchange(path) is None
    edited = load_catalog().exchange("binance")
    assert edited == read_exchange_file(path, "binance")
    assert edited != read_exchange_file(SHIPPED_DIR / "binance.yaml", "binance")


@pytest.mark.parametrize(
    "content",
    ["", "{not json", "[]", '{"stamp": "0:0", "files": {}}', '{"stamp": null}'],
    ids=["empty", "truncated", "not-a-mapping", "other-version", "no-stamp"],
)
def test_a_broken_or_foreign_precompiled_file_is_ignored(shipped_copy: Path, content: str) -> None:
    precompiled.PRECOMPILED_FILE.write_text(content, encoding="utf-8")
    precompiled._records.cache_clear()
    path = shipped_copy / "okx.yaml"
    assert precompiled_exchange(path) is None
    assert load_catalog().exchange("okx") == read_exchange_file(path, "okx")


def test_a_corrupt_record_is_ignored(shipped_copy: Path) -> None:
    target = precompiled.PRECOMPILED_FILE
    target.write_text(
        target.read_text(encoding="utf-8").replace('"paths":[[', '"paths":[[7,'), encoding="utf-8"
    )
    precompiled._records.cache_clear()
    path = shipped_copy / "bybit_spot.yaml"
    assert precompiled_exchange(path) is None
    assert load_catalog().exchange("bybit_spot") == read_exchange_file(path, "bybit_spot")


# Errors point where the problem is: a key, a value, or the file.

ENTRY = "exchange: examplex\ncategories:\n  trade:\n    status: {status}\n    source: x\n"


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        (ENTRY.format(status="sure") + "    paths: {p: sdec}\n", "`status` must be one of", 4, 13),
        (ENTRY.format(status="confirmed") + "    paths: {p: int, q: wat}\n", "`wat`", 6, 24),
        (
            ENTRY.format(status="confirmed") + "    paths:\n      p: {type: int, x: 1}\n",
            "`x`",
            7,
            22,
        ),
        (ENTRY.format(status="confirmed") + "    paths: {p: int, p.q: int}\n", "obj", 6, 13),
        (ENTRY.format(status="confirmed") + "    pahts: {p: int}\n", "unknown key `pahts`", 6, 5),
        ("exchange: examplex\ncategories:\n  trades: {}\n", "unknown category", 3, 3),
        ("exchange: other\ncategories:\n  trade: {unavailable: no}\n", "named for", 1, 11),
        ("exchange: examplex\nexchange: x\n", "duplicate key", 2, 1),
        ("exchange: Examplex\n", "exchange `Examplex`: an exchange code is lower-case", 1, 11),
        (f"exchange: {'x' * 101}\n", "an exchange code is at most 100 characters", 1, 11),
    ],
)
def test_an_error_carries_the_span_of_what_it_is_about(
    tmp_path: Path, text: str, message: str, line: int, column: int
) -> None:
    path = tmp_path / "examplex.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        read_exchange_file(path, "examplex")
    error = caught.value
    assert message in error.message
    assert (error.span.file, error.span.line, error.span.column) == (str(path), line, column)
    assert str(error).startswith(str(path))
    assert str(error).endswith(error.message)


def test_str_of_an_error_is_the_text_it_always_was(tmp_path: Path) -> None:
    path = tmp_path / "examplex.yaml"
    path.write_text(ENTRY.format(status="sure") + "    paths: {p: sdec}\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        read_exchange_file(path, "examplex")
    expected = f"{path}: categories.trade: `status` must be one of confirmed, inferred"
    assert str(caught.value) == expected
    path.write_text("exchange: examplex\nexchange: x\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        read_exchange_file(path, "examplex")
    assert str(caught.value) == f"{path}:2:1: duplicate key 'exchange' (first defined at line 1)"
    copied = pickle.loads(pickle.dumps(caught.value))
    assert (str(copied), copied.message, copied.span) == (
        str(caught.value),
        caught.value.message,
        caught.value.span,
    )


def test_an_unreadable_file_is_an_error_at_the_file(tmp_path: Path) -> None:
    path = tmp_path / "examplex.yaml"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(CatalogError) as caught:
        read_exchange_file(path, "examplex")
    assert caught.value.span == Span.point(str(path))
    assert str(caught.value).startswith(f"{path}: cannot read: ")

"""Completion over a real client: keys, categories, exchanges and globs, catalog paths (per
exchange and category, arrays marked), meta formats, types and transform functions."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from schemac import vocabulary
from schemac.core.parse import COLUMN_KEYS, EXTRACTOR_KEYS, SCHEMA_KEYS
from tests.lsp.conftest import open_document, position_of

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def complete_at(
    client: LanguageClient, workspace: Path, text: str, needle: str, offset: int
) -> dict[str, types.CompletionItem]:
    uri = open_document(client, workspace / "schemas" / "trades.yaml", text)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position_of(text, needle, offset),
        )
    )
    assert isinstance(result, types.CompletionList)
    return {item.label: item for item in result.items}


def trades(workspace: Path) -> str:
    return (workspace / "schemas" / "trades.yaml").read_text()


async def test_keys_at_every_level(client: LanguageClient, workspace: Path) -> None:
    text = trades(workspace).replace("columns:\n", "\ncolumns:\n  volume:\n    \n", 1)
    column = await complete_at(client, workspace, text, "  volume:\n    ", 14)
    assert list(column) == list(COLUMN_KEYS)
    assert column["type"].text_edit.new_text == "type: "  # type: ignore[union-attr]
    root = await complete_at(client, workspace, text, "\ncolumns:", 1)
    assert list(root) == list(SCHEMA_KEYS)
    text = trades(workspace).replace("        type: string\n", "        ty\n", 1)
    extractor = await complete_at(client, workspace, text, "        ty\n", 10)
    assert list(extractor) == list(EXTRACTOR_KEYS)


async def test_derive_keys_and_ops(client: LanguageClient, workspace: Path) -> None:
    text = (workspace / "schemas" / "book_levels.yaml").read_text()
    text = text.replace("      op: tagged_concat\n", "      op: \n", 1)
    text = text.replace("{path: data.bids, tag: bid}", "{path: data.bids, }", 1)
    ops = await complete_at(client, workspace, text, "      op: \n", len("      op: "))
    assert list(ops) == list(vocabulary.DERIVE_OPS)
    array_keys = await complete_at(client, workspace, text, "data.bids, }", len("data.bids, "))
    assert list(array_keys) == ["path", "tag"]
    field_keys = await complete_at(client, workspace, text, "      tag_field", 6)
    assert list(field_keys) == ["field", "op", "arrays", "tag_field", "value_field"]


async def test_categories(client: LanguageClient, workspace: Path) -> None:
    text = trades(workspace).replace("category: trade", "category: tr")
    found = await complete_at(client, workspace, text, "category: tr", 12)
    assert list(found) == list(vocabulary.CATEGORIES)
    edit = found["trade"].text_edit
    assert isinstance(edit, types.TextEdit)
    assert edit.range.start.character == len("category: ")  # replaces what was typed


async def test_exchange_codes_and_globs(client: LanguageClient, workspace: Path) -> None:
    text = trades(workspace)
    listed = await complete_at(client, workspace, text, "exchanges: [binance, ", 21)
    assert {"okx", "binance_usdm"} <= set(listed)  # catalog codes not yet in the list
    assert "binance" not in listed
    assert listed["okx"].detail == "OKX (v5) (code guessed)"
    keys = await complete_at(client, workspace, text, "      bybit_*: data.p\n", 6)
    assert {"binance", "bybit_linear", "bybit_spot", "coinbase", "*", "bybit_*"} <= set(keys)
    assert keys["bybit_*"].detail == "glob"


async def test_paths_per_exchange_and_category(client: LanguageClient, workspace: Path) -> None:
    text = trades(workspace)
    binance = await complete_at(client, workspace, text, "binance: data.p", len("binance: data."))
    assert {"data.p", "data.q", "data.m"} <= set(binance)
    assert not any(label.startswith("events") for label in binance)  # coinbase's, not binance's
    assert "sdec" in (binance["data.p"].detail or "")
    coinbase = await complete_at(client, workspace, text, "coinbase: events.0.trades.price", 18)
    # After `unfold: {coinbase: events.0.trades}`, a trade's fields are read through it.
    assert "events.0.trades.price" in coinbase
    arrays = {
        label for label, item in coinbase.items() if item.kind == types.CompletionItemKind.Struct
    }
    assert "events.0.trades" in arrays and "arr" in (coinbase["events.0.trades"].detail or "")
    unfold = await complete_at(client, workspace, text, "bybit_*: data   ", 13)
    assert list(unfold) == ["data"]  # only the row arrays the exchanges send


async def test_meta_formats_and_types(client: LanguageClient, workspace: Path) -> None:
    text = trades(workspace)
    formats = await complete_at(client, workspace, text, "format: ms", 8)
    assert list(formats) == list(vocabulary.META_FORMATS)
    types_ = await complete_at(client, workspace, text, "type: decimal(8)", 6)
    assert {*vocabulary.SIMPLE_TYPES, "decimal(N)"} <= set(types_)


async def test_functions_inside_transform(client: LanguageClient, workspace: Path) -> None:
    text = trades(workspace)
    found = await complete_at(client, workspace, text, "toString({v})", 2)
    assert {"toString", "toFloat64", "toDecimal64", "multiIf", "{v}"} <= set(found)
    assert found["toFloat64"].kind == types.CompletionItemKind.Function

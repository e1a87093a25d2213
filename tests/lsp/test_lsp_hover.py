"""Hover over a real client: a path's wire type, enum and example; a column's inferred output
type per exchange; a rule code's explain page."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import open_document, position_of

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def hover_at(client: LanguageClient, workspace: Path, text: str, needle: str) -> str:
    uri = open_document(client, workspace / "schemas" / "trades.yaml", text)
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position_of(text, needle, 1),
        )
    )
    assert result is not None
    assert isinstance(result.contents, types.MarkupContent)
    return result.contents.value


async def test_hover_on_a_path(client: LanguageClient, workspace: Path) -> None:
    text = (workspace / "schemas" / "trades.yaml").read_text()
    shown = await hover_at(client, workspace, text, "data.S")
    for exchange in ("bybit_linear", "bybit_spot"):  # `bybit_*` names both
        assert f"**{exchange}** (trade) `data[].S`: `str`" in shown
    assert "one of `Buy`, `Sell`" in shown
    assert "taker side" in shown  # the catalog's note
    assert 'example: `"Buy"`' in shown or 'example: `"Sell"`' in shown  # from fixtures/
    shown = await hover_at(client, workspace, text, "data.m")
    assert "`bool`" in shown and "example: `true`" in shown


async def test_hover_on_an_unfold_path(client: LanguageClient, workspace: Path) -> None:
    text = (workspace / "schemas" / "trades.yaml").read_text()
    shown = await hover_at(client, workspace, text, "data                 # Bybit")
    assert "**bybit_linear** (trade) `data`: `arr`" in shown
    assert "**bybit_spot** (trade) `data`: `arr`" in shown
    assert "binance" not in shown  # the unfold's key names only the bybit exchanges


async def test_hover_on_a_column(client: LanguageClient, workspace: Path) -> None:
    text = (workspace / "schemas" / "trades.yaml").read_text()
    shown = await hover_at(client, workspace, text, "trade_id:")
    assert shown.startswith("**trade_id**: `string`")
    assert "| binance | `data.t` | i64 | toString({v}) | `string` |" in shown


async def test_hover_on_a_rule_code(client: LanguageClient, workspace: Path) -> None:
    text = (workspace / "schemas" / "trades.yaml").read_text()
    text = text.replace("name: trades", "name: trades  # schemac: ignore[SC402]")
    shown = await hover_at(client, workspace, text, "SC402")
    assert "SC402 filename-mismatch (default severity: warning)" in shown
    assert "checked by: schemac.checks.project" in shown

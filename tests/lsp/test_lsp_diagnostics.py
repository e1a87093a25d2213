"""Diagnostics as you type: the same findings as `validate`, from the buffer, not the disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import codes, open_document, replace_text, wait_for_diagnostics

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_open_reports_the_buffer_not_the_file(
    client: LanguageClient, workspace: Path
) -> None:
    # The file on disk is clean; the buffer misspells a key.
    file = workspace / "schemas" / "trades.yaml"
    text = file.read_text().replace("    meta: collection", "    mta: collection")
    uri = open_document(client, file, text)
    found = await wait_for_diagnostics(client, uri, lambda d: "SC101" in codes(d))
    unknown = next(d for d in found if d.code == "SC101")
    assert unknown.severity == types.DiagnosticSeverity.Error
    assert unknown.source == "schemac"
    assert "did you mean `meta`?" in unknown.message  # the hint travels in the message
    line = text.splitlines().index("    mta: collection_timestamp_ns")
    assert unknown.range == types.Range(
        types.Position(line, 4), types.Position(line, 7)
    )  # the span of `mta`, 0-based


async def test_change_updates_the_findings(client: LanguageClient, workspace: Path) -> None:
    file = workspace / "schemas" / "klines.yaml"
    text = file.read_text()
    uri = open_document(client, file, text)
    await wait_for_diagnostics(client, uri, lambda d: d == [])
    replace_text(client, uri, text.replace("binance: data.k.o", "binance: data.k.oo"), 2)
    found = await wait_for_diagnostics(client, uri, lambda d: "SC601" in codes(d))
    path = next(d for d in found if d.code == "SC601")
    assert "binance does not send `data.k.oo`" in path.message
    assert path.severity == types.DiagnosticSeverity.Error
    replace_text(client, uri, text, 3)  # fixed again: the finding goes away
    await wait_for_diagnostics(client, uri, lambda d: d == [])


async def test_cross_file_checks_see_open_buffers(client: LanguageClient, workspace: Path) -> None:
    # A new, unsaved file declaring the same schema as quotes.yaml on disk: SC401 on it.
    quotes = (workspace / "schemas" / "quotes.yaml").read_text()
    copy = workspace / "schemas" / "quotes_copy.yaml"
    uri = open_document(client, copy, quotes)
    found = await wait_for_diagnostics(client, uri, lambda d: "SC401" in codes(d))
    assert any("quotes.yaml" in d.message for d in found if d.code == "SC401")
    mismatch = next(d for d in found if d.code == "SC402")  # the file name is not the schema's
    assert mismatch.severity == types.DiagnosticSeverity.Warning
    assert not copy.exists()
    # Renamed in the buffer: no longer a duplicate.
    replace_text(client, uri, quotes.replace("name: quotes", "name: quotes_copy"), 2)
    await wait_for_diagnostics(client, uri, lambda d: "SC401" not in codes(d))

"""Quick fixes over a real client: every did-you-mean hint, and a missing `unfold`."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import codes, open_document, wait_for_diagnostics

pytestmark = pytest.mark.asyncio(loop_scope="module")


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """``edits`` applied to ``text`` (one-line ranges, as the server makes them)."""
    lines = text.splitlines(keepends=True)
    for edit in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        start, end = edit.range.start, edit.range.end
        line = lines[start.line] if start.line < len(lines) else ""
        new = line[: start.character] + edit.new_text + line[end.character :]
        if start.line < len(lines):
            lines[start.line] = new
        else:
            lines.append(new)
    return "".join(lines)


async def actions_for(
    client: LanguageClient, uri: str, diagnostic: types.Diagnostic
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


async def test_did_you_mean_replaces_the_span(client: LanguageClient, workspace: Path) -> None:
    file = workspace / "schemas" / "tickers.yaml"
    clean = file.read_text()
    text = clean.replace("category: ticker", "category: tickr", 1)
    uri = open_document(client, file, text)
    found = await wait_for_diagnostics(client, uri, lambda d: bool(d))
    (diagnostic,) = found
    actions = await actions_for(client, uri, diagnostic)
    fix = next(a for a in actions if a.title == "Replace with `ticker`")
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert fix.edit is not None and fix.edit.changes is not None
    assert apply(text, list(fix.edit.changes[uri])) == clean


async def test_unknown_path_offers_each_suggestion(client: LanguageClient, workspace: Path) -> None:
    file = workspace / "schemas" / "trades.yaml"
    clean = file.read_text()
    text = clean.replace("binance: data.p\n", "binance: data.pp\n")
    uri = open_document(client, file, text)
    found = await wait_for_diagnostics(client, uri, lambda d: "SC601" in codes(d))
    diagnostic = next(d for d in found if d.code == "SC601")
    actions = await actions_for(client, uri, diagnostic)
    titles = [a.title for a in actions]
    assert titles[0] == "Replace with `data.p`"
    assert len(titles) > 1  # every name the hint suggests
    assert actions[0].edit is not None and actions[0].edit.changes is not None
    assert apply(text, list(actions[0].edit.changes[uri])) == clean


async def test_add_a_missing_unfold(client: LanguageClient, workspace: Path) -> None:
    file = workspace / "schemas" / "klines.yaml"
    clean = file.read_text()
    text = clean.replace("unfold:\n  bybit_*: data\n\n", "")
    uri = open_document(client, file, text)
    found = await wait_for_diagnostics(client, uri, lambda d: "SC603" in codes(d))
    diagnostic = next(d for d in found if d.code == "SC603" and "bybit_linear" in d.message)
    actions = await actions_for(client, uri, diagnostic)
    fix = next(a for a in actions if a.title == "Add `unfold: {bybit_linear: data}`")
    assert fix.edit is not None and fix.edit.changes is not None
    fixed = apply(text, list(fix.edit.changes[uri]))
    assert "unfold:\n  bybit_linear: data\n\ncolumns:" in fixed
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    # bybit_linear is fixed; bybit_spot still lacks its unfold.
    after = await wait_for_diagnostics(
        client, uri, lambda d: not any("bybit_linear" in x.message for x in d if x.code == "SC603")
    )
    assert any("bybit_spot" in x.message for x in after if x.code == "SC603")

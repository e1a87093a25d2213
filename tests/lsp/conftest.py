"""A real client (pytest-lsp) talking to `schemac lsp` over stdio, in a workspace of its own.

Each test module gets one server, started in a copy of the repository's schemas (and fixtures,
which hover reads example values from); a test that edits a buffer opens its own file name.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

REPO = Path(__file__).resolve().parents[2]
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "schemac", "lsp"])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workspace")
    (root / ".git").mkdir()  # the configuration search stops here
    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copytree(REPO / "schemac" / "data" / "fixtures", root / "fixtures")
    return root


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
        )
    )
    yield
    await lsp_client.shutdown_session()


def open_document(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="yaml", version=version, text=text)
        )
    )
    return uri


def replace_text(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def wait_for_diagnostics(
    client: LanguageClient,
    uri: str,
    wanted: Callable[[list[types.Diagnostic]], bool],
    timeout: float = 20.0,
) -> list[types.Diagnostic]:
    """The diagnostics published for ``uri`` once they satisfy ``wanted`` (or fail on timeout)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = list(client.diagnostics.get(uri, [])) if uri in client.diagnostics else None
        if found is not None and wanted(found):
            return found
        if loop.time() > deadline:
            raise AssertionError(f"no diagnostics as wanted for {uri}; last: {found}")
        await asyncio.sleep(0.02)


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


def position_of(text: str, needle: str, offset: int = 0) -> types.Position:
    """The position of the first ``needle`` in ``text`` (plus ``offset`` characters)."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return types.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))

"""The language server: pygls handlers that translate between LSP and schemac's plain data.

Nothing here checks, completes or explains anything itself: :class:`~schemac.lsp.session.Session`
finds, :mod:`~schemac.lsp.complete`, :mod:`~schemac.lsp.hover` and :mod:`~schemac.lsp.actions`
answer. Columns are code points inside schemac and the client's units (UTF-16 by default) on
the wire; the workspace's position codec converts.

Checking is debounced: a change schedules a check of its document after ``DEBOUNCE_SECONDS``,
and a newer change of the same document cancels the one pending, so a burst of keystrokes costs
one check (of the latest text), and findings are never published for a stale version.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from schemac import __version__
from schemac.diagnostics import Diagnostic, Severity
from schemac.lsp.session import Session

DEBOUNCE_SECONDS = 0.03
CONFIG_FILES = ("schemac.toml", "pyproject.toml")  # saving one re-reads the configuration
_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
_KINDS = {
    "key": types.CompletionItemKind.Property,
    "value": types.CompletionItemKind.EnumMember,
    "exchange": types.CompletionItemKind.Module,
    "path": types.CompletionItemKind.Field,
    "array": types.CompletionItemKind.Struct,
    "type": types.CompletionItemKind.TypeParameter,
    "function": types.CompletionItemKind.Function,
}


class SchemacServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("schemac", __version__)
        self._session: Session | None = None
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.findings: dict[str, list[Diagnostic]] = {}  # absolute path -> its last findings

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = Session(self.workspace.root_path)
        return self._session

    def lines_of(self, path: str) -> Sequence[str]:
        text = self.session.text(path)
        return text.splitlines(keepends=True) if text is not None else []

    def to_range(
        self,
        path: str,
        line: int,
        start: int,
        end_line: int,
        end: int,
        lines: Sequence[str] | None = None,
    ) -> types.Range:
        """A 0-based code-point range of ``path`` in the client's units (``lines``: the file's
        lines, when the caller already has them)."""
        lines = self.lines_of(path) if lines is None else lines
        codec = self.workspace.position_codec
        return codec.range_to_client_units(
            lines,
            types.Range(types.Position(line, start), types.Position(end_line, end)),
        )

    def to_lsp(
        self, diagnostic: Diagnostic, lines: Sequence[str] | None = None
    ) -> types.Diagnostic:
        span = diagnostic.span
        end = (
            span.end_column
            if (span.end_line, span.end_column) > (span.line, span.column)
            else span.column + 1
        )
        message = diagnostic.message
        if diagnostic.hint:
            message += f"\nhint: {diagnostic.hint}"
        file = os.path.abspath(span.file)
        return types.Diagnostic(
            range=self.to_range(
                file, span.line - 1, span.column - 1, span.end_line - 1, end - 1, lines
            ),
            message=message,
            severity=_SEVERITIES[diagnostic.severity],
            code=diagnostic.code,
            source="schemac",
            data={"name": diagnostic.name, "hint": diagnostic.hint},
        )

    def schedule(self, uri: str) -> None:
        """Check ``uri``'s document after a short pause, replacing a check still pending."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.ensure_future(self._check_later(uri))

    async def _check_later(self, uri: str) -> None:
        await asyncio.sleep(DEBOUNCE_SECONDS)
        self.pending.pop(uri, None)
        try:
            self.publish(uri)
        except Exception as error:  # a bug of ours: say so in the editor, keep serving
            self.window_show_message(
                types.ShowMessageParams(
                    types.MessageType.Error, f"schemac could not check {uri}: {error!r}"
                )
            )

    def publish(self, uri: str) -> None:
        path = path_of(uri)
        document = self.workspace.text_documents.get(uri)
        version = document.version if document is not None else None
        for file, found in self.session.check(path).items():
            if file != path and self.findings.get(file) == found:
                continue  # another file, unchanged: nothing to tell the editor
            self.findings[file] = found
            lines = self.lines_of(file)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=from_fs_path(file) or file,
                    diagnostics=[self.to_lsp(d, lines) for d in found],
                    version=version if file == path else None,
                )
            )


def path_of(uri: str) -> str:
    return os.path.abspath(to_fs_path(uri) or uri)


def build_server() -> SchemacServer:
    server = SchemacServer()
    _register_documents(server)
    _register_answers(server)
    return server


def _register_documents(server: SchemacServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SchemacServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.session.open(path_of(params.text_document.uri), params.text_document.text)
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SchemacServer, params: types.DidChangeTextDocumentParams) -> None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        ls.session.open(path_of(document.uri), document.source)
        ls.schedule(document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SchemacServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.session.close(path_of(params.text_document.uri))
        ls.schedule(params.text_document.uri)  # the file on disk is what counts again

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: SchemacServer, params: types.DidSaveTextDocumentParams) -> None:
        if os.path.basename(path_of(params.text_document.uri)) in CONFIG_FILES:
            ls.session.reload_config()
            for uri in ls.workspace.text_documents:
                ls.schedule(uri)
            return
        ls.schedule(params.text_document.uri)


def _register_answers(server: SchemacServer) -> None:
    options = types.CompletionOptions(trigger_characters=[".", " ", ":", "["])

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, options)
    def completion(ls: SchemacServer, params: types.CompletionParams) -> types.CompletionList:
        return _completion(ls, params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: SchemacServer, params: types.HoverParams) -> types.Hover | None:
        return _hover(ls, params)

    kinds = types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, kinds)
    def code_action(ls: SchemacServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return _code_actions(ls, params)


def _position(ls: SchemacServer, uri: str, position: types.Position) -> tuple[str, str, int, int]:
    """(path, text, line, column in code points) of a client position."""
    document = ls.workspace.get_text_document(uri)
    codec = ls.workspace.position_codec
    at = codec.position_from_client_units(document.lines, position)
    return path_of(uri), document.source, at.line, at.character


def _completion(ls: SchemacServer, params: types.CompletionParams) -> types.CompletionList:
    from schemac.lsp.complete import complete
    from schemac.lsp.context import context_at

    path, text, line, column = _position(ls, params.text_document.uri, params.position)
    context = context_at(text, line, column)
    replace = ls.to_range(path, line, column - len(context.prefix), line, column)
    items = [
        types.CompletionItem(
            label=s.label,
            kind=_KINDS.get(s.kind),
            detail=s.detail,
            text_edit=types.TextEdit(range=replace, new_text=s.insert or s.label),
            filter_text=s.label,
        )
        for s in complete(ls.session, path, context)
    ]
    return types.CompletionList(is_incomplete=False, items=items)


def _hover(ls: SchemacServer, params: types.HoverParams) -> types.Hover | None:
    from schemac.lsp.hover import hover

    path, text, line, column = _position(ls, params.text_document.uri, params.position)
    found = hover(ls.session, path, text, line, column)
    if found is None:
        return None
    markdown, token = found
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
        range=ls.to_range(path, line, token.start, line, token.end),
    )


def _code_actions(ls: SchemacServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    from schemac.lsp.actions import fixes

    uri = params.text_document.uri
    path, text, _, _ = _position(ls, uri, params.range.start)
    wanted = params.range
    near = [d for d in ls.findings.get(path, []) if _overlaps(ls.to_lsp(d).range, wanted)]
    actions = []
    for fix in fixes(ls.session, path, text, near):
        edits = [
            types.TextEdit(range=ls.to_range(path, e.line, e.start, e.line, e.end), new_text=e.text)
            for e in fix.edits
        ]
        actions.append(
            types.CodeAction(
                title=fix.title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[ls.to_lsp(fix.diagnostic)],
                edit=types.WorkspaceEdit(changes={uri: edits}),
                is_preferred=fix.preferred,
            )
        )
    return actions


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def serve(**io: Any) -> None:
    """Run the server on stdin/stdout until the client says exit."""
    build_server().start_io(**io)

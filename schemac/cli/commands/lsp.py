"""`schemac lsp`: the language server on stdio, for editors (docs/editor.md)."""

from __future__ import annotations

from schemac.vocabulary import EXIT_OK, EXIT_USAGE


def lsp() -> int:
    try:
        from schemac.lsp.server import serve
    except ImportError as missing:  # a declared dependency, but an install may lack it
        from schemac.cli.commands.common import error

        error(f"the language server needs pygls ({missing}): pip install 'pygls>=2.1,<3'")
        return EXIT_USAGE
    serve()
    return EXIT_OK

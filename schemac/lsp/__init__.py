"""`schemac lsp`: a Language Server (pygls, on stdio) over the same library as `validate`.

:mod:`~schemac.lsp.session` keeps the workspace and its findings, :mod:`~schemac.lsp.context`
reads where the cursor is in a YAML buffer, :mod:`~schemac.lsp.complete`,
:mod:`~schemac.lsp.hover` and :mod:`~schemac.lsp.actions` answer from the library as plain
data, and :mod:`~schemac.lsp.server` is the only module that knows pygls and LSP types.
"""

"""Renderers: the one findings model in four output formats, plus the wire JSON and YAML back ends.

Each format is a module with a function ``(diagnostics, files) -> str``, found by name in
``RENDERERS`` and imported only when chosen. To add a format: write ``render/<name>.py`` and add
a row here (the CLI's ``--format`` choices are this table's keys).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schemac.diagnostics import Diagnostic

Renderer = Callable[["list[Diagnostic]", int], str]

# format name -> (module, function)
RENDERERS: dict[str, tuple[str, str]] = {
    "text": ("schemac.render.text", "render_text"),
    "json": ("schemac.render.json", "render_json"),
    "github": ("schemac.render.github", "render_github"),
    "sarif": ("schemac.render.sarif", "render_sarif"),
}
FORMATS = tuple(RENDERERS)


def renderer(name: str) -> Renderer:
    """The renderer of output format ``name`` (one of ``FORMATS``)."""
    module_name, function = RENDERERS[name]
    found: Renderer = getattr(importlib.import_module(module_name), function)
    return found


def render(
    name: str,
    diagnostics: list[Diagnostic],
    files: int,
    *,
    color: bool = False,
    summary: bool = True,
    max_per_file: int | None = None,
) -> str:
    """``diagnostics`` in format ``name``; ``color``, ``summary`` and ``max_per_file`` (findings
    shown per file, 0 all, None the default) apply to text only: the machine formats are
    complete."""
    if name == "text":
        from schemac.diagnostics import DEFAULT_MAX_FINDINGS
        from schemac.render.text import render_text

        cap = DEFAULT_MAX_FINDINGS if max_per_file is None else max_per_file
        return render_text(diagnostics, files, color=color, summary=summary, max_per_file=cap)
    return renderer(name)(diagnostics, files)

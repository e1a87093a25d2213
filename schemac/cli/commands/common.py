"""What several commands share: printing findings as text, reading the configuration, errors."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.diagnostics import Diagnostic


def error(message: str) -> None:
    """``schemac: error: MESSAGE`` on stderr."""
    print(f"schemac: error: {message}", file=sys.stderr)


def findings_text(
    diagnostics: list[Diagnostic],
    files: int,
    color: bool | None,
    stream: TextIO,
    summary: bool = True,
) -> str:
    """``diagnostics`` in the one text format, coloured when ``stream`` is a terminal."""
    from schemac.render.text import render_text, use_color

    return render_text(diagnostics, files, color=use_color(stream, color), summary=summary)


def print_findings(
    diagnostics: list[Diagnostic],
    files: int,
    color: bool | None,
    stream: TextIO | None = None,
    summary: bool = True,
) -> None:
    """``diagnostics`` as text on ``stream`` (stdout), coloured when it is a terminal."""
    stream = stream or sys.stdout
    stream.write(findings_text(diagnostics, files, color, stream, summary))


def load_config_or_report(
    config_path: str | None, color: bool | None = None, *, summary: bool = True
) -> Config | None:
    """The configuration, or None after printing why it could not be read (its SC901 findings,
    on stderr, as `validate` prints them)."""
    from schemac.config import ConfigError, load_config

    try:
        return load_config(config_path)
    except ConfigError as problem:
        print_findings(problem.diagnostics, 1, color, stream=sys.stderr, summary=summary)
        return None

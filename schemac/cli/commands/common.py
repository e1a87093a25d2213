"""What several commands share: printing findings as text, reading the configuration, errors."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.diagnostics import Diagnostic


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """``--config FILE``, the same for every command that reads the configuration."""
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file (default: schemac.toml or [tool.schemac] in pyproject.toml, "
        "found by walking up from the current directory)",
    )


def add_findings_options(parser: argparse.ArgumentParser, quiet_help: str | None = None) -> None:
    """``-q/--quiet`` and ``--no-color``, the same on every command that prints findings."""
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help=quiet_help or "print findings without the summary line",
    )
    parser.add_argument("--no-color", action="store_true", help="never colour findings")


def exit_code(diagnostics: list[Diagnostic], strict: bool) -> int:
    """The exit code of a run that found ``diagnostics``: usage for a configuration problem,
    findings for an error (or a warning with ``strict``), else OK."""
    from schemac.diagnostics import Severity
    from schemac.rules.project import CONFIG_ERROR
    from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

    if any(d.code == CONFIG_ERROR.code for d in diagnostics):
        return EXIT_USAGE
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return EXIT_FINDINGS if any(d.severity in failing for d in diagnostics) else EXIT_OK


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

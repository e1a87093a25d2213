"""`schemac compile PATH [-o FILE]`: one schema file -> the JSON body the API takes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from schemac.cli.commands.common import error, load_config_or_report, print_findings
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


def compile_file(
    path: str,
    *,
    output: str | None = None,
    force: bool = False,
    config_path: str | None = None,
    color: bool | None = None,
    quiet: bool = False,
) -> int:
    from schemac.diagnostics import Severity
    from schemac.fileio import printable
    from schemac.project import PathNotFound, check_project, load_project
    from schemac.render.wire import dumps, to_wire, wire_schema_errors

    config = load_config_or_report(config_path, color)
    if config is None:
        return EXIT_USAGE
    if os.path.isdir(path):
        error(f"compile takes one schema file, not a folder: {printable(path)}")
        return EXIT_USAGE
    try:
        project = load_project([path], config)
    except PathNotFound as missing:
        error(missing.message)
        return EXIT_USAGE
    diagnostics = check_project(project)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if diagnostics:
        print_findings(diagnostics, 1, color, stream=sys.stderr, summary=bool(errors) and not quiet)
    if errors or not project.schemas:
        if not errors:
            error(f"{printable(path)} holds no schema")
        return EXIT_FINDINGS
    body = to_wire(project.schemas[0])
    problems = wire_schema_errors(body)
    if problems:  # a compiler bug: never hand the API a body that breaks its documented shape
        print(
            "schemac: internal error: the compiled body breaks the wire JSON Schema:",
            file=sys.stderr,
        )
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_FINDINGS
    text = dumps(body)
    if output is None or output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    return write_file_safely(Path(output), text, force=force)


def write_file_safely(target: Path, text: str, *, force: bool) -> int:
    """save_text for commands: ``wrote PATH`` (or ``unchanged PATH``) on stderr, since stdout
    may be the target, and the exit code; the reason on stderr when refused."""
    from schemac.fileio import WriteRefused, save_text, saved_line

    try:
        written = save_text(target, text, force=force)
    except WriteRefused as refused:
        error(str(refused))
        return refused.exit_code
    print(saved_line(target, written), file=sys.stderr)
    return EXIT_OK

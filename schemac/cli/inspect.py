"""`schemac inspect PATH... [--format text|json] [--config FILE]`."""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", help="schema files or folders")
    parser.add_argument(
        "--format", choices=["text", "json"], default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file (default: schemac.toml or [tool.schemac] in pyproject.toml, "
        "found by walking up from the current directory)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the table; exit 1 when a file could not be read into a schema, 2 on usage errors.

    Type findings are `validate`'s business: inspect shows what it can infer, with "unknown"
    or "conflict" where there is nothing to show, and does not fail on them.
    """
    from schemac.config import ConfigError, load_config
    from schemac.diagnostics import Severity
    from schemac.project import PathNotFound, load_project
    from schemac.render.report import render_text as render_diagnostics
    from schemac.sql import transforms
    from schemac.types.inspect import inspect_schema, render_json, render_text

    try:
        config = load_config(args.config)
    except ConfigError as error:
        sys.stderr.write(render_diagnostics(error.diagnostics, 1, summary=False))
        return EXIT_USAGE
    try:
        project = load_project(args.paths, config)
    except PathNotFound as missing:
        print(f"schemac: error: no such file or directory: {missing}", file=sys.stderr)
        return EXIT_USAGE
    errors = [d for d in project.diagnostics if d.severity is Severity.ERROR]
    if errors:
        sys.stderr.write(render_diagnostics(errors, len(project.files), summary=False))
    reports = [inspect_schema(schema, config.dialect) for schema in project.schemas]
    transforms.save_cache()
    sys.stdout.write(render_json(reports) if args.format == "json" else render_text(reports))
    return EXIT_FINDINGS if errors else EXIT_OK

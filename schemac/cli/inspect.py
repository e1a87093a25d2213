"""`schemac inspect PATH... [--format text|json] [--config FILE]`."""

from __future__ import annotations

import argparse
import sys

from schemac.cli.commands.common import add_config_option, add_findings_options
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", help="schema files or folders")
    parser.add_argument(
        "--format", choices=["text", "json"], default="text", help="output format (default: text)"
    )
    add_config_option(parser)
    add_findings_options(parser)


def run(args: argparse.Namespace) -> int:
    """Print the table; exit 1 when a file could not be read into a schema, 2 on usage errors.

    Type findings are `validate`'s business: inspect shows what it can infer, with "unknown"
    or "conflict" where there is nothing to show, and does not fail on them.
    """
    from schemac.cli.commands.common import error, load_config_or_report, print_findings
    from schemac.diagnostics import Severity
    from schemac.project import PathNotFound, load_project
    from schemac.render.inspect import render_json, render_text
    from schemac.sql.cache import save_cache
    from schemac.types.inspect import inspect_schema

    color = False if args.no_color else None
    config = load_config_or_report(args.config, color, summary=not args.quiet)
    if config is None:
        return EXIT_USAGE
    try:
        project = load_project(args.paths, config)
    except PathNotFound as missing:
        error(missing.message)
        return EXIT_USAGE
    errors = [d for d in project.diagnostics if d.severity is Severity.ERROR]
    if errors:
        files = len(project.files)
        print_findings(errors, files, color, stream=sys.stderr, summary=not args.quiet)
    reports = [inspect_schema(schema, config.dialect) for schema in project.schemas]
    save_cache()
    sys.stdout.write(render_json(reports) if args.format == "json" else render_text(reports))
    return EXIT_FINDINGS if errors else EXIT_OK

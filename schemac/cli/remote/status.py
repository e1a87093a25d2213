"""``schemac status [--detailed-exitcode] [--format json]``: in sync | local ahead | remote
drifted | local-only | remote-only | invalid, and whether a draft is pending.

A file with errors does not stop status: it is a row of its own (its findings are printed as
`validate` prints them, on stderr), and the other files are compared.
"""

from __future__ import annotations

import argparse
import json

from schemac.cli.commands.common import add_findings_options
from schemac.cli.remote import (
    Console,
    add_format,
    add_remote,
    checked_project,
    connect,
    epilog,
    guard,
    load_config,
)
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_PLAN_CHANGES

HELP_EXIT_CODES = [
    "0  status was shown (with --detailed-exitcode: every schema in sync, no draft pending)",
    "1  error: a schema file with errors (shown as a row and its findings), a failed request",
    "2  usage (bad arguments, no API key); with --detailed-exitcode: drift",
]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="exit 0 when every schema is in sync, 2 on drift (anything else, or a draft "
        "pending), 1 on error",
    )
    add_format(parser, "the table")
    add_findings_options(parser)
    add_remote(parser)
    epilog(parser, HELP_EXIT_CODES)


def _run(args: argparse.Namespace, out: Console) -> int:
    from schemac.cli.remote.render import status_text
    from schemac.remote.plan import make_plan
    from schemac.remote.status import classify, remote_in_history

    config = load_config(args, out)
    local = checked_project(None, config, args)
    if local.errors:
        out.diagnostics(local.errors, local.files, args)
    with connect(args, out) as remote:
        plan = make_plan(local.schemas, remote, config, every_schema=True)
    rows = classify(plan, lambda p: remote_in_history(p, config), local.invalid)
    if args.format == "json":
        out.out(json.dumps({"schemas": [row.as_json() for row in rows]}, indent=2))
    else:
        out.out(status_text(rows))
    if local.errors:
        return EXIT_FINDINGS
    if args.detailed_exitcode and not all(row.in_sync for row in rows):
        return EXIT_PLAN_CHANGES
    return EXIT_OK


run = guard(_run)

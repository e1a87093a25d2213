"""``schemac plan [NAMES|PATHS] [--detailed-exitcode] [--format json]``."""

from __future__ import annotations

import argparse

from schemac.cli.commands.common import add_findings_options
from schemac.cli.remote import Console, add_format, add_remote, epilog, guard, open_plan
from schemac.vocabulary import EXIT_OK, EXIT_PLAN_CHANGES

HELP_EXIT_CODES = [
    "0  the plan was shown (with --detailed-exitcode: nothing would change)",
    "1  error: schema files with errors (of the named schemas; of any file without names), "
    "a failed request",
    "2  usage (bad arguments, no API key); with --detailed-exitcode: changes pending",
]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("targets", nargs="*", metavar="NAME|PATH", help="default: every schema")
    parser.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="exit 0 when nothing would change, 2 when changes are pending, 1 on error",
    )
    add_format(parser, "the plan")
    add_findings_options(parser)
    add_remote(parser)
    epilog(parser, HELP_EXIT_CODES)


def _run(args: argparse.Namespace, out: Console) -> int:
    from schemac.cli.remote.render import plan_json, plan_text

    plan, remote, _ = open_plan(args, out, args.targets)
    with remote:
        out.out(plan_json(plan) if args.format == "json" else plan_text(plan))
    if args.detailed_exitcode and plan.has_changes:
        return EXIT_PLAN_CHANGES
    return EXIT_OK


run = guard(_run)

"""``schemac plan [NAMES|PATHS] [--detailed-exitcode] [--format json]``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from schemac.cli.remote import Console, add_format, add_remote, connect, guard, load_config
from schemac.cli.remote import load_local as load_local_schemas
from schemac.vocabulary import EXIT_OK, EXIT_PLAN_CHANGES

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.remote.client import Remote
    from schemac.remote.plan import Plan


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("targets", nargs="*", metavar="NAME|PATH", help="default: every schema")
    parser.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="exit 0 when nothing would change, 2 when changes are pending, 1 on error",
    )
    add_format(parser)
    add_remote(parser)


def make_plan(
    args: argparse.Namespace, out: Console, targets: list[str]
) -> tuple[Plan, Remote, Config]:
    """The plan for ``targets`` (every schema when empty) and the open session; the caller
    closes the session (``with remote:``)."""
    from schemac.config import rules_turned_off
    from schemac.remote.plan import build_plan, fetch_remote
    from schemac.remote.select import all_paths

    config = load_config(args, out)
    paths = targets if all_paths(targets) else None
    selected = load_local_schemas(paths, config, out, targets)
    remote = connect(args, out)
    wanted = {s.key for s in selected} if targets else None
    try:
        remote_schemas = fetch_remote(remote, wanted)
    except BaseException:
        remote.close()  # the caller's `with remote:` is not reached: close it here
        raise
    plan = build_plan(
        selected,
        remote_schemas,
        include_remote_only=not targets,
        dialect=config.dialect,
        off=rules_turned_off(config),
    )
    return plan, remote, config


def _run(args: argparse.Namespace, out: Console) -> int:
    from schemac.remote.plan import render_json, render_text

    plan, remote, _ = make_plan(args, out, args.targets)
    with remote:
        out.out(render_json(plan) if args.format == "json" else render_text(plan))
    if args.detailed_exitcode and plan.has_changes:
        return EXIT_PLAN_CHANGES
    return EXIT_OK


run = guard(_run)

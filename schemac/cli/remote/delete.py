"""``schemac delete NAME... [--yes] [--force-draft] [--dry-run]``: remove schemas from the
account. A plan line per name first; a schema that is not there is success, with a note."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from schemac.cli.remote import Console, Stop, add_remote, connect, epilog, guard, load_config
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.remote.delete import DeletePlan

HELP_EXIT_CODES = [
    "0  deleted, or already absent (nothing to delete), or a dry run",
    "1  error: refused (a draft is pending without --force-draft, a built-in schema), a "
    "failed request, cancelled at the prompt",
    "2  usage (bad arguments, a name in two categories, no API key, not a terminal and no --yes)",
]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="+", metavar="NAME", help="name or name@category")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--dry-run", action="store_true", help="show the plan, delete nothing")
    parser.add_argument(
        "--force-draft",
        action="store_true",
        help="delete a schema that has a pending draft (the draft is lost with it)",
    )
    add_remote(parser)
    epilog(parser, HELP_EXIT_CODES)


def plan_line(plan: DeletePlan) -> str:
    from schemac.remote.delete import ABSENT, DELETE

    if plan.action == ABSENT:
        return f"= absent   {plan.label}: not on the account (nothing to delete)"
    if plan.action == DELETE:
        draft = ", and its pending draft" if plan.has_draft else ""
        return f"- delete   {plan.label}: v{plan.version}, {plan.id}{draft}"
    return f"! refused  {plan.label}: {plan.reason}"


def _run(args: argparse.Namespace, out: Console) -> int:
    from schemac.remote.delete import DELETE, REFUSED, delete_one, plan_deletes
    from schemac.remote.select import SelectionError

    config = load_config(args, out)
    with connect(args, out) as remote:
        try:
            plans = plan_deletes(remote.list_schemas(), args.names, force_draft=args.force_draft)
        except SelectionError as error:
            raise Stop(str(error), EXIT_USAGE) from None
        for plan in plans:
            out.out(plan_line(plan))
        if any(p.action == REFUSED for p in plans):
            raise Stop("nothing was deleted", EXIT_FINDINGS)
        doomed = [p for p in plans if p.action == DELETE]
        if not doomed:
            out.out("Nothing to delete.")
            return EXIT_OK
        if args.dry_run:
            out.out("Dry run: nothing was deleted.")
            return EXIT_OK
        if not args.yes and not _confirmed(len(doomed)):
            out.out("Cancelled: nothing was deleted.")
            return EXIT_FINDINGS
        for plan in doomed:
            gone = delete_one(remote, plan)
            out.out(f"deleted   {plan.label}" + ("" if gone else " (it was already gone)"))
    _note_local_files(doomed, config, out)
    return EXIT_OK


def _note_local_files(deleted: list[DeletePlan], config: Config, out: Console) -> None:
    from schemac.config import resolve_paths
    from schemac.remote.delete import local_holders

    keys = {(p.name, p.category) for p in deleted if p.category is not None}
    for (name, category), file in local_holders(resolve_paths(config, None), keys).items():
        out.err(
            f"note: {file} still declares {name} ({category}): `publish --all` would create it "
            "again; delete or rename the file too"
        )


def _confirmed(count: int) -> bool:
    if not sys.stdin.isatty():
        raise Stop("not a terminal: pass --yes to delete without confirmation", EXIT_USAGE)
    sys.stdout.write(f"Delete {count} schema(s) from the account? [y/N] ")
    sys.stdout.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


run = guard(_run)

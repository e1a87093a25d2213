"""``schemac publish NAME... | --all [--yes] [--dry-run] [--draft-only] [--allow-breaking]
[--replace-draft] [--format json]``.

In json mode stdout is exactly one document: the plan, ``result`` and ``outcomes`` (empty when
nothing was written), then ``refused`` when publish refused; the human lines (the plan, each
outcome, the messages) go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from schemac.cli.commands.common import add_findings_options
from schemac.cli.remote import Console, Stop, add_format, add_remote, epilog, guard, open_plan
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_REMOTE_MOVED, EXIT_USAGE

if TYPE_CHECKING:
    from schemac.remote.apply import ApplyResult
    from schemac.remote.client import Remote
    from schemac.remote.plan import SchemaPlan


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="schemas to publish")
    parser.add_argument("--all", action="store_true", help="every schema of the repository")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")
    parser.add_argument(
        "--draft-only", action="store_true", help="stop after the draft is made and verified"
    )
    parser.add_argument(
        "--allow-breaking", action="store_true", help="publish breaking changes too"
    )
    parser.add_argument(
        "--replace-draft",
        action="store_true",
        help="replace a remote draft that schemac did not make (its content is lost)",
    )
    add_format(parser, "the plan and what became of it")
    add_findings_options(parser)
    add_remote(parser)
    epilog(parser, HELP_EXIT_CODES)


HELP_EXIT_CODES = [
    "0  published, or nothing to publish (also a dry run)",
    "1  error: schema files with errors (of the named schemas; of any file with --all), a "
    "refused change, a failed request, cancelled at the prompt",
    "2  usage (bad arguments, no API key, not a terminal and no --yes)",
    "3  the remote moved: another writer changed a schema between the plan and the write",
]


@dataclass
class _Report:
    """Where publish's lines go: text to stdout, or one json document (messages to stderr)."""

    out: Console
    as_json: bool
    document: dict[str, Any] = field(default_factory=dict)

    def human(self, text: str) -> None:
        """A line for a person: stdout, or stderr beside a json document."""
        if self.as_json:
            self.out.err(text)
        else:
            self.out.out(text)

    def finish(self, result: str, message: str, code: int) -> int:
        if message:
            self.human(message)
        if self.as_json:
            self.document["result"] = result
            self.document.setdefault("outcomes", [])
            self.out.out(json.dumps(self.document, indent=2))
        return code


def _run(args: argparse.Namespace, out: Console) -> int:
    from schemac.cli.remote.render import plan_json, plan_text
    from schemac.remote.publish import changes_of

    if bool(args.names) == bool(args.all):
        raise Stop("name the schemas to publish, or pass --all (not both)", EXIT_USAGE)
    plan, remote, _ = open_plan(args, out, [] if args.all else args.names)
    report = _Report(out, args.format == "json")
    if report.as_json:
        report.document = json.loads(plan_json(plan))
    with remote:
        report.human(plan_text(plan))
        changes = changes_of(plan)
        if not changes:
            message = "Nothing to publish: the remote already holds the local content."
            return report.finish("nothing to publish", message, EXIT_OK)
        _refuse(args, changes, report)
        if args.dry_run:
            return report.finish("dry run", "Dry run: nothing was sent.", EXIT_OK)
        if not args.yes and not _confirmed(report.as_json):
            return report.finish("cancelled", "Cancelled: nothing was sent.", EXIT_FINDINGS)
        return _apply(args, remote, changes, report)


def _refuse(args: argparse.Namespace, changes: list[SchemaPlan], report: _Report) -> None:
    from schemac.remote.publish import refusals

    refused = refusals(
        changes, allow_breaking=args.allow_breaking, replace_draft=args.replace_draft
    )
    if not refused:
        return
    if report.as_json:
        report.document["refused"] = refused
        report.finish("refused", "", EXIT_FINDINGS)
    for line in refused:
        report.out.err(f"refused: {line}")
    raise Stop("nothing was published", EXIT_FINDINGS)


def _confirmed(as_json: bool) -> bool:
    if not sys.stdin.isatty():
        raise Stop("not a terminal: pass --yes to publish without confirmation", EXIT_USAGE)
    prompt = sys.stderr if as_json else sys.stdout
    prompt.write("Publish these changes? [y/N] ")
    prompt.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def _apply(
    args: argparse.Namespace, remote: Remote, changes: list[SchemaPlan], report: _Report
) -> int:
    from schemac.remote.apply import apply_plan
    from schemac.remote.publish import outcome_json

    result = apply_plan(
        remote, changes, draft_only=args.draft_only, replace_draft=args.replace_draft
    )
    code = _report_apply(result, report)
    if report.as_json:
        report.document["outcomes"] = [outcome_json(o) for o in result.outcomes]
        report.finish("failed" if result.failed else "applied", "", code)
    return code


def _report_apply(result: ApplyResult, report: _Report) -> int:
    """The outcome lines (stdout in text mode, stderr beside the json document) and the
    failures (always stderr); the exit code."""
    from schemac.remote.publish import failure_report, outcome_line

    for outcome in result.outcomes:
        line = outcome_line(outcome)
        if line is not None:
            report.human(line)
    failures = failure_report(result)
    if failures is None:
        return EXIT_OK
    for line in failures.lines:
        report.out.err(line)
    return EXIT_REMOTE_MOVED if failures.moved else EXIT_FINDINGS


run = guard(_run)

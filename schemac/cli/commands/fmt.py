"""`schemac fmt [PATH...] [--check] [--diff]`: YAML authoring files in the canonical layout.

Without flags, each file that is not canonical is rewritten (atomically; a canonical file is
not touched). ``--check`` writes nothing, prints a unified diff of each file it would change and
exits 1 when there is one; ``--diff`` prints the diffs and writes nothing (exit 0). A file that
is not readable YAML is reported with validate's finding and left alone (exit 1, as validate).
Diffs go to stdout; what was done, to stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from schemac.cli.commands.common import (
    add_config_option,
    error,
    exit_code,
    load_config_or_report,
    print_findings,
)
from schemac.fileio import printable
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from schemac.diagnostics import Diagnostic
    from schemac.fmt import Outcome


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", help="files or folders (default: the configured schema paths)"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; print a diff, exit 1 on a change"
    )
    parser.add_argument("--diff", action="store_true", help="write nothing; print a diff")
    add_config_option(parser)
    parser.add_argument("--no-color", action="store_true", help="never colour findings")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only diffs and findings")


def run(args: argparse.Namespace) -> int:
    return fmt(
        args.paths,
        check=args.check,
        diff=args.diff,
        config_path=args.config,
        color=False if args.no_color else None,
        quiet=args.quiet,
    )


def fmt(
    paths: list[str],
    *,
    check: bool = False,
    diff: bool = False,
    config_path: str | None = None,
    color: bool | None = None,
    quiet: bool = False,
) -> int:
    from schemac.config import resolve_paths
    from schemac.project import PathNotFound, discover

    config = load_config_or_report(config_path, color)
    if config is None:
        return EXIT_USAGE
    try:
        files = discover(resolve_paths(config, paths or None))
    except PathNotFound as missing:
        error(f"no such file or directory: {missing}")
        return EXIT_USAGE
    if not files:
        where = ", ".join(paths) if paths else ", ".join(config.paths)
        print(f"schemac: warning: no schema files found in {where}", file=sys.stderr)
    run = _Run(
        write=not (check or diff),
        show_diff=check or diff,
        quiet=quiet,
        max_bytes=config.max_file_bytes,
    )
    for file in files:
        run.file(file)
    if run.findings:
        print_findings(run.findings, len(files), color, stream=sys.stderr)
    run.summary()
    if run.findings:
        return exit_code(run.findings, strict=False)
    if run.failed or (check and run.changed):
        return EXIT_FINDINGS
    return EXIT_OK


class _Run:
    """What one `fmt` run did, file by file."""

    def __init__(self, *, write: bool, show_diff: bool, quiet: bool, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.write = write
        self.show_diff = show_diff
        self.quiet = quiet
        self.findings: list[Diagnostic] = []
        self.changed: list[str] = []
        self.unchanged = 0
        self.failed = 0

    def say(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr)

    def file(self, file: str) -> None:
        from schemac.fmt import format_text, is_json_file

        if is_json_file(file):
            self.say(f"skipped {printable(file)}: a JSON file (`schemac compile` writes wire JSON)")
            return
        text, problems = _read(file, self.max_bytes)
        outcome = format_text(text, file) if text is not None else None
        if outcome is None or not outcome.formatted:
            self._not_formatted(file, problems if outcome is None else outcome)
            return
        assert outcome.text is not None and text is not None
        if outcome.text == text:
            self.unchanged += 1
            return
        self.changed.append(file)
        if self.show_diff:
            sys.stdout.write(unified_diff(text, outcome.text, printable(file)))
        if self.write:
            self._save(file, outcome.text)

    def _not_formatted(self, file: str, why: Outcome | list[Diagnostic]) -> None:
        if isinstance(why, list):  # not UTF-8
            self.findings.extend(why)
        elif why.findings:
            self.findings.extend(why.findings)
        elif why.skipped and why.skipped.startswith("internal"):
            error(f"{printable(file)}: {why.skipped}; left unchanged (please report it)")
            self.failed += 1
        else:
            self.say(f"skipped {printable(file)}: {why.skipped}")

    def _save(self, file: str, text: str) -> None:
        from schemac.fileio import WriteRefused, save_text

        try:
            save_text(Path(file), text, force=True)  # the file was just read: ours to rewrite
        except WriteRefused as refused:
            error(str(refused))
            self.failed += 1
            return
        self.say(f"reformatted {printable(file)}")

    def summary(self) -> None:
        verb = "reformatted" if self.write else "would be reformatted"
        changed = len(self.changed)
        self.say(
            f"{changed} file{'s' * (changed != 1)} {verb}, "
            f"{self.unchanged} file{'s' * (self.unchanged != 1)} already formatted"
        )


def _read(file: str, max_bytes: int) -> tuple[str | None, list[Diagnostic]]:
    """A file's text, or validate's findings about why it cannot be read (SC003, SC004, SC006)."""
    from schemac.core.loader import decode
    from schemac.diagnostics import Span
    from schemac.fileio import FileTooLarge, ReadRefused, read_bytes
    from schemac.rules.reading import DOCUMENT_TOO_COMPLEX, UNREADABLE_FILE

    try:
        data = read_bytes(file, max_bytes)
    except FileTooLarge as too_large:
        return None, [DOCUMENT_TOO_COMPLEX.at(Span.point(file), str(too_large))]
    except ReadRefused as refused:
        return None, [UNREADABLE_FILE.at(Span.point(file), str(refused))]
    return decode(file, data)


def unified_diff(before: str, after: str, file: str) -> str:
    """A unified diff of one file, as `git diff` and `patch -p0` read it."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), file, file
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines)  # fmt: skip

"""`schemac run SCHEMA --input FILE... --output FILE [--format parquet|csv|jsonl] [--force]`."""

from __future__ import annotations

import argparse
import os
import sys
import time

from schemac.cli.run import Stop, add_run_arguments, prepare, report_bad_lines
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


def configure(parser: argparse.ArgumentParser) -> None:
    add_run_arguments(parser)
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="where the rows go")
    parser.add_argument(
        "--format",
        choices=["parquet", "csv", "jsonl"],
        help="the output's format (default: from its suffix)",
    )
    parser.add_argument("--force", action="store_true", help="replace FILE when it exists")


def run(args: argparse.Namespace) -> int:
    """Stream every row into the output, atomically; a progress line on a terminal only."""
    from schemac.cli.commands.common import error
    from schemac.run.engines import EngineFailed
    from schemac.run.execute import run_to_writer
    from schemac.run.inputs import InputProblem
    from schemac.run.writers import RowWriter, format_of

    try:
        output_format = format_of(args.output, args.format)
    except ValueError as problem:
        error(str(problem))
        return EXIT_USAGE
    if os.path.exists(args.output) and not args.force:
        error(f"{args.output} exists; use --force to replace it")
        return EXIT_USAGE
    try:
        schema, sources, engine = prepare(args)
    except Stop as stop:
        return stop.code
    writer = RowWriter(args.output, output_format)
    progress = _Progress() if sys.stderr.isatty() else None
    try:
        stats = run_to_writer(schema, sources, engine, writer, progress)
        writer.commit()
    except (EngineFailed, InputProblem, OSError) as problem:
        writer.abandon()
        error(str(problem))
        return EXIT_FINDINGS
    except BaseException:  # Ctrl-C included: no half file under the target's name
        writer.abandon()
        raise
    if progress is not None:
        sys.stderr.write("\n")
    report_bad_lines(stats)
    print(
        f"wrote {args.output}: {stats.rows} rows from {stats.messages} messages",
        file=sys.stderr,
    )
    return EXIT_OK


class _Progress:
    """One line, redrawn: messages, rows, and input megabytes per second."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self, stats: object) -> None:
        from schemac.run.execute import RunStats

        assert isinstance(stats, RunStats)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = stats.bytes_read / elapsed / 1e6
        sys.stderr.write(f"\r{stats.messages:,} messages, {stats.rows:,} rows, {rate:,.1f} MB/s  ")
        sys.stderr.flush()

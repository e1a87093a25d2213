"""`schemac preview SCHEMA [--input FILE...] [--exchange X] [--limit N] [--format ...]`."""

from __future__ import annotations

import argparse
import sys

from schemac.cli.run import Stop, add_run_arguments, prepare, report_bad_lines
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


def configure(parser: argparse.ArgumentParser) -> None:
    add_run_arguments(parser)
    parser.add_argument(
        "--limit", type=int, default=20, metavar="N", help="rows to show (default 20; 0: all)"
    )
    parser.add_argument(
        "--format",
        choices=["table", "csv", "json", "parquet"],
        default="table",
        help="table (default), csv, json (JSON Lines) or parquet (binary: to a pipe or a file)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the rows; a summary (rows, messages, NULLs per column) goes to stderr."""
    from schemac.cli.commands.common import error
    from schemac.run.engines import EngineFailed
    from schemac.run.execute import preview
    from schemac.run.inputs import InputProblem

    if args.limit < 0:
        error("--limit must be 0 (all rows) or more")
        return EXIT_USAGE
    if args.format == "parquet" and sys.stdout.isatty():
        error("parquet is binary: redirect it to a file or a pipe")
        return EXIT_USAGE
    try:
        schema, sources, engine = prepare(args)
    except Stop as stop:
        return stop.code
    try:
        result = preview(schema, sources, engine, args.limit or None)
    except (EngineFailed, InputProblem) as problem:
        error(str(problem))
        return EXIT_FINDINGS
    _print_rows(result.rows, args.format)
    report_bad_lines(result.stats)
    nulls = ", ".join(f"{name} {count}" for name, count in result.stats.nulls.items() if count)
    shown = f" (showing {result.rows.num_rows})" if result.rows.num_rows < result.stats.rows else ""
    print(
        f"schemac: {result.stats.rows} rows{shown} from {result.stats.messages} messages; "
        f"NULL cells: {nulls or 'none'}",
        file=sys.stderr,
    )
    return EXIT_OK


def _print_rows(rows: object, output_format: str) -> None:
    import pyarrow as pa

    from schemac.run.show import table_text, write_csv, write_json_lines

    assert isinstance(rows, pa.Table)
    if output_format == "table":
        sys.stdout.write(table_text(rows))
    elif output_format == "csv":
        write_csv(rows, sys.stdout)
    elif output_format == "json":
        write_json_lines(rows, sys.stdout)
    else:
        import pyarrow.parquet

        sys.stdout.flush()
        pyarrow.parquet.write_table(rows, sys.stdout.buffer)

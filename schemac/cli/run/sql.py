"""`schemac sql SCHEMA [--dialect clickhouse|duckdb] [--table NAME]`: the SELECT of a schema."""

from __future__ import annotations

import argparse
import sys

from schemac.cli.run import Stop, add_schema_argument, load_schema, report_portability
from schemac.vocabulary import EXIT_OK


def configure(parser: argparse.ArgumentParser) -> None:
    add_schema_argument(parser)
    parser.add_argument(
        "--dialect",
        choices=["clickhouse", "duckdb"],
        default="clickhouse",
        help="ClickHouse (the vendor's engine; default) or DuckDB",
    )
    parser.add_argument(
        "--table",
        default="raw_messages",
        help="the relation of raw messages the SELECT reads "
        "(collection_timestamp_ns, exchange, message); default raw_messages",
    )


def run(args: argparse.Namespace) -> int:
    """Print the SELECT; for DuckDB, a transform it cannot run is a SC801 warning on stderr."""
    from schemac.run.sql import render_sql

    try:
        schema, config = load_schema(args.schema, args.config)
    except Stop as stop:
        return stop.code
    if args.dialect == "duckdb":
        report_portability(schema, config)
    sys.stdout.write(render_sql(schema, args.dialect, args.table) + "\n")
    return EXIT_OK

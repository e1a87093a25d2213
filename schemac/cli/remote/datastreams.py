"""``schemac datastreams [--exchange X] [--instrument I] [--stream-type T] [--format table|json]``:
the API's datastreams (every page), to find what to export."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from schemac.cli.remote import Console, add_remote, connect, epilog, guard
from schemac.vocabulary import EXIT_OK

if TYPE_CHECKING:
    from schemac.remote.datastreams import Datastream

HELP_EXIT_CODES = [
    "0  the datastreams were listed (none may match)",
    "1  error: a failed request",
    "2  usage (bad arguments, no API key)",
]
HEADER = ("ID", "EXCHANGE", "INSTRUMENT", "STREAM TYPE", "WIRE FORMAT")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--exchange", metavar="CODE", help="only this exchange (binance)")
    parser.add_argument("--instrument", metavar="SYMBOL", help="only this instrument (BTCUSDT)")
    parser.add_argument("--stream-type", metavar="TYPE", help="only this stream type (trade)")
    parser.add_argument(
        "--format",
        choices=["table", "json"],
        default="table",
        help="a table, or one JSON document on stdout (default: table)",
    )
    add_remote(parser)
    epilog(parser, HELP_EXIT_CODES)


def datastreams_table(streams: list[Datastream]) -> str:
    """A row per datastream under a header, then the count (the grid writer escapes control
    characters: a name from the API may hold them)."""
    from schemac.remote.datastreams import FIELDS
    from schemac.render.table import table

    if not streams:
        return "No datastreams match.\n"
    rows = [HEADER, *(tuple(str(s.get(key, "")) for key in FIELDS) for s in streams)]
    count = len(streams)
    return table(rows) + f"{count} datastream{'' if count == 1 else 's'}\n"


def _run(args: argparse.Namespace, out: Console) -> int:
    from schemac.remote.datastreams import find_datastreams

    with connect(args, out) as remote:
        streams = find_datastreams(remote, args.exchange, args.instrument, args.stream_type)
    if args.format == "json":
        out.out(json.dumps({"datastreams": streams}, indent=2))
    else:
        out.out(datastreams_table(streams))
    return EXIT_OK


run = guard(_run)

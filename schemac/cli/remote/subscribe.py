"""``schemac subscribe REF... [--format text|json]``: start collecting datastreams (an export
covers only a subscription's spans); one already subscribed is reported, not subscribed twice."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from schemac.cli.remote import Console, Stop, add_remote, connect, epilog, guard
from schemac.vocabulary import EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from schemac.remote.subscriptions import Subscribed

SUBSCRIBE_EXIT_CODES = [
    "0  every datastream is subscribed (newly, or already)",
    "1  error: a failed request",
    "2  usage (a datastream that is malformed or names none or several, no API key)",
]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "datastreams",
        nargs="+",
        metavar="REF",
        help="EXCHANGE:INSTRUMENT:STREAM_TYPE (binance:BTCUSDT:trade) or a datastream id",
    )
    format_option(parser, "text")
    add_remote(parser)
    epilog(parser, SUBSCRIBE_EXIT_CODES)


def format_option(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument(
        "--format",
        choices=[text, "json"],
        default=text,
        help=f"{text}, or one JSON document on stdout (default: {text})",
    )


def _subscribe(args: argparse.Namespace, out: Console) -> int:
    from schemac.remote.datastreams import DatastreamRefError, resolve_datastream
    from schemac.remote.subscriptions import list_subscriptions, subscribe

    with connect(args, out) as remote:
        try:
            streams = [resolve_datastream(remote, ref) for ref in args.datastreams]
        except DatastreamRefError as error:
            raise Stop(str(error), EXIT_USAGE) from None
        known = list_subscriptions(remote)
        done = [subscribe(remote, stream, known) for stream in streams]
    if args.format == "json":
        out.out(json.dumps({"subscriptions": [_outcome_json(one) for one in done]}, indent=2))
    else:
        out.out("".join(_outcome_line(one) + "\n" for one in done))
    return EXIT_OK


def _outcome_json(one: Subscribed) -> dict[str, object]:
    return {
        "id": one.subscription_id,
        "status": one.status,
        "created": one.created,
        "datastream": one.datastream,
    }


def _outcome_line(one: Subscribed) -> str:
    from schemac.fileio import printable
    from schemac.remote.datastreams import ref_text

    verb = "subscribed" if one.created else "already subscribed"
    stream = printable(ref_text(one.datastream))
    return (
        f"{verb} {stream} ({one.datastream['datastream_id']}): {one.subscription_id}, {one.status}"
    )


run = guard(_subscribe)

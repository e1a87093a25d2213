"""``schemac subscriptions [--format table|json]``: the account's subscriptions (every page)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from schemac.cli.remote import Console, add_remote, connect, epilog, guard
from schemac.cli.remote.subscribe import format_option
from schemac.vocabulary import EXIT_OK

if TYPE_CHECKING:
    from schemac.remote.subscriptions import Subscription

HELP_EXIT_CODES = ["0  the subscriptions were listed", "1  error: a failed request", "2  usage"]
HEADER = ("ID", "DATASTREAM", "STATUS", "CREATED")


def configure(parser: argparse.ArgumentParser) -> None:
    format_option(parser, "table")
    add_remote(parser)
    epilog(parser, HELP_EXIT_CODES)


def subscriptions_table(subscriptions: list[Subscription]) -> str:
    """A row per subscription under a header, then the count (cells escaped by the grid)."""
    from schemac.remote.datastreams import ref_text
    from schemac.render.table import table

    if not subscriptions:
        return "No subscriptions.\n"
    rows = [HEADER]
    for item in subscriptions:
        stream = item.get("datastream")
        shown = ref_text(stream) if stream else str(item["datastream_id"])
        rows.append((str(item["id"]), shown, str(item["status"]), str(item["created_at"])))
    count = len(subscriptions)
    return table(rows) + f"{count} subscription{'' if count == 1 else 's'}\n"


def _run(args: argparse.Namespace, out: Console) -> int:
    from schemac.remote.subscriptions import list_subscriptions

    with connect(args, out) as remote:
        found = list_subscriptions(remote)
    if args.format == "json":
        out.out(json.dumps({"subscriptions": found}, indent=2))
    else:
        out.out(subscriptions_table(found))
    return EXIT_OK


run = guard(_run)

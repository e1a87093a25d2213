"""``schemac status [--format json]``: in sync | local ahead | remote drifted | local-only |
remote-only, and whether a draft is pending."""

from __future__ import annotations

import argparse
import json

from schemac.cli.remote import Console, add_format, add_remote, connect, guard, load_config
from schemac.cli.remote import load_local as load_local_schemas
from schemac.vocabulary import EXIT_OK


def configure(parser: argparse.ArgumentParser) -> None:
    add_format(parser)
    add_remote(parser)


def _run(args: argparse.Namespace, out: Console) -> int:
    from schemac.cli.remote.render import status_text
    from schemac.remote.plan import make_plan
    from schemac.remote.status import classify, remote_in_history

    config = load_config(args, out)
    local = load_local_schemas(None, config, out)
    with connect(args, out) as remote:
        plan = make_plan(local, remote, config, every_schema=True)
    rows = classify(plan, lambda p: remote_in_history(p, config))
    if args.format == "json":
        out.out(json.dumps({"schemas": [row.as_json() for row in rows]}, indent=2))
    else:
        out.out(status_text(rows))
    return EXIT_OK


run = guard(_run)

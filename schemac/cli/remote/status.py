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
    from schemac.config import rules_turned_off
    from schemac.remote.plan import build_plan, fetch_remote
    from schemac.remote.status import classify, remote_in_history, render_text

    config = load_config(args, out)
    local = load_local_schemas(None, config, out)
    with connect(args, out) as remote:
        remote_schemas = fetch_remote(remote, None)
    plan = build_plan(
        local,
        remote_schemas,
        include_remote_only=True,
        dialect=config.dialect,
        off=rules_turned_off(config),
    )
    rows = classify(plan, lambda p: remote_in_history(p, config))
    if args.format == "json":
        out.out(json.dumps({"schemas": [row.as_json() for row in rows]}, indent=2))
    else:
        out.out(render_text(rows))
    return EXIT_OK


run = guard(_run)

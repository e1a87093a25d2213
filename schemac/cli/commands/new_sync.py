"""`schemac new sync NAME --schema S --datastream REF...`: a sync spec, `syncs/NAME.yaml`.

A branch of `schemac new` (schemac.cli.commands.new): its options are added to that parser, and
`new` hands over when its first argument is `sync` followed by a name. The spec is checked as
`validate` reads it before it is written (atomically; never over other content unless
``--force``).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from schemac.cli.commands.common import error, load_config_or_report
from schemac.vocabulary import EXIT_OK, EXIT_USAGE, EXPORT_FORMATS, SYNC_FOLDER

NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "a sync spec: schemac new sync NAME --schema S --datastream REF"
    )
    group.add_argument("--schema", help="the schema to export with, by name")
    group.add_argument(
        "--datastream",
        action="append",
        metavar="REF",
        help="EXCHANGE:INSTRUMENT:STREAM_TYPE or an id (repeat for more)",
    )
    group.add_argument("--start", default="3d-ago", help="a time (default: 3d-ago)")
    group.add_argument("--lag", default="5m", help="a duration (default: 5m)")
    group.add_argument("--window", default="1h", help="a duration (default: 1h)")
    group.add_argument(
        "--format",
        dest="export_format",
        default="csv",
        choices=EXPORT_FORMATS,
        help="(default: csv)",
    )
    group.add_argument("--destination", help="a folder in the project (default: data/NAME)")


def run(args: argparse.Namespace, name: str) -> int:
    from schemac.diagnostics import Severity
    from schemac.fileio import WriteRefused, printable, save_text, saved_line
    from schemac.scaffold.sync import new_sync_spec

    if not NAME.fullmatch(name) or name.endswith((".yaml", ".yml")):
        error(f"`{printable(name)}` cannot name a sync spec: use letters, digits, `_`, `-` and `.`")
        return EXIT_USAGE
    if not args.schema or not args.datastream:
        error("schemac new sync NAME needs --schema and at least one --datastream")
        return EXIT_USAGE
    config = load_config_or_report(args.config)
    if config is None:
        return EXIT_USAGE
    text, found = new_sync_spec(
        name,
        config.root,
        schema=args.schema,
        datastreams=args.datastream,
        destination=args.destination,
        start=args.start,
        lag=args.lag,
        window=args.window,
        fmt=args.export_format,
    )
    errors = [d for d in found if d.severity is Severity.ERROR]
    for finding in errors:
        error(printable(f"{finding.message} [{finding.code}]"))
    if errors:
        return EXIT_USAGE
    folder = Path(args.out) if args.out is not None else config.root / SYNC_FOLDER
    target = folder / f"{name}.yaml"
    try:
        changed = save_text(target, text, force=args.force)
    except WriteRefused as refused:
        error(str(refused))
        return refused.exit_code
    print(saved_line(target, changed))
    return EXIT_OK

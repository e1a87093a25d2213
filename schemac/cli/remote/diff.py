"""``schemac diff [PATHS] --against GIT_REF [--format json]``: breaking changes against a git
revision, offline (like ``buf breaking --against``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from schemac.cli.commands.common import add_config_option, add_findings_options
from schemac.cli.remote import Console, Stop, add_format, epilog, guard, load_config
from schemac.cli.remote import load_local as load_local_schemas
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

HELP_EXIT_CODES = [
    "0  no breaking change",
    "1  a breaking change, or schema files with errors",
    "2  usage (bad arguments, an unknown revision, not in a git repository)",
]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="files or folders (default: the configured paths)")
    parser.add_argument("--against", required=True, metavar="GIT_REF", help="the baseline")
    add_format(parser, "the changes")
    add_findings_options(parser)
    add_config_option(parser)
    epilog(parser, HELP_EXIT_CODES, remote=False)


def _run(args: argparse.Namespace, out: Console) -> int:
    from schemac.cli.remote.render import diff_text
    from schemac.config import resolve_paths, rules_turned_off
    from schemac.remote import gitrev
    from schemac.remote.baseline import compare, read_baseline

    config = load_config(args, out)
    paths = resolve_paths(config, args.paths or None)
    local = load_local_schemas(paths, config, args, out)
    try:
        root = gitrev.toplevel(Path.cwd())
        baseline = read_baseline(root, args.against, paths, config)
    except gitrev.GitError as error:
        raise Stop(str(error), EXIT_USAGE) from None
    located = [(schema, gitrev.relative(root, schema.source)) for schema in local]
    rows = compare(located, baseline, config.dialect, rules_turned_off(config))
    breaking = any(row.breaking for row in rows)
    if args.format == "json":
        files = [row.as_json() for row in rows]
        document = {"against": args.against, "breaking": breaking, "files": files}
        out.out(json.dumps(document, indent=2))
    else:
        out.out(diff_text(rows, args.against))
    return EXIT_FINDINGS if breaking else EXIT_OK


run = guard(_run)

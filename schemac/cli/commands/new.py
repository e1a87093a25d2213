"""`schemac new NAME --category CAT --exchanges a,b*`: a schema file from the exchange catalog.

Writes ``<out>/NAME.yaml`` (the first configured schema folder unless ``--out`` names one)
atomically, and never over a file with other content unless ``--force``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from schemac.cli.commands.common import add_config_option, error, load_config_or_report
from schemac.vocabulary import CATEGORIES, EXIT_OK, EXIT_USAGE

# A schema name that is also a safe file name stem: no folders, no hidden files.
NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


def configure(parser: argparse.ArgumentParser) -> None:
    from schemac.cli.commands import new_sync

    parser.add_argument("name", help="the schema's name; the file is NAME.yaml")
    parser.add_argument("sync_name", nargs="?", metavar="NAME", help="after `sync`: a sync spec")
    parser.add_argument("--category", help=f"the stream category: {', '.join(CATEGORIES)}")
    parser.add_argument(
        "--exchanges",
        metavar="A,B*",
        help="exchange codes or globs, comma-separated",
    )
    parser.add_argument(
        "--out", metavar="FOLDER", help="where to write (default: the first configured path)"
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite NAME.yaml when it holds other content"
    )
    add_config_option(parser)
    new_sync.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    if args.name == "sync" and args.sync_name is not None:  # `schemac new sync NAME ...`
        from schemac.cli.commands import new_sync

        return new_sync.run(args, args.sync_name)
    if args.sync_name is not None:
        error(f"unexpected argument `{args.sync_name}` (a sync spec: schemac new sync NAME)")
        return EXIT_USAGE
    missing = [f"--{flag}" for flag in ("category", "exchanges") if getattr(args, flag) is None]
    if missing:  # required unless the command is `new sync`
        error(f"the following arguments are required: {', '.join(missing)}")
        return EXIT_USAGE
    return new(
        args.name,
        category=args.category,
        exchanges=args.exchanges,
        out=args.out,
        force=args.force,
        config_path=args.config,
    )


def new(
    name: str,
    *,
    category: str,
    exchanges: str,
    out: str | None = None,
    force: bool = False,
    config_path: str | None = None,
) -> int:
    from schemac.catalog import CatalogError, load_catalog
    from schemac.fileio import WriteRefused, printable, save_text, saved_line
    from schemac.scaffold import ScaffoldError, new_schema

    if not NAME.fullmatch(name) or name.endswith((".yaml", ".yml")):
        error(
            f"`{printable(name)}` cannot name a schema file: use letters, digits, `_`, `-` and `.`"
        )
        return EXIT_USAGE
    if category not in CATEGORIES:
        error(f"unknown category `{printable(category)}` (one of {', '.join(CATEGORIES)})")
        return EXIT_USAGE
    config = load_config_or_report(config_path)
    if config is None:
        return EXIT_USAGE
    catalog = load_catalog([config.root / folder for folder in config.catalog_dirs])
    try:
        written = new_schema(name, category, exchanges.split(","), catalog, config.dialect)
    except (ScaffoldError, CatalogError) as problem:
        error(printable(str(problem)))
        return EXIT_USAGE
    folder = Path(out) if out is not None else _default_folder(config.root, config.paths)
    target = folder / f"{name}.yaml"
    try:
        changed = save_text(target, written.text, force=force)
    except WriteRefused as refused:
        error(str(refused))
        return refused.exit_code
    print(f"{saved_line(target, changed)}: {category} from {', '.join(written.exchanges)}")
    for column, codes in written.left_out.items():
        print(f"  left out `{column}`: not sent by {', '.join(codes)}", file=sys.stderr)
    return EXIT_OK


def _default_folder(root: Path, paths: list[str]) -> Path:
    """The first configured schema path (a folder), as validate finds it: relative to the
    configuration's folder."""
    import os

    first = root / (paths[0] if paths else "schemas")
    return Path(os.path.relpath(first)) if first.is_dir() or not first.suffix else first.parent

"""``schemac pull NAME... | --all [--dir DIR] [--force]``: remote schemas -> YAML files.

A file that already compiles to the remote content is in sync: it is left alone (its comments,
layout and globs kept, even with ``--force``) and reported as such.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from schemac.cli.remote import Console, Stop, add_remote, connect, epilog, guard, load_config
from schemac.vocabulary import EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from ticksupply.models.schema import ExportSchemaListItem

    from schemac.config import Config
    from schemac.remote.files import Key, WriteResult


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="name or name@category")
    parser.add_argument("--all", action="store_true", help="every schema of the account")
    add_target_options(parser, "overwrite files with other content")
    add_remote(parser)
    epilog(parser, HELP_EXIT_CODES)


HELP_EXIT_CODES = [
    "0  every file written, or already in sync (compiles to the remote content)",
    "1  error: a file kept because it holds other content (without --force) or another "
    "schema, a failed request",
    "2  usage (bad arguments, a name the account does not have, no API key), a write the "
    "file system refuses",
]


def add_target_options(parser: argparse.ArgumentParser, force_help: str) -> None:
    parser.add_argument(
        "--dir", metavar="DIR", help="where to write (default: first configured path)"
    )
    parser.add_argument("--force", action="store_true", help=force_help)


def target_dir(args: argparse.Namespace, config: Config) -> Path:
    if args.dir:
        return Path(args.dir)
    return config.root / (config.paths[0] if config.paths else "schemas")


def report_writes(results: list[WriteResult], out: Console) -> int:
    """A line per file (fileio's one ``wrote PATH`` line); the highest exit code of a refusal
    (1 a file kept or a name refused, 2 the file system refused), else 0."""
    from schemac.fileio import saved_line
    from schemac.remote.files import REFUSED, WROTE

    code = EXIT_OK
    for result in results:
        if result.status == REFUSED or result.target is None:
            out.error(result.message)
            code = max(code, result.exit_code)
        else:
            out.out(saved_line(result.target, result.status == WROTE))
    return code


def _key(item: ExportSchemaListItem) -> Key:
    from schemac.remote.content import category_of

    return (item.name, category_of(item))


def _run(args: argparse.Namespace, out: Console) -> int:
    from schemac.fileio import shown_path
    from schemac.remote.content import wire_from_response
    from schemac.remote.files import write_schemas
    from schemac.remote.local import files_in_sync
    from schemac.remote.select import SelectionError, match_names

    if bool(args.names) == bool(args.all):
        raise Stop("name the schemas to pull, or pass --all (not both)", EXIT_USAGE)
    config = load_config(args, out)
    with connect(args, out) as remote:
        items = [i for i in remote.list_schemas() if not i.is_built_in]
        try:
            chosen = (
                items if args.all else match_names(args.names, items, _key, "schema of the account")
            )
        except SelectionError as error:
            raise Stop(str(error), EXIT_USAGE) from None
        responses = remote.get_many([partial(remote.get, i.id) for i in chosen])
    bodies = [wire_from_response(r) for r in responses]
    folder = target_dir(args, config)
    in_sync = files_in_sync(bodies, folder, config)
    for path in in_sync.values():
        out.out(f"in sync {shown_path(path)}")
    bodies = [b for b in bodies if (b["name"], b["stream_category"]) not in in_sync]
    results = write_schemas(
        bodies,
        folder,
        force=args.force,
        dialect=config.dialect,
        account=[_key(i) for i in items],
    )
    return report_writes(results, out)


run = guard(_run)

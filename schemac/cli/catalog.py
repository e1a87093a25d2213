"""`schemac catalog list | show | learn`: what the catalog knows, and how to teach it more."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from schemac.cli.commands.common import add_config_option, error, load_config_or_report
from schemac.vocabulary import CATEGORIES, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from schemac.catalog.model import Entry

CATEGORY_HELP = f"{', '.join(CATEGORIES[:-1])} or {CATEGORIES[-1]}"


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="catalog_command", metavar="ACTION")

    def common(command: argparse.ArgumentParser) -> None:
        add_config_option(command)  # its `catalog_dirs` add user entries
        command.add_argument(
            "--catalog-dir",
            action="append",
            default=[],
            metavar="DIR",
            help="a folder of catalog files, after the configured ones (repeatable)",
        )

    listing = sub.add_parser("list", help="exchanges x categories known, confirmed or inferred")
    listing.add_argument(
        "--format", choices=["text", "json"], default="text", help="text or JSON (default: text)"
    )
    common(listing)

    show = sub.add_parser("show", help="the paths one exchange sends for one category")
    show.add_argument("exchange", help="exchange code, e.g. binance")
    show.add_argument("category", help=CATEGORY_HELP)
    show.add_argument(
        "--unfold",
        metavar="PATH",
        help="show column paths as they read after `unfold` at PATH (e.g. data)",
    )
    show.add_argument(
        "--format", choices=["text", "json"], default="text", help="text or JSON (default: text)"
    )
    common(show)

    learn = sub.add_parser("learn", help="infer an entry from raw messages and write it")
    learn.add_argument("exchange", help="exchange code, e.g. okx")
    learn.add_argument("category", help=CATEGORY_HELP)
    learn.add_argument("samples", help="raw messages, one JSON per line ('-' for stdin)")
    learn.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write ('-' for stdout; default: "
        "<first catalog_dirs folder, or catalog/>/<exchange>.<category>.yaml)",
    )
    learn.add_argument("--force", action="store_true", help="overwrite an existing file")
    learn.add_argument(
        "--enum-max",
        type=int,
        default=8,
        metavar="N",
        help="a string field with at most N distinct values becomes an enum (default: 8)",
    )
    learn.add_argument("--source", help="where the samples come from (default: the file name)")
    common(learn)


def run(args: argparse.Namespace) -> int:
    from schemac.catalog.model import CatalogError

    action = getattr(args, "catalog_command", None)
    if action is None:
        print("schemac catalog: choose an action: list, show or learn", file=sys.stderr)
        return EXIT_USAGE
    config = load_config_or_report(args.config)
    if config is None:
        return EXIT_USAGE
    dirs = [*(config.root / folder for folder in config.catalog_dirs)]
    dirs += [Path(d) for d in args.catalog_dir]
    missing = [folder for folder in dirs if not folder.is_dir()]
    if missing and action != "learn":  # learn may create its folder; reading one must find it
        for folder in missing:
            error(f"catalog folder {folder} does not exist")
        return EXIT_USAGE
    try:
        if action == "list":
            return _list(args, dirs)
        if action == "show":
            return _show(args, dirs)
        return _learn(args, dirs, config.max_sample_bytes)
    except CatalogError as problem:
        error(f"exchange catalog: {problem}")
        return EXIT_FINDINGS


def _unknown_category(category: str) -> bool:
    from schemac.catalog import CATEGORIES

    if category in CATEGORIES:
        return False
    error(f"unknown category `{category}`; one of {', '.join(CATEGORIES)}")
    return True


def _list(args: argparse.Namespace, dirs: list[Path]) -> int:
    from schemac.catalog import load_catalog
    from schemac.catalog.views import exchange_rows
    from schemac.render.catalog import exchanges_text

    rows = exchange_rows(load_catalog(dirs))
    if args.format == "json":
        print(json.dumps(rows, indent=2))
    else:
        sys.stdout.write(exchanges_text(rows))
    return EXIT_OK


def _show(args: argparse.Namespace, dirs: list[Path]) -> int:
    from schemac.catalog import load_catalog
    from schemac.catalog.views import entry_document, path_rows, unfold_row_array
    from schemac.render.catalog import entry_text

    if _unknown_category(args.category):
        return EXIT_USAGE
    catalog = load_catalog(dirs)
    info = catalog.exchange(args.exchange)
    if info is None:
        from schemac.diagnostics import did_you_mean

        guess = did_you_mean(args.exchange, catalog.codes())
        hint = f" (did you mean {guess}?)" if guess else ""
        error(
            f"the catalog has no exchange `{args.exchange}`{hint}; "
            "`schemac catalog list` shows what it has"
        )
        return EXIT_FINDINGS
    entry = info.entries.get(args.category)
    if entry is None:
        reason = info.unavailable.get(args.category)
        error(f"{args.exchange} {args.category}: {reason.reason if reason else 'no entry'}")
        return EXIT_FINDINGS
    unfold_array = unfold_row_array(entry, args.unfold) if args.unfold else None
    if args.unfold and unfold_array is None:
        error(f"`{args.unfold}` is not a row array of {args.exchange} {args.category}")
        return EXIT_USAGE
    paths = path_rows(entry, unfold_array)
    if args.format == "json":
        print(json.dumps(entry_document(info, entry, args.unfold, paths), indent=2))
    else:
        sys.stdout.write(entry_text(info, entry, args.unfold, paths))
    return EXIT_OK


def _learn_usage_problem(args: argparse.Namespace) -> str | None:
    from schemac.vocabulary import exchange_code_problem

    if problem := exchange_code_problem(args.exchange):
        return problem
    if args.enum_max < 0:
        return "--enum-max must be 0 or more"
    return None


def _learn(args: argparse.Namespace, dirs: list[Path], max_bytes: int) -> int:
    from schemac.catalog.learn import SampleError, entry_yaml, learn_entry, read_samples
    from schemac.core.yamltext import NotRepresentable

    if _unknown_category(args.category):
        return EXIT_USAGE
    problem = _learn_usage_problem(args)
    if problem is not None:
        error(problem)
        return EXIT_USAGE
    text = _read_samples(args.samples, max_bytes)
    if text is None:
        return EXIT_USAGE
    origin = "stdin" if args.samples == "-" else args.samples
    try:
        messages = read_samples(text, origin)
        source = args.source or f"{Path(origin).name} ({len(messages)} messages)"
        entry = learn_entry(args.exchange, args.category, messages, source, args.enum_max)
    except SampleError as bad_samples:
        error(str(bad_samples))
        return EXIT_FINDINGS
    try:
        text = entry_yaml(entry)
    except NotRepresentable as problem:
        error(f"the learned entry cannot be written: {problem}")
        return EXIT_FINDINGS
    if args.output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    return _write_entry(args, dirs, entry, text, len(messages))


def _read_samples(name: str, max_bytes: int) -> str | None:
    """The samples' text (a regular file, a pipe or stdin; never a device, never more than
    ``max_bytes``), or None after saying why not."""
    from schemac.fileio import (
        FileTooLarge,
        ReadRefused,
        printable,
        read_at_most,
        read_bytes,
        size_text,
    )

    try:
        if name == "-":
            data = read_at_most(sys.stdin.buffer.fileno(), max_bytes)
            if len(data) > max_bytes:
                raise FileTooLarge(f"the input is larger than {size_text(max_bytes)}")
        else:
            data = read_bytes(name, max_bytes, streams=True)
        return data.decode("utf-8")
    except FileTooLarge as too_large:
        reason = f"{too_large} (`max_sample_bytes` in the configuration)"
    except ReadRefused as refused:
        reason = str(refused)
    except UnicodeDecodeError as undecodable:
        reason = f"not UTF-8 text (byte offset {undecodable.start})"
    except (OSError, ValueError) as unreadable:  # stdin closed or not a file
        reason = str(unreadable)
    error(f"cannot read {printable(name)}: {reason}")
    return None


def _write_entry(
    args: argparse.Namespace, dirs: list[Path], entry: Entry, text: str, messages: int
) -> int:
    """Write the learned entry where asked (or into the first catalog folder) and say so."""
    from schemac.fileio import WriteRefused, save_text, saved_line, shown_path

    if args.output:
        target = Path(args.output)
    else:
        folder = dirs[0] if dirs else Path("catalog")
        target = folder / f"{args.exchange}.{args.category}.yaml"
    try:
        written = save_text(target, text, force=args.force)
    except WriteRefused as refused:
        error(str(refused))
        return refused.exit_code
    line = saved_line(target, written)
    if written:
        count = len([p for p in entry.paths if p and not p.endswith("[]")])
        line += (
            f": {args.exchange} {args.category}, {count} paths "
            f"from {messages} messages (status: inferred)"
        )
    print(line)
    if not dirs or target.parent.resolve() not in {d.resolve() for d in dirs}:
        print(f"add `{shown_path(target.parent)}` to `catalog_dirs` in the configuration to use it")
    return EXIT_OK

"""`schemac catalog list | show | learn`: what the catalog knows, and how to teach it more."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

CATEGORY_HELP = "trade, orderbook, book_update, quote, kline, ticker or liquidation"


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="catalog_command", metavar="ACTION")

    def common(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--config",
            metavar="FILE",
            help="configuration file whose `catalog_dirs` add user entries "
            "(default: found by walking up from the current directory)",
        )
        command.add_argument(
            "--catalog-dir",
            action="append",
            default=[],
            metavar="DIR",
            help="a folder of catalog files, after the configured ones (repeatable)",
        )

    listing = sub.add_parser("list", help="exchanges x categories known, confirmed or inferred")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    common(listing)

    show = sub.add_parser("show", help="the paths one exchange sends for one category")
    show.add_argument("exchange", help="exchange code, e.g. binance")
    show.add_argument("category", help=CATEGORY_HELP)
    show.add_argument(
        "--unfold",
        metavar="PATH",
        help="show column paths as they read after `unfold` at PATH (e.g. data)",
    )
    show.add_argument("--format", choices=["text", "json"], default="text")
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
    dirs = _catalog_dirs(args)
    if dirs is None:
        return EXIT_USAGE
    missing = [folder for folder in dirs if not folder.is_dir()]
    if missing and action != "learn":  # learn may create its folder; reading one must find it
        for folder in missing:
            print(f"schemac: error: catalog folder {folder} does not exist", file=sys.stderr)
        return EXIT_USAGE
    try:
        if action == "list":
            return _list(args, dirs)
        if action == "show":
            return _show(args, dirs)
        return _learn(args, dirs)
    except CatalogError as error:
        print(f"schemac: error: exchange catalog: {error}", file=sys.stderr)
        return EXIT_FAILURE


def _catalog_dirs(args: argparse.Namespace) -> list[Path] | None:
    from schemac.config import ConfigError, load_config

    try:
        config = load_config(args.config)
    except ConfigError as error:
        print(f"schemac: error: {error}", file=sys.stderr)
        return None
    configured = [config.root / folder for folder in config.catalog_dirs]
    return [*configured, *(Path(d) for d in args.catalog_dir)]


def _list(args: argparse.Namespace, dirs: list[Path]) -> int:
    from schemac.catalog import CATEGORIES, SHIPPED_DIR, load_catalog

    catalog = load_catalog(dirs)
    rows: list[dict[str, Any]] = []
    for code in catalog.codes():
        info = catalog.exchange(code)
        if info is None:
            continue
        cells = {}
        for category in CATEGORIES:
            entry = info.entries.get(category)
            if entry is not None:
                cells[category] = entry.status
            elif category in info.unavailable:
                cells[category] = "none"
        user = any(Path(o).resolve().parent != SHIPPED_DIR for o in info.origins)
        rows.append(
            {
                "exchange": code,
                "name": info.name,
                "code": info.code_status,
                "origin": "user" if user else "shipped",
                "categories": cells,
            }
        )
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    marks = {"confirmed": "C", "inferred": "i", "none": "-"}
    table = [["exchange", "code", *CATEGORIES, "from"]]
    for row in rows:
        code_mark = row["code"] if row["code"] == "confirmed" else "guessed?"
        cells = [marks.get(row["categories"].get(c, ""), " ") for c in CATEGORIES]
        table.append([row["exchange"], code_mark, *cells, row["origin"]])
    _print_table(table)
    print()
    print("C confirmed from the exchange's documentation   i inferred (libraries, captures)")
    print("- the exchange has no such channel              blank: no entry (not checked)")
    print("code: confirmed = the code appears in Ticksupply's docs; guessed? = schemac's guess")
    return EXIT_OK


def _show(args: argparse.Namespace, dirs: list[Path]) -> int:
    from schemac.catalog import CATEGORIES, load_catalog
    from schemac.catalog.resolve import column_path, resolve

    if args.category not in CATEGORIES:
        print(
            f"schemac: error: unknown category `{args.category}`; one of {', '.join(CATEGORIES)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    catalog = load_catalog(dirs)
    info = catalog.exchange(args.exchange)
    if info is None:
        from schemac.diagnostics import did_you_mean

        guess = did_you_mean(args.exchange, catalog.codes())
        hint = f" (did you mean {guess}?)" if guess else ""
        print(
            f"schemac: error: the catalog has no exchange `{args.exchange}`{hint}; "
            "`schemac catalog list` shows what it has",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    entry = info.entries.get(args.category)
    if entry is None:
        reason = info.unavailable.get(args.category)
        what = reason.reason if reason else "no entry"
        print(f"schemac: error: {args.exchange} {args.category}: {what}", file=sys.stderr)
        return EXIT_FAILURE
    unfold_catalog_path = None
    if args.unfold:
        found = resolve(entry, args.unfold)
        if not found.ok or not entry.paths[found.catalog_path or ""].rows:
            print(
                f"schemac: error: `{args.unfold}` is not a row array of {args.exchange} "
                f"{args.category}",
                file=sys.stderr,
            )
            return EXIT_USAGE
        unfold_catalog_path = found.catalog_path
    paths = []
    for catalog_path, path_info in entry.paths.items():
        if not catalog_path or catalog_path.endswith("[]"):
            continue
        marks = []
        if path_info.rows:
            marks.append("rows")
        if path_info.positional:
            marks.append("positional")
        if path_info.optional:
            marks.append("optional")
        paths.append(
            {
                "path": column_path(catalog_path, unfold_catalog_path),
                "catalog_path": catalog_path,
                "type": "|".join(path_info.types),
                "enum": list(path_info.enum) if path_info.enum else None,
                "marks": marks,
                "note": path_info.note,
            }
        )
    if args.format == "json":
        document = {
            "exchange": entry.exchange,
            "category": entry.category,
            "status": entry.status,
            "code": info.code_status,
            "source": entry.source,
            "channel": entry.channel,
            "notes": entry.notes,
            "unfold": args.unfold,
            "paths": paths,
        }
        print(json.dumps(document, indent=2))
        return EXIT_OK
    print(f"{info.name}: {entry.category}")
    print(f"  code      {entry.exchange} ({info.code_status})")
    print(f"  entry     {entry.status}")
    print(f"  source    {entry.source}")
    if entry.channel:
        print(f"  channel   {entry.channel}")
    if entry.notes:
        print(f"  notes     {entry.notes}")
    if args.unfold:
        print(f"  paths as read after unfold at `{args.unfold}`")
    print()
    table = [["path", "type", "enum", "marks", "note"]]
    for row in paths:
        table.append(
            [
                row["path"],
                row["type"],
                ", ".join(row["enum"]) if row["enum"] else "",
                " ".join(row["marks"]),
                row["note"] or "",
            ]
        )
    _print_table(table)
    return EXIT_OK


def _learn(args: argparse.Namespace, dirs: list[Path]) -> int:
    from schemac.catalog import CATEGORIES
    from schemac.catalog.learn import SampleError, entry_yaml, learn_entry, read_samples
    from schemac.catalog.loader import _CODE

    if args.category not in CATEGORIES:
        print(
            f"schemac: error: unknown category `{args.category}`; one of {', '.join(CATEGORIES)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not _CODE.match(args.exchange):
        print(
            "schemac: error: an exchange code is lower-case letters, digits and _",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.enum_max < 0:
        print("schemac: error: --enum-max must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.samples == "-":
            text, origin = sys.stdin.read(), "stdin"
        else:
            text, origin = Path(args.samples).read_text(encoding="utf-8"), args.samples
    except (OSError, UnicodeDecodeError) as error:
        print(f"schemac: error: cannot read {args.samples}: {error}", file=sys.stderr)
        return EXIT_FAILURE
    try:
        messages = read_samples(text, origin)
        source = args.source or f"{Path(origin).name} ({len(messages)} messages)"
        entry = learn_entry(args.exchange, args.category, messages, source, args.enum_max)
    except SampleError as error:
        print(f"schemac: error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    document = entry_yaml(entry)
    if args.output == "-":
        sys.stdout.write(document)
        return EXIT_OK
    if args.output:
        target = Path(args.output)
    else:
        folder = dirs[0] if dirs else Path("catalog")
        target = folder / f"{args.exchange}.{args.category}.yaml"
    from schemac.fileio import WriteRefused, save_text

    try:
        written = save_text(target, document, force=args.force)
    except WriteRefused as refused:
        print(f"schemac: error: {refused}", file=sys.stderr)
        return EXIT_FAILURE
    if not written:
        print(f"unchanged {_shown(target)}")
        return EXIT_OK
    count = len([p for p in entry.paths if p and not p.endswith("[]")])
    print(
        f"wrote {_shown(target)}: {args.exchange} {args.category}, {count} paths "
        f"from {len(messages)} messages (status: inferred)"
    )
    if not dirs or target.parent.resolve() not in {d.resolve() for d in dirs}:
        print(f"add `{_shown(target.parent)}` to `catalog_dirs` in the configuration to use it")
    return EXIT_OK


def _shown(path: Path) -> str:
    """``path`` relative to the current directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _print_table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )

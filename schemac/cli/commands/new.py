"""`schemac new NAME --category CAT --exchanges a,b*`: a schema file from the exchange catalog.

Writes ``<out>/NAME.yaml`` (the first configured schema folder unless ``--out`` names one)
atomically, and never over a file with other content unless ``--force``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from schemac.cli.commands.common import error, load_config_or_report
from schemac.vocabulary import CATEGORIES, EXIT_OK, EXIT_USAGE

# A schema name that is also a safe file name stem: no folders, no hidden files.
NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


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
    from schemac.fileio import WriteRefused, save_text
    from schemac.scaffold import ScaffoldError, new_schema

    if not NAME.fullmatch(name) or name.endswith((".yaml", ".yml")):
        error(f"`{name}` cannot name a schema file: use letters, digits, `_`, `-` and `.`")
        return EXIT_USAGE
    if category not in CATEGORIES:
        error(f"unknown category `{category}` (one of {', '.join(CATEGORIES)})")
        return EXIT_USAGE
    config = load_config_or_report(config_path)
    if config is None:
        return EXIT_USAGE
    catalog = load_catalog([config.root / folder for folder in config.catalog_dirs])
    try:
        written = new_schema(name, category, exchanges.split(","), catalog, config.dialect)
    except (ScaffoldError, CatalogError) as problem:
        error(str(problem))
        return EXIT_USAGE
    folder = Path(out) if out is not None else _default_folder(config.root, config.paths)
    target = folder / f"{name}.yaml"
    try:
        changed = save_text(target, written.text, force=force)
    except WriteRefused as refused:
        error(str(refused))
        return EXIT_USAGE
    what = "wrote" if changed else "unchanged"
    print(f"{what} {target}: {category} from {', '.join(written.exchanges)}")
    for column, codes in written.left_out.items():
        print(f"  left out `{column}`: not sent by {', '.join(codes)}", file=sys.stderr)
    return EXIT_OK


def _default_folder(root: Path, paths: list[str]) -> Path:
    """The first configured schema path (a folder), as validate finds it: relative to the
    configuration's folder."""
    import os

    first = root / (paths[0] if paths else "schemas")
    return Path(os.path.relpath(first)) if first.is_dir() or not first.suffix else first.parent

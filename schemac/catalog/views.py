"""What `schemac catalog list` and `show` report, as data: rows a renderer prints as a table
or as JSON (schemac.render.catalog)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from schemac.catalog.loader import Catalog
from schemac.catalog.model import ELEMENT, SHIPPED_DIR, Entry, ExchangeInfo, PathInfo
from schemac.catalog.resolve import column_path, resolve
from schemac.vocabulary import CATEGORIES


class ExchangeRow(TypedDict):
    exchange: str
    name: str
    code: str  # the code's status: confirmed or guessed
    origin: str  # "shipped" or "user"
    categories: dict[str, str]  # category -> entry status, or "none" when unavailable


class PathRow(TypedDict):
    path: str  # as a column reads it (after `unfold` when one is given)
    catalog_path: str
    type: str
    enum: list[str] | None
    marks: list[str]
    note: str | None


def exchange_rows(catalog: Catalog) -> list[ExchangeRow]:
    """One row per exchange the catalog knows: what it has for each category, and from where."""
    rows: list[ExchangeRow] = []
    for code in catalog.codes():
        info = catalog.exchange(code)
        if info is None:
            continue
        cells: dict[str, str] = {}
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
    return rows


def unfold_row_array(entry: Entry, unfold: str) -> str | None:
    """The catalog path of the row array that `unfold` at ``unfold`` reads, or None when
    ``unfold`` is not a row array of ``entry``."""
    found = resolve(entry, unfold)
    if not found.ok or not entry.paths[found.catalog_path or ""].rows:
        return None
    return found.catalog_path


def path_rows(entry: Entry, unfold_catalog_path: str | None = None) -> list[PathRow]:
    """Every path of ``entry`` a column can read (array elements are their array's)."""
    return [
        _path_row(catalog_path, info, unfold_catalog_path)
        for catalog_path, info in entry.paths.items()
        if catalog_path and not catalog_path.endswith(ELEMENT)
    ]


def _path_row(catalog_path: str, info: PathInfo, unfold_catalog_path: str | None) -> PathRow:
    marks = [
        mark
        for mark, on in (
            ("rows", info.rows),
            ("positional", info.positional),
            ("optional", info.optional),
            ("complete", info.complete),
        )
        if on
    ]
    return {
        "path": column_path(catalog_path, unfold_catalog_path),
        "catalog_path": catalog_path,
        "type": "|".join(info.types),
        "enum": list(info.enum) if info.enum else None,
        "marks": marks,
        "note": info.note,
    }


def entry_document(
    info: ExchangeInfo, entry: Entry, unfold: str | None, paths: list[PathRow]
) -> dict[str, Any]:
    """`catalog show --format json`: the entry, its provenance and its paths."""
    return {
        "exchange": entry.exchange,
        "category": entry.category,
        "status": entry.status,
        "code": info.code_status,
        "source": entry.source,
        "channel": entry.channel,
        "notes": entry.notes,
        "unfold": unfold,
        "paths": paths,
    }

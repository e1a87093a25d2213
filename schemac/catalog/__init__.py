"""The exchange catalog: what each exchange sends per stream category, as data files.

    catalog = load_catalog([Path("catalog/")])  # shipped + the user's folders; reads nothing
    entry = catalog.entry("binance", "trade")  # reads binance.yaml on first use
    diagnostics = check_schema(schema, catalog)  # schemac.checks.catalog

Format and path grammar: docs/catalog.md. Only the standard library and PyYAML are used, and
PyYAML only when a file is read, so importing this package costs nothing at `validate` time.
"""

from __future__ import annotations

from schemac.catalog.loader import Catalog, load_catalog
from schemac.catalog.model import (
    SHIPPED_DIR,
    CatalogError,
    Entry,
    ExchangeInfo,
    PathInfo,
)
from schemac.vocabulary import CATEGORIES

__all__ = [
    "CATEGORIES",
    "SHIPPED_DIR",
    "Catalog",
    "CatalogError",
    "Entry",
    "ExchangeInfo",
    "PathInfo",
    "load_catalog",
]

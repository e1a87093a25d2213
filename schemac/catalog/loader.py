"""Reading catalog files: one YAML file per exchange, ``<code>.yaml`` (format: docs/catalog.md).

Files are read lazily, one exchange at a time, when a check or a command asks for it: `validate`
only pays for the exchanges its schemas name. A user's catalog folders come after the shipped
one; for each (exchange, category) the last folder that has an entry wins, whole.
"""

from __future__ import annotations

from pathlib import Path

from schemac.catalog.fileformat import read_exchange_file
from schemac.catalog.model import (
    FILE_SUFFIX,
    SHIPPED_DIR,
    CatalogError,
    Entry,
    ExchangeInfo,
    Unavailable,
)
from schemac.vocabulary import exchange_code_problem


class Catalog:
    """The shipped catalog overlaid with the user's folders; exchanges are read on first use.

    A malformed file raises CatalogError on every use of its exchange, not only the first."""

    def __init__(self, dirs: list[Path]) -> None:
        self.dirs = list(dirs)
        self._exchanges: dict[str, ExchangeInfo | None] = {}
        self._errors: dict[str, CatalogError] = {}

    def exchange(self, code: str) -> ExchangeInfo | None:
        """Everything known about one exchange code, or None when no folder has a file for it.
        Raises CatalogError when a file for it is malformed."""
        if code not in self._exchanges:
            try:
                self._exchanges[code] = self._read_exchange(code)
            except CatalogError as error:
                self._errors[code] = error
                self._exchanges[code] = None
        if code in self._errors:
            raise self._errors[code]
        return self._exchanges[code]

    def entry(self, exchange: str, category: str) -> Entry | None:
        info = self.exchange(exchange)
        return None if info is None else info.entries.get(category)

    def unavailable(self, exchange: str, category: str) -> Unavailable | None:
        info = self.exchange(exchange)
        return None if info is None else info.unavailable.get(category)

    def codes(self) -> list[str]:
        """Every exchange code that has a file in some folder (reads no file)."""
        found: set[str] = set()
        for folder in self.dirs:
            if folder.is_dir():
                for path in folder.glob("*" + FILE_SUFFIX):
                    code = path.name[: -len(FILE_SUFFIX)].split(".")[0]
                    if exchange_code_problem(code) is None:
                        found.add(code)
        return sorted(found)

    def files_for(self, code: str) -> list[Path]:
        """``<code>.yaml`` then ``<code>.<anything>.yaml`` (one file per category, as `learn`
        writes them), folder by folder: later files win."""
        files: list[Path] = []
        for folder in self.dirs:
            whole = folder / f"{code}{FILE_SUFFIX}"
            if whole.is_file():
                files.append(whole)
            if folder.is_dir():
                files.extend(sorted(folder.glob(f"{code}.*{FILE_SUFFIX}")))
        return files

    def _read_exchange(self, code: str) -> ExchangeInfo | None:
        # A code is only ever a file name stem: a code that could not be one (`../x`, 4000
        # characters, glob characters) has no entry, and no file outside the folders is read.
        if exchange_code_problem(code):
            return None
        from schemac.catalog.precompiled import precompiled_exchange

        merged: ExchangeInfo | None = None
        for path in self.files_for(code):
            info = precompiled_exchange(path) if path.parent == SHIPPED_DIR else None
            if info is None:
                info = read_exchange_file(path, code)
            merged = info if merged is None else overlay(merged, info)
        return merged


def load_catalog(extra_dirs: list[Path] | tuple[Path, ...] = ()) -> Catalog:
    """The shipped catalog plus the user's folders (later folders win). Reads nothing yet."""
    return Catalog([SHIPPED_DIR, *(Path(d) for d in extra_dirs)])


def overlay(base: ExchangeInfo, top: ExchangeInfo) -> ExchangeInfo:
    """``top`` (a user's file) over ``base``: its entries replace base's entries per category."""
    entries = {**base.entries, **top.entries}
    unavailable = {k: v for k, v in base.unavailable.items() if k not in top.entries}
    unavailable.update(top.unavailable)
    for category in top.unavailable:
        entries.pop(category, None)
    return ExchangeInfo(
        code=base.code,
        name=top.name or base.name,
        code_status=top.code_status if top.code_status else base.code_status,
        code_source=top.code_source or base.code_source,
        entries=entries,
        unavailable=unavailable,
        notes=top.notes or base.notes,
        origins=[*base.origins, *top.origins],
    )

"""The shipped catalog, precompiled: its YAML files parsed once, at release time, into JSON.

Reading a shipped file through the span-tracking YAML reader costs 5-9 ms per exchange on every
run; reading its precompiled form costs a tenth of that. A precompiled record is used only when
it was made by this version of schemac from exactly the file's current bytes (size and CRC-32),
so an edited file (a checkout, a patched install) is read from its YAML again, and a missing or
corrupt ``catalog.json`` is ignored. A user's catalog folders are always read from their YAML,
so their errors keep exact positions. Regenerate after editing a shipped file::

    python -m schemac.catalog.precompiled

(tests/catalog/test_catalog_cache.py fails until it is regenerated).
"""

from __future__ import annotations

import functools
import json
import zlib
from pathlib import Path
from typing import Any

from schemac.catalog.model import (
    FILE_SUFFIX,
    SHIPPED_DIR,
    Entry,
    ExchangeInfo,
    PathInfo,
    Unavailable,
    index_children,
)

PRECOMPILED_FILE = Path(__file__).resolve().parent.parent / "data" / "catalog.json"
FORMAT = 2  # 2: a path row ends with `complete`


def _stamp() -> str:
    from schemac import __version__

    return f"{FORMAT}:{__version__}"


def precompiled_exchange(path: Path, precompiled: Path | None = None) -> ExchangeInfo | None:
    """The precompiled form of the shipped file ``path``, or None when it has none that was
    made from its current content (then it must be read from its YAML)."""
    record = _records(precompiled or PRECOMPILED_FILE).get(path.name)
    if not isinstance(record, dict):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if record.get("size") != len(data) or record.get("crc32") != zlib.crc32(data):
        return None
    try:
        return exchange_from_json(record["info"], str(path))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


@functools.lru_cache(maxsize=4)
def _records(precompiled: Path) -> dict[str, Any]:
    try:
        document = json.loads(precompiled.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("stamp") != _stamp():
        return {}
    files = document.get("files")
    return files if isinstance(files, dict) else {}


def compile_catalog(folder: Path) -> str:
    """The precompiled JSON text of every catalog file in ``folder`` (read from its YAML)."""
    from schemac.catalog.fileformat import read_exchange_file

    files: dict[str, Any] = {}
    for path in sorted(folder.glob("*" + FILE_SUFFIX)):
        data = path.read_bytes()
        info = read_exchange_file(path, path.name[: -len(FILE_SUFFIX)])
        files[path.name] = {
            "size": len(data),
            "crc32": zlib.crc32(data),
            "info": exchange_to_json(info),
        }
    document = {"stamp": _stamp(), "files": files}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_precompiled(folder: Path, target: Path) -> None:
    from schemac.fileio import atomic_write

    atomic_write(target, compile_catalog(folder))
    _records.cache_clear()


# The fields written as they are, named once for both directions; the entries, the unavailable
# categories and the paths are converted below. A file's origin is not kept: it is where it is.
_INFO_FIELDS = ("code", "name", "code_status", "code_source", "notes")
_ENTRY_FIELDS = ("status", "source", "channel", "notes")


def exchange_to_json(info: ExchangeInfo) -> dict[str, Any]:
    """One exchange as JSON data."""
    return {
        **{name: getattr(info, name) for name in _INFO_FIELDS},
        "entries": {category: _entry_to_json(entry) for category, entry in info.entries.items()},
        "unavailable": {category: u.reason for category, u in info.unavailable.items()},
    }


def exchange_from_json(data: dict[str, Any], origin: str) -> ExchangeInfo:
    info = ExchangeInfo(**{name: data[name] for name in _INFO_FIELDS}, origins=[origin])
    for category, raw in data["entries"].items():
        info.entries[category] = _entry_from_json(info.code, category, raw, origin)
    for category, reason in data["unavailable"].items():
        info.unavailable[category] = Unavailable(info.code, category, reason, origin)
    return info


def _entry_to_json(entry: Entry) -> dict[str, Any]:
    # A path is its PathInfo's fields in order: [path, types, enum, optional, note, rows,
    # positional, complete] (json writes tuples as arrays).
    paths = [list(path) for path in entry.paths.values()]
    return {**{name: getattr(entry, name) for name in _ENTRY_FIELDS}, "paths": paths}


def _entry_from_json(code: str, category: str, raw: dict[str, Any], origin: str) -> Entry:
    paths: dict[str, PathInfo] = {}
    # Unpacked, not PathInfo(*row): a row of another length is a corrupt record (ValueError).
    for path, types, enum, optional, note, rows, positional, complete in raw["paths"]:
        enum_values = None if enum is None else tuple(enum)
        paths[path] = PathInfo(
            path, tuple(types), enum_values, optional, note, rows, positional, complete
        )
    return Entry(
        exchange=code,
        category=category,
        paths=paths,
        origin=origin,
        child_index=index_children(paths),
        **{name: raw[name] for name in _ENTRY_FIELDS},
    )


if __name__ == "__main__":
    write_precompiled(SHIPPED_DIR, PRECOMPILED_FILE)
    print(f"wrote {PRECOMPILED_FILE}")

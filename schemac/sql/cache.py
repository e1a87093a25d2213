"""The transforms cache: what sqlglot found in each distinct transform, kept between runs.

Importing sqlglot costs more than everything else a one-file `validate` does, and a pre-commit
hook sees the same transforms on every commit. So the findings of each distinct (dialect, text)
are kept in a small cache file (like ruff's and mypy's caches), keyed by the versions of schemac
and sqlglot: a run whose transforms are all known never imports sqlglot. The cache lives in
``$SCHEMAC_CACHE_DIR``, else ``$XDG_CACHE_HOME/schemac``, else ``~/.cache/schemac``;
``SCHEMAC_NO_CACHE=1`` turns it off. A missing, stale or corrupt cache is simply rebuilt.
The same file caches each transform's inferred output type (schemac.types.transform), keyed by
(dialect, input type, text).

A finding is stored as its rule code, offset, length, message and hint; it is rebuilt from the
rule (:func:`findings_from_json`), so a code no rule has any more makes the entry be recomputed.

Saving is an explicit step: whoever checked transforms calls :func:`save_cache` once at the end.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from schemac.diagnostics import ScalarFinding

MAX_CACHE_ENTRIES = 20_000

# The layout of the cache file. Version 2 added inferred transform types (entries whose key
# starts with TYPES_KEY_PREFIX); version 3 stores rule codes instead of kind strings. A file of
# another format is discarded and rebuilt.
CACHE_FORMAT = 3
TYPES_KEY_PREFIX = "types\0"
# The files (under schemac/) whose code decides what is cached: a change to one (an editable
# install, a checkout) must not serve answers computed by the old code. That is every module the
# screen (sql.transforms) and the inference (types.transform) import, at any depth, and the data
# they read; a test holds the list against the imports.
_CACHED_BY = (
    "vocabulary.py",
    "diagnostics.py",
    "rules/__init__.py",
    "rules/reading.py",
    "rules/format.py",
    "rules/examples.py",
    "rules/transforms.py",
    "rules/exchanges.py",
    "rules/project.py",
    "rules/types.py",
    "rules/catalog.py",
    "rules/breaking.py",
    "rules/run.py",
    "rules/sync.py",
    "core/ir.py",
    "sql/__init__.py",
    "sql/transforms.py",
    "sql/cache.py",
    "sql/allowlist.py",
    "sql/screen.py",
    "types/__init__.py",
    "types/lattice.py",
    "types/functions.py",
    "types/engine.py",
    "types/inferred.py",
    "types/sqltypes.py",
    "types/transform.py",
    "data/transform_functions.toml",
)
_PACKAGE = Path(__file__).parent.parent


def cache_path() -> Path | None:
    if os.environ.get("SCHEMAC_NO_CACHE"):
        return None
    root = os.environ.get("SCHEMAC_CACHE_DIR")
    if root:
        return Path(root) / "transforms.json"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "schemac" / "transforms.json"


def cache_version(package: Path = _PACKAGE) -> str:
    """What the cached results depend on: the format, schemac's code (the files of ``package``
    named in ``_CACHED_BY``) and the installed sqlglot."""
    import importlib.util

    from schemac import __version__

    spec = importlib.util.find_spec("sqlglot")
    origin = spec.origin if spec is not None and spec.origin else ""
    stamps = []
    for path in (origin, *(str(package / name) for name in _CACHED_BY)):
        try:
            stamps.append(str(os.stat(path).st_mtime_ns) if path else "0")
        except OSError:
            stamps.append("0")
    return f"{CACHE_FORMAT}:{__version__}:{origin}:{':'.join(stamps)}"


class _Cache:
    """The persistent findings cache: loaded on first use, saved when asked if it grew."""

    def __init__(self) -> None:
        self.entries: dict[str, Any] | None = None
        self.dirty = False
        self.version = ""

    def put(self, key: str, value: Any) -> None:
        self.load()[key] = value
        self.dirty = True

    def load(self) -> dict[str, Any]:
        if self.entries is None:
            self.entries = {}
            path = cache_path()
            if path is not None:
                self.version = cache_version()
                try:
                    document = json.loads(path.read_text(encoding="utf-8"))
                    if document.get("version") == self.version:
                        self.entries = dict(document["entries"])
                except (OSError, ValueError, KeyError, TypeError, AttributeError):
                    pass
        return self.entries

    def save(self) -> None:
        path = cache_path()
        if not self.dirty or path is None or self.entries is None:
            return
        entries = self.entries
        if len(entries) > MAX_CACHE_ENTRIES:  # keep the newest: dicts keep insertion order
            entries = dict(list(entries.items())[-MAX_CACHE_ENTRIES:])
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_text(
                json.dumps({"version": self.version, "entries": entries}), encoding="utf-8"
            )
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written only costs time
        self.dirty = False


_CACHE = _Cache()


def save_cache() -> None:
    """Write new findings to the cache file (called once, after a command has checked)."""
    _CACHE.save()


def cached(key: str) -> Any:
    """The cached entry for ``key`` (a JSON value), or None."""
    return _CACHE.load().get(key)


def remember(key: str, value: Any) -> None:
    """Keep a JSON value under ``key`` for later runs."""
    _CACHE.put(key, value)


def cached_types(key: str) -> Any:
    """The cached inferred-type entry for ``key`` (a JSON value), or None."""
    return cached(TYPES_KEY_PREFIX + key)


def cache_types(key: str, value: Any) -> None:
    """Remember an inferred-type entry (a JSON value) under ``key`` for later runs."""
    remember(TYPES_KEY_PREFIX + key, value)


def finding_to_json(finding: ScalarFinding) -> list[Any]:
    return [finding.code, finding.offset, finding.length, finding.message, finding.hint]


def findings_from_json(value: Any) -> tuple[ScalarFinding, ...] | None:
    """Cached findings back as values; None for anything malformed or of an unknown rule."""
    from schemac.rules import all_rules

    if not isinstance(value, list):
        return None
    rules = all_rules()
    restored = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 5):
            return None
        code, offset, length, message, hint = item
        rule = rules.get(code) if isinstance(code, str) else None
        shapes = (isinstance(offset, int), isinstance(length, int), isinstance(message, str))
        if rule is None or not all(shapes) or not (hint is None or isinstance(hint, str)):
            return None
        restored.append(rule.within(offset, length, message, hint))
    return tuple(restored)

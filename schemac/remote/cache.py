"""The published contents of remote schemas, kept between runs, keyed by (id, version).

A published version never changes (a change is a new version), and the list response carries
every schema's latest version, so a plan only needs to fetch the schemas whose version it has
not seen: an unchanged plan of 100 schemas is 1 request (the list), not 101. Drafts change in
place and are never cached.

One small JSON file per schema, ``<project>/.schemac/cache/remote/<id>.json``, holding the
latest version seen, written atomically (a temporary file, then a rename). The cache is only
ever a shortcut: a file that is missing, unreadable, corrupt, of another format, for another id
or version, or whose content does not match its digest is ignored (the content is fetched) and
rewritten. ``SCHEMAC_NO_CACHE=1`` turns it off, as it does the transforms cache. A
``.gitignore`` in ``.schemac/`` keeps the folder out of the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

CACHE_FORMAT = 1
CACHE_FOLDER = Path(".schemac") / "cache" / "remote"
# Only an id of the documented shape names a file (no path can be smuggled in through one).
_SCHEMA_ID = re.compile(r"sch_[a-f0-9]{32}")


class RemoteCache:
    """Published contents under ``folder`` (``None``: a cache that keeps nothing)."""

    def __init__(self, folder: Path | None, gitignore: Path | None = None) -> None:
        self.folder = folder
        self.gitignore = gitignore  # written when the folder is made
        self.hits = 0
        self.misses = 0

    def get(self, schema_id: str, version: int) -> dict[str, Any] | None:
        """The wire body of ``schema_id`` at ``version`` as a get returned it, or None."""
        body = self._read(schema_id, version)
        if body is None:
            self.misses += 1
        else:
            self.hits += 1
        return body

    def _read(self, schema_id: str, version: int) -> dict[str, Any] | None:
        path = self._path(schema_id)
        if path is None:
            return None
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # missing, unreadable, not UTF-8, not JSON
            return None
        if not isinstance(document, dict):
            return None
        body = document.get("body")
        if (
            document.get("format") != CACHE_FORMAT
            or document.get("id") != schema_id
            or document.get("version") != version
            or not isinstance(body, dict)
            or document.get("sha256") != _digest(body)
            or body.get("id") != schema_id
            or body.get("version") != version
        ):
            return None
        return body

    def put(self, body: dict[str, Any]) -> None:
        """Keep a published version's wire body (it names its id and version). A cache that
        cannot be written costs only time: the error is not raised."""
        schema_id, version = body.get("id"), body.get("version")
        path = self._path(schema_id) if isinstance(schema_id, str) else None
        if path is None or not isinstance(version, int) or isinstance(version, bool):
            return
        document = {
            "format": CACHE_FORMAT,
            "id": schema_id,
            "version": version,
            "sha256": _digest(body),
            "body": body,
        }
        try:
            if not path.parent.is_dir():
                self._make_folder(path.parent)
            _write_atomically(path, json.dumps(document, ensure_ascii=False))
        except (OSError, ValueError):
            pass

    def _make_folder(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.gitignore is not None and not self.gitignore.exists():
            self.gitignore.write_text(
                "# schemac's local caches: safe to delete\n*\n", encoding="utf-8"
            )

    def _path(self, schema_id: str) -> Path | None:
        if self.folder is None or not _SCHEMA_ID.fullmatch(schema_id):
            return None
        return self.folder / f"{schema_id}.json"


def project_cache(root: Path) -> RemoteCache:
    """The cache of the project whose configuration lives in ``root`` (off when
    ``SCHEMAC_NO_CACHE`` is set)."""
    if os.environ.get("SCHEMAC_NO_CACHE"):
        return RemoteCache(None)
    return RemoteCache(root / CACHE_FOLDER, root / CACHE_FOLDER.parts[0] / ".gitignore")


def _digest(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    """A temporary file beside ``path``, then a rename: a reader sees the old file or the new
    one, never half of one. Not fsynced: a cache file lost in a crash is only fetched again."""
    import tempfile

    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="surrogatepass") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise

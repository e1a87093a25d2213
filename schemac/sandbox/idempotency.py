"""Idempotency keys: their format, request fingerprints, and waiting for an in-flight original.

The records themselves live in the store, committed in the same transaction as the work they
describe; this module holds what only matters while the process runs.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import uuid

MAX_KEY_LENGTH = 128
_HEX = "[0-9a-fA-F]"
_HYPHENATED = f"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"
# The four UUID spellings the docs accept: hyphenated, simple, braced and URN.
_UUID_FORMS = re.compile(
    rf"^(?:{_HYPHENATED}|{_HEX}{{32}}|\{{{_HYPHENATED}\}}|[uU][rR][nN]:[uU][uU][iI][dD]:{_HYPHENATED})$"
)


def parse_key(raw: str) -> str | None:
    """The canonical (lowercase, hyphenated) UUID of a key, or None if it is not a valid key.

    Keys are compared by the UUID they spell, so ``{...}`` and ``urn:uuid:...`` forms of one
    UUID are the same key.
    """
    if len(raw) > MAX_KEY_LENGTH or not _UUID_FORMS.match(raw):
        return None
    text = raw[9:] if raw[:9].lower() == "urn:uuid:" else raw.strip("{}")
    return str(uuid.UUID(text))


def fingerprint(method: str, path: str, body: bytes) -> str:
    """method + path + body, with a JSON body compared by value (key order and whitespace do not
    make two requests different)."""
    canonical = body
    if body.strip():
        try:
            canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
        except (ValueError, RecursionError):
            canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class InFlight:
    """Which (account, key) pairs are being executed right now, so that a retry can wait."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[tuple[str, str], threading.Event] = {}

    def claim(self, account: str, key: str) -> threading.Event | None:
        """None when the caller now owns the key (call ``release`` when done); otherwise the
        event that the current owner will set when it finishes."""
        with self._lock:
            running = self._running.get((account, key))
            if running is not None:
                return running
            self._running[(account, key)] = threading.Event()
            return None

    def release(self, account: str, key: str) -> None:
        with self._lock:
            self._running.pop((account, key)).set()

"""Export files rendered ahead of the request that stores them, outside the store's lock.

The store serialises every transaction, and an export's files are stored by the first request
that finds the job finished. Rendering them (a query on the embedded engine) inside that
transaction would hold every other request of every account for as long as it runs, so a
request that is about to settle a job renders its files first, unlocked, and hands them over
here; the transaction then only stores them. One render per job at a time: a second request for
the same job waits for the first one's result instead of rendering again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from schemac.sandbox.exportparts import ExportFailed, Part

Rendered = list[Part] | ExportFailed


class Prerendered:
    """Rendered parts (or the failure that rendering raised) by export id, taken once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: dict[str, Rendered] = {}
        self._running: dict[str, threading.Event] = {}

    def ensure(self, export_id: str, render: Callable[[], list[Part]]) -> None:
        """Render ``export_id``'s parts unless they are here or being rendered (then wait)."""
        with self._lock:
            if export_id in self._done:
                return
            running = self._running.get(export_id)
            if running is None:
                running = self._running[export_id] = threading.Event()
                mine = True
            else:
                mine = False
        if not mine:
            running.wait()
            return
        try:
            result: Rendered = render()
        except ExportFailed as failed:
            result = failed
        finally:
            with self._lock:
                del self._running[export_id]
            running.set()
        with self._lock:
            self._done[export_id] = result

    def take(self, export_id: str) -> Rendered | None:
        """The parts rendered for ``export_id`` (forgotten here), or None."""
        with self._lock:
            return self._done.pop(export_id, None)

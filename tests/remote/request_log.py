"""Which requests a sandbox answered, recorded before each answer is sent.

The sandbox's access log is written after a response has gone out, so a command can return
before the log shows its last request; this record cannot lag: the entry is made before the
client can read the answer.
"""

from __future__ import annotations

import threading
from typing import Any

from schemac.sandbox import Sandbox


class RequestLog:
    def __init__(self, sandbox: Sandbox) -> None:
        self.entries: list[tuple[str, str, int]] = []  # (method, target, status)
        self._lock = threading.Lock()
        handle = sandbox.app.handle

        def recorded(method: str, target: str, headers: Any, body: bytes) -> Any:
            response = handle(method, target, headers, body)
            with self._lock:
                self.entries.append((method, target, response.status))
            return response

        sandbox.app.handle = recorded  # type: ignore[method-assign]

    def __len__(self) -> int:
        with self._lock:
            return len(self.entries)

    def since(self, start: int) -> list[tuple[str, str, int]]:
        with self._lock:
            return self.entries[start:]

    def statuses(self, status: int) -> int:
        with self._lock:
            return sum(1 for entry in self.entries if entry[2] == status)

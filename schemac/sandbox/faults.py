"""Seeded, reproducible fault injection.

Each API request draws once from one ``random.Random(seed)``, in arrival order, so the same
seed and the same sequence of requests give the same faults. With probability ``rate`` the
request is faulted, and the kind is drawn: half of the faults fail before any work is done (503
``unavailable``), the other half do the work, commit it, and then lose the response, either by
closing the connection without a word or by answering 500 ``internal``.
"""

from __future__ import annotations

import random
import threading
from enum import Enum


class Fault(str, Enum):
    UNAVAILABLE = "unavailable"  # 503 before doing anything
    DROP_CONNECTION = "drop_connection"  # work committed, connection closed, no response
    INTERNAL_AFTER_COMMIT = "internal_after_commit"  # work committed, then a 500


class FaultInjector:
    def __init__(self, rate: float, seed: int | None) -> None:
        self._rate = rate
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.counts: dict[Fault, int] = dict.fromkeys(Fault, 0)

    def draw(self) -> Fault | None:
        """The fault for the next request, or None. Always consumes the same number of draws."""
        with self._lock:
            roll = self._random.random()
            kind = self._random.random()
            if roll >= self._rate:
                return None
            if kind < 0.5:
                fault = Fault.UNAVAILABLE
            elif kind < 0.75:
                fault = Fault.DROP_CONNECTION
            else:
                fault = Fault.INTERNAL_AFTER_COMMIT
            self.counts[fault] += 1
            return fault

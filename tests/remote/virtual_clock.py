"""A clock that moves only when someone sleeps on it, shared by a sandbox and a session.

``sleep(s)`` moves the clock to (the time this thread last read) + s, never backwards, and
returns at once: a wait of a minute costs no real time, and no request reaches the sandbox
before the moment its sender meant to send it. (When two threads sleep at once, the later
wake-up can be reached first, so a request may arrive later than meant: the sandbox is at worst
more generous than real time by the waits in flight, never stricter.)
"""

from __future__ import annotations

import threading


class VirtualClock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = start
        self._lock = threading.Lock()
        self._last_read = threading.local()
        self.slept = 0.0  # the sum of every sleep asked for

    def time(self) -> float:
        with self._lock:
            self._last_read.value = self._now
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            start = getattr(self._last_read, "value", self._now)
            self._now = max(self._now, start + seconds)
            self._last_read.value = self._now
            self.slept += seconds

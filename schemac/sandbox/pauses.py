"""Test-only: hold chosen requests at a chosen point of the pipeline until the test lets them go.

Races between clients are tested by driving them, not by hoping threads collide: give the
sandbox a ``PausePoints`` (``start_sandbox(pause_points=...)``; off by default), and each
request it matches stops at the named point, in its server thread, until the test calls
``release()`` on it. Because every request's work is one serialised transaction, releasing
held requests one at a time, in a chosen order, plays exactly that order of effects::

    pauses = PausePoints(match=lambda arrival: arrival.method == "POST")
    with start_sandbox(pause_points=pauses) as sandbox:
        ...  # a client thread sends a POST; it stops before its work
        held = pauses.next_held(timeout=5)
        held.release()

A held request waits at most ``hold_timeout`` seconds (then goes on, and ``timed_out`` counts
it), so a test that fails midway cannot hang the server's shutdown; ``release_all()`` (or
leaving the ``with`` block) stops holding and lets everything go.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from types import TracebackType


class Point(str, Enum):
    BEFORE_WORK = "before_work"  # routed, authenticated, validated; its transaction not begun
    AFTER_COMMIT = "after_commit"  # its transaction committed; the response not yet sent


@dataclass(frozen=True)
class Arrival:
    """A request reaching a pause point."""

    point: Point
    method: str
    path: str


@dataclass
class Held:
    """A request stopped at a point; ``release()`` lets it go on."""

    arrival: Arrival
    _go: threading.Event = field(default_factory=threading.Event, repr=False)

    def release(self) -> None:
        self._go.set()


class PausePoints:
    """Which requests to hold, where, and the queue of those held (see the module's text)."""

    def __init__(
        self,
        match: Callable[[Arrival], bool] = lambda arrival: True,
        points: tuple[Point, ...] = (Point.BEFORE_WORK,),
        hold_timeout: float = 30.0,
    ) -> None:
        self.match = match
        self.points = frozenset(points)
        self.hold_timeout = hold_timeout
        self.holding = True
        self.timed_out = 0
        self._held: queue.Queue[Held] = queue.Queue()
        self._lock = threading.Lock()
        self._waiting: list[Held] = []

    def hold(self, match: Callable[[Arrival], bool]) -> None:
        """From now on, hold the requests ``match`` picks (again, after ``release_all``)."""
        with self._lock:
            self.match = match
            self.holding = True

    def reached(self, point: Point, method: str, path: str) -> None:
        """Called by the sandbox in the request's thread: blocks while the request is held."""
        arrival = Arrival(point, method, path)
        with self._lock:
            if not self.holding or point not in self.points or not self.match(arrival):
                return
            held = Held(arrival)
            self._waiting.append(held)
        self._held.put(held)
        if not held._go.wait(self.hold_timeout):
            with self._lock:
                self.timed_out += 1
        with self._lock:
            self._waiting.remove(held)

    def next_held(self, timeout: float) -> Held | None:
        """The next request to be held (in arrival order), or None after ``timeout`` seconds."""
        try:
            return self._held.get(timeout=timeout)
        except queue.Empty:
            return None

    def release_all(self) -> None:
        """Stop holding, and release every request held now."""
        with self._lock:
            self.holding = False
            waiting = list(self._waiting)
        for held in waiting:
            held.release()

    def __enter__(self) -> PausePoints:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release_all()

"""Play two (or more) clients' requests in a chosen order, and enumerate every order.

Each actor is a function run in its own thread. The sandbox holds every request the
``PausePoints`` matcher picks before its work; at most one actor runs at a time, so the request
held next is always the running actor's. A schedule is the sequence of choices "release the
held request of actor i"; since each request's work is one serialised transaction, the
schedules enumerated by :func:`every_schedule` are every order of effects the server can see.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from schemac.sandbox.pauses import Arrival, Held, PausePoints

STUCK_AFTER = 10.0  # seconds an actor may take to send its next request or finish

# What happened at each step: the actor released, the actors that had a request held, and
# that request ("POST /v1/export-schemas/.../draft").
Step = tuple[int, tuple[int, ...], str]


@dataclass
class Run:
    results: list[Any]
    steps: list[Step] = field(default_factory=list)

    @property
    def choices(self) -> list[int]:
        return [chosen for chosen, _, _ in self.steps]

    def story(self) -> str:
        return "; ".join(f"{'AB'[chosen]} {what}" for chosen, _, what in self.steps)


class _Actor:
    def __init__(self, work: Callable[[], Any]) -> None:
        self.result: Any = None
        self.error: BaseException | None = None
        self._work = work
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.result = self._work()
        except BaseException as error:  # reported by the driver, in the test's thread
            self.error = error


def _next_held(pauses: PausePoints, actor: _Actor) -> Held | None:
    """The actor's next held request, or None once it has finished."""
    deadline = time.monotonic() + STUCK_AFTER
    while time.monotonic() < deadline:
        held = pauses.next_held(timeout=0.002)
        if held is not None:
            return held
        if not actor.thread.is_alive():
            return None
    raise AssertionError("an actor neither finished nor sent a request")


def play(
    pauses: PausePoints,
    match: Callable[[Arrival], bool],
    works: list[Callable[[], Any]],
    choose: Callable[[int, tuple[int, ...]], int],
) -> Run:
    """Run ``works`` with their held requests released in the order ``choose(step, ready)``
    gives (``ready``: the actors that have a request held)."""
    actors = [_Actor(work) for work in works]
    pending: dict[int, Held | None] = {}
    run = Run([])
    pauses.hold(match)
    try:
        for index, actor in enumerate(actors):  # one at a time: each stops at its first request
            actor.thread.start()
            pending[index] = _next_held(pauses, actor)
        while ready := tuple(i for i, held in pending.items() if held is not None):
            chosen = choose(len(run.steps), ready)
            held = pending[chosen]
            assert held is not None
            run.steps.append((chosen, ready, f"{held.arrival.method} {held.arrival.path}"))
            held.release()
            pending[chosen] = _next_held(pauses, actors[chosen])
    finally:
        pauses.release_all()
        for actor in actors:
            actor.thread.join(STUCK_AFTER)
    for actor in actors:
        if actor.error is not None:
            raise actor.error
    run.results = [actor.result for actor in actors]
    return run


def following(prefix: list[int]) -> Callable[[int, tuple[int, ...]], int]:
    """A chooser that follows ``prefix``, then always picks the first ready actor."""
    return lambda step, ready: prefix[step] if step < len(prefix) else ready[0]


def every_schedule(run_one: Callable[[list[int]], Run]) -> Iterator[Run]:
    """Every schedule, each once: run the first, then each untried branch of each run seen
    (``run_one(prefix)`` must follow ``prefix``, then pick the first ready actor)."""
    todo: list[list[int]] = [[]]
    while todo:
        prefix = todo.pop()
        run = run_one(prefix)
        assert run.choices[: len(prefix)] == prefix, "the actors are not deterministic"
        for step in range(len(prefix), len(run.steps)):
            chosen, ready, _ = run.steps[step]
            todo.extend([*run.choices[:step], other] for other in ready if other != chosen)
        yield run

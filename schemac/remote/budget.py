"""One request budget per API session, shared by every worker thread of a command.

The account's limits are token buckets on the server (per minute and per hour, as documented);
this is the client's model of them, so that the session's parallel workers spend the budget in
turn instead of each finding out by a 429:

- before a request, a worker takes a token from every window's bucket (:meth:`RequestBudget.
  acquire`); with none left it is given the next free slot and sleeps until then, so waiting
  workers wake one slot (``window / limit`` seconds) apart, never together;
- every response's ``X-RateLimit-*`` headers correct the model (:meth:`RequestBudget.observe`):
  the limit sets a bucket's size and refill rate, the remaining count caps its tokens (so
  another program spending the same account's budget is taken into account), and a reset time
  on an exhausted bucket holds every worker until then;
- a 429's ``Retry-After`` holds every worker for that long plus a random jitter
  (:meth:`RequestBudget.pause`); the slots after it follow one by one.

Before the first answer the documented limits (200 a minute, 10,000 an hour) are assumed. The
clock, the sleep and the random source are parameters, so that tests run it on a fake clock.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

DEFAULT_LIMITS = {"Minute": 200, "Hour": 10_000}  # the documented per-account budget
WINDOW_SECONDS = {"Minute": 60.0, "Hour": 3600.0}
# A Retry-After wait grows by up to this fraction, at random: two sessions (or two programs)
# told the same Retry-After do not come back at the same instant.
RETRY_JITTER = 0.25
# A wait for a slot longer than this is reported instead of slept (like a long Retry-After).
MAX_WAIT = 120.0
# A Reset header above this is an absolute Unix time (current docs), else seconds to wait
# (older docs: seconds until the window resets, at most an hour).
ABSOLUTE_RESET_AFTER = 86_400


@dataclass
class _Bucket:
    limit: int
    window: float
    tokens: float  # may go below zero: slots promised to workers that are still waiting
    updated_at: float

    @property
    def rate(self) -> float:
        return self.limit / self.window

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated_at)
        self.tokens = min(float(self.limit), self.tokens + elapsed * self.rate)
        self.updated_at = now

    def hold(self, seconds: float) -> None:
        """No token before ``seconds`` from now (slots already promised keep their order)."""
        self.tokens = min(self.tokens, 1.0 - seconds * self.rate)


class BudgetSpent(Exception):
    """The next slot is further away than the session is willing to wait."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"the account's request budget is spent for {wait:.0f} s")
        self.wait = wait


class RequestBudget:
    """The token buckets of one session; thread-safe."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        limits: Mapping[str, int] = DEFAULT_LIMITS,
        max_wait: float = MAX_WAIT,
    ) -> None:
        self.clock = clock
        self.max_wait = max_wait
        self.sleep = sleep
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        now = clock()
        self._buckets = {
            window: _Bucket(limit, WINDOW_SECONDS[window], float(limit), now)
            for window, limit in limits.items()
        }
        self._in_flight = 0  # requests between acquire() and release()
        self.waited = 0.0  # seconds spent waiting for a slot, over the session

    def acquire(self) -> float:
        """Take one request's token from every bucket, sleeping until its slot if the budget
        is spent. Returns the seconds slept; raises BudgetSpent (taking nothing) when the slot
        is more than ``max_wait`` seconds away."""
        with self._lock:
            now = self.clock()
            wait = 0.0
            for bucket in self._buckets.values():
                bucket.refill(now)
                if bucket.tokens < 1.0:
                    wait = max(wait, (1.0 - bucket.tokens) / bucket.rate)
            if wait > self.max_wait:
                raise BudgetSpent(wait)
            for bucket in self._buckets.values():
                bucket.tokens -= 1.0
            self.waited += wait
            self._in_flight += 1
        if wait > 0.0:
            self.sleep(wait)
        return wait

    def release(self) -> None:
        """The request of an :meth:`acquire` has its answer (or failed for good)."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)

    def pause(self, retry_after: float) -> float:
        """A 429 said to come back in ``retry_after`` seconds: hold every worker that long, plus
        a random jitter. The refused request's token is given back (the server charges only
        what it answers). Returns the hold applied."""
        with self._lock:
            hold = retry_after * (1.0 + self._rng.uniform(0.0, RETRY_JITTER))
            now = self.clock()
            for bucket in self._buckets.values():
                bucket.refill(now)
                bucket.tokens += 1.0
                bucket.hold(hold)
            return hold

    def observe(self, headers: Mapping[str, str]) -> None:
        """Correct the model from a response's ``X-RateLimit-*`` headers (any missing or
        malformed header is ignored)."""
        with self._lock:
            now = self.clock()
            for window, seconds in WINDOW_SECONDS.items():
                limit = _int(headers.get(f"X-RateLimit-Limit-{window}"))
                remaining = _int(headers.get(f"X-RateLimit-Remaining-{window}"))
                reset = _int(headers.get(f"X-RateLimit-Reset-{window}"))
                bucket = self._buckets.get(window)
                if bucket is None:
                    if limit is None or limit < 1:
                        continue
                    bucket = self._buckets[window] = _Bucket(limit, seconds, float(limit), now)
                bucket.refill(now)
                if limit is not None and limit >= 1:
                    bucket.limit = limit
                    bucket.tokens = min(bucket.tokens, float(limit))
                if remaining is not None:
                    # The server counted this request, but maybe not the others in flight.
                    others = max(0, self._in_flight - 1)
                    bucket.tokens = min(bucket.tokens, float(max(0, remaining - others)))
                    if remaining <= 0 and reset is not None:
                        bucket.hold(_reset_wait(reset, now))

    def limit(self, window: str) -> int | None:
        bucket = self._buckets.get(window)
        return bucket.limit if bucket is not None else None


def _reset_wait(reset: int, wall_now: float) -> float:
    """Seconds until a Reset header's moment: an absolute Unix time, or a number of seconds."""
    if reset > ABSOLUTE_RESET_AFTER:
        return max(0.0, reset - wall_now)
    return float(max(0, reset))


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None

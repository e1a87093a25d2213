"""Per-account token buckets: one per minute and one per hour, as the docs describe.

A request takes one token from both buckets, or from neither when either is empty (then 429).
Buckets refill continuously at limit/window tokens per second. They live in memory only: a
restarted sandbox starts every account with full buckets.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass


@dataclass
class _Bucket:
    limit: int
    window_seconds: float
    tokens: float
    updated_at: float

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated_at)
        self.tokens = min(self.limit, self.tokens + elapsed * self.limit / self.window_seconds)
        self.updated_at = now

    def seconds_until_token(self) -> float:
        missing = max(0.0, 1.0 - self.tokens)
        return missing * self.window_seconds / self.limit


@dataclass(frozen=True)
class RateDecision:
    """Whether a request may proceed, with the X-RateLimit-* headers (and Retry-After) to send."""

    allowed: bool
    headers: dict[str, str]
    retry_after: int | None


class RateLimiter:
    def __init__(self, per_minute: int, per_hour: int) -> None:
        self._per_minute = per_minute
        self._per_hour = per_hour
        self._buckets: dict[str, tuple[_Bucket, _Bucket]] = {}
        self._lock = threading.Lock()

    def take(self, account: str, now: float) -> RateDecision:
        """Spend one request of ``account``'s budget if there is one."""
        with self._lock:
            buckets = self._buckets.get(account)
            if buckets is None:
                buckets = (
                    _Bucket(self._per_minute, 60.0, float(self._per_minute), now),
                    _Bucket(self._per_hour, 3600.0, float(self._per_hour), now),
                )
                self._buckets[account] = buckets
            for bucket in buckets:
                bucket.refill(now)
            allowed = all(bucket.tokens >= 1.0 for bucket in buckets)
            if allowed:
                for bucket in buckets:
                    bucket.tokens -= 1.0
            minute, hour = buckets
            headers = {
                "X-RateLimit-Limit-Minute": str(minute.limit),
                "X-RateLimit-Remaining-Minute": str(math.floor(minute.tokens)),
                "X-RateLimit-Limit-Hour": str(hour.limit),
                "X-RateLimit-Remaining-Hour": str(math.floor(hour.tokens)),
            }
            # Current docs: Reset-* is an absolute Unix time, sent only for an exhausted bucket.
            waits = []
            for label, bucket in (("Minute", minute), ("Hour", hour)):
                if bucket.tokens < 1.0:
                    wait = bucket.seconds_until_token()
                    waits.append(wait)
                    headers[f"X-RateLimit-Reset-{label}"] = str(math.ceil(now + wait))
            retry_after = None if allowed else max(1, math.ceil(max(waits)))
            return RateDecision(allowed, headers, retry_after)

    def full_headers(self) -> dict[str, str]:
        """The headers of a request that is charged to no account (no valid key)."""
        return {
            "X-RateLimit-Limit-Minute": str(self._per_minute),
            "X-RateLimit-Remaining-Minute": str(self._per_minute),
            "X-RateLimit-Limit-Hour": str(self._per_hour),
            "X-RateLimit-Remaining-Hour": str(self._per_hour),
        }

"""The instants an export request names, and the hours its files are cut into.

The docs accept four spellings of ``start_time``/``end_time``: integer nanoseconds since the
epoch, the same as a string (what the official client sends), ISO-8601, and ISO-8601 with up to
nine fractional digits (``2024-01-15T10:00:00.123456789Z``). An ISO time needs its zone: ``Z``
or an offset (``+02:00``, ``+0200``); a time without one is refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

NS_PER_SECOND = 1_000_000_000
NS_PER_HOUR = 3600 * NS_PER_SECOND
MAX_NS = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")
_ISO = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})T(?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]{1,9}))?"
    r"(?P<zone>Z|z|[+-][0-9]{2}:?[0-9]{2})"
)
ACCEPTED = (
    "integer nanoseconds since the epoch, the same as a string, or ISO-8601 with Z or an offset "
    "and up to 9 fractional digits (2024-01-15T10:00:00.123456789Z)"
)


class TimeProblem(ValueError):
    """A value that is none of the accepted spellings; the message names them."""


def parse_instant(value: object) -> int:
    """Nanoseconds since the epoch of an accepted spelling. Raises TimeProblem."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TimeProblem(f"expected {ACCEPTED}")
    if isinstance(value, int):
        ns = value
    elif _DIGITS.fullmatch(value):
        ns = int(value)
    else:
        ns = _iso_ns(value)
    if not 0 <= ns <= MAX_NS:
        raise TimeProblem(f"must be between 0 and {MAX_NS} nanoseconds since the epoch")
    return ns


def _iso_ns(text: str) -> int:
    match = _ISO.fullmatch(text)
    if match is None:
        raise TimeProblem(f"{text[:60]!r} is not a time: expected {ACCEPTED}")
    zone = match["zone"].upper()
    offset = timedelta(0)
    if zone != "Z":
        digits = zone[1:].replace(":", "")
        if int(digits[2:]) > 59:
            raise TimeProblem(f"{text[:60]!r} has an offset with more than 59 minutes")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if zone[0] == "-":
            offset = -offset
    try:
        moment = datetime.fromisoformat(f"{match['date']}T{match['time']}")
        aware = moment.replace(tzinfo=timezone(offset))
    except ValueError as problem:
        raise TimeProblem(f"{text[:60]!r} is not a valid time: {problem}") from None
    seconds = int((aware - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds())
    fraction = (match["fraction"] or "").ljust(9, "0")
    return seconds * NS_PER_SECOND + int(fraction)


def hour_of(ns: int) -> int:
    """The start of the UTC hour ``ns`` falls in, in nanoseconds."""
    return ns - ns % NS_PER_HOUR


def hour_label(hour_start_ns: int) -> str:
    """``YYYYMMDDHH`` of an hour, as the vendor's part names write it."""
    moment = datetime.fromtimestamp(hour_start_ns // NS_PER_SECOND, tz=timezone.utc)
    return moment.strftime("%Y%m%d%H")

"""The time grammar of every `--from`/`--to` and every sync spec's `start`, decided once.

    instant  := "now"
              | COUNT UNIT "-ago"            3d-ago, 90m-ago, 0s-ago (= now)
              | DATE                         2026-01-02 (midnight UTC)
              | DATE "T" HH ":" MM [":" SS ["." 1-9 digits]] ZONE
              | COUNT                        integer nanoseconds since the epoch, no sign
    duration := COUNT UNIT                   90s, 15m, 1h, 2d, 1w
    COUNT    := ASCII digits
    UNIT     := "s" | "m" | "h" | "d" | "w"
    ZONE     := "Z" | ("+" | "-") HH ":" MM

Strict on purpose, so that a value means one thing: lowercase only (`NOW`, `3D-ago` and
`2026-01-02t00:00z` are refused), no spaces anywhere, whole counts only (`1.5h-ago`: write
`90m-ago`), no sign on an integer, no leap second, and a date-time needs its zone (a local time
would depend on the machine). Fractions are read as digits, never as a float, so every one of
the nine digits is kept. Instants lie between the epoch and the end of year 9999 (UTC): the API
counts collection time in non-negative nanoseconds.
"""

from __future__ import annotations

import datetime as _dt
import re

ACCEPTED_TIMES = "now, N[s|m|h|d|w]-ago (e.g. 3d-ago), ISO-8601 (up to ns), integer ns"
_ISO_FORMS = "YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS[.1-9 digits]] then Z or +HH:MM/-HH:MM"
ACCEPTED_DURATIONS = "N[s|m|h|d|w] (e.g. 90s, 15m, 1h, 2d, 1w)"

NS_PER_SECOND = 1_000_000_000
UNIT_NS = {
    "s": NS_PER_SECOND,
    "m": 60 * NS_PER_SECOND,
    "h": 3600 * NS_PER_SECOND,
    "d": 86400 * NS_PER_SECOND,
    "w": 7 * 86400 * NS_PER_SECOND,
}
_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()
# The last nanosecond of 9999-12-31 UTC: the largest instant ISO-8601 (4-digit years) can write.
MAX_INSTANT_NS = (_dt.date(9999, 12, 31).toordinal() - _EPOCH_ORDINAL + 1) * UNIT_NS["d"] - 1
# Longer text is refused before any digit is converted: no instant needs more.
_MAX_TEXT = 64

_COUNT = "[0-9]+"  # ASCII only: str.isdigit and \d would take other scripts' digits
_RELATIVE = re.compile(rf"({_COUNT})([smhdw])-ago")
_DURATION = re.compile(rf"({_COUNT})([smhdw])")
_INTEGER = re.compile(_COUNT)
_ISO = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"(?:T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]{1,9}))?)?"
    r"(?P<zone>Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
# The grammar's shape for JSON Schema (schemac/data/sync.schema.json): what an editor can see
# without a calendar or a clock. Every accepted text matches; a match may still be refused
# (2026-02-30, a zone missing after a time, a time before 1970).
TIME_PATTERN = (
    r"^(now|[0-9]+[smhdw]-ago|[0-9]+|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2}))?)$"
)
DURATION_PATTERN = r"^[0-9]+[smhdw]$"


class TimeFormatError(ValueError):
    """A time or duration that is not in the grammar; the message names the accepted forms."""


def _refuse(text: str, why: str, accepted: str = ACCEPTED_TIMES) -> TimeFormatError:
    shown = text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "..."
    return TimeFormatError(f"{shown!r} {why}; accepted: {accepted}")


def parse_instant(text: str, *, now_ns: int) -> int:
    """Nanoseconds since the epoch that ``text`` names; relative forms count back from now_ns."""
    if len(text) > _MAX_TEXT:
        raise _refuse(text, "is too long to be a time")
    if text == "now":
        return now_ns
    relative = _RELATIVE.fullmatch(text)
    if relative:
        instant = now_ns - int(relative.group(1)) * UNIT_NS[relative.group(2)]
        if instant < 0:
            raise _refuse(text, "is before 1970-01-01T00:00:00Z")
        return instant
    if _INTEGER.fullmatch(text):
        instant = int(text)
        if instant > MAX_INSTANT_NS:
            raise _refuse(text, "is after 9999-12-31 (as nanoseconds since the epoch)")
        return instant
    iso = _ISO.fullmatch(text)
    if iso:
        return _iso_instant(text, iso)
    raise _refuse(text, _why_not(text))


def _why_not(text: str) -> str:
    """The likeliest reason a value is not in the grammar, for the error message."""
    if text != text.strip() or " " in text:
        return "has spaces (none are allowed)"
    if re.match(r"[0-9]{4}-", text):
        return f"is not ISO-8601 as accepted ({_ISO_FORMS})"
    if text != text.lower():
        return "must be written in lowercase"
    if re.fullmatch(r"[0-9]*\.[0-9]+[a-z]+-ago", text):
        return "has a fractional count (write a whole count of a smaller unit, e.g. 90m-ago)"
    if re.fullmatch(r"[+-][0-9]+", text):
        return "has a sign (integer nanoseconds are never negative)"
    return "is not a time"


def _iso_instant(text: str, iso: re.Match[str]) -> int:
    fields = iso.groupdict()
    if fields["hour"] is not None and fields["zone"] is None:
        raise _refuse(text, "has no zone (end it with Z or an offset such as +02:00)")
    try:
        date = _dt.date(int(fields["year"]), int(fields["month"]), int(fields["day"]))
    except ValueError as error:
        raise _refuse(text, f"is not a calendar date ({error})") from None
    hour, minute, second = (int(fields[key] or 0) for key in ("hour", "minute", "second"))
    if hour > 23 or minute > 59 or second > 59:
        raise _refuse(text, "has an hour, minute or second out of range (no leap seconds)")
    offset_seconds = _offset_seconds(text, fields["zone"] or "Z")
    seconds = (date.toordinal() - _EPOCH_ORDINAL) * 86400 + hour * 3600 + minute * 60 + second
    fraction = (fields["fraction"] or "").ljust(9, "0")
    instant = (seconds - offset_seconds) * NS_PER_SECOND + int(fraction)
    if instant < 0:
        raise _refuse(text, "is before 1970-01-01T00:00:00Z")
    if instant > MAX_INSTANT_NS:
        raise _refuse(text, "is after 9999-12-31T23:59:59.999999999Z")
    return instant


def _offset_seconds(text: str, zone: str) -> int:
    if zone == "Z":
        return 0
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    if hours > 23 or minutes > 59:
        raise _refuse(text, "has a zone offset out of range (-23:59 to +23:59)")
    magnitude = hours * 3600 + minutes * 60
    return -magnitude if zone[0] == "-" else magnitude


def parse_duration(text: str) -> int:
    """Nanoseconds in ``text`` (``90s``, ``15m``, ``1h``, ``2d``, ``1w``); ``0s`` is zero."""
    if len(text) > _MAX_TEXT:
        raise _refuse(text, "is too long to be a duration", ACCEPTED_DURATIONS)
    match = _DURATION.fullmatch(text)
    if match is None:
        why = "is not a duration"
        if text.startswith("-"):
            why = "is negative (a duration has no sign)"
        elif _INTEGER.fullmatch(text):
            why = "has no unit"
        elif text != text.lower():
            why = "must be written in lowercase"
        raise _refuse(text, why, ACCEPTED_DURATIONS)
    return int(match.group(1)) * UNIT_NS[match.group(2)]


def format_instant(ns: int) -> str:
    """``ns`` as ISO-8601 UTC (``2026-01-02T03:04:05.12Z``), ns precision, zeros trimmed."""
    if not 0 <= ns <= MAX_INSTANT_NS:
        raise ValueError(f"{ns} ns is outside 0..{MAX_INSTANT_NS} (1970 to the end of 9999)")
    seconds, fraction = divmod(ns, NS_PER_SECOND)
    days, second_of_day = divmod(seconds, 86400)
    date = _dt.date.fromordinal(_EPOCH_ORDINAL + days)
    hour, rest = divmod(second_of_day, 3600)
    minute, second = divmod(rest, 60)
    digits = f"{fraction:09d}".rstrip("0")
    dot = f".{digits}" if digits else ""
    return f"{date.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}{dot}Z"


def format_duration(ns: int) -> str:
    """``ns`` in the duration grammar, in the largest unit that divides it exactly."""
    if ns < 0 or ns % NS_PER_SECOND:
        raise ValueError(f"{ns} ns is not a whole, non-negative number of seconds")
    for unit in ("w", "d", "h", "m"):
        if ns and ns % UNIT_NS[unit] == 0:
            return f"{ns // UNIT_NS[unit]}{unit}"
    return f"{ns // NS_PER_SECOND}s"

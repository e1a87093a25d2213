"""The time grammar (schemac/core/times.py): every accepted form, every refusal, exact ns."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemac.core.times import (
    ACCEPTED_DURATIONS,
    ACCEPTED_TIMES,
    MAX_INSTANT_NS,
    TimeFormatError,
    format_duration,
    format_instant,
    parse_duration,
    parse_instant,
)

NOW = 1_780_000_000_123_456_789  # 2026-05-28T..., with every ns digit set
S = 1_000_000_000
JAN2 = 1_767_312_000 * S  # 2026-01-02T00:00:00Z


def _iso_ns(text: str) -> int:
    """The same instant through the standard library, whole seconds only."""
    return int(dt.datetime.fromisoformat(text).timestamp()) * S


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("0s-ago", NOW),
        ("90s-ago", NOW - 90 * S),
        ("15m-ago", NOW - 15 * 60 * S),
        ("1h-ago", NOW - 3600 * S),
        ("3d-ago", NOW - 3 * 86400 * S),
        ("2w-ago", NOW - 14 * 86400 * S),
        ("2026-01-02", JAN2),
        ("2026-01-02T00:00Z", JAN2),
        ("2026-01-02T00:00:00Z", JAN2),
        ("2026-01-02T01:00:00+01:00", JAN2),
        ("2026-01-01T19:30:00-04:30", JAN2),
        ("2026-01-02T00:00:00.5Z", JAN2 + 500_000_000),
        ("2026-01-02T00:00:00.000000001Z", JAN2 + 1),
        ("2026-01-02T00:00:00.123456789Z", JAN2 + 123_456_789),
        ("2026-01-02T00:00:00.999999999Z", JAN2 + 999_999_999),
        ("1970-01-01", 0),
        ("0", 0),
        ("1767312000000000000", JAN2),
        ("9999-12-31T23:59:59.999999999Z", MAX_INSTANT_NS),
    ],
)
def test_accepted_instants(text: str, expected: int) -> None:
    assert parse_instant(text, now_ns=NOW) == expected


def test_iso_agrees_with_the_standard_library() -> None:
    for text in ("2026-01-02T03:04:05+05:45", "2000-02-29T23:59:59-11:00", "1999-12-31"):
        stdlib = text if "T" in text else text + "T00:00:00+00:00"
        assert parse_instant(text, now_ns=NOW) == _iso_ns(stdlib)


def test_fraction_keeps_every_digit_where_a_float_would_not() -> None:
    # float(".123456789") * 1e9 + a large epoch second loses the last digits; digits do not.
    text = "2262-04-11T23:47:16.854775807Z"
    assert parse_instant(text, now_ns=NOW) == 9_223_372_036_854_775_807
    assert format_instant(9_223_372_036_854_775_807) == text


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("NOW", "lowercase"),
        ("Now", "lowercase"),
        ("3D-ago", "lowercase"),
        ("3d-AGO", "lowercase"),
        (" now", "spaces"),
        ("now ", "spaces"),
        ("3d ago", "spaces"),
        ("3 d-ago", "spaces"),
        ("1.5h-ago", "fractional count"),
        (".5h-ago", "fractional count"),
        ("-5", "sign"),
        ("+5", "sign"),
        ("-3d-ago", "is not a time"),
        ("3d", "is not a time"),
        ("3y-ago", "is not a time"),
        ("ago", "is not a time"),
        ("", "is not a time"),
        ("yesterday", "is not a time"),
        ("٣d-ago", "is not a time"),  # Arabic-Indic digit three: ASCII digits only
        ("2026-01-02T00:00:00", "no zone"),
        ("2026-01-02T00:00", "no zone"),
        ("2026-01-02T00:00:00.1234567891Z", "ISO-8601 as accepted"),
        ("2026-01-02T00:00:00,5Z", "ISO-8601 as accepted"),
        ("2026-01-02 00:00:00Z", "spaces"),
        ("2026-01-02T00:00:00z", "ISO-8601 as accepted"),
        ("2026-01-02t00:00:00Z", "ISO-8601 as accepted"),
        ("2026-01-02T00:00:00+0100", "ISO-8601 as accepted"),
        ("2026-1-2", "ISO-8601 as accepted"),
        ("2026-02-30", "calendar date"),
        ("2026-13-01", "calendar date"),
        ("2026-01-02T24:00:00Z", "out of range"),
        ("2026-12-31T23:59:60Z", "no leap seconds"),
        ("2026-01-02T00:00:00+24:00", "zone offset out of range"),
        ("1969-12-31T23:59:59.999999999Z", "before 1970"),
        ("1970-01-01T00:00:00+00:01", "before 1970"),
        ("99999999999999999999999", "after 9999"),
        ("9" * 65, "too long"),
    ],
)
def test_refused_instants_say_why_and_show_the_accepted_forms(text: str, why: str) -> None:
    with pytest.raises(TimeFormatError) as caught:
        parse_instant(text, now_ns=NOW)
    assert why in str(caught.value)
    assert ACCEPTED_TIMES in str(caught.value)


def test_relative_before_the_epoch_is_refused() -> None:
    with pytest.raises(TimeFormatError, match="before 1970"):
        parse_instant("1w-ago", now_ns=86400 * S)
    assert parse_instant("1d-ago", now_ns=86400 * S) == 0


def test_time_format_error_is_a_value_error() -> None:
    assert issubclass(TimeFormatError, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0s", 0),
        ("90s", 90 * S),
        ("15m", 900 * S),
        ("1h", 3600 * S),
        ("2d", 2 * 86400 * S),
        ("1w", 7 * 86400 * S),
    ],
)
def test_durations(text: str, expected: int) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-5m", "negative"),
        ("5", "no unit"),
        ("1H", "lowercase"),
        ("1.5h", "not a duration"),
        ("5m-ago", "not a duration"),
        (" 5m", "not a duration"),
        ("5ms", "not a duration"),
        ("", "not a duration"),
        ("1" * 65 + "s", "too long"),
    ],
)
def test_refused_durations(text: str, why: str) -> None:
    with pytest.raises(TimeFormatError) as caught:
        parse_duration(text)
    assert why in str(caught.value)
    assert ACCEPTED_DURATIONS in str(caught.value)


@pytest.mark.parametrize(
    ("ns", "text"),
    [
        (0, "1970-01-01T00:00:00Z"),
        (JAN2, "2026-01-02T00:00:00Z"),
        (JAN2 + 500_000_000, "2026-01-02T00:00:00.5Z"),
        (JAN2 + 120_000_000, "2026-01-02T00:00:00.12Z"),
        (JAN2 + 1, "2026-01-02T00:00:00.000000001Z"),
        (MAX_INSTANT_NS, "9999-12-31T23:59:59.999999999Z"),
    ],
)
def test_format_instant(ns: int, text: str) -> None:
    assert format_instant(ns) == text


@pytest.mark.parametrize("ns", [-1, MAX_INSTANT_NS + 1])
def test_format_instant_refuses_outside_the_range(ns: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        format_instant(ns)


@settings(deadline=None)  # a loaded CI machine is slow, not wrong
@given(st.integers(min_value=0, max_value=MAX_INSTANT_NS))
def test_instant_round_trip(ns: int) -> None:
    assert parse_instant(format_instant(ns), now_ns=NOW) == ns
    assert parse_instant(str(ns), now_ns=NOW) == ns


@settings(deadline=None)  # a loaded CI machine is slow, not wrong
@given(st.integers(min_value=0, max_value=10**9).map(lambda n: n * S))
def test_duration_round_trip(ns: int) -> None:
    assert parse_duration(format_duration(ns)) == ns


@settings(deadline=None)  # a loaded CI machine is slow, not wrong
@given(st.text(max_size=80))
def test_never_anything_but_an_instant_or_time_format_error(text: str) -> None:
    try:
        instant = parse_instant(text, now_ns=NOW)
    except TimeFormatError as error:
        assert ACCEPTED_TIMES in str(error)
    else:
        assert 0 <= instant <= MAX_INSTANT_NS

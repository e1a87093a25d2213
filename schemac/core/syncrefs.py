"""How a sync spec names datastreams: refs (`binance:BTCUSDT:trade`, or an id) and filters.

    ref     := EXCHANGE ":" INSTRUMENT ":" STREAM_TYPE  |  datastream id (a positive integer)
    filter  := {exchange?, instrument?, stream_type?}    at least one key; exact values

The exchange is an exchange code (vocabulary.exchange_code_problem), the instrument a symbol
without spaces or colons, the stream type lower-case letters and `_`. Whether the exchange and
the stream type are known is a separate question (SC432, SC433): that answer can change, the
shape of a ref cannot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemac.vocabulary import EXCHANGE_CODE_PATTERN, exchange_code_problem

FILTER_KEYS = ("exchange", "instrument", "stream_type")
REF_FORM = "EXCHANGE:INSTRUMENT:STREAM_TYPE (e.g. binance:BTCUSDT:trade) or a datastream id"
INSTRUMENT_PATTERN = r"^[^\s:]{1,100}$"
STREAM_TYPE_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
ID_PATTERN = r"^[1-9][0-9]{0,18}$"  # a positive int64
# A ref as JSON Schema states it (schemac/data/sync.schema.json), from the parts above.
REF_PATTERN = (
    "^("
    + "|".join(
        [
            ID_PATTERN.strip("^$"),
            ":".join(
                p.strip("^$")
                for p in (EXCHANGE_CODE_PATTERN, INSTRUMENT_PATTERN, STREAM_TYPE_PATTERN)
            ),
        ]
    )
    + ")$"
)
_INSTRUMENT = re.compile(INSTRUMENT_PATTERN.strip("^$"))
_STREAM_TYPE = re.compile(STREAM_TYPE_PATTERN.strip("^$"))
_ID = re.compile(ID_PATTERN.strip("^$"))


@dataclass(frozen=True)
class DatastreamRef:
    """A datastream named by exchange, instrument and stream type."""

    exchange: str
    instrument: str
    stream_type: str

    def __str__(self) -> str:
        return f"{self.exchange}:{self.instrument}:{self.stream_type}"


@dataclass(frozen=True)
class DatastreamFilter:
    """Datastreams whose given fields equal these values; None matches any value."""

    exchange: str | None
    instrument: str | None
    stream_type: str | None

    def __str__(self) -> str:
        fields = (f"{key}: {getattr(self, key)}" for key in FILTER_KEYS)
        return "{" + ", ".join(f for f in fields if not f.endswith(": None")) + "}"


def parse_datastream_ref(text: str) -> DatastreamRef | int:
    """A ref's exchange, instrument and stream type, or the datastream id it names.

    Raises ValueError, whose message says what is wrong, for anything else.
    """
    if _ID.fullmatch(text):
        return int(text)
    parts = text.split(":")
    if len(parts) != 3:
        raise ValueError(f"`{text}` is not {REF_FORM}")
    exchange, instrument, stream_type = parts
    problem = exchange_field_problem(exchange)
    if problem is None:
        problem = instrument_problem(instrument)
    if problem is None:
        problem = stream_type_problem(stream_type)
    if problem is not None:
        raise ValueError(f"`{text}`: {problem}")
    return DatastreamRef(exchange, instrument, stream_type)


def exchange_field_problem(exchange: str) -> str | None:
    if exchange == "":
        return "the exchange is empty"
    return exchange_code_problem(exchange)


def instrument_problem(instrument: str) -> str | None:
    if _INSTRUMENT.fullmatch(instrument):
        return None
    if instrument == "":
        return "the instrument is empty"
    return "an instrument is 1 to 100 characters, without spaces or colons"


def stream_type_problem(stream_type: str) -> str | None:
    if _STREAM_TYPE.fullmatch(stream_type):
        return None
    if stream_type == "":
        return "the stream type is empty"
    return "a stream type is lower-case letters, digits and _, starting with a letter"


def field_problem(key: str, value: str) -> str | None:
    """Why ``value`` cannot be the filter field ``key`` (one of FILTER_KEYS), or None."""
    if key == "exchange":
        return exchange_field_problem(value)
    if key == "instrument":
        return instrument_problem(value)
    return stream_type_problem(value)

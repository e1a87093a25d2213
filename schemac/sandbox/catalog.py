"""The sandbox's catalog: exchanges, their instruments, and the datastreams one can subscribe to.

Served from ``data/catalog.json`` (the exchanges and stream categories of schemac's exchange
catalog, a few instruments each, one datastream per instrument per category the exchange has
fixtures for), extended by ``--catalog FILE`` files of the same shape:

    {"exchanges": [{"code": "binance", "display_name": "Binance",
                    "instruments": [{"symbol": "BTCUSDT", "base": "BTC", "quote": "USDT",
                                     "instrument_type": "spot"}]}],
     "datastreams": [{"datastream_id": 1011, "exchange": "binance", "instrument": "BTCUSDT",
                      "stream_type": "trade", "wire_format": "json"}]}

A later file adds exchanges, instruments (by symbol) and datastreams (by id); what it repeats
replaces what came before. Stream types are schemac's stream categories (the vendor's docs give
no mapping from a stream type to a category, so the sandbox keeps them equal).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SHIPPED_CATALOG = Path(__file__).parent / "data" / "catalog.json"
_CODE = re.compile(r"[a-z0-9][a-z0-9_]*")
_SYMBOL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}")
_STREAM_TYPE = re.compile(r"[a-z][a-z0-9_]{0,31}")


class CatalogFileError(ValueError):
    """A catalog file that cannot be read or does not have the catalog's shape."""


@dataclass(frozen=True)
class Instrument:
    symbol: str
    base: str | None = None
    quote: str | None = None
    instrument_type: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "base": self.base,
            "quote": self.quote,
            "instrument_type": self.instrument_type,
        }


@dataclass(frozen=True)
class Exchange:
    code: str
    display_name: str
    instruments: tuple[Instrument, ...] = ()


@dataclass(frozen=True)
class Datastream:
    datastream_id: int
    exchange: str
    instrument: str
    stream_type: str
    wire_format: str = "json"

    def as_json(self) -> dict[str, Any]:
        return {
            "datastream_id": self.datastream_id,
            "exchange": self.exchange,
            "instrument": self.instrument,
            "stream_type": self.stream_type,
            "wire_format": self.wire_format,
        }


class SandboxCatalog:
    """Exchanges in listing order, instruments by symbol, datastreams by id (ascending)."""

    def __init__(self, exchanges: Iterable[Exchange], datastreams: Iterable[Datastream]) -> None:
        self.exchanges: tuple[Exchange, ...] = tuple(exchanges)
        self._exchanges = {exchange.code: exchange for exchange in self.exchanges}
        self.datastreams: tuple[Datastream, ...] = tuple(
            sorted(datastreams, key=lambda stream: stream.datastream_id)
        )
        self._datastreams = {stream.datastream_id: stream for stream in self.datastreams}

    def exchange(self, code: str) -> Exchange | None:
        return self._exchanges.get(code)

    def instrument(self, exchange: str, symbol: str) -> Instrument | None:
        found = self._exchanges.get(exchange)
        if found is None:
            return None
        return next((i for i in found.instruments if i.symbol == symbol), None)

    def datastream(self, datastream_id: int) -> Datastream | None:
        return self._datastreams.get(datastream_id)

    def find(self, exchange: str, instrument: str, stream_type: str) -> Datastream | None:
        """The datastream named ``EXCHANGE:INSTRUMENT:STREAM_TYPE`` (json wire format first)."""
        return next(
            (
                stream
                for stream in self.datastreams
                if (stream.exchange, stream.instrument, stream.stream_type)
                == (exchange, instrument, stream_type)
            ),
            None,
        )


def load_catalog(
    extra_files: Sequence[Path] = (), exchanges: Sequence[tuple[str, str]] | None = None
) -> SandboxCatalog:
    """The shipped catalog, extended by ``extra_files`` in order. ``exchanges`` (the
    ``--exchange`` option), when given, replaces the exchange list: exactly those are served,
    with the catalog's instruments and datastreams where it has them and none otherwise.
    Raises CatalogFileError."""
    merged_exchanges: dict[str, Exchange] = {}
    merged_streams: dict[int, Datastream] = {}
    for path in (SHIPPED_CATALOG, *extra_files):
        file_exchanges, file_streams = read_catalog_file(path)
        for exchange in file_exchanges:
            merged_exchanges[exchange.code] = _merge_exchange(
                merged_exchanges.get(exchange.code), exchange
            )
        for stream in file_streams:
            merged_streams[stream.datastream_id] = stream
    if exchanges is not None:
        merged_exchanges = {
            code: Exchange(code, name, _instruments_of(merged_exchanges.get(code)))
            for code, name in exchanges
        }
    streams = [s for s in merged_streams.values() if _known(s, merged_exchanges)]
    _check_unique_names(streams)
    return SandboxCatalog(merged_exchanges.values(), streams)


def catalog_problems(
    extra_files: Sequence[Path], exchanges: Sequence[tuple[str, str]] | None
) -> list[str]:
    """What is wrong with the catalog these options make, as sentences (empty when usable)."""
    try:
        load_catalog(extra_files, exchanges)
    except CatalogFileError as problem:
        return [str(problem)]
    return []


def _instruments_of(exchange: Exchange | None) -> tuple[Instrument, ...]:
    return () if exchange is None else exchange.instruments


def _merge_exchange(before: Exchange | None, later: Exchange) -> Exchange:
    if before is None:
        return later
    instruments = {i.symbol: i for i in before.instruments}
    instruments.update((i.symbol, i) for i in later.instruments)
    return Exchange(later.code, later.display_name, tuple(instruments.values()))


def _known(stream: Datastream, exchanges: dict[str, Exchange]) -> bool:
    exchange = exchanges.get(stream.exchange)
    return exchange is not None and any(i.symbol == stream.instrument for i in exchange.instruments)


def _check_unique_names(streams: Iterable[Datastream]) -> None:
    seen: dict[tuple[str, str, str, str], int] = {}
    for stream in streams:
        name = (stream.exchange, stream.instrument, stream.stream_type, stream.wire_format)
        if name in seen:
            raise CatalogFileError(
                f"catalog: datastreams {seen[name]} and {stream.datastream_id} are both "
                f"{':'.join(name)}"
            )
        seen[name] = stream.datastream_id


def read_catalog_file(path: Path) -> tuple[list[Exchange], list[Datastream]]:
    """The exchanges and datastreams of one catalog file. Raises CatalogFileError."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as problem:
        raise CatalogFileError(f"catalog {path}: cannot read it: {problem}") from None
    where = f"catalog {path}"
    if not isinstance(document, dict) or set(document) - {"exchanges", "datastreams"}:
        raise CatalogFileError(f"{where}: expected an object with exchanges and datastreams")
    exchanges = [
        _exchange(item, f"{where}: exchanges[{n}]")
        for n, item in enumerate(_list(document, "exchanges", where))
    ]
    streams = [
        _datastream(item, f"{where}: datastreams[{n}]")
        for n, item in enumerate(_list(document, "datastreams", where))
    ]
    ids = [stream.datastream_id for stream in streams]
    if len(set(ids)) != len(ids):
        raise CatalogFileError(f"{where}: a datastream_id appears twice")
    return exchanges, streams


def _list(document: dict[str, Any], key: str, where: str) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise CatalogFileError(f"{where}: {key} must be a list")
    return value


def _fields(item: Any, where: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise CatalogFileError(f"{where}: expected an object")
    missing = sorted(required - set(item))
    unknown = sorted(set(item) - required - optional)
    if missing or unknown:
        raise CatalogFileError(f"{where}: missing {missing} / unknown {unknown} fields")
    return item


def _text(item: dict[str, Any], key: str, where: str, pattern: re.Pattern[str]) -> str:
    value = item[key]
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise CatalogFileError(f"{where}: {key} {value!r} must match {pattern.pattern}")
    return value


def _optional_text(item: dict[str, Any], key: str, where: str) -> str | None:
    value = item.get(key)
    if value is not None and (not isinstance(value, str) or not value or len(value) > 64):
        raise CatalogFileError(f"{where}: {key} must be a short string or null")
    return value


def _exchange(item: Any, where: str) -> Exchange:
    fields = _fields(item, where, {"code", "display_name"}, {"instruments"})
    code = _text(fields, "code", where, _CODE)
    name = _optional_text(fields, "display_name", where) or code
    instruments = []
    for n, raw in enumerate(fields.get("instruments", [])):
        at = f"{where}.instruments[{n}]"
        entry = _fields(raw, at, {"symbol"}, {"base", "quote", "instrument_type"})
        instruments.append(
            Instrument(
                _text(entry, "symbol", at, _SYMBOL),
                _optional_text(entry, "base", at),
                _optional_text(entry, "quote", at),
                _optional_text(entry, "instrument_type", at),
            )
        )
    return Exchange(code, name, tuple(instruments))


def _datastream(item: Any, where: str) -> Datastream:
    required = {"datastream_id", "exchange", "instrument", "stream_type"}
    fields = _fields(item, where, required, {"wire_format"})
    datastream_id = fields["datastream_id"]
    if not isinstance(datastream_id, int) or isinstance(datastream_id, bool):
        raise CatalogFileError(f"{where}: datastream_id must be an integer")
    if not 1 <= datastream_id < 2**63:
        raise CatalogFileError(f"{where}: datastream_id must be in 1..2^63-1")
    return Datastream(
        datastream_id,
        _text(fields, "exchange", where, _CODE),
        _text(fields, "instrument", where, _SYMBOL),
        _text(fields, "stream_type", where, _STREAM_TYPE),
        _text(fields, "wire_format", where, _STREAM_TYPE) if "wire_format" in fields else "json",
    )

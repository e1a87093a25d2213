"""What a run asks the API before it exports: the datastreams a spec follows, and what each one
has collected (availability).

A spec names datastreams explicitly (``EXCHANGE:INSTRUMENT:STREAM_TYPE`` or an id), by filters
over exchange, instrument and stream type, or both; filters are resolved again on every run, so
that a datastream that appears under a filter joins the sync and one that disappears leaves it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from schemac.feed.planner import AvailableRange

if TYPE_CHECKING:
    from schemac.remote.client import Remote


class StreamFilter(Protocol):
    """A filter of a sync spec (``schemac.core.syncrefs.DatastreamFilter``)."""

    @property
    def exchange(self) -> str | None: ...
    @property
    def instrument(self) -> str | None: ...
    @property
    def stream_type(self) -> str | None: ...


@dataclass(frozen=True, order=True)
class Stream:
    """A datastream a spec follows: one partition of the feed."""

    exchange: str
    instrument: str
    stream_type: str
    datastream_id: int
    wire_format: str = ""

    @property
    def ref(self) -> str:
        return f"{self.exchange}:{self.instrument}:{self.stream_type}"

    @staticmethod
    def of(info: dict[str, Any]) -> Stream:
        return Stream(
            str(info["exchange"]),
            str(info["instrument"]),
            str(info["stream_type"]),
            int(info["datastream_id"]),
            str(info.get("wire_format") or ""),
        )


def resolve_streams(
    remote: Remote, refs: Iterable[str], filters: Iterable[StreamFilter]
) -> list[Stream]:
    """Every datastream ``refs`` name and ``filters`` select, once each, sorted by reference.
    Raises ``DatastreamRefError`` for a reference that names none or several."""
    from schemac.remote.datastreams import find_datastreams

    found = {s.datastream_id: s for s in _named(remote, list(refs))}
    for wanted in filters:
        for info in find_datastreams(
            remote,
            exchange=wanted.exchange,
            instrument=wanted.instrument,
            stream_type=wanted.stream_type,
        ):
            stream = Stream.of(info)
            if _selects(wanted, stream):
                found[stream.datastream_id] = stream
    return sorted(found.values())


def _named(remote: Remote, refs: list[str]) -> list[Stream]:
    """The datastreams of explicit references, with one listing per (exchange, stream type)
    they name (one per reference would cost a request per datastream on every run), and one
    listing of every datastream for references by id."""
    from schemac.remote.datastreams import find_datastreams, only_match, parse_ref

    parsed = {ref: parse_ref(ref) for ref in refs}
    groups = sorted({(p[0], p[2]) for p in parsed.values() if isinstance(p, tuple)})
    listed: list[Stream] = []
    for exchange, stream_type in groups:
        listed += [Stream.of(i) for i in find_datastreams(remote, exchange, None, stream_type)]
    if any(isinstance(p, int) for p in parsed.values()):
        listed += [Stream.of(i) for i in find_datastreams(remote)]
    unique = {s.datastream_id: s for s in listed}.values()
    streams = []
    for ref, wanted in parsed.items():
        matches = [
            s
            for s in unique
            if (s.datastream_id == wanted if isinstance(wanted, int) else s.ref == ref)
        ]
        streams.append(Stream.of(only_match(ref, [_info(s) for s in matches])))
    return streams


def _info(stream: Stream) -> dict[str, Any]:
    return {
        "datastream_id": stream.datastream_id,
        "exchange": stream.exchange,
        "instrument": stream.instrument,
        "stream_type": stream.stream_type,
        "wire_format": stream.wire_format,
    }


def _selects(wanted: StreamFilter, stream: Stream) -> bool:
    """The API's filters may match loosely (case, prefixes): keep the exact matches."""
    pairs = (
        (wanted.exchange, stream.exchange),
        (wanted.instrument, stream.instrument),
        (wanted.stream_type, stream.stream_type),
    )
    return all(want is None or want == have for want, have in pairs)


def availability(remote: Remote, datastream_id: int) -> list[AvailableRange]:
    """The datastream's collected ranges (``GET /availability``)."""
    from schemac.remote.transport import official_client

    client = official_client(remote)
    answer = remote.call(
        f"/availability?datastream_id={datastream_id}",
        "GET",
        lambda: client.availability.get(datastream_id),
    )
    return [AvailableRange(r.from_ns, r.to_ns, r.rows_estimate) for r in answer.ranges]

"""Datastreams: the catalog's list (every page), and a datastream named on the command line.

A datastream is named ``EXCHANGE:INSTRUMENT:STREAM_TYPE`` (``binance:BTCUSDT:trade``) or by its
integer id. The API has no endpoint that gets one datastream, so both forms are resolved by
listing: the first with the API's filters (one page, as a rule), an id over every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemac.remote.client import Remote

PAGE_LIMIT = 1000  # the documented maximum of the datastreams list
REF_FORMS = "EXCHANGE:INSTRUMENT:STREAM_TYPE (e.g. binance:BTCUSDT:trade) or a datastream id"
FIELDS = ("datastream_id", "exchange", "instrument", "stream_type", "wire_format")
MAX_PAGES = 10_000  # a server that never ends its pages is an error, not an endless loop

Datastream = dict[str, Any]  # the API's DatastreamInfo, as a plain dict (FIELDS)
Ref = int | tuple[str, str, str]


class DatastreamRefError(Exception):
    """A datastream reference that is malformed, or that names no datastream or several."""


def parse_ref(text: str) -> Ref:
    """An id (``123``) or ``(exchange, instrument, stream_type)``; raises
    :class:`DatastreamRefError` naming the accepted forms."""
    from schemac.fileio import printable

    if text.isascii() and text.isdigit():
        return int(text)
    # Exchange codes and stream types hold no colon; an instrument may (`BTC/USDT:USDT`).
    exchange, _, rest = text.partition(":")
    instrument, _, stream_type = rest.rpartition(":")
    parts = (exchange, instrument, stream_type)
    if all(part and part == part.strip() for part in parts):
        return parts
    raise DatastreamRefError(f"`{printable(text)}` is not a datastream; accepted: {REF_FORMS}")


def ref_text(stream: Datastream) -> str:
    """``exchange:instrument:stream_type`` of a datastream."""
    return f"{stream['exchange']}:{stream['instrument']}:{stream['stream_type']}"


def find_datastreams(
    remote: Remote,
    exchange: str | None = None,
    instrument: str | None = None,
    stream_type: str | None = None,
) -> list[Datastream]:
    """Every datastream the filters select (every page), in the API's order."""
    from schemac.remote.transport import official_client

    client = official_client(remote)
    found: list[Datastream] = []
    token: str | None = None
    for _ in range(MAX_PAGES):
        page = remote.call(
            "/datastreams",
            "GET",
            lambda token=token: client.datastreams.list(  # type: ignore[misc]
                exchange=exchange,
                instrument=instrument,
                stream_type=stream_type,
                limit=PAGE_LIMIT,
                page_token=token,
            ),
        )
        found += [item.model_dump(mode="json") for item in page.items]
        token = page.next_page_token
        if token is None:
            return found
    from schemac.remote.client import RemoteError

    raise RemoteError(f"GET /datastreams: no last page after {MAX_PAGES} pages")


def resolve_datastream(remote: Remote, ref: str) -> Datastream:
    """The one datastream ``ref`` names; raises :class:`DatastreamRefError` when it is
    malformed or names none or several (and ``RemoteError`` when a request fails)."""
    parsed = parse_ref(ref)
    if isinstance(parsed, int):
        matches = [s for s in find_datastreams(remote) if s["datastream_id"] == parsed]
    else:
        exchange, instrument, stream_type = parsed
        listed = find_datastreams(remote, exchange, instrument, stream_type)
        # the filters may match loosely (case, prefixes): keep the exact matches only
        matches = [s for s in listed if ref_text(s) == ref]
    return only_match(ref, matches)


def only_match(ref: str, matches: list[Datastream]) -> Datastream:
    """The single datastream of ``matches``; an error that says what to do otherwise."""
    from schemac.fileio import printable

    shown = printable(ref)
    if not matches:
        hint = "`schemac datastreams` lists them"
        parsed = parse_ref(ref)
        if isinstance(parsed, tuple):
            shown_exchange = printable(parsed[0])
            hint = f"`schemac datastreams --exchange {shown_exchange}` lists that exchange's"
            hint += " datastreams"
        raise DatastreamRefError(f"no datastream `{shown}`; {hint}")
    if len(matches) > 1:
        options = ", ".join(
            f"{s['datastream_id']} ({printable(ref_text(s))}, {printable(str(s['wire_format']))})"
            for s in matches
        )
        raise DatastreamRefError(
            f"`{shown}` names {len(matches)} datastreams: {options}; name one by its id"
        )
    return matches[0]

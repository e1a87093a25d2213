"""The catalog's endpoints: exchanges, an exchange's instruments, and datastreams.

Nothing here touches the store: the catalog is fixed when the sandbox starts (``catalog.py``).
Filters are exact matches, except ``search`` (a case-insensitive substring of the symbol);
``base``, ``quote`` and ``instrument_type`` (the official client's extra instrument filters)
ignore case too.
"""

from __future__ import annotations

from collections.abc import Mapping

from schemac.sandbox.catalog import Datastream, Instrument, SandboxCatalog
from schemac.sandbox.config import SandboxConfig
from schemac.sandbox.endpoints import Call, Work
from schemac.sandbox.paging import page_body, page_of
from schemac.sandbox.responses import Response, error

CATALOG_PAGE_DEFAULT = 100
CATALOG_PAGE_MAX = 1000


def list_exchanges(call: Call, config: SandboxConfig) -> Work:
    """Every exchange, as a bare array (as documented; not paginated)."""
    listing = [
        {"code": exchange.code, "display_name": exchange.display_name}
        for exchange in call.data.catalog.exchanges
    ]
    return lambda tx: Response(200, listing)


def list_instruments(call: Call, config: SandboxConfig) -> Work:
    catalog = call.data.catalog
    exchange = catalog.exchange(call.params["exchange"])
    if exchange is None:
        return _fixed(_no_exchange(call.params["exchange"]))
    found = [i for i in exchange.instruments if _instrument_matches(i, call.query)]
    items, rest = page_of(found, call.query, "instruments", CATALOG_PAGE_DEFAULT, CATALOG_PAGE_MAX)
    return _fixed(Response(200, page_body([i.as_json() for i in items], rest)))


def list_datastreams(call: Call, config: SandboxConfig) -> Work:
    return _datastreams(call.data.catalog, call.query, call.query)


def list_instrument_datastreams(call: Call, config: SandboxConfig) -> Work:
    catalog = call.data.catalog
    code, symbol = call.params["exchange"], call.params["instrument"]
    if catalog.exchange(code) is None:
        return _fixed(_no_exchange(code))
    if catalog.instrument(code, symbol) is None:
        return _fixed(error(404, "not_found", f"Instrument {symbol} not found on exchange {code}"))
    return _datastreams(catalog, {**call.query, "exchange": code, "instrument": symbol}, call.query)


def _datastreams(
    catalog: SandboxCatalog, filters: Mapping[str, str], query: Mapping[str, str]
) -> Work:
    found = [stream for stream in catalog.datastreams if _stream_matches(stream, filters)]
    items, rest = page_of(found, query, "datastreams", CATALOG_PAGE_DEFAULT, CATALOG_PAGE_MAX)
    return _fixed(Response(200, page_body([stream.as_json() for stream in items], rest)))


# The docs spell the trade stream type two ways (the API notes' C13): "trade" in the cURL examples
# and the subscriptions reference, "trades" on the Python page. The catalog holds "trade"; the
# filter takes both, so the documented Python example runs unchanged.
STREAM_TYPE_SPELLINGS = {"trades": "trade"}


def _stream_matches(stream: Datastream, filters: Mapping[str, str]) -> bool:
    wanted = dict(filters)
    if "stream_type" in wanted:
        wanted["stream_type"] = STREAM_TYPE_SPELLINGS.get(
            wanted["stream_type"], wanted["stream_type"]
        )
    return all(
        wanted.get(name) in (None, getattr(stream, name))
        for name in ("exchange", "instrument", "stream_type", "wire_format")
    )


def _instrument_matches(instrument: Instrument, query: Mapping[str, str]) -> bool:
    search = query.get("search")
    if search and search.lower() not in instrument.symbol.lower():
        return False
    for name in ("base", "quote", "instrument_type"):
        wanted = query.get(name)
        value = getattr(instrument, name)
        if wanted and (value is None or value.lower() != wanted.lower()):
            return False
    return True


def _no_exchange(code: str) -> Response:
    return error(404, "not_found", f"Exchange {code} not found")


def _fixed(response: Response) -> Work:
    return lambda tx: response

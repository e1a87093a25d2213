"""The catalog endpoints through the official client: exchanges, instruments, datastreams,
their filters and pagination, the shipped catalog against schemac's, and --catalog files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from ticksupply import Client
from ticksupply.exceptions import InvalidArgumentError, NotFoundError

from schemac.sandbox import Sandbox, SandboxConfig, start_sandbox
from schemac.sandbox.catalog import SHIPPED_CATALOG, load_catalog

from .conftest import API_KEY


def test_exchanges_list_is_the_catalogs(client: Client) -> None:
    exchanges = client.exchanges.list()
    assert [e.code for e in exchanges] == [e.code for e in load_catalog().exchanges]
    assert ("okx", "OKX") in [(e.code, e.display_name) for e in exchanges]


def test_the_shipped_catalog_has_schemacs_exchanges_and_categories() -> None:
    """Every exchange of schemac's exchange catalog, and for each exchange a datastream per
    instrument for exactly the categories schemac's catalog has an entry (and a fixture) for."""
    from schemac.catalog import load_catalog as load_schemac_catalog

    schemac_catalog = load_schemac_catalog([])
    sandbox = load_catalog()
    assert sorted(e.code for e in sandbox.exchanges) == schemac_catalog.codes()
    fixtures = Path(REPO) / "schemac" / "data" / "fixtures"
    for exchange in sandbox.exchanges:
        info = schemac_catalog.exchange(exchange.code)
        assert info is not None
        assert exchange.instruments, exchange.code
        for instrument in exchange.instruments:
            categories = {
                s.stream_type
                for s in sandbox.datastreams
                if (s.exchange, s.instrument) == (exchange.code, instrument.symbol)
            }
            assert categories == set(info.entries), (exchange.code, instrument.symbol)
            assert categories == {p.stem for p in (fixtures / exchange.code).glob("*.jsonl")}


def test_datastream_ids_are_unique_and_stable() -> None:
    document = json.loads(SHIPPED_CATALOG.read_text())
    ids = [stream["datastream_id"] for stream in document["datastreams"]]
    assert len(ids) == len(set(ids))
    # 1000 * exchange + 10 * instrument + category, by their order in the file (docs).
    from schemac.vocabulary import CATEGORIES

    exchanges = [e["code"] for e in document["exchanges"]]
    symbols = {e["code"]: [i["symbol"] for i in e["instruments"]] for e in document["exchanges"]}
    for stream in document["datastreams"]:
        exchange, instrument = stream["exchange"], stream["instrument"]
        assert stream["datastream_id"] == (
            1000 * (exchanges.index(exchange) + 1)
            + 10 * (symbols[exchange].index(instrument) + 1)
            + CATEGORIES.index(stream["stream_type"])
            + 1
        )
    catalog = load_catalog()
    assert [
        getattr(catalog.find(*name.split(":")), "datastream_id", None)
        for name in ("binance:BTCUSDT:trade", "okx:ETH-USDT-SWAP:trade")
    ] == [1011, 6021]


def test_list_instruments_searches_and_filters(client: Client) -> None:
    page = client.exchanges.list_instruments("binance")
    assert page.total == len(page.items) >= 3 and page.limit == 100 and not page.has_next
    btc = page.items[0]
    assert (btc.symbol, btc.base, btc.quote, btc.instrument_type) == (
        "BTCUSDT",
        "BTC",
        "USDT",
        "spot",
    )
    assert [i.symbol for i in client.exchanges.list_instruments("binance", search="eth").items] == [
        "ETHUSDT"
    ]
    assert [i.symbol for i in client.exchanges.list_instruments("okx", base="sol").items] == [
        "SOL-USDT-SWAP"
    ]
    perpetual = client.exchanges.list_instruments("bybit_linear", instrument_type="perpetual")
    assert perpetual.total == 3
    assert client.exchanges.list_instruments("binance", search="nothing").items == []


def test_list_instruments_of_an_unknown_exchange_is_404(client: Client) -> None:
    with pytest.raises(NotFoundError) as raised:
        client.exchanges.list_instruments("kraken")
    assert raised.value.http_status == 404 and "kraken" in raised.value.message


def test_list_datastreams_filters(client: Client) -> None:
    page = client.datastreams.list(exchange="binance", instrument="BTCUSDT", stream_type="trade")
    assert [(s.datastream_id, s.stream_type, s.wire_format) for s in page.items] == [
        (1011, "trade", "json")
    ]
    trades = client.datastreams.list(stream_type="trade", limit=1000)
    assert (
        trades.total
        == len(trades.items)
        == sum(len(e.instruments) for e in load_catalog().exchanges)
    )
    assert client.datastreams.list(exchange="kraken").items == []
    assert client.datastreams.list(wire_format="sbe").total == 0
    everything = client.datastreams.list(limit=1000)
    assert everything.total == len(load_catalog().datastreams)
    ids = [s.datastream_id for s in everything.items]
    assert ids == sorted(ids)


def test_list_instrument_datastreams(client: Client) -> None:
    page = client.exchanges.list_datastreams("coinbase", "ETH-USD")
    assert {s.stream_type for s in page.items} == {
        "trade",
        "orderbook",
        "book_update",
        "quote",
        "kline",
        "ticker",
    }
    assert all((s.exchange, s.instrument) == ("coinbase", "ETH-USD") for s in page.items)
    only = client.exchanges.list_datastreams("coinbase", "ETH-USD", stream_type="kline")
    assert [s.stream_type for s in only.items] == ["kline"]
    with pytest.raises(NotFoundError):
        client.exchanges.list_datastreams("coinbase", "DOGE-USD")
    with pytest.raises(NotFoundError):
        client.exchanges.list_datastreams("kraken", "BTC-USD")


def test_pages_chain_to_the_whole_list(client: Client) -> None:
    whole = client.datastreams.list(limit=1000).items
    seen, token = [], None
    while True:
        page = client.datastreams.list(limit=7, page_token=token)
        assert page.limit == 7 and page.total == len(whole) and len(page.items) <= 7
        seen += page.items
        if not page.has_next:
            break
        token = page.next_page_token
    assert seen == whole


@pytest.mark.parametrize("limit", ["0", "1001", "-1", "ten", "", "1.5"])
def test_a_bad_limit_is_invalid_argument(sandbox: Sandbox, limit: str) -> None:
    response = httpx.get(
        f"{sandbox.url}/datastreams", params={"limit": limit}, headers={"X-Api-Key": API_KEY}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_argument"
    assert response.json()["error"]["details"]["field"] == "limit"


def test_a_bad_page_token_is_invalid_argument(client: Client) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        client.datastreams.list(page_token="not-a-token")
    assert raised.value.details is not None and raised.value.details["field"] == "page_token"
    # A token of another list is not a token of this one.
    instruments = client.exchanges.list_instruments("binance", limit=1)
    with pytest.raises(InvalidArgumentError):
        client.datastreams.list(page_token=instruments.next_page_token)


@settings(max_examples=40, deadline=None)
@given(limit=st.integers(1, 130), stream_type=st.sampled_from([None, "trade", "liquidation"]))
def test_any_page_size_lists_each_datastream_once(
    catalog_client: Client, limit: int, stream_type: str | None
) -> None:
    expected = catalog_client.datastreams.list(stream_type=stream_type, limit=1000).items
    seen, token = [], None
    while True:
        page = catalog_client.datastreams.list(
            stream_type=stream_type, limit=limit, page_token=token
        )
        seen += page.items
        if page.next_page_token is None:
            break
        token = page.next_page_token
    assert seen == expected


@pytest.fixture(scope="module")
def catalog_client() -> Any:
    with (
        start_sandbox(rate_limit_per_minute=10**9, rate_limit_per_hour=10**9) as sandbox,
        sandbox.client() as client,
    ):
        yield client


def _extension(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "extra.json"
    path.write_text(json.dumps(document))
    return path


def test_a_catalog_file_extends_the_shipped_one(tmp_path: Path) -> None:
    extra = _extension(
        tmp_path,
        {
            "exchanges": [
                {
                    "code": "kraken",
                    "display_name": "Kraken",
                    "instruments": [{"symbol": "XBTUSD", "base": "XBT", "quote": "USD"}],
                },
                {
                    "code": "binance",
                    "display_name": "Binance (renamed)",
                    "instruments": [{"symbol": "DOGEUSDT", "instrument_type": "spot"}],
                },
            ],
            "datastreams": [
                {
                    "datastream_id": 900001,
                    "exchange": "kraken",
                    "instrument": "XBTUSD",
                    "stream_type": "trade",
                },
                {
                    "datastream_id": 900002,
                    "exchange": "binance",
                    "instrument": "DOGEUSDT",
                    "stream_type": "trade",
                },
            ],
        },
    )
    with start_sandbox(catalog=[extra]) as sandbox, sandbox.client() as client:
        exchanges = {e.code: e.display_name for e in client.exchanges.list()}
        assert exchanges["kraken"] == "Kraken" and exchanges["binance"] == "Binance (renamed)"
        symbols = [i.symbol for i in client.exchanges.list_instruments("binance").items]
        assert symbols[0] == "BTCUSDT" and symbols[-1] == "DOGEUSDT"
        kraken = client.exchanges.list_datastreams("kraken", "XBTUSD").items
        assert [(s.datastream_id, s.wire_format) for s in kraken] == [(900001, "json")]
        assert client.datastreams.list(instrument="DOGEUSDT").items[0].datastream_id == 900002


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({"exchanges": "no"}, "exchanges must be a list"),
        ({"exchanges": [{"code": "Bad Code", "display_name": "x"}]}, "code"),
        ({"datastreams": [{"datastream_id": "1", "exchange": "a"}]}, "missing"),
        (
            {
                "datastreams": [
                    {
                        "datastream_id": 1,
                        "exchange": "binance",
                        "instrument": "BTCUSDT",
                        "stream_type": "trade",
                    }
                ]
            },
            "are both binance:BTCUSDT:trade:json",
        ),
    ],
)
def test_a_bad_catalog_file_is_a_configuration_problem(
    tmp_path: Path, document: dict[str, Any], words: str
) -> None:
    problems = SandboxConfig(catalog=(_extension(tmp_path, document),)).problems()
    assert len(problems) == 1 and words in problems[0], problems
    with pytest.raises(ValueError, match="catalog"):
        start_sandbox(catalog=[_extension(tmp_path, document)])


def test_a_bad_catalog_file_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "schemac", "sandbox", "--catalog", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=20,
    )
    assert result.returncode == 2 and "cannot read it" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_exchanges_option_replaces_the_list() -> None:
    """--exchange keeps working: exactly the given exchanges are served, with the catalog's
    instruments and datastreams where it has them."""
    with (
        start_sandbox(exchanges=[("okx", "OKX v5"), ("kraken", "Kraken")]) as sandbox,
        sandbox.client() as client,
    ):
        assert [(e.code, e.display_name) for e in client.exchanges.list()] == [
            ("okx", "OKX v5"),
            ("kraken", "Kraken"),
        ]
        assert client.exchanges.list_instruments("okx").total == 3
        assert client.exchanges.list_instruments("kraken").items == []
        with pytest.raises(NotFoundError):
            client.exchanges.list_instruments("binance")
        assert {s.exchange for s in client.datastreams.list(limit=1000).items} == {"okx"}

"""The raw messages a datastream holds: synthesised deterministically from the fixtures (same
seed, same messages; windows half-open; counts exact and cheap), or read from --messages DIR."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemac.sandbox import SandboxConfig, start_sandbox
from schemac.sandbox.catalog import Datastream, load_catalog
from schemac.sandbox.messages import (
    FIXTURES,
    RecordedMessages,
    SynthesizedMessages,
    message_source,
)

CATALOG = load_catalog()
BTC = CATALOG.find("binance", "BTCUSDT", "trade")
ETH = CATALOG.find("binance", "ETHUSDT", "trade")
assert BTC is not None and ETH is not None
SECOND = 1_000_000_000
START = 1_767_225_600 * SECOND  # 2026-01-01T00:00:00Z
HOUR = 3600 * SECOND


def test_the_same_seed_gives_the_same_messages() -> None:
    first = list(SynthesizedMessages(1.0, 7).messages(BTC, START, START + HOUR))
    again = list(SynthesizedMessages(1.0, 7).messages(BTC, START, START + HOUR))
    assert first == again and len(first) == 3600
    other_seed = list(SynthesizedMessages(1.0, 8).messages(BTC, START, START + HOUR))
    assert [t for t, _ in other_seed] != [t for t, _ in first]
    # Another datastream is timed differently under the same seed.
    assert [t for t, _ in SynthesizedMessages(1.0, 7).messages(ETH, START, START + HOUR)] != [
        t for t, _ in first
    ]


def test_messages_ascend_one_per_slot_at_the_rate() -> None:
    source = SynthesizedMessages(4.0, 0)
    found = list(source.messages(BTC, START, START + 10 * SECOND))
    times = [t for t, _ in found]
    assert len(times) == 40 and times == sorted(set(times))
    for slot, at in enumerate(times):
        assert START + slot * SECOND // 4 <= at < START + (slot + 1) * SECOND // 4


def test_messages_cycle_the_fixtures_of_the_exchange_and_category() -> None:
    lines = [
        line
        for line in (FIXTURES / "binance" / "trade.jsonl").read_text().splitlines()
        if line.strip()
    ]
    texts = [
        text for _, text in SynthesizedMessages(1.0, 0).messages(BTC, START, START + 9 * SECOND)
    ]
    # Slot k holds fixture line k mod n (START is a whole number of slots from the epoch).
    first_slot = START // SECOND
    assert texts == [lines[(first_slot + n) % len(lines)] for n in range(9)]
    assert all(json.loads(text) for text in texts)


def test_another_instrument_gets_its_own_symbol() -> None:
    (_, text), *_ = SynthesizedMessages(1.0, 0).messages(ETH, START, START + SECOND)
    assert '"s":"ETHUSDT"' in text and "ethusdt@trade" in text and "BTC" not in text
    okx = CATALOG.find("okx", "SOL-USDT-SWAP", "trade")
    assert okx is not None
    (_, okx_text), *_ = SynthesizedMessages(1.0, 0).messages(okx, START, START + SECOND)
    assert "SOL-USDT-SWAP" in okx_text and "BTC" not in okx_text


def test_a_datastream_without_a_fixture_holds_nothing() -> None:
    stream = Datastream(5, "kraken", "XBTUSD", "trade")
    source = SynthesizedMessages(1.0, 0)
    assert list(source.messages(stream, START, START + HOUR)) == []
    assert source.count(stream, START, START + HOUR) == 0


def test_window_boundaries_are_half_open() -> None:
    source = SynthesizedMessages(1.0, 3)
    (at, text), *_ = source.messages(BTC, START, START + SECOND)
    assert list(source.messages(BTC, at, at + 1)) == [(at, text)]
    assert list(source.messages(BTC, START, at)) == []
    assert list(source.messages(BTC, at + 1, START + SECOND)) == []
    assert source.count(BTC, at, at + 1) == 1 and source.count(BTC, START, at) == 0
    assert list(source.messages(BTC, at, at)) == [] and source.count(BTC, at + 5, at) == 0


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(0, 10**6 * SECOND),
    length=st.integers(0, 120 * SECOND),
    cut=st.floats(0, 1),
    rate=st.sampled_from([0.3, 1.0, 2.5, 1000.0]),
    seed=st.integers(0, 5),
)
def test_counts_are_exact_and_adjacent_windows_add_up(
    start: int, length: int, cut: float, rate: float, seed: int
) -> None:
    source = SynthesizedMessages(rate, seed)
    end = start + length
    middle = start + int(length * cut)
    whole = list(source.messages(BTC, start, end))
    assert source.count(BTC, start, end) == len(whole)
    assert whole == list(source.messages(BTC, start, middle)) + list(
        source.messages(BTC, middle, end)
    )
    assert all(start <= at < end for at, _ in whole)


def test_counting_a_long_window_does_not_walk_it() -> None:
    source = SynthesizedMessages(1000.0, 0)
    year = 365 * 24 * HOUR
    # 3.15e10 messages: counted with two draws, not generated.
    assert abs(source.count(BTC, START, START + year) - year // (SECOND // 1000)) <= 1


def test_the_app_exposes_its_source_with_the_configured_rate_and_seed() -> None:
    with start_sandbox(message_rate=2.0, message_seed=11) as sandbox:
        expected = list(SynthesizedMessages(2.0, 11).messages(BTC, START, START + HOUR))
        assert list(sandbox.messages.messages(BTC, START, START + HOUR)) == expected
        assert sandbox.app.messages is sandbox.messages


def _write_recordings(root: Path) -> None:
    folder = root / "binance" / "BTCUSDT" / "trade"
    folder.mkdir(parents=True)
    (folder / "a.jsonl").write_text(
        json.dumps({"collection_timestamp_ns": START + 5, "message": {"p": "1"}})
        + "\n\n"
        + json.dumps({"collection_timestamp_ns": str(START + 1), "message": '{"p":"0"}'})
        + "\n"
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["collection_timestamp_ns", "raw"])
    writer.writerow([START + 3, '{"p":"2","x":"a,b"}'])
    (folder / "b.csv.gz").write_bytes(gzip.compress(buffer.getvalue().encode()))


def test_recorded_messages_are_read_from_jsonl_and_csv_files(tmp_path: Path) -> None:
    _write_recordings(tmp_path)
    source = message_source(tmp_path, 1.0, 0)
    assert isinstance(source, RecordedMessages)
    assert list(source.messages(BTC, START, START + 10)) == [
        (START + 1, '{"p":"0"}'),
        (START + 3, '{"p":"2","x":"a,b"}'),
        (START + 5, '{"p":"1"}'),
    ]
    assert list(source.messages(BTC, START + 3, START + 5)) == [(START + 3, '{"p":"2","x":"a,b"}')]
    assert source.count(BTC, START + 1, START + 6) == 3
    assert source.count(ETH, 0, 2**62) == 0


def test_vendor_named_export_parts_in_the_folder_are_read_too(tmp_path: Path) -> None:
    """A folder of raw exports (vendor file names, gzip CSV) serves its rows back."""
    _write_recordings(tmp_path)
    for hour, at in (("2026010101", START + 3600 * SECOND), ("2026010100", START + 7)):
        buffer = io.StringIO()
        csv.writer(buffer).writerows([["collection_timestamp_ns", "raw"], [at, f'{{"h":{hour}}}']])
        part = tmp_path / f"binance_BTCUSDT_trade_part_{hour}.csv.gz"
        part.write_bytes(gzip.compress(buffer.getvalue().encode()))
    (tmp_path / "binance_ETHUSDT_trade_part_2026010100.csv.gz").write_bytes(b"not read for BTC")
    source = RecordedMessages(tmp_path)
    times = [at for at, _ in source.messages(BTC, 0, 2**62)]
    assert times == [START + 1, START + 3, START + 5, START + 7, START + 3600 * SECOND]


def test_a_sandbox_serves_recorded_messages(tmp_path: Path) -> None:
    _write_recordings(tmp_path)
    with start_sandbox(messages=tmp_path) as sandbox:
        assert sandbox.messages.count(BTC, 0, 2**62) == 3


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json\n", "a.jsonl:1"),
        ('{"collection_timestamp_ns": "soon", "message": "x"}\n', "not integer nanoseconds"),
        ('{"message": "x"}\n', "collection_timestamp_ns"),
    ],
)
def test_a_bad_recording_is_a_configuration_problem(
    tmp_path: Path, content: str, words: str
) -> None:
    folder = tmp_path / "binance" / "BTCUSDT" / "trade"
    folder.mkdir(parents=True)
    (folder / "a.jsonl").write_text(content)
    problems = SandboxConfig(messages=tmp_path).problems()
    assert len(problems) == 1 and words in problems[0], problems


def test_a_missing_messages_folder_is_a_configuration_problem(tmp_path: Path) -> None:
    problems = SandboxConfig(messages=tmp_path / "nope").problems()
    assert problems == [f"messages folder {tmp_path / 'nope'} is not a directory"]


@pytest.mark.parametrize("rate", [0.0, -1.0, 2e6])
def test_a_rate_out_of_range_is_a_configuration_problem(rate: float) -> None:
    assert any("message rate" in p for p in SandboxConfig(message_rate=rate).problems())

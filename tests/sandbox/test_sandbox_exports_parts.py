"""The pieces of the sandbox's exports that need no server: the instants a request may name,
format options, a job's status over time, hourly parts and their names, signed URLs."""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, replace
from typing import Any

import pytest

from schemac.sandbox.artifacts import check_url, signed_url
from schemac.sandbox.exportjobs import job_item, phase
from schemac.sandbox.exportmodels import format_options_of, parse_export_request
from schemac.sandbox.exportparts import ExportFailed, raw_csv, render_parts
from schemac.sandbox.exportstore import ExportRecord
from schemac.sandbox.exporttimes import TimeProblem, parse_instant
from schemac.sandbox.models import BodyProblem
from schemac.sandbox.responses import Response

HOUR_NS = 3600 * 10**9
T0 = 1_704_067_200 * 10**9  # 2024-01-01T00:00:00Z


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (T0, T0),
        (str(T0), T0),
        ("2024-01-01T00:00:00Z", T0),
        ("2024-01-01T00:00:00.123456789Z", T0 + 123_456_789),
        ("2024-01-01T00:00:00.5Z", T0 + 500_000_000),
        ("2024-01-01T02:00:00+02:00", T0),
        ("2023-12-31T19:00:00-0500", T0),
        ("0", 0),
    ],
)
def test_every_documented_spelling_of_an_instant(value: object, expected: int) -> None:
    assert parse_instant(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2024-01-01T00:00:00",  # no zone: refused, not guessed
        "2024-01-01T00:00:00.1234567891Z",  # ten fractional digits
        "2024-02-30T00:00:00Z",
        "2024-01-01T00:00:00+02:75",
        "yesterday",
        -1,
        2**63,
        True,
        1.5,
        "",
    ],
)
def test_other_values_are_refused_naming_the_accepted_forms(value: object) -> None:
    with pytest.raises(TimeProblem):
        parse_instant(value)


def _body(**extra: Any) -> dict[str, Any]:
    return {"datastream_id": 1, "start_time": T0, "end_time": T0 + HOUR_NS, **extra}


def test_a_request_reads_times_and_defaults_to_raw_csv() -> None:
    request = parse_export_request(_body(start_time=str(T0), end_time="2024-01-01T01:00:00Z"))
    assert (request.start_ns, request.end_ns) == (T0, T0 + HOUR_NS)
    assert (request.schema, request.format, request.format_options) == (None, "csv", {})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_body(end_time=T0), "end_time"),
        (_body(start_time="soon"), "start_time"),
        (_body(format="json"), "format"),
        (_body(datastream_id="1"), "datastream_id"),
        (_body(colour="red"), "colour"),
        ({"start_time": T0, "end_time": T0 + 1}, "datastream_id"),
    ],
)
def test_a_bad_request_names_its_field(body: dict[str, Any], field: str) -> None:
    with pytest.raises(BodyProblem) as problem:
        parse_export_request(body)
    assert problem.value.details["field"] == field


def test_format_options_are_filled_in_and_checked_against_the_format() -> None:
    assert format_options_of("csv", None) == {}
    assert format_options_of("parquet", None) == {"compression": "zstd"}
    assert format_options_of("parquet", {"compression": "none"}) == {"compression": "none"}
    for fmt, options in [
        ("csv", {"compression": "zstd"}),  # a parquet option on csv: a mismatch
        ("parquet", {"compression": "lz4"}),
        ("parquet", {"row_group_size": 10}),
    ]:
        with pytest.raises(BodyProblem) as problem:
            format_options_of(fmt, options)
        assert problem.value.details["field"].startswith("format_options")


JOB = ExportRecord(
    id="exp_" + "a" * 32,
    account="acct",
    datastream_id=1,
    start_ns=T0,
    end_ns=T0 + HOUR_NS,
    format="csv",
    format_options={},
    schema=None,
    ranges=[(T0, T0 + HOUR_NS)],
    created_at=1000.0,
    delay=10.0,
    doomed=False,
)


def test_a_job_is_queued_then_running_then_due_for_its_outcome() -> None:
    assert [phase(JOB, t) for t in (1000.0, 1004.9, 1005.0, 1009.9, 1010.0)] == [
        "queued", "queued", "running", "running", "due",
    ]  # fmt: skip
    done = replace(JOB, outcome="succeeded")
    assert phase(done, 1010.0) == "succeeded"
    item = job_item(done, 2000.0)
    assert item["started_at"] == "1970-01-01T00:16:45Z"
    assert item["finished_at"] == "1970-01-01T00:16:50Z"
    assert "reason" not in item
    queued = job_item(JOB, 1000.0)
    assert queued["status"] == "queued" and "started_at" not in queued


def test_a_job_canceled_while_queued_never_started() -> None:
    canceled = replace(JOB, outcome="canceled", ended_at=1001.0)
    item = job_item(canceled, 5000.0)
    assert item["status"] == "canceled" and "started_at" not in item
    assert item["finished_at"] == "1970-01-01T00:16:41Z"


@dataclass(frozen=True)
class Stream:
    exchange: str = "binance"
    instrument: str = "BTCUSDT"
    stream_type: str = "trade"


MESSAGES = [(T0 + 5, '{"a":1}'), (T0 + HOUR_NS - 1, '{"b":"x,y"}'), (T0 + 3 * HOUR_NS, "{}")]


def test_raw_parts_are_one_per_hour_with_messages_named_as_the_vendor_names_them() -> None:
    parts = render_parts(Stream(), MESSAGES, None, "csv", {}, None)
    assert [part.filename for part in parts] == [
        "binance_BTCUSDT_trade_part_2024010100.csv.gz",
        "binance_BTCUSDT_trade_part_2024010103.csv.gz",
    ]
    rows = list(csv.reader(io.StringIO(gzip.decompress(parts[0].content).decode())))
    assert rows == [
        ["collection_timestamp_ns", "raw"],
        [str(T0 + 5), '{"a":1}'],
        [str(T0 + HOUR_NS - 1), '{"b":"x,y"}'],
    ]
    assert parts[0].content == raw_csv(MESSAGES[:2])  # the same messages, the same bytes


def test_without_a_renderer_only_raw_csv_is_served() -> None:
    for schema, fmt in [({"columns": []}, "csv"), (None, "parquet")]:
        with pytest.raises(ExportFailed, match=r"pip install 'schemac\[run\]'"):
            render_parts(Stream(), MESSAGES, schema, fmt, {}, None)


class Broken:
    def render(self, *args: Any) -> bytes:
        raise RuntimeError("engine says no\nmore detail")


def test_a_renderer_failure_is_the_jobs_reason_in_one_line() -> None:
    with pytest.raises(ExportFailed, match=r"^engine says no$"):
        render_parts(Stream(), MESSAGES, None, "csv", {}, Broken())


def test_signed_urls_hold_until_they_expire_and_not_when_altered() -> None:
    url = signed_url("127.0.0.1:8080", "art_" + "b" * 32, "x_part_2024010100.csv.gz", 1000.0)
    target = url.removeprefix("http://127.0.0.1:8080")
    assert check_url(target, 1000.0) == ("art_" + "b" * 32, "x_part_2024010100.csv.gz")
    assert check_url(target, 1300.0) == ("art_" + "b" * 32, "x_part_2024010100.csv.gz")
    for altered, now in [
        (target, 1300.5),  # expired
        (target.replace("expires=1300", "expires=9999"), 1000.0),
        (target.replace("x_part", "y_part"), 1000.0),
        (target.split("?")[0], 1000.0),
    ]:
        response = check_url(altered, now)
        assert isinstance(response, Response) and response.status == 403


def test_a_file_name_with_url_characters_survives_its_url() -> None:
    name = "okx_BTC/USDT:SWAP_trade_part_2024010100.csv.gz"
    url = signed_url("[::1]:8080", "art_" + "c" * 32, name, 1000.0)
    assert url.count("/") == 5  # http: // host / artifacts / id / name
    assert check_url(url.removeprefix("http://[::1]:8080"), 1000.0) == ("art_" + "c" * 32, name)

"""The pure parts of `schemac export` and `schemac datastreams`: datastream references, the
export request and its idempotency key, format options, polling, progress lines, artifact file
names, the atomic placing of a downloaded file, whether a schema fits a datastream, and the
shape of the official client that the export request relies on."""

from __future__ import annotations

import inspect
import io
import itertools
import os
import sys
import uuid
from pathlib import Path

import pytest

from schemac.cli.remote.datastreams import datastreams_table
from schemac.remote.artifacts import (
    ArtifactError,
    ArtifactExists,
    place,
    precheck,
    safe_filename,
    same_bytes,
)
from schemac.remote.datastreams import DatastreamRefError, only_match, parse_ref, ref_text
from schemac.remote.exporting import (
    ExportRequest,
    elapsed_text,
    export_key,
    parse_format_options,
    poll_delays,
    progress_text,
    request_body,
)
from schemac.remote.pinning import fit_problems

# -- datastream references ---------------------------------------------------------------------


def test_a_reference_is_an_id_or_three_parts() -> None:
    assert parse_ref("123") == 123
    assert parse_ref("binance:BTCUSDT:trade") == ("binance", "BTCUSDT", "trade")
    assert parse_ref("coinbase:BTC-USD:quote") == ("coinbase", "BTC-USD", "quote")
    # an instrument may hold a colon; exchange codes and stream types do not
    assert parse_ref("okx:BTC/USDT:USDT:trade") == ("okx", "BTC/USDT:USDT", "trade")


@pytest.mark.parametrize(
    "text",
    ["", "binance", "binance:BTCUSDT", "binance::trade", ":BTCUSDT:trade", "binance:BTCUSDT:",
     " binance:BTCUSDT:trade", "binance:BTCUSDT :trade", "-3", "1.5", "١٢٣", "0x1f"],
)  # fmt: skip
def test_a_malformed_reference_names_the_accepted_forms(text: str) -> None:
    with pytest.raises(DatastreamRefError) as caught:
        parse_ref(text)
    assert "EXCHANGE:INSTRUMENT:STREAM_TYPE" in str(caught.value)
    assert "id" in str(caught.value)


def test_a_reference_with_control_characters_is_shown_escaped() -> None:
    with pytest.raises(DatastreamRefError) as caught:
        parse_ref("bin\x1b[31mance")
    assert "\x1b" not in str(caught.value) and "\\x1b" in str(caught.value)


STREAM = {
    "datastream_id": 7,
    "exchange": "binance",
    "instrument": "BTCUSDT",
    "stream_type": "trade",
    "wire_format": "json",
}


def test_one_match_is_the_datastream_none_or_several_are_errors() -> None:
    assert only_match("binance:BTCUSDT:trade", [STREAM]) is STREAM
    with pytest.raises(DatastreamRefError) as missing:
        only_match("binance:ETHUSDT:trade", [])
    assert str(missing.value) == (
        "no datastream `binance:ETHUSDT:trade`; "
        "`schemac datastreams --exchange binance` lists that exchange's datastreams"
    )
    twin = {**STREAM, "datastream_id": 8, "wire_format": "sbe"}
    with pytest.raises(DatastreamRefError) as caught:
        only_match("binance:BTCUSDT:trade", [STREAM, twin])
    assert "2 datastreams: 7 (binance:BTCUSDT:trade, json), 8" in str(caught.value)
    assert "by its id" in str(caught.value)
    assert ref_text(STREAM) == "binance:BTCUSDT:trade"


def test_the_table_escapes_what_the_api_sends() -> None:
    hostile = {**STREAM, "instrument": "BTC\x1b[2J\nUSDT", "wire_format": "json\u202e"}
    shown = datastreams_table([STREAM, hostile])
    assert shown == (
        "ID  EXCHANGE  INSTRUMENT        STREAM TYPE  WIRE FORMAT\n"
        "7   binance   BTCUSDT           trade        json\n"
        "7   binance   BTC\\x1b[2J\\nUSDT  trade        json\\u202e\n"
        "2 datastreams\n"
    )
    assert datastreams_table([]) == "No datastreams match.\n"


# -- the request and its key --------------------------------------------------------------------

START, END = 1_764_633_600_000_000_000, 1_764_637_200_000_000_000


def test_the_body_sends_times_as_ns_strings_and_options_only_when_given() -> None:
    body = request_body(ExportRequest(7, START, END, "sch_" + "a" * 32))
    assert body == {
        "datastream_id": 7,
        "start_time": str(START),
        "end_time": str(END),
        "schema": "sch_" + "a" * 32,
        "format": "csv",
    }
    inline = {"columns": [{"output_column": "ts", "meta": {"value": "collection_timestamp_ns"}}]}
    body = request_body(ExportRequest(7, START, END, inline, "parquet", {"compression": "zstd"}))
    assert body["schema"] == inline and body["schema"] is not inline
    assert body["format"] == "parquet"
    assert body["format_options"] == {"compression": "zstd"}


def test_the_key_is_a_uuid_of_what_the_request_asks() -> None:
    request = ExportRequest(7, START, END, "sch_" + "a" * 32)
    key = export_key(request, 3)
    assert uuid.UUID(key).version == 5
    assert export_key(ExportRequest(7, START, END, "sch_" + "a" * 32), 3) == key
    different = [
        export_key(request, 4),  # the schema was republished: a new export
        export_key(ExportRequest(8, START, END, request.schema), 3),
        export_key(ExportRequest(7, START + 1, END, request.schema), 3),
        export_key(ExportRequest(7, START, END + 1, request.schema), 3),
        export_key(ExportRequest(7, START, END, "raw"), 3),
        export_key(ExportRequest(7, START, END, request.schema, "parquet"), 3),
        export_key(ExportRequest(7, START, END, request.schema, "csv", {"a": 1}), 3),
    ]
    assert len({key, *different}) == len(different) + 1


def test_the_key_does_not_depend_on_the_order_of_options_or_inline_keys() -> None:
    column = {"output_column": "p", "data": {"binance": {"json": {"path": "p", "type": "f64"}}}}
    inline_a = {"columns": [column], "unfold": {}}
    inline_b = {"unfold": {}, "columns": inline_a["columns"]}
    a = ExportRequest(7, START, END, inline_a, "parquet", {"x": 1, "y": 2})
    b = ExportRequest(7, START, END, inline_b, "parquet", {"y": 2, "x": 1})
    assert export_key(a) == export_key(b)


def test_the_key_is_fixed_forever() -> None:
    # A key that changed between versions of schemac would make a re-run after an upgrade
    # create a second export: this value must never change.
    request = ExportRequest(123, START, END, "sch_0194a1b2c3d4e5f6a7b8c9d0e1f2a3b4", "parquet")
    assert export_key(request, 2) == "8df4177a-8421-51c7-9e65-b736c603fbd0"


# -- format options -----------------------------------------------------------------------------


def test_format_options_read_json_values_and_keep_other_text() -> None:
    options = parse_format_options(
        ["compression=zstd", "row_group_size=1000", "dictionary=false", "columns=[\"a\"]",
         "level=NaN", "empty="]
    )  # fmt: skip
    assert options == {
        "compression": "zstd",
        "row_group_size": 1000,
        "dictionary": False,
        "columns": ["a"],
        "level": "NaN",
        "empty": "",
    }


@pytest.mark.parametrize("item", ["compression", "=zstd", " compression=zstd"])
def test_a_format_option_that_is_not_key_value_is_refused(item: str) -> None:
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_format_options([item])


def test_a_format_option_given_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        parse_format_options(["a=1", "a=2"])


# -- polling and progress -----------------------------------------------------------------------


def test_polls_wait_longer_each_time_up_to_a_cap() -> None:
    delays = list(itertools.islice(poll_delays(0.25, 2.0, 5.0), 8))
    assert delays == [0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0]
    default = list(itertools.islice(poll_delays(), 30))
    assert default[0] > 0 and default == sorted(default) and default[-1] == max(default)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.0, "0.0s"), (0.44, "0.4s"), (9.96, "10.0s"), (12.7, "12s"), (125, "2m05s"),
     (3725, "1h02m")],
)  # fmt: skip
def test_elapsed_time_is_short(seconds: float, text: str) -> None:
    assert elapsed_text(seconds) == text


def test_the_progress_line_names_the_export_its_status_and_the_time() -> None:
    assert progress_text("exp_1", "running", 3.25) == "export exp_1: running (3.2s)"


# -- artifact file names and placing ------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["binance_BTCUSDT_trade_part_2026120103.csv.gz",
     "binance_BTCUSDT_trade_part_2026120103.parquet",
     "coinbase_BTC-USD_quote_part_2026120100.csv.gz"],
)  # fmt: skip
def test_vendor_file_names_are_used_as_they_are(name: str) -> None:
    assert safe_filename(name) == name


@pytest.mark.parametrize(
    "name",
    ["", ".", "..", "../x.csv.gz", "a/b.csv.gz", "a\\b", "/etc/passwd", ".hidden.csv.gz",
     "x\x1b[31m.csv", "x\nname", "a\x00b", "n" * 256],
)  # fmt: skip
def test_a_file_name_that_is_not_a_plain_name_is_refused(name: str) -> None:
    with pytest.raises(ArtifactError, match="the server named an artifact"):
        safe_filename(name)


def _temp(folder: Path, data: bytes) -> Path:
    path = folder / ".x.part"
    path.write_bytes(data)
    return path


def test_a_new_file_is_renamed_into_place(tmp_path: Path) -> None:
    target = tmp_path / "a.csv.gz"
    assert place(_temp(tmp_path, b"abc"), target, force=False) is True
    assert target.read_bytes() == b"abc"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv.gz"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_the_same_bytes_are_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "a.csv.gz"
    target.write_bytes(b"abc")
    before = target.stat().st_ino
    assert place(_temp(tmp_path, b"abc"), target, force=False) is False
    assert target.stat().st_ino == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv.gz"]


def test_other_bytes_are_kept_without_force_and_replaced_with_it(tmp_path: Path) -> None:
    target = tmp_path / "a.csv.gz"
    target.write_bytes(b"abd")
    with pytest.raises(ArtifactExists, match="exists with other content; --force overwrites"):
        place(_temp(tmp_path, b"abc"), target, force=False)
    assert target.read_bytes() == b"abd"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv.gz"]
    target.chmod(0o640)
    assert place(_temp(tmp_path, b"abc"), target, force=True) is True
    assert target.read_bytes() == b"abc"
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_size_that_differs_is_refused_before_any_download(tmp_path: Path) -> None:
    target = tmp_path / "a.csv.gz"
    precheck(target, 3, force=False)  # absent: fine
    target.write_bytes(b"abcd")
    with pytest.raises(ArtifactExists):
        precheck(target, 3, force=False)
    precheck(target, 3, force=True)
    precheck(target, 4, force=False)  # same size: the bytes decide, after the download
    (tmp_path / "dir").mkdir()
    with pytest.raises(ArtifactError, match="not a regular file"):
        precheck(tmp_path / "dir", 3, force=True)


def test_same_bytes_compares_content_not_only_sizes(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    a.write_bytes(b"x" * 200_000 + b"1")
    b.write_bytes(b"x" * 200_000 + b"1")
    c.write_bytes(b"x" * 200_000 + b"2")
    assert same_bytes(a, b) and not same_bytes(a, c)


# -- does a schema fit a datastream -------------------------------------------------------------


def _schema(category: str, exchanges: list[str]) -> object:
    from schemac.core.ir import Schema

    return Schema(name="t", category=category, columns=[], exchanges=exchanges)


def test_a_schema_fits_a_datastream_of_its_exchanges_and_category() -> None:
    schema = _schema("trade", ["binance", "bybit_linear"])
    assert fit_problems(schema, "binance", "trade") == []  # type: ignore[arg-type]
    assert fit_problems(schema, "binance", "trades") == []  # type: ignore[arg-type]
    (problem,) = fit_problems(schema, "coinbase", "trade")  # type: ignore[arg-type]
    assert problem == (
        "schema `t` has no rules for exchange `coinbase` (its exchanges: binance, bybit_linear)"
    )
    (problem,) = fit_problems(schema, "binance", "quote")  # type: ignore[arg-type]
    assert problem == "schema `t` is a trade schema; the datastream's stream type is quote"


# -- the official client's shape that the export request relies on -----------------------------


def test_the_client_still_lacks_format_so_the_export_goes_through_its_transport() -> None:
    """When this fails, the client changed: if ``exports.create`` takes ``format`` now, send
    exports through it and drop :mod:`schemac.remote.transport`'s reach into the client."""
    from ticksupply import Client
    from ticksupply._base import SyncHTTPClient, build_idempotency_header
    from ticksupply.models.export import ExportJob
    from ticksupply.resources.exports import ExportsResource

    create = inspect.signature(ExportsResource.create).parameters
    assert "format" not in create and "format_options" not in create
    client = Client("key_test.x", base_url="http://127.0.0.1:9/v1", max_retries=0)
    try:
        transport = client.exports._client
        assert isinstance(transport, SyncHTTPClient)
        post = inspect.signature(transport.post).parameters
        assert {"json_data", "headers"} <= set(post)
    finally:
        client.close()
    assert build_idempotency_header("k") == {"Idempotency-Key": "k"}
    assert {"id", "status", "reason", "format"} <= set(ExportJob.model_fields)


# -- the progress line ---------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _progress_lines(monkeypatch: pytest.MonkeyPatch, stream: io.StringIO) -> str:
    from schemac.cli.remote import Console
    from schemac.cli.remote.export import ProgressLine

    monkeypatch.setattr(sys, "stderr", stream)
    progress = ProgressLine(Console([None]))
    for status, seconds in [("queued", 0.0), ("queued", 0.4), ("running", 1.0), ("running", 2.5)]:
        progress(progress_text("exp_1", status, seconds))
    progress.end()
    return stream.getvalue()


def test_on_a_terminal_the_progress_is_one_line_redrawn(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = _progress_lines(monkeypatch, _Terminal())
    assert shown == (
        "\rexport exp_1: queued (0.0s)\x1b[K\rexport exp_1: queued (0.4s)\x1b[K"
        "\rexport exp_1: running (1.0s)\x1b[K\rexport exp_1: running (2.5s)\x1b[K\n"
    )


def test_elsewhere_the_progress_is_a_line_per_status(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = _progress_lines(monkeypatch, io.StringIO())
    assert shown == "export exp_1: queued (0.0s)\nexport exp_1: running (1.0s)\n"

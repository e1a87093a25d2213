"""`schemac export` end to end through the CLI, against the sandbox on loopback: the schema
pinned by ID, files written atomically and counted, Parquet through the client's transport,
every refusal before a request, and the API's errors printed as the remote commands print
them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from remote.conftest import API_KEY
from remote.helpers_export import HOUR_NS, TRADES, ExportEnv, csv_rows, export_env, past_hours
from schemac.core.times import format_instant

REF = "binance:BTCUSDT:trade"


@pytest.fixture
def env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[ExportEnv]:
    with export_env(tmp_path, monkeypatch, capsys) as made:
        yield made


def _published(env: ExportEnv) -> int:
    env.write()
    assert env.run("publish", "trades", "--yes").code == 0
    return env.subscribe("binance", "BTCUSDT", "trade")


def _window(hours: int = 2) -> list[str]:
    start, end = past_hours(hours)
    return ["--from", format_instant(start), "--to", format_instant(end)]


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_export_pins_the_published_schema_and_writes_every_hour(env: ExportEnv) -> None:
    stream_id = _published(env)
    start, end = past_hours(2)
    result = env.run("export", "trades", "--datastream", REF, *_window(), "--out", "data")
    assert result.code == 0, result.err
    hours = [format_instant(start + i * HOUR_NS) for i in range(2)]
    names = [f"binance_BTCUSDT_trade_part_{h[:4]}{h[5:7]}{h[8:10]}{h[11:13]}.csv.gz" for h in hours]
    assert _names(env.root / "data") == names
    lines = result.out.splitlines()
    assert [line.split(" (")[0] for line in lines] == [f"wrote data/{n}" for n in names]
    for line, name in zip(lines, names, strict=True):
        size = (env.root / "data" / name).stat().st_size
        assert line == f"wrote data/{name} ({size} bytes)"
    (job,) = env.exports()
    assert job.datastream_id == stream_id and job.status.value == "succeeded"
    assert (job.start_time, job.end_time) == (start, end)
    schema_id = env.client().export_schemas.list()
    (ours,) = [s for s in schema_id if s.name == "trades"]
    assert f"export trades ({ours.id} v1) of {REF} ({stream_id})" in result.err
    for name, hour in zip(names, range(2), strict=True):
        rows = csv_rows(env.root / "data" / name)
        assert rows[0].replace('"', "") == "ts,price,qty"
        low = start + hour * HOUR_NS
        expected = env.sandbox.messages.count(_stream(env, stream_id), low, low + HOUR_NS)
        assert len(rows) - 1 == expected > 0


def _stream(env: ExportEnv, stream_id: int) -> object:
    return env.sandbox.catalog.datastream(stream_id)


def test_the_same_export_again_is_the_same_export_and_changes_no_file(env: ExportEnv) -> None:
    _published(env)
    args = ["export", "trades", "--datastream", REF, *_window(), "--out", "data"]
    assert env.run(*args).code == 0
    before = {p.name: p.stat().st_ino for p in (env.root / "data").iterdir()}
    again = env.run(*args)
    assert again.code == 0, again.err
    assert all(line.startswith("unchanged data/") for line in again.out.splitlines())
    assert {p.name: p.stat().st_ino for p in (env.root / "data").iterdir()} == before
    assert len(env.exports()) == 1  # the key replayed the first export


def test_an_id_reference_and_parquet(env: ExportEnv) -> None:
    stream_id = _published(env)
    result = env.run(
        "export", "trades", "--datastream", str(stream_id), *_window(1), "--format", "parquet"
    )
    assert result.code == 0, result.err
    (name,) = [n for n in _names(env.root) if "_part_" in n]
    assert name.endswith(".parquet")
    data = (env.root / name).read_bytes()
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1"
    (job,) = env.exports()
    assert job.format == "parquet"


def test_a_schema_not_published_is_refused_before_any_export(env: ExportEnv) -> None:
    env.write()
    env.subscribe("binance", "BTCUSDT", "trade")
    result = env.run("export", "trades", "--datastream", REF, *_window())
    assert result.code == 1
    assert "trades (trade) is not published; `schemac publish trades` first, or pass --inline" in (
        result.err
    )
    assert env.exports() == []


def test_a_file_that_differs_from_the_published_version_is_refused(env: ExportEnv) -> None:
    _published(env)
    env.write(TRADES.replace("decimal(8)", "decimal(6)", 1))
    result = env.run("export", "trades", "--datastream", REF, *_window())
    assert result.code == 1
    assert "schemas/trades.yaml differs from the published v1" in result.err
    assert "`schemac publish trades` first, or pass --inline" in result.err
    assert env.exports() == []


def test_inline_sends_the_compiled_schema_without_publishing(env: ExportEnv) -> None:
    env.write(TRADES.replace("decimal(8)", "decimal(6)", 1))
    env.subscribe("binance", "BTCUSDT", "trade")
    result = env.run("export", "trades", "--datastream", REF, *_window(1), "--inline")
    assert result.code == 0, result.err
    assert "(inline)" in result.err
    assert all(s.is_built_in for s in env.client().export_schemas.list())  # none published
    (name,) = [n for n in _names(env.root) if n.endswith(".csv.gz")]
    assert csv_rows(env.root / name)[0].replace('"', "") == "ts,price,qty"


def test_a_schema_that_does_not_fit_is_refused_before_any_request(env: ExportEnv) -> None:
    env.write()
    result = env.run("export", "trades", "--datastream", "coinbase:BTC-USD:trade", *_window())
    assert result.code == 2
    assert "schema `trades` has no rules for exchange `coinbase`" in result.err
    assert "nothing was sent" in result.err
    assert env.log == []
    result = env.run("export", "trades", "--datastream", "binance:BTCUSDT:quote", *_window())
    assert result.code == 2
    assert "is a trade schema; the datastream's stream type is quote" in result.err
    assert env.log == []


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--from", "yesterday", "'yesterday' is not a time; accepted: now, N[s|m|h|d|w]-ago"),
        ("--to", "3D-ago", "must be written in lowercase; accepted:"),
        ("--from", "2026-12-01T03:00:00", "has no zone"),
    ],
)
def test_a_bad_time_is_a_usage_error_naming_the_forms(
    env: ExportEnv, option: str, value: str, message: str
) -> None:
    env.write()
    times = {"--from": "2h-ago", "--to": "1h-ago", option: value}
    result = env.run("export", "trades", "--datastream", REF, *sum(times.items(), ()))
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err and env.log == []


def test_from_after_to_and_bad_references_are_usage_errors(env: ExportEnv) -> None:
    env.write()
    result = env.run("export", "trades", "--datastream", REF, "--from", "1h-ago", "--to", "2h-ago")
    assert (result.code, result.err.strip()) == (2, "schemac: error: --from must be before --to")
    result = env.run("export", "trades", "--datastream", "binance:BTCUSDT", *_window())
    assert result.code == 2 and "accepted: EXCHANGE:INSTRUMENT:STREAM_TYPE" in result.err
    result = env.run("export", "trades", "--datastream", "binance:NOPE:trade", *_window())
    assert result.code == 2
    assert "no datastream `binance:NOPE:trade`; `schemac datastreams --exchange binance`" in (
        result.err
    )
    result = env.run("export", "trades", "--datastream", "999999999", *_window())
    assert result.code == 2 and "no datastream `999999999`" in result.err
    result = env.run("export", "nope", "--datastream", REF, *_window())
    assert result.code == 2 and "no local schema named `nope`" in result.err
    (env.root / "afile").write_text("")
    result = env.run("export", "trades", "--datastream", REF, *_window(), "--out", "afile")
    assert (result.code, result.err) == (2, "schemac: error: --out afile is not a folder\n")
    assert env.exports() == []


def test_an_api_error_is_printed_with_its_request_id_and_the_key_masked(env: ExportEnv) -> None:
    env.write()
    env.run("publish", "trades", "--yes")
    result = env.run("export", "trades", "--datastream", REF, *_window())  # no subscription
    assert result.code == 1
    (line,) = [line for line in result.err.splitlines() if line.startswith("schemac: error:")]
    assert line.startswith("schemac: error: POST /exports failed: HTTP 403 permission_denied")
    assert "(request id req_" in line
    assert API_KEY not in result.err + result.out


def test_a_file_with_other_content_is_kept_unless_forced(env: ExportEnv) -> None:
    _published(env)
    args = ["export", "trades", "--datastream", REF, *_window(1), "--out", "data"]
    assert env.run(*args).code == 0
    (path,) = (env.root / "data").iterdir()
    right = path.read_bytes()
    path.write_bytes(b"someone else's bytes")
    kept = env.run(*args)
    assert kept.code == 1
    assert f"data/{path.name} exists with other content; --force overwrites it" in kept.err
    assert path.read_bytes() == b"someone else's bytes"
    forced = env.run(*args, "--force")
    assert forced.code == 0 and forced.out.startswith(f"wrote data/{path.name}")
    assert path.read_bytes() == right
    assert _names(env.root / "data") == [path.name]  # no temporary file left


def test_no_wait_makes_the_export_and_the_same_command_picks_it_up(env: ExportEnv) -> None:
    _published(env)
    args = ["export", "trades", "--datastream", REF, *_window(1), "--out", "data"]
    made = env.run(*args, "--no-wait")
    assert made.code == 0, made.err
    (job,) = env.exports()
    assert made.out in (f"export {job.id}: queued\n", f"export {job.id}: running\n")
    assert _names(env.root / "data") == []
    picked = env.run(*args)
    assert picked.code == 0 and picked.out.startswith("wrote data/")
    assert [j.id for j in env.exports()] == [job.id]


def test_progress_is_a_line_per_status_off_a_terminal(env: ExportEnv) -> None:
    _published(env)
    result = env.run("export", "trades", "--datastream", REF, *_window(1))
    assert result.code == 0
    statuses = [
        line.split(": ")[1].split(" (")[0]
        for line in result.err.splitlines()
        if line.startswith("export exp_")
    ]
    assert statuses[0] in ("queued", "running") and statuses[-1] == "succeeded"
    assert len(statuses) == len(set(statuses))  # one line per status, not per poll


def test_a_failed_export_exits_1_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with export_env(tmp_path, monkeypatch, capsys, export_fail_rate=1.0) as env:
        _published(env)
        result = env.run("export", "trades", "--datastream", REF, *_window(1))
        assert result.code == 1
        (job,) = env.exports()
        assert job.status.value == "failed" and job.reason
        assert f"schemac: error: export {job.id} failed: {job.reason}" in result.err
        assert _names(tmp_path) == [".schemac", "schemac.toml", "schemas"]  # no file


def test_a_canceled_export_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with export_env(tmp_path, monkeypatch, capsys, export_delay=60) as env:  # still queued
        _published(env)
        args = ["export", "trades", "--datastream", REF, *_window(1)]
        assert env.run(*args, "--no-wait").code == 0
        (job,) = env.exports()
        env.client().exports.cancel(job.id)
        result = env.run(*args)
        assert result.code == 1
        assert f"schemac: error: export {job.id} canceled" in result.err


def test_a_schema_file_with_errors_is_shown_as_validate_shows_it(env: ExportEnv) -> None:
    env.write(TRADES.replace("type: decimal(8)", "tpye: decimal(8)", 1))
    result = env.run("export", "trades", "--datastream", REF, *_window())
    assert result.code == 1
    assert "schemas/trades.yaml:8:5: error[SC101] unknown key `tpye`" in result.err
    assert "error(s) in the schema files; nothing was sent" in result.err
    assert env.log == []

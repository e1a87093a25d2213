"""The vendor's documented flow, "subscribe to BTCUSDT trades, export, and download", run
against the sandbox with the official client as the docs write it: the snippets of
docs.ticksupply.com/examples/python (find the datastream, subscribe), of the create-export
reference page (the last 24 hours) and of the client's README and ``ExportsResource``
docstring (poll, download URLs), joined in order; the only change is the client's
``base_url``. Then every URL is fetched as a user would, and the state persists across a
restart (``--state``)."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import httpx
import pytest

from schemac.sandbox import start_sandbox


def test_the_documented_subscribe_export_download_flow(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with start_sandbox(export_delay=0.3) as sandbox:
        monkeypatch.setenv("TICKSUPPLY_API_KEY", sandbox.api_keys[0])
        # -- the documented example, as the Python page writes it ("trades": the sandbox's
        #    filter takes both spellings the docs use, C13 in the API notes) --
        from datetime import datetime, timedelta, timezone

        from ticksupply import Client

        client = Client(base_url=sandbox.url)  # the one change: where the API is

        result = client.datastreams.list(
            exchange="binance", instrument="BTCUSDT", stream_type="trades"
        )
        datastream_id = result.items[0].datastream_id

        sub = client.subscriptions.create(datastream_id=datastream_id)
        print(f"Created: {sub.id}, status: {sub.status}")
        print(f"Stream: {sub.datastream.exchange}/{sub.datastream.instrument}")

        end = datetime.now(timezone.utc)
        start = end - timedelta(hours=24)
        job = client.exports.create(datastream_id=datastream_id, start_time=start, end_time=end)
        print(job)

        # poll job.status == "succeeded" in practice
        while job.status.value in ("queued", "running"):
            time.sleep(0.1)
            job = client.exports.get(job.id)

        download = client.exports.get_download(job.id)
        print(f"Files: {download.count}, Total: {download.total_bytes} bytes")
        for artifact in download.artifacts:
            print(f"  {artifact.filename}: {artifact.url}")
        # -- end of the example --

        assert job.status.value == "succeeded"
        assert download.count in (24, 25)  # one part per UTC hour the 24 hours touch
        printed = capsys.readouterr().out
        assert f"Files: {download.count}" in printed and "binance_BTCUSDT_trade_part_" in printed
        rows = 0
        for artifact in download.artifacts:
            response = httpx.get(artifact.url)
            assert response.status_code == 200 and len(response.content) == artifact.bytes
            rows += len(gzip.decompress(response.content).splitlines()) - 1
        assert 86_000 < rows < 86_800  # about one message a second, for 24 hours
        client.close()


def test_exports_and_their_files_survive_a_restart_with_state(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.sqlite"
    now_ns = time.time_ns()
    with start_sandbox(state=state, export_delay=0) as first, first.client() as client:
        stream = client.datastreams.list(exchange="binance", instrument="BTCUSDT").items[0]
        client.subscriptions.create(datastream_id=stream.datastream_id)
        job = client.exports.create(stream.datastream_id, now_ns - 3600 * 10**9, now_ns)
        before = client.exports.get_download(job.id)
        content = httpx.get(before.artifacts[0].url).content
    with start_sandbox(state=state) as second, second.client() as client:
        assert client.exports.get(job.id).status.value == "succeeded"
        after = client.exports.get_download(job.id)
        assert [a.id for a in after.artifacts] == [a.id for a in before.artifacts]
        assert httpx.get(after.artifacts[0].url).content == content

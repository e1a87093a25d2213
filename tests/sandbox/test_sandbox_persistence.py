"""--state FILE keeps acknowledged data across restarts, including a killed process; the CLI
prints its URL, and Ctrl-C stops it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import REPO
from ticksupply import Client

from schemac.sandbox import start_sandbox

from .conftest import API_KEY, OTHER_API_KEY
from .helpers import PRICE_COLUMN, TS_COLUMN, new_key


def test_state_survives_a_clean_restart(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.db"
    key = new_key()
    with (
        start_sandbox([API_KEY, OTHER_API_KEY], state=state) as sandbox,
        sandbox.client() as client,
    ):
        kept = client.export_schemas.create(
            "kept", "trade", columns=[TS_COLUMN], idempotency_key=key
        )
        client.export_schemas.create_draft(kept.id, columns=[PRICE_COLUMN])
        client.export_schemas.publish_draft(kept.id)
        client.export_schemas.create_draft(kept.id, columns=[TS_COLUMN, PRICE_COLUMN])
        gone = client.export_schemas.create("gone", "quote", columns=[TS_COLUMN])
        client.export_schemas.delete(gone.id)
        before = client.export_schemas.get(kept.id)
        before_draft = client.export_schemas.get_draft(kept.id)
        listed_before = client.export_schemas.list()

    with (
        start_sandbox([API_KEY, OTHER_API_KEY], state=state) as sandbox,
        sandbox.client() as client,
    ):
        assert client.export_schemas.list() == listed_before
        assert client.export_schemas.get(kept.id) == before
        assert client.export_schemas.get_draft(kept.id) == before_draft
        # Idempotency records are state too: the retry replays instead of conflicting.
        replay = client.export_schemas.create(
            "kept", "trade", columns=[TS_COLUMN], idempotency_key=key
        )
        assert replay.id == kept.id and replay.version == 1
        with sandbox.client(OTHER_API_KEY) as other:
            assert not [item for item in other.export_schemas.list() if not item.is_built_in]


def test_without_state_nothing_is_kept() -> None:
    with start_sandbox() as sandbox, sandbox.client() as client:
        client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    with start_sandbox() as sandbox, sandbox.client() as client:
        assert all(item.is_built_in for item in client.export_schemas.list())


@contextmanager
def _sandbox_process(*arguments: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "schemac.sandbox", "--port", "0", "--quiet", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        cwd=REPO,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def test_a_killed_sandbox_loses_nothing_it_acknowledged(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    with _sandbox_process("--state", str(state), "--api-key", API_KEY) as (process, url):
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        with Client(API_KEY, base_url=url, max_retries=0) as client:
            created = [
                client.export_schemas.create(f"s{index}", "trade", columns=[TS_COLUMN])
                for index in range(5)
            ]
            client.export_schemas.update(created[0].id, columns=[PRICE_COLUMN])
            client.export_schemas.create_draft(created[1].id)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    with _sandbox_process("--state", str(state), "--api-key", API_KEY) as (_, url):
        client = Client(API_KEY, base_url=url, max_retries=0)
        custom = [item for item in client.export_schemas.list() if not item.is_built_in]
        assert [item.id for item in custom] == [schema.id for schema in created]
        assert client.export_schemas.get(created[0].id).version == 2
        assert client.export_schemas.get(created[1].id).has_draft is True
        client.close()


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_stop_cleanly(stop_signal: signal.Signals) -> None:
    with _sandbox_process() as (process, url):
        with Client(API_KEY, base_url=url, max_retries=0) as client:
            assert client.export_schemas.list()
        process.send_signal(stop_signal)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "Traceback" not in stderr and "stopped" in stderr


def test_cli_reports_bad_options_and_unusable_state(tmp_path: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("these are not the tables you are looking for\n" * 100)
    for arguments, words in (
        (["--fault-rate", "1.5"], "fault rate"),
        (["--max-columns", "0"], "max columns"),
        (["--state", str(not_a_database)], "cannot start"),
        (["--state", str(tmp_path / "missing" / "dir" / "x.db")], "cannot start"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "schemac.sandbox", "--port", "0", *arguments],
            capture_output=True,
            text=True,
            env=environment,
            cwd=REPO,
            timeout=20,
        )
        assert result.returncode == 2, (arguments, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""


def test_schemac_cli_dispatches_to_the_sandbox() -> None:
    import argparse

    from schemac.cli import sandbox as cli

    parser = argparse.ArgumentParser()
    cli.configure(parser)
    args = parser.parse_args(
        ["--api-key", "a", "--api-key", "b", "--exchange", "okx=OKX", "--exchange", "kraken"]
    )
    assert args.api_keys == ["a", "b"]
    assert args.exchanges == [("okx", "OKX"), ("kraken", "kraken")]
    defaults = parser.parse_args([])
    assert (defaults.host, defaults.port, defaults.rate_limit_per_minute) == ("127.0.0.1", 0, 200)
    assert (defaults.rate_limit_per_hour, defaults.max_columns) == (10_000, 100)


def test_importing_the_cli_module_stays_light() -> None:
    code = (
        "import sys, schemac.cli.sandbox; "
        "heavy = {'pydantic', 'http.server', 'sqlite3', 'schemac.sandbox.server'}; "
        "heavy &= set(sys.modules); "
        "print(sorted(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=20
    )
    assert result.stdout.strip() == "[]", result.stderr


def test_schemac_sandbox_subcommand_uses_configure_and_run() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "schemac", "sandbox", "--fault-rate", "2"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=20,
    )
    assert result.returncode == 2 and "fault rate 2.0 is outside 0..1" in result.stderr


def test_a_port_in_use_is_reported_not_a_traceback() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "schemac.sandbox", "--port", str(port)],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=20,
        )
    assert result.returncode == 2
    assert f"cannot start on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr

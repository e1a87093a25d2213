"""`schemac lsp`: diagnostics for a 100-column schema after an edit, warm, over real stdio.

    python benchmarks/lsp_bench.py [--edits 30] [--columns 100]

A client (pygls) starts `schemac lsp` in a scratch workspace holding the repository's schemas
and one wide schema, opens the wide one and waits for its first diagnostics (cold). Then:

- single edits: change one path (alternately to a path the catalog lacks and back), and time
  from sending the change to receiving the diagnostics of that version (debounce included);
- a burst: ten keystrokes sent without waiting, timed from the last to its diagnostics, and
  counted: how many checks were published for the burst (stale versions are never checked);
- the baseline, in the same run: `schemac validate` of the same workspace as a new process
  (what an editor plugin that shells out to the CLI pays per edit).

The target is 150 ms for a warm edit.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from lsprotocol import types
from pygls.lsp.client import BaseLanguageClient

REPO = Path(__file__).resolve().parent.parent
TARGET_MS = 150.0


def wide_schema(columns: int) -> str:
    lines = [
        "name: wide",
        "category: trade",
        "exchanges: [binance, bybit_linear]",
        "unfold:",
        "  bybit_linear: data",
        "columns:",
        "  received_at:",
        "    meta: collection_timestamp_ns",
    ]
    for number in range(columns - 1):
        lines += [f"  price_{number}:", "    type: decimal(8)", "    from:"]
        if number % 3 == 0:
            lines += ["      binance: {path: data.p, transform: 'round({v}, 2)'}"]
        else:
            lines += ["      binance: data.p"]
        lines += ["      bybit_linear: data.p"]
    return "\n".join(lines) + "\n"


class Client(BaseLanguageClient):
    def __init__(self) -> None:
        super().__init__("lsp-bench", "1")
        self.published: list[tuple[float, str, int | None, int]] = []
        self.arrived = asyncio.Event()

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(params: types.PublishDiagnosticsParams) -> None:
            found = (time.perf_counter(), params.uri, params.version, len(params.diagnostics))
            self.published.append(found)
            self.arrived.set()

    async def wait_version(self, uri: str, version: int) -> float:
        while True:
            for at, published_uri, published_version, _ in reversed(self.published):
                if published_uri == uri and published_version == version:
                    return at
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), timeout=60)


def edit(client: Client, uri: str, version: int, line: int, old: str, new: str) -> None:
    start = types.Position(line, len("      bybit_linear: "))
    end = types.Position(line, len("      bybit_linear: ") + len(old))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(range=types.Range(start, end), text=new)
            ],
        )
    )


class Measured(NamedTuple):
    cold: float  # seconds
    warm: list[float]
    warm_cpu: float | None  # the server's CPU seconds per warm edit (Linux), None elsewhere
    burst_last: float
    burst_checks: int


async def measure(root: Path, edits: int) -> Measured:
    client = Client()
    await client.start_io(sys.executable, "-m", "schemac", "lsp")
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=root.as_uri())
    )
    client.initialized(types.InitializedParams())
    file = root / "schemas" / "wide.yaml"
    text = file.read_text()
    uri = file.as_uri()
    started = time.perf_counter()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "yaml", 1, text))
    )
    cold = (await client.wait_version(uri, 1)) - started
    line = text.splitlines().index("      bybit_linear: data.p", 200)
    version, current, latencies = 1, "data.p", []
    pid = client._server.pid if client._server is not None else None
    cpu_before = 0.0
    for number in range(edits + 3):  # the first three warm up
        if number == 3:
            cpu_before = cpu_seconds(pid)
        version += 1
        new = "data.px" if current == "data.p" else "data.p"
        sent = time.perf_counter()
        edit(client, uri, version, line, current, new)
        current = new
        arrived = await client.wait_version(uri, version)
        if number >= 3:
            latencies.append(arrived - sent)
    cpu_after = cpu_seconds(pid)
    warm_cpu = (cpu_after - cpu_before) / edits if cpu_after else None
    before = len(client.published)
    for _ in range(10):  # a burst of keystrokes: `data.p` -> `data.px` -> ... without waiting
        version += 1
        new = current + "x"
        edit(client, uri, version, line, current, new)
        current = new
        sent = time.perf_counter()
    last = (await client.wait_version(uri, version)) - sent
    await asyncio.sleep(0.3)  # anything still to come for the burst
    burst_checks = len({p[2] for p in client.published[before:] if p[1] == uri})
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return Measured(cold, latencies, warm_cpu, last, burst_checks)


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of process ``pid`` so far (Linux /proc), or 0.0."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except (OSError, TypeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def validate_subprocess(root: Path, runs: int = 3) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "schemac", "validate"],
            cwd=root,
            env=env,
            capture_output=True,
            check=False,
        )
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--columns", type=int, default=100)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        shutil.copytree(REPO / "schemas", root / "schemas")
        (root / "schemas" / "wide.yaml").write_text(wide_schema(options.columns))
        result = asyncio.run(measure(root, options.edits))
        baseline = 1000 * statistics.median(validate_subprocess(root))
    warm = sorted(1000 * t for t in result.warm)
    median, p90 = statistics.median(warm), warm[int(0.9 * (len(warm) - 1))]
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    print(f"workspace: {options.columns}-column schema + the repository's 5 schemas")
    print(f"machine: load average per core {load:.1f} (1.0 = every core busy)")
    print(f"lsp open (cold, server start excluded): {1000 * result.cold:7.1f} ms")
    print(
        f"lsp edit -> diagnostics (warm, n={len(warm)}): median {median:6.1f} ms, "
        f"p90 {p90:6.1f} ms, max {warm[-1]:6.1f} ms (target {TARGET_MS:.0f} ms)"
    )
    if result.warm_cpu is not None:
        print(f"lsp server CPU per warm edit: {1000 * result.warm_cpu:6.1f} ms (contention aside)")
    print(
        f"lsp burst of 10 keystrokes: last -> diagnostics {1000 * result.burst_last:6.1f} ms, "
        f"{result.burst_checks} check(s) published"
    )
    print(f"baseline `schemac validate` (new process): median {baseline:6.1f} ms")
    verdict = "meets" if p90 <= TARGET_MS else "misses"
    print(
        f"warm p90 {verdict} the {TARGET_MS:.0f} ms target; a warm edit is "
        f"{baseline / median:.1f}x faster than the baseline"
    )


if __name__ == "__main__":
    main()

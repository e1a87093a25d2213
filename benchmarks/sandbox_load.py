"""A burst of concurrent clients against the sandbox: how many are answered, and how fast.

    python benchmarks/sandbox_load.py [--clients 1000] [--timeout 10]

Starts the sandbox in its own process on 127.0.0.1 twice: as it is now (listen backlog 4096)
and with the standard library's default backlog of 5 (the baseline, what it was before). Each
time, N clients open a connection at once and send one GET /v1/exchanges; the script prints
how many got a 200, how many were reset or timed out, and the latency percentiles of the
answered ones (connect to last byte). Loopback only; bounded in count and in time (each client
gives up after --timeout seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

KEY = "key_bench.local"
REPO = Path(__file__).resolve().parent.parent

# The sandbox process: serve until stdin closes. BACKLOG overrides the listen backlog (the
# baseline sets the standard library's default, 5).
SERVER = """
import sys
from schemac.sandbox import server
from schemac.sandbox.config import SandboxConfig
backlog = int(sys.argv[1])
if backlog:
    server._Server.request_queue_size = backlog
config = SandboxConfig(api_keys=(sys.argv[2],), rate_limit_per_minute=10**9,
                       rate_limit_per_hour=10**9)
sandbox = server.serve(config)
print(sandbox.host, sandbox.port, server._Server.request_queue_size, flush=True)
sys.stdin.read()
sandbox.stop()
"""


@dataclass
class Round:
    backlog: int
    outcomes: Counter[str]
    latencies: list[float]  # seconds, answered clients only
    wall: float


async def one_client(host: str, port: int, timeout: float) -> tuple[str, float]:
    request = (
        f"GET /v1/exchanges HTTP/1.1\r\nHost: {host}\r\nX-Api-Key: {KEY}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            received = await reader.read()
            writer.close()
    except TimeoutError:
        return "timed out", 0.0
    except ConnectionResetError:
        return "reset", 0.0
    except OSError as problem:
        return type(problem).__name__, 0.0
    status = received.split(b" ", 2)[1].decode() if received else "closed without a response"
    return status, time.perf_counter() - started


async def burst(host: str, port: int, clients: int, timeout: float) -> list[tuple[str, float]]:
    return await asyncio.gather(*(one_client(host, port, timeout) for _ in range(clients)))


def run_round(backlog: int, clients: int, timeout: float) -> Round:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(backlog), KEY],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        assert server.stdout is not None and server.stdin is not None
        host, port, used_backlog = server.stdout.readline().split()
        started = time.perf_counter()
        results = asyncio.run(burst(host, int(port), clients, timeout))
        wall = time.perf_counter() - started
        server.stdin.close()
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    latencies = [seconds for status, seconds in results if status == "200"]
    return Round(int(used_backlog), Counter(status for status, _ in results), latencies, wall)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def describe(label: str, result: Round, clients: int) -> str:
    answered = result.outcomes.get("200", 0)
    others = ", ".join(
        f"{count} {status}" for status, count in result.outcomes.items() if status != "200"
    )
    ms = [seconds * 1000 for seconds in result.latencies]
    median = statistics.median(ms) if ms else float("nan")
    return (
        f"{label} (backlog {result.backlog}): {answered}/{clients} answered"
        f"{'; ' + others if others else ', none reset or timed out'}; "
        f"p50 {median:.0f} ms, p99 {percentile(ms, 0.99):.0f} ms, "
        f"max {max(ms, default=float('nan')):.0f} ms; wall {result.wall:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=10.0, help="per client, seconds")
    options = parser.parse_args()
    print(
        f"{options.clients} concurrent clients, one GET /v1/exchanges each on a new connection, "
        f"sandbox in its own process on 127.0.0.1, {os.cpu_count()} cores, "
        f"client timeout {options.timeout:.0f} s"
    )
    now = run_round(0, options.clients, options.timeout)
    print(describe("now     ", now, options.clients))
    before = run_round(5, options.clients, options.timeout)
    print(describe("baseline", before, options.clients))
    if now.outcomes.get("200", 0) != options.clients:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""`schemac run` throughput against a plain Python reference, in the same run.

Generates N Binance trade messages (and N/10 Bybit trade messages, one unfold of 2 trades each),
then times:
  - the reference: json.loads and dict walking in Python, writing nothing (this benchmark only);
  - `schemac run` of a 6-column trade schema (and of the Bybit unfold schema) on each engine,
    writing Parquet, as a subprocess, the way a user runs it.

    python benchmarks/run_bench.py [N] [--best-of K]    # default N = 1,000,000, K = 1

Prints messages per second for each, and each engine's ratio to the reference. Each time is
the best of K runs (the machine is shared: the best run is the one least disturbed). A run's
fixed cost (starting Python, loading and checking the schema, loading the engine) is measured
too, as a run over 1,000 messages, and the rate of the rest is printed beside the whole.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BINANCE_SCHEMA = """\
name: bench_trades
category: trade
exchanges: [binance]
columns:
  received_at: {meta: collection_timestamp_ns, format: ms}
  trade_time: {type: i64, from: data.T}
  symbol: {type: string, from: data.s}
  price: {type: decimal(8), from: data.p}
  quantity: {type: decimal(8), from: data.q}
  side:
    type: string
    from: {binance: {path: data.m, type: bool, case: {true: sell, false: buy}}}
"""
BYBIT_SCHEMA = """\
name: bench_bybit
category: trade
exchanges: [bybit_linear]
unfold: {bybit_linear: data}
columns:
  received_at: {meta: collection_timestamp_ns, format: ms}
  trade_time: {type: i64, from: data.T}
  symbol: {type: string, from: data.s}
  price: {type: decimal(8), from: data.p}
  quantity: {type: decimal(8), from: data.v}
  side:
    type: string
    from: {bybit_linear: {path: data.S, case: {Buy: buy, Sell: sell}}}
"""


def binance_message(i: int) -> str:
    return json.dumps(
        {
            "stream": "btcusdt@trade",
            "data": {
                "e": "trade", "E": 1767225600000 + i, "s": "BTCUSDT", "t": 5120448817 + i,
                "p": f"{94210 + (i % 1000) / 100:.8f}", "q": f"{(i % 97) / 1000:.8f}",
                "T": 1767225600000 + i, "m": i % 2 == 0, "M": True,
            },
        },
        separators=(",", ":"),
    )  # fmt: skip


def bybit_message(i: int) -> str:
    trade = {"T": 1767225600000 + i, "s": "BTCUSDT", "S": "Buy" if i % 2 else "Sell",
             "v": "0.010", "p": f"{94180 + (i % 100) / 10:.2f}", "i": str(i)}  # fmt: skip
    return json.dumps({"topic": "publicTrade.BTCUSDT", "ts": 1767225600000 + i,
                       "data": [trade, dict(trade, i=f"{i}b")]}, separators=(",", ":"))  # fmt: skip


def reference(path: Path) -> int:
    """What a user would write without schemac: parse each line and pull the fields."""
    rows = 0
    with open(path) as stream:
        for line in stream:
            data = json.loads(line)["data"]
            _ = (data["T"], data["s"], data["p"], data["q"], "sell" if data["m"] else "buy")
            rows += 1
    return rows


def schemac_run(
    schema: Path, messages: Path, exchange: str, engine: str, out: Path, best_of: int = 1
) -> float:
    """The best time of ``best_of`` runs of `schemac run`, each a whole process."""
    times = []
    for _ in range(best_of):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "schemac", "run", str(schema), "--input", str(messages),
             "--exchange", exchange, "--engine", engine, "-o", str(out), "--force"],
            check=True, capture_output=True,
        )  # fmt: skip
        times.append(time.perf_counter() - started)
    return min(times)


def best_reference(path: Path, best_of: int) -> float:
    times = []
    for _ in range(best_of):
        started = time.perf_counter()
        reference(path)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    arguments = sys.argv[1:]
    best_of = 1
    if "--best-of" in arguments:
        at = arguments.index("--best-of")
        best_of = int(arguments[at + 1])
        del arguments[at : at + 2]
    count = int(arguments[0]) if arguments else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        binance, bybit = work / "binance.jsonl", work / "bybit.jsonl"
        binance.write_text("".join(binance_message(i) + "\n" for i in range(count)))
        bybit.write_text("".join(bybit_message(i) + "\n" for i in range(count // 10)))
        small = work / "small.jsonl"
        small.write_text("".join(binance_message(i) + "\n" for i in range(1000)))
        (work / "b.yaml").write_text(BINANCE_SCHEMA)
        (work / "y.yaml").write_text(BYBIT_SCHEMA)
        (work / "schemac.toml").write_text("")
        os.chdir(work)
        python_rate = count / best_reference(binance, best_of)
        size = binance.stat().st_size / 1e6
        print(f"{count:,} Binance trade messages ({size:,.0f} MB), {os.cpu_count()} cores, "
              f"best of {best_of}")  # fmt: skip
        print(f"  python reference (json.loads)     {python_rate:>12,.0f} msg/s")
        for engine in ("clickhouse", "duckdb"):
            out = work / "o.parquet"
            seconds = schemac_run(work / "b.yaml", binance, "binance", engine, out, best_of)
            fixed = schemac_run(work / "b.yaml", small, "binance", engine, out, best_of)
            rate = count / seconds
            after = f"{count / (seconds - fixed):,.0f}" if seconds > fixed else "(too noisy)"
            print(f"  schemac run --engine {engine:<10}  {rate:>12,.0f} msg/s  "
                  f"({rate / python_rate:.1f}x the reference, {seconds:.2f} s; "
                  f"{fixed:.2f} s of it fixed, {after} msg/s after)")  # fmt: skip
        print(f"{count // 10:,} Bybit messages, unfold of 2 trades each")
        for engine in ("clickhouse", "duckdb"):
            out = work / "y.parquet"
            seconds = schemac_run(work / "y.yaml", bybit, "bybit_linear", engine, out, best_of)
            print(f"  schemac run --engine {engine:<10}  {count // 10 / seconds:>12,.0f} msg/s")


if __name__ == "__main__":
    main()

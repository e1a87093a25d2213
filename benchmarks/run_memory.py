"""Peak memory of `schemac run` as its input grows: streaming means a flat line.

    python benchmarks/run_memory.py [MB ...]        # default: 100 1000

Writes a JSON Lines file of Binance trade messages of each size (a block repeated), runs
`schemac run` over it into Parquet, and prints the peak resident memory of that process next to
the input size. The baseline in the same run is the smallest input: a streaming run's peak stays
near it whatever the input's size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_bench import BINANCE_SCHEMA, binance_message

PEAK_OF_CHILD = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def write_input(path: Path, megabytes: int) -> int:
    block = "".join(binance_message(i) + "\n" for i in range(50_000))
    lines_per_block = 50_000
    written = blocks = 0
    with open(path, "w") as stream:
        while written < megabytes * 1_000_000:
            stream.write(block)
            written += len(block)
            blocks += 1
    return blocks * lines_per_block


def peak_kib(command: list[str]) -> int:
    """The peak resident set of ``command`` alone (a fresh parent, so no other child counts)."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK_OF_CHILD, *command], check=True, capture_output=True, text=True
    )
    return int(result.stdout.strip())


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "b.yaml").write_text(BINANCE_SCHEMA)
        (work / "schemac.toml").write_text("")
        os.chdir(work)
        print(f"{'input':>8}  {'messages':>12}  {'peak RSS':>9}  {'seconds':>7}")
        for megabytes in sizes:
            messages = work / "in.jsonl"
            count = write_input(messages, megabytes)
            command = [sys.executable, "-m", "schemac", "run", "b.yaml", "--input", str(messages),
                       "--exchange", "binance", "-o", "out.parquet", "--force"]  # fmt: skip
            started = time.perf_counter()
            peak = peak_kib(command)
            seconds = time.perf_counter() - started
            print(f"{megabytes:>6}MB  {count:>12,}  {peak / 1024:>7.0f}MB  {seconds:>7.1f}")
            messages.unlink()


if __name__ == "__main__":
    main()

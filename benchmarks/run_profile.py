"""Where a `schemac run` spends its time, stage by stage, in CPU seconds for N messages.

    python benchmarks/run_profile.py [N]        # default N = 1,000,000

Runs the stages of `schemac run` one after the other in this process (no threads), on the
6-column Binance trade schema of run_bench.py, and prints the CPU time (user + system, every
thread of the process) of each: loading and checking the schema, loading the engine and
pyarrow, reading the input into batches, checking each message is JSON, the query, and
writing Parquet. The query is timed twice: rendered with one read per path (the baseline,
`parse_once=False`) and as shipped (each message parsed once). CPU time, not wall time: on a
shared machine it is the figure other processes disturb least, and two cores give at most
twice as many CPU seconds as wall seconds.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_bench import BINANCE_SCHEMA, binance_message


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def profile(engine_name: str, schema_path: Path, messages: Path) -> list[tuple[str, float]]:
    stages: list[tuple[str, float]] = []
    mark = cpu()

    def stage(name: str) -> None:
        nonlocal mark
        now = cpu()
        stages.append((name, now - mark))
        mark = now

    import pyarrow.parquet as pq

    from schemac.config import Config
    from schemac.project import check_project, load_project

    project = load_project([str(schema_path)], Config(root=schema_path.parent))
    check_project(project)
    schema = project.schemas[0]
    stage("load and check the schema")
    from schemac.run.engines import open_engine
    from schemac.run.execute import with_validity
    from schemac.run.inputs import batches, file_sources
    from schemac.run.sql import render_sql

    engine = open_engine(engine_name)
    table = getattr(engine, "table_batched", engine.table)
    per_path = render_sql(schema, engine_name, table, parse_once=False, valid_column="_valid")
    sql = engine.render_batched(schema)
    first = next(batches(file_sources([str(messages)], "binance", ["binance"]), batch_rows=10))
    for warm_up in (per_path, sql):  # the engines' first query loads more of their code
        engine.rows(warm_up, with_validity(first, engine.invalid_lines(first)))
    stage("load the engine and pyarrow, warm up")
    raw = list(batches(file_sources([str(messages)], "binance", ["binance"])))
    stage("read the input into batches")
    invalid = [engine.invalid_lines(batch) for batch in raw]
    stage("check each message is JSON")
    marked = [with_validity(batch, bad) for batch, bad in zip(raw, invalid, strict=True)]
    for batch in marked:
        engine.rows(per_path, batch)
    stage("query, one read per path (baseline)")
    rows = [engine.rows(sql, batch) for batch in marked]
    stage("query, each message parsed once")
    writer = pq.ParquetWriter(str(messages.parent / "out.parquet"), rows[0].schema)
    for table_rows in rows:
        writer.write_table(table_rows.cast(rows[0].schema))
    writer.close()
    stage("write Parquet")
    return stages


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        messages = work / "binance.jsonl"
        messages.write_text("".join(binance_message(i) + "\n" for i in range(count)))
        (work / "b.yaml").write_text(BINANCE_SCHEMA)
        (work / "schemac.toml").write_text("")
        os.chdir(work)
        print(f"{count:,} Binance trade messages, CPU seconds per stage")
        for engine in ("clickhouse", "duckdb"):
            command = [sys.executable, __file__, "--engine", engine, str(count), str(work)]
            os.spawnv(os.P_WAIT, sys.executable, command)


def child() -> None:
    engine, count, folder = sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    stages = profile(engine, folder / "b.yaml", folder / "binance.jsonl")
    print(f"  {engine}")
    shipped = sum(seconds for name, seconds in stages if "baseline" not in name)
    for name, seconds in stages:
        print(f"    {name:<40} {seconds:6.2f}")
    print(f"    {'total as shipped (baseline query left out)':<40} {shipped:6.2f}  "
          f"({count / shipped * 2:,.0f} msg/s if both cores were busy all along)")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--engine":
        child()
    else:
        main()

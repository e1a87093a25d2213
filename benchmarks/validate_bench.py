"""Benchmark: `schemac validate` against `check-jsonschema` on the same schemas, same run.

    pip install -e ".[bench]"
    python benchmarks/validate_bench.py [--files 1 200] [--repeat 7]

For each N, it generates N schemas (25 columns, three exchanges, a `case` column and a
`transform` column each, every transform distinct), writes them as YAML for schemac and compiled
to wire JSON for check-jsonschema (`--schemafile` = `schemac json-schema --wire`), then times
both commands as subprocesses, alternating, and prints the median wall times and the ratio.
schemac does strictly more work: it parses every transform as SQL and runs every rule.
schemac is timed twice: "cold" with its transform cache off (SCHEMAC_NO_CACHE=1: sqlglot is
imported and every transform parsed), and "warm" with the cache filled by a previous run, which
is the pre-commit case (the same transforms, commit after commit).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXCHANGES = ["binance", "bybit_linear", "bybit_spot"]


def schema_yaml(index: int) -> str:
    lines = [
        f"name: bench_{index}",
        "category: trade",
        f"exchanges: [{', '.join(EXCHANGES)}]",
        "unfold:",
        "  bybit_*: data",
        "columns:",
        "  received_at: {meta: collection_timestamp_ns, format: ms}",
        "  side:",
        "    type: string",
        "    from:",
        "      binance: {path: data.m, type: bool, case: {true: sell, false: buy}}",
        "      bybit_*: {path: data.S, case: {Buy: buy, Sell: sell}}",
        "  notional:",
        "    type: f64",
        "    from:",
        f"      binance: {{path: data.p, transform: 'toFloat64({{v}}) * {index + 1}'}}",
        f"      bybit_*: {{path: data.p, transform: 'toFloat64({{v}}) * {index + 2}'}}",
    ]
    for column in range(22):
        lines += [
            f"  price_{column}:",
            "    type: decimal(8)",
            "    from:",
            "      binance: data.p",
            "      bybit_*: data.p",
        ]
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int) -> tuple[Path, Path]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import schemac
    from schemac.config import Config
    from schemac.render.wire import dumps

    yaml_dir, json_dir = folder / "yaml", folder / "json"
    yaml_dir.mkdir(parents=True)
    json_dir.mkdir()
    for index in range(count):
        (yaml_dir / f"bench_{index}.yaml").write_text(schema_yaml(index))
    project = schemac.load_project([str(yaml_dir)], Config(root=folder))
    errors = [d for d in schemac.check(project) if d.severity.value == "error"]
    if errors:
        raise SystemExit(f"generated schemas have errors: {errors[:3]}")
    for schema in project.schemas:
        (json_dir / f"{schema.name}.json").write_text(dumps(schemac.compile_schema(schema)))
    return yaml_dir, json_dir


def wall(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[1, 200])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    check_jsonschema = shutil.which("check-jsonschema", path=str(bindir)) or shutil.which(
        "check-jsonschema"
    )
    if check_jsonschema is None:
        raise SystemExit("check-jsonschema is not installed: pip install -e '.[bench]'")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {args.repeat} runs")
    print(
        f"{'files':>6}  {'schemac cold':>12}  {'schemac warm':>12}  {'check-jsonschema':>16}"
        f"  {'cold ratio':>10}  {'warm ratio':>10}"
    )
    for count in args.files:
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary)
            yaml_dir, json_dir = generate(folder, count)
            wire_schema = folder / "wire.schema.json"
            wire_schema.write_text(
                subprocess.run(
                    [sys.executable, "-m", "schemac", "json-schema", "--wire"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            (folder / "schemac.toml").write_text("")  # no configuration from outside the bench
            ours = [sys.executable, "-m", "schemac", "validate", str(yaml_dir)]
            theirs = [
                check_jsonschema,
                "--schemafile",
                str(wire_schema),
                *sorted(str(p) for p in json_dir.iterdir()),
            ]
            cold_env = {**os.environ, "SCHEMAC_NO_CACHE": "1"}
            warm_env = {**os.environ, "SCHEMAC_CACHE_DIR": str(folder / "cache")}
            wall(ours, folder, warm_env), wall(theirs, folder)  # fill the caches (OS, schemac)
            cold, warm, other = [], [], []
            for _ in range(args.repeat):  # alternate, so drift affects all alike
                cold.append(wall(ours, folder, cold_env))
                warm.append(wall(ours, folder, warm_env))
                other.append(wall(theirs, folder))
            a, w, b = (statistics.median(t) for t in (cold, warm, other))
            print(
                f"{count:>6}  {a * 1000:>10.0f}ms  {w * 1000:>10.0f}ms  {b * 1000:>14.0f}ms"
                f"  {a / b:>10.2f}  {w / b:>10.2f}"
            )
    print("ratio = schemac time / check-jsonschema time (target: at most 0.50)")


if __name__ == "__main__":
    main()

"""Benchmark: `schemac validate` against `check-jsonschema` on the same schemas, same run.

    pip install ".[bench]"     # a regular install: an editable one adds ~20 ms of start-up
    python benchmarks/validate_bench.py [--files 1 200] [--repeat 9] [--findings-files 2000]

For each N, it generates N schemas (25 columns, three exchanges, a `case` column and a
`transform` column each, every transform distinct), writes them as YAML for schemac and compiled
to wire JSON for check-jsonschema (`--schemafile` = `schemac json-schema --wire`), then times
both commands as subprocesses, alternating, and prints the median wall times and the ratio.
schemac does strictly more work: it parses every transform as SQL and runs every rule.
schemac is timed twice: "cold" with its transform cache off (SCHEMAC_NO_CACHE=1: sqlglot is
imported and every transform parsed), and "warm" with the cache filled by a previous run, which
is the pre-commit case (the same transforms, commit after commit).

A second case holds many findings per file: N clean files (default 2,000) whose ten exchanges
have no catalog entry, so that each file carries ten `info` findings (SC609) and the run reports
20,000. It is timed against check-jsonschema on the same files, and against schemac on the same
files without the findings (one exchange that has a catalog entry): collecting findings must stay
linear, so the "findings overhead" stays near 1 (de-duplicating them over a growing list once
made this case take minutes).
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
from collections.abc import Callable
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


FINDINGS_EXCHANGES = [f"venue{i}" for i in range(10)]  # no catalog entry: one SC609 each
CATALOG_ENTRY = (
    "exchange: {code}\ncategories:\n  trade:\n    status: inferred\n    source: bench\n"
    "    paths: {{data: obj, data.p: sdec}}\n"
)


def findings_yaml(index: int, exchanges: list[str]) -> str:
    return (
        f"name: many_{index}\ncategory: trade\nexchanges: [{', '.join(exchanges)}]\n"
        "columns:\n  received_at: {meta: collection_timestamp_ns, format: ms}\n"
        "  price:\n    type: decimal(8)\n    from: data.p\n"
    )


def generate(
    folder: Path, count: int, render: Callable[[int], str] = schema_yaml
) -> tuple[Path, Path]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import schemac
    from schemac.config import Config
    from schemac.render.wire import dumps

    yaml_dir, json_dir = folder / "yaml", folder / "json"
    yaml_dir.mkdir(parents=True)
    json_dir.mkdir()
    for index in range(count):
        text = render(index)
        name = text.split("\n", 1)[0].removeprefix("name: ")
        (yaml_dir / f"{name}.yaml").write_text(text)
    # Every file comes from one template: checking a few is enough (checking thousands in
    # process would time the very step the many-findings case measures).
    sample = sorted(str(p) for p in yaml_dir.iterdir())[:20]
    checked = schemac.load_project(sample, Config(root=folder))
    errors = [d for d in schemac.check(checked) if d.severity.value == "error"]
    if errors:
        raise SystemExit(f"generated schemas have errors: {errors[:3]}")
    project = schemac.load_project([str(yaml_dir)], Config(root=folder))
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


def wire_schema_file(folder: Path) -> Path:
    wire_schema = folder / "wire.schema.json"
    command = [sys.executable, "-m", "schemac", "json-schema", "--wire"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    wire_schema.write_text(result.stdout)
    return wire_schema


def jsonschema_command(check_jsonschema: str, folder: Path, json_dir: Path) -> list[str]:
    files = sorted(str(p) for p in json_dir.iterdir())
    return [check_jsonschema, "--schemafile", str(wire_schema_file(folder)), *files]


def validate_command(yaml_dir: Path) -> list[str]:
    return [sys.executable, "-m", "schemac", "validate", str(yaml_dir)]


def time_files(check_jsonschema: str, count: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        yaml_dir, json_dir = generate(folder, count)
        (folder / "schemac.toml").write_text("")  # no configuration from outside the bench
        ours = validate_command(yaml_dir)
        theirs = jsonschema_command(check_jsonschema, folder, json_dir)
        cold_env = {**os.environ, "SCHEMAC_NO_CACHE": "1"}
        warm_env = {**os.environ, "SCHEMAC_CACHE_DIR": str(folder / "cache")}
        wall(ours, folder, warm_env), wall(theirs, folder)  # fill the caches (OS, schemac)
        cold, warm, other = [], [], []
        for _ in range(repeat):  # alternate, so drift affects all alike
            cold.append(wall(ours, folder, cold_env))
            warm.append(wall(ours, folder, warm_env))
            other.append(wall(theirs, folder))
        a, w, b = (statistics.median(t) for t in (cold, warm, other))
        print(
            f"{count:>6}  {a * 1000:>10.0f}ms  {w * 1000:>10.0f}ms  {b * 1000:>14.0f}ms"
            f"  {a / b:>10.2f}  {w / b:>10.2f}"
        )


def time_findings(check_jsonschema: str, count: int, repeat: int) -> None:
    """Many findings per file, against check-jsonschema and against the same files without."""
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        with_findings = folder / "with"
        without = folder / "without"
        with_findings.mkdir()
        without.mkdir()
        yaml_dir, json_dir = generate(
            with_findings, count, lambda i: findings_yaml(i, FINDINGS_EXCHANGES)
        )
        # The same files where each exchange has a catalog entry: the same work, no findings.
        catalog = without / "catalog"
        catalog.mkdir()
        for code in FINDINGS_EXCHANGES:
            (catalog / f"{code}.yaml").write_text(CATALOG_ENTRY.format(code=code))
        (without / "schemac.toml").write_text('catalog_dirs = ["catalog"]\n')
        plain_dir, _ = generate(without, count, lambda i: findings_yaml(i, FINDINGS_EXCHANGES))
        exchanges = ", ".join(f'"{code}"' for code in FINDINGS_EXCHANGES)
        for root in (with_findings, without):
            with (root / "schemac.toml").open("a") as config:
                config.write(f"exchanges = [{exchanges}]\n")
        theirs = jsonschema_command(check_jsonschema, folder, json_dir)
        env = {**os.environ, "SCHEMAC_NO_CACHE": "1"}  # no transforms: the cache plays no part
        ours, baseline = validate_command(yaml_dir), validate_command(plain_dir)
        wall(ours, with_findings, env), wall(theirs, folder)
        timed: tuple[list[float], list[float], list[float]] = ([], [], [])
        for _ in range(repeat):
            timed[0].append(wall(ours, with_findings, env))
            timed[1].append(wall(baseline, without, env))
            timed[2].append(wall(theirs, folder))
        a, base, b = (statistics.median(t) for t in timed)
        print(
            f"{count:>6}  {count * len(FINDINGS_EXCHANGES):>8}  {a * 1000:>11.0f}ms"
            f"  {base * 1000:>13.0f}ms  {b * 1000:>14.0f}ms  {a / base:>8.2f}  {a / b:>6.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[1, 200])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--findings-files", type=int, default=2000, help="0: skip that case")
    parser.add_argument("--findings-repeat", type=int, default=3)
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    check_jsonschema = shutil.which("check-jsonschema", path=str(bindir)) or shutil.which(
        "check-jsonschema"
    )
    if check_jsonschema is None:
        raise SystemExit("check-jsonschema is not installed: pip install '.[bench]'")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {args.repeat} runs")
    print(
        f"{'files':>6}  {'schemac cold':>12}  {'schemac warm':>12}  {'check-jsonschema':>16}"
        f"  {'cold ratio':>10}  {'warm ratio':>10}"
    )
    for count in args.files:
        time_files(check_jsonschema, count, args.repeat)
    print("ratio = schemac time / check-jsonschema time (target: at most 0.50 warm, 0.60 cold)")
    if args.findings_files > 0:
        print(f"\nmany findings per file, median of {args.findings_repeat} runs")
        print(
            f"{'files':>6}  {'findings':>8}  {'with findings':>13}  {'without findings':>15}"
            f"  {'check-jsonschema':>16}  {'overhead':>8}  {'ratio':>6}"
        )
        time_findings(check_jsonschema, args.findings_files, args.findings_repeat)
        print("overhead = with / without findings (stays near 1 while collecting is linear)")


if __name__ == "__main__":
    main()

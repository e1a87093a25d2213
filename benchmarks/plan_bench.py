"""Plan 100 schemas against the sandbox: requests made and wall time.

    /work/venv/bin/python benchmarks/plan_bench.py [--schemas 100]

Publishes N schemas, changes half of them locally, then times a plan (1 list + one get per
schema, in parallel) and an unchanged re-publish (no write at all).
"""

from __future__ import annotations

import argparse
import time

from schemac.config import Config
from schemac.core.loader import load_text
from schemac.core.parse import parse_document
from schemac.remote.apply import apply_plan
from schemac.remote.client import Remote, RetryPolicy
from schemac.remote.local import LocalSchema
from schemac.remote.plan import build_plan, fetch_remote
from schemac.render.wire import to_wire
from schemac.sandbox import start_sandbox

KEY = "key_bench.local"


def schema_text(i: int, extra: bool) -> str:
    more = "  qty:\n    type: decimal(8)\n    from: data.q\n" if extra else ""
    return (
        f"name: bench_{i:03d}\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
        "  ts:\n    meta: collection_timestamp_ns\n"
        f"  price:\n    type: decimal(18)\n    from: data.p\n{more}"
    )


def local(text: str) -> LocalSchema:
    root, _ = load_text("bench.yaml", text)
    assert root is not None
    schema, _ = parse_document(root, "bench.yaml", Config())
    assert schema is not None
    return LocalSchema(schema, to_wire(schema))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schemas", type=int, default=100)
    count = parser.parse_args().schemas
    originals = [local(schema_text(i, False)) for i in range(count)]
    changed = [local(schema_text(i, i % 2 == 0)) for i in range(count)]
    with start_sandbox([KEY], rate_limit_per_minute=100_000, rate_limit_per_hour=1_000_000) as sb:
        with Remote(KEY, sb.url, retry=RetryPolicy(initial=0.01)) as remote:
            apply_plan(
                remote,
                build_plan(
                    originals, fetch_remote(remote, None), include_remote_only=False
                ).schemas,
            )
        with Remote(KEY, sb.url) as remote:
            started = time.perf_counter()
            plan = build_plan(changed, fetch_remote(remote, None), include_remote_only=True)
            elapsed = time.perf_counter() - started
            updates = sum(1 for p in plan.schemas if p.action == "update")
            print(
                f"plan of {count} schemas ({updates} changed): {elapsed * 1000:.0f} ms, "
                f"{remote.requests['GET']} GET requests "
                f"(1 list + {remote.requests['GET'] - 1} gets, 8 in parallel), "
                f"{remote.writes} writes"
            )
        with Remote(KEY, sb.url) as remote:
            started = time.perf_counter()
            plan = build_plan(
                originals,
                fetch_remote(remote, None),
                include_remote_only=False,
            )
            result = apply_plan(remote, plan.schemas)
            elapsed = time.perf_counter() - started
            print(
                f"unchanged re-publish of {count} schemas: {elapsed * 1000:.0f} ms, "
                f"{sum(remote.requests.values())} requests, {remote.writes} writes, "
                f"{len(result.outcomes)} applied"
            )


if __name__ == "__main__":
    main()

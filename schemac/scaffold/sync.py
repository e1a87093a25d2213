"""`schemac new sync NAME`: a sync spec's text, checked as `validate` reads it.

    text, findings = new_sync_spec("btc_trades", Path("."), schema="my_trades",
                                   datastreams=["binance:BTCUSDT:trade"])

The text is written in the order of docs/sync.md's example, every scalar by the one YAML
scalar writer; the findings are those of reading it back (schemac.core.syncspec), so a spec
with an error is never written.
"""

from __future__ import annotations

from pathlib import Path

from schemac.core.loader import load_text
from schemac.core.syncspec import parse_sync_document
from schemac.core.yamltext import scalar
from schemac.diagnostics import Diagnostic


def sync_spec_text(
    schema: str,
    datastreams: list[str],
    *,
    destination: str,
    start: str = "3d-ago",
    lag: str = "5m",
    window: str = "1h",
    fmt: str = "csv",
) -> str:
    """A sync spec's YAML text with these values."""
    lines = [f"schema: {scalar(schema)}", "datastreams:"]
    lines += [f"  - {scalar(ref)}" for ref in datastreams]
    lines += [
        f"start: {scalar(start)}",
        f"lag: {scalar(lag)}",
        f"window: {scalar(window)}",
        f"format: {scalar(fmt)}",
        f"destination: {scalar(destination)}",
    ]
    return "\n".join(lines) + "\n"


def new_sync_spec(
    name: str,
    project_root: Path,
    *,
    schema: str,
    datastreams: list[str],
    destination: str | None = None,
    start: str = "3d-ago",
    lag: str = "5m",
    window: str = "1h",
    fmt: str = "csv",
) -> tuple[str, list[Diagnostic]]:
    """The text of sync spec ``name`` and the findings of reading it back (`data/NAME` is the
    default destination)."""
    text = sync_spec_text(
        schema,
        datastreams,
        destination=destination if destination is not None else f"data/{name}",
        start=start,
        lag=lag,
        window=window,
        fmt=fmt,
    )
    file = f"syncs/{name}.yaml"
    root, problems = load_text(file, text)
    if root is None:  # cannot happen: every scalar is written by yamltext.scalar
        return text, problems
    _, found = parse_sync_document(root, file, project_root)
    return text, [*problems, *found]

"""SC603's hints, followed as an author would, reach a read the catalog accepts: for every path
of every shipped entry that lies below a row array, starting from the path written naively
(without positions, without an unfold)."""

from __future__ import annotations

import re

import pytest

from schemac.catalog import load_catalog
from schemac.catalog.model import ELEMENT, Entry
from schemac.checks.catalog import check_schema
from schemac.core.ir import Column, Extractor, Schema, Unfold
from schemac.diagnostics import Span

SPAN_READ, SPAN_UNFOLD = Span("s.yaml", 9, 1, 9, 2), Span("s.yaml", 3, 1, 3, 2)
UNFOLD = re.compile(r"`unfold: \{\w+: ([\w.]+)\}`")
READ_UNFOLDED = re.compile(r"(?:read|then) `([\w.]+)`")  # the read that goes with the unfold
READ = re.compile(r"(?:read|pick one element:|address a position:) `([\w.]+)`")


def _schema(exchange: str, category: str, path: str, unfold: str | None) -> Schema:
    read = Extractor(path, "string", span=SPAN_READ, path_span=SPAN_READ)
    return Schema(
        name="s",
        category=category,
        columns=[Column("c", data={exchange: read}, span=SPAN_READ)],
        exchanges=[exchange],
        unfold={exchange: Unfold(unfold, SPAN_UNFOLD, SPAN_UNFOLD)} if unfold else None,
        source="s.yaml",
    )


def _below_row_arrays() -> list[tuple[str, str, str]]:
    catalog = load_catalog()
    found = []
    for code in catalog.codes():
        info = catalog.exchange(code)
        assert info is not None
        for category, entry in info.entries.items():
            found += [
                (code, category, path)
                for path in entry.paths
                if ELEMENT + "." in path and not path.endswith(ELEMENT) and _is_leaf(entry, path)
            ]
    return found


def _is_leaf(entry: Entry, path: str) -> bool:
    return not entry.children(path)


@pytest.mark.parametrize("case", _below_row_arrays(), ids=lambda c: "/".join(c))
def test_following_the_sc603_hints_reaches_a_path_the_catalog_accepts(
    case: tuple[str, str, str],
) -> None:
    exchange, category, catalog_path = case
    catalog = load_catalog()
    path, unfold = catalog_path.replace(ELEMENT, ""), None
    seen: list[tuple[str, str | None]] = []
    for _ in range(4):
        findings = check_schema(_schema(exchange, category, path, unfold), catalog)
        arrays = [d for d in findings if d.code == "SC603"]
        if not arrays:
            break
        assert (path, unfold) not in seen, f"the hints lead back to {path} under {unfold}"
        seen.append((path, unfold))
        for finding in arrays:  # the unfold's finding first (line 3), then the read's
            hint = finding.hint or ""
            reads = READ
            if (new_unfold := UNFOLD.search(hint)) is not None:
                unfold, reads = new_unfold.group(1), READ_UNFOLDED
            if finding.span.line == SPAN_READ.line and (read := reads.search(hint)) is not None:
                path = read.group(1)
    findings = check_schema(_schema(exchange, category, path, unfold), catalog)
    assert not [d for d in findings if d.code in ("SC601", "SC602", "SC603", "SC604")], (
        path,
        unfold,
        findings,
    )

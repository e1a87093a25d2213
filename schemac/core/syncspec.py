"""Sync spec files (`syncs/*.yaml` beside `schemas/`): read into :class:`SyncSpec` values.

A spec says what `schemac sync` keeps on disk: which schema, which datastreams (a list, or
filters resolved again on every run), from when, how far behind now, in which windows, in which
format, and where. Each file is read by the located loader, so every finding has its place;
the rules are SC42x-SC43x (schemac.rules.sync). What a spec names that only the project or the
catalog can judge (the schema, the exchanges) is checked by schemac.checks.sync.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemac.core.syncfields import SpecReader
from schemac.core.syncrefs import DatastreamFilter
from schemac.core.tree import Node
from schemac.diagnostics import Diagnostic, Severity, Span
from schemac.fileio import DEFAULT_MAX_FILE_BYTES
from schemac.rules import check
from schemac.rules import sync as rules
from schemac.vocabulary import SYNC_FOLDER, YAML_SUFFIXES

__all__ = ["DatastreamFilter", "SyncSpans", "SyncSpec", "load_sync_specs"]


@dataclass(frozen=True)
class SyncSpans:
    """Where a spec's values are written, for the checks' findings."""

    keys: Mapping[str, Span] = field(default_factory=dict)  # top-level key -> its value
    datastreams: tuple[Span, ...] = ()  # one per entry of `datastreams`
    filters: tuple[Mapping[str, Span], ...] = ()  # per filter: field -> value; "" the filter


@dataclass(frozen=True)
class SyncSpec:
    name: str  # the file stem: `schemac sync NAME`
    path: Path
    schema: str  # a schema name of the project (as in `schemac export NAME`)
    datastreams: tuple[str, ...]  # explicit refs (EXCHANGE:INSTRUMENT:STREAM_TYPE or id), or ()
    filters: tuple[DatastreamFilter, ...]  # re-resolved each run, or ()
    start: str  # time grammar text (schemac.core.times), resolved at run time
    lag_ns: int
    window_ns: int
    format: str  # csv | parquet
    format_options: Mapping[str, Any] = field(hash=False)
    destination: Path  # absolute: the project root joined with the spec's `destination`
    parallel: int  # partitions at once
    spans: SyncSpans = field(default_factory=SyncSpans, compare=False, hash=False, repr=False)

    @property
    def source(self) -> str:
        return str(self.path)


def sync_spec_files(root: Path) -> list[str]:
    """The sync specs of the project at ``root``: `syncs/*.yaml` (and `.yml`), sorted."""
    folder = root / SYNC_FOLDER
    try:
        names = sorted(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [
        str(folder / name)
        for name in names
        if not name.startswith(".") and name.lower().endswith(YAML_SUFFIXES)
    ]


@check(
    rules.SYNC_UNKNOWN_KEY,
    rules.SYNC_MISSING_KEY,
    rules.SYNC_INVALID_VALUE,
    rules.SYNC_BAD_TIME,
    rules.SYNC_BAD_DURATION,
    rules.SYNC_BAD_WINDOW,
    rules.SYNC_NEGATIVE_LAG,
    rules.SYNC_UNKNOWN_FORMAT,
    rules.SYNC_BAD_FORMAT_OPTIONS,
    rules.SYNC_DATASTREAMS_OR_MATCH,
    rules.SYNC_BAD_DATASTREAM_REF,
    rules.SYNC_UNKNOWN_STREAM_TYPE,
    rules.SYNC_DESTINATION_OUTSIDE,
    scope="stage",
)
def parse_sync_document(
    root: Node, file: str, project_root: Path
) -> tuple[SyncSpec | None, list[Diagnostic]]:
    """One loaded document -> its spec (None when it has an error) and its findings."""
    reader = SpecReader(file, project_root)
    values = reader.read(root)
    errors = any(d.severity is Severity.ERROR for d in reader.found)
    if values is None or errors:
        return None, reader.found
    spec = SyncSpec(
        name=_stem(file),
        path=Path(file),
        schema=values["schema"],
        datastreams=values["datastreams"],
        filters=values["filters"],
        start=values["start"],
        lag_ns=values["lag_ns"],
        window_ns=values["window_ns"],
        format=values["format"],
        format_options=values["format_options"],
        destination=values["destination"],
        parallel=values["parallel"],
        spans=SyncSpans(reader.key_spans, reader.datastream_spans, reader.filter_spans),
    )
    return spec, reader.found


def _stem(file: str) -> str:
    name = os.path.basename(file)
    for suffix in YAML_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def load_sync_file(
    file: str,
    project_root: Path,
    *,
    text: str | None = None,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> tuple[SyncSpec | None, list[Diagnostic]]:
    """Read and parse one spec file (or ``text``, an editor's buffer, in its place)."""
    from schemac.core.loader import load_file, load_text

    if text is None:
        node, problems = load_file(file, max_bytes)
    else:
        node, problems = load_text(file, text)
    if node is None or any(d.severity is Severity.ERROR for d in problems):
        return None, problems
    spec, found = parse_sync_document(node, file, project_root)
    return spec, [*problems, *found]


@check(rules.SYNC_DESTINATION_SHARED, scope="stage")
def shared_destinations(
    specs: list[SyncSpec], project_root: Path
) -> list[tuple[SyncSpec, Diagnostic]]:
    """SC437 for each spec whose destination is, holds or lies in an earlier spec's."""
    found: list[tuple[SyncSpec, Diagnostic]] = []
    project_root = Path(os.path.abspath(project_root))
    for index, spec in enumerate(specs):
        for earlier in specs[:index]:
            relation = _overlap(spec.destination, earlier.destination)
            if relation is None:
                continue
            span = spec.spans.keys.get("destination") or Span.point(spec.source)
            message = (
                f"destination `{_shown(spec.destination, project_root)}` {relation} the "
                f"destination of sync `{earlier.name}` ({earlier.source}); their files and "
                "cursor states would collide"
            )
            found.append((spec, rules.SYNC_DESTINATION_SHARED.at(span, message)))
            break
    return found


def _overlap(one: Path, other: Path) -> str | None:
    if one == other:
        return "is"
    if one.is_relative_to(other):
        return "lies inside"
    if other.is_relative_to(one):
        return "holds"
    return None


def _shown(destination: Path, project_root: Path) -> str:
    try:
        return destination.relative_to(project_root).as_posix()
    except ValueError:
        return str(destination)


def load_sync_specs(root: Path) -> tuple[list[SyncSpec], list[Diagnostic]]:
    """The sync specs of the project at ``root`` that can run, and every finding of reading
    them (load, parse, shared destinations).

    A spec with an error is left out, as is a spec whose destination collides with an earlier
    one's (by file name). What only `validate` judges (the schema named, the exchanges known)
    is not checked here: `schemac sync` meets those when it resolves and exports.
    """
    root = Path(os.path.abspath(root))
    specs: list[SyncSpec] = []
    found: list[Diagnostic] = []
    for file in sync_spec_files(root):
        spec, problems = load_sync_file(file, root)
        found.extend(problems)
        if spec is not None:
            specs.append(spec)
    shared = shared_destinations(specs, root)
    found.extend(diagnostic for _, diagnostic in shared)
    colliding = {id(spec) for spec, _ in shared}
    return [spec for spec in specs if id(spec) not in colliding], found

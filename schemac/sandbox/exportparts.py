"""An export's files: its messages, through its schema, one file per UTC hour.

The messages are the datastream's in the job's ranges (the request clipped to the account's
subscription spans when the job was created). Each UTC hour that holds messages is one part,
named as the vendor names them: ``{exchange}_{instrument}_{stream_type}_part_{YYYYMMDDHH}``
with ``.csv.gz`` or ``.parquet``.

The rows come from an ``ExportRenderer`` (``SandboxConfig.renderer``; schemac's is
``schemac.run.exportrender.ClickHouseExportRenderer``, which runs `schemac sql` on chDB). The
sandbox imports nothing of schemac but its vocabulary, so without a renderer it writes only
``raw`` CSV itself (the same bytes the renderer writes) and fails every other export with a
reason naming the extra to install.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Protocol

from schemac.sandbox.exporttimes import hour_label, hour_of

RUN_EXTRA = "pip install 'schemac[run]'"
RAW_HEADER = ("collection_timestamp_ns", "raw")
SUFFIXES = {"csv": ".csv.gz", "parquet": ".parquet"}


class ExportRenderer(Protocol):
    """Turns one part's messages into the bytes of its file; ``schema`` None is ``raw``.
    Raises any exception to fail the export (its first line becomes the job's reason)."""

    def render(
        self,
        schema: Mapping[str, Any] | None,
        exchange: str,
        messages: Sequence[tuple[int, str]],
        fmt: str,
        format_options: Mapping[str, Any],
    ) -> bytes: ...


class StreamNames(Protocol):
    """What naming a part needs of a datastream (``catalog.Datastream`` has it)."""

    @property
    def exchange(self) -> str: ...

    @property
    def instrument(self) -> str: ...

    @property
    def stream_type(self) -> str: ...


@dataclass(frozen=True)
class Part:
    hour_ns: int
    filename: str
    content: bytes


class ExportFailed(Exception):
    """The export cannot be produced; the message is the job's ``reason``."""


def part_name(stream: StreamNames, hour_ns: int, fmt: str) -> str:
    return (
        f"{stream.exchange}_{stream.instrument}_{stream.stream_type}_part_"
        f"{hour_label(hour_ns)}{SUFFIXES[fmt]}"
    )


def raw_csv(messages: Iterable[tuple[int, str]]) -> bytes:
    """The ``raw`` schema as gzip CSV: the header `schemac preview --input` reads, then one
    row per message. ``mtime=0``: the same messages always make the same bytes."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(RAW_HEADER)
    writer.writerows(messages)
    return gzip.compress(text.getvalue().encode("utf-8"), mtime=0)


def hours(messages: Iterable[tuple[int, str]]) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """Messages (ascending time) grouped by their UTC hour."""
    for hour, group in groupby(messages, key=lambda message: hour_of(message[0])):
        yield hour, list(group)


def render_parts(
    stream: StreamNames,
    messages: Iterable[tuple[int, str]],
    schema: Mapping[str, Any] | None,
    fmt: str,
    format_options: Mapping[str, Any],
    renderer: ExportRenderer | None,
) -> list[Part]:
    """Every part of an export, in time order. Raises ExportFailed."""
    if renderer is None and (schema is not None or fmt != "csv"):
        what = "the raw schema" if schema is None else "a schema other than raw"
        raise ExportFailed(
            f"This sandbox renders only raw CSV without the run extra; {what} as {fmt} needs "
            f"it: {RUN_EXTRA}, then restart `schemac sandbox`"
        )
    parts = []
    for hour, group in hours(messages):
        if renderer is None:
            content = raw_csv(group)
        else:
            try:
                content = renderer.render(schema, stream.exchange, group, fmt, format_options)
            except Exception as problem:  # any renderer failure fails the job, with its reason
                lines = str(problem).strip().splitlines()
                raise ExportFailed(lines[0] if lines else type(problem).__name__) from None
        parts.append(Part(hour, part_name(stream, hour, fmt), content))
    return parts

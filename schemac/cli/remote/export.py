"""``schemac export NAME --datastream REF --from T --to T [--format csv|parquet]
[--format-option K=V ...] [--out DIR] [--inline] [--no-wait] [--force]``.

Everything that can be checked offline is checked before the first request: the times, the
datastream reference, the format options, the schema file, and (for an
``EXCHANGE:INSTRUMENT:STREAM_TYPE`` reference) that the schema fits the datastream. The export
is then made with the schema pinned by ID (:mod:`schemac.remote.pinning`), or ``--inline``,
under an idempotency key derived from the request, waited for, and every artifact downloaded
(:mod:`schemac.remote.exporting`). Each file is reported as it lands: ``wrote PATH (N bytes)``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemac.cli.remote import Console, Stop, add_remote, connect, epilog, guard, load_config
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from ticksupply.models.export import ExportJob

    from schemac.config import Config
    from schemac.remote.artifacts import DownloadedFile
    from schemac.remote.client import Remote
    from schemac.remote.datastreams import Datastream
    from schemac.remote.exporting import ExportRequest
    from schemac.remote.local import LocalSchema

HELP_EXIT_CODES = [
    "0  every artifact written, or already on disk with the same bytes (--no-wait: the export "
    "was made)",
    "1  error: the schema's file has errors, the export failed or was canceled (its reason is "
    "shown), the schema is not "
    "published or the file differs from what is, a file kept (other content, without "
    "--force), a failed request or download",
    "2  usage (bad arguments: a time, a datastream that matches none or several, a format "
    "option; no API key; a schema that does not fit the datastream)",
]


def configure(parser: argparse.ArgumentParser) -> None:
    from schemac.remote.datastreams import REF_FORMS

    parser.add_argument("name", metavar="NAME", help="a local schema: name, name@category or file")
    parser.add_argument("--datastream", required=True, metavar="REF", help=REF_FORMS)
    parser.add_argument("--from", dest="start", required=True, metavar="TIME", help=_TIMES)
    parser.add_argument(
        "--to", dest="end", required=True, metavar="TIME", help="the end (excluded)"
    )
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv", help=_FORMAT)
    parser.add_argument(
        "--format-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an option of the format (repeatable); VALUE is JSON when it reads as JSON",
    )
    parser.add_argument("--out", default=".", metavar="DIR", help="where the files go (default .)")
    parser.add_argument(
        "--inline", action="store_true", help="send the compiled local schema, not its ID"
    )
    parser.add_argument(
        "--no-wait", action="store_true", help="make the export, print its id, do not wait"
    )
    parser.add_argument("--force", action="store_true", help="overwrite files with other content")
    add_remote(parser)
    epilog(parser, HELP_EXIT_CODES)


_TIMES = "the start: now, N[s|m|h|d|w]-ago (e.g. 3d-ago), ISO-8601 (up to ns), integer ns"
_FORMAT = "gzip CSV with a header, or Parquet (default: csv)"


@dataclass(frozen=True)
class _Asked:
    """The command line, checked offline."""

    start_ns: int
    end_ns: int
    options: dict[str, Any]
    local: LocalSchema
    config: Config


def _offline(args: argparse.Namespace, out: Console) -> _Asked:
    from schemac.core.times import TimeFormatError, parse_instant
    from schemac.remote.datastreams import DatastreamRefError, parse_ref
    from schemac.remote.exporting import parse_format_options
    from schemac.remote.pinning import fit_problems

    now = time.time_ns()  # one `now` for both ends
    times = []
    for option, text in (("--from", args.start), ("--to", args.end)):
        try:
            times.append(parse_instant(text, now_ns=now))
        except TimeFormatError as error:
            raise Stop(f"{option}: {error}", EXIT_USAGE) from None
    start, end = times
    if start >= end:
        raise Stop("--from must be before --to", EXIT_USAGE)
    try:
        options = parse_format_options(args.format_option)
        ref = parse_ref(args.datastream)
    except (ValueError, DatastreamRefError) as error:
        raise Stop(f"{error}", EXIT_USAGE) from None
    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        from schemac.fileio import printable

        raise Stop(f"--out {printable(args.out)} is not a folder", EXIT_USAGE)
    config = load_config(args, out)
    local = _one_schema(args, out, config)
    if isinstance(ref, tuple):
        _stop_unfit(fit_problems(local.schema, ref[0], ref[2]))
    return _Asked(start, end, options, local, config)


def _one_schema(args: argparse.Namespace, out: Console, config: Config) -> LocalSchema:
    from schemac.cli.remote import select

    selected = select(args, out, config, [args.name])
    if len(selected) != 1:
        names = ", ".join(f"{s.key[0]}@{s.key[1]}" for s in selected)
        raise Stop(f"`{args.name}` holds {len(selected)} schemas ({names}); name one", EXIT_USAGE)
    return selected[0]


def _stop_unfit(problems: list[str]) -> None:
    if problems:
        raise Stop("; ".join(problems) + "; nothing was sent", EXIT_USAGE)


def _request(
    args: argparse.Namespace, asked: _Asked, stream: Datastream, remote: Remote
) -> tuple[ExportRequest, int, str]:
    """The request, the schema version it pins (0 inline), and how the schema is named."""
    from schemac.remote.content import content_body
    from schemac.remote.exporting import ExportRequest
    from schemac.remote.pinning import SchemaNotPinned, pin_schema

    schema: str | dict[str, Any]
    if args.inline:
        schema, version, shown = content_body(asked.local.body), 0, "inline"
    else:
        try:
            pinned = pin_schema(remote, asked.local, asked.config)
        except SchemaNotPinned as error:
            raise Stop(str(error), EXIT_FINDINGS) from None
        schema, version, shown = pinned.id, pinned.version, f"{pinned.id} v{pinned.version}"
    request = ExportRequest(
        stream["datastream_id"], asked.start_ns, asked.end_ns, schema, args.format, asked.options
    )
    return request, version, shown


def _run(args: argparse.Namespace, out: Console) -> int:
    from schemac.remote.datastreams import DatastreamRefError, ref_text, resolve_datastream
    from schemac.remote.exporting import create_export, export_key, status_of
    from schemac.remote.pinning import fit_problems

    asked = _offline(args, out)
    with connect(args, out) as remote:
        try:
            stream = resolve_datastream(remote, args.datastream)
        except DatastreamRefError as error:
            raise Stop(str(error), EXIT_USAGE) from None
        _stop_unfit(fit_problems(asked.local.schema, stream["exchange"], stream["stream_type"]))
        request, version, shown = _request(args, asked, stream, remote)
        out.err(_announce(asked, stream["datastream_id"], ref_text(stream), shown, args.format))
        job = create_export(remote, request, key=export_key(request, version))
        if args.no_wait:
            out.out(f"export {job.id}: {status_of(job)}")
            return EXIT_OK
        return _finish(args, out, remote, job)


def _announce(asked: _Asked, stream_id: int, stream: str, schema: str, fmt: str) -> str:
    from schemac.core.times import format_instant
    from schemac.fileio import printable

    window = f"{format_instant(asked.start_ns)} to {format_instant(asked.end_ns)}"
    name = printable(asked.local.key[0])
    return f"export {name} ({schema}) of {printable(stream)} ({stream_id}), {window}, {fmt}"


def _finish(args: argparse.Namespace, out: Console, remote: Remote, job: ExportJob) -> int:
    """Wait for ``job`` (a progress line), then download; Ctrl-C says how to pick it up."""
    from schemac.remote.exporting import download_all, wait_for_export

    progress = ProgressLine(out)
    try:
        job = wait_for_export(remote, job, progress=progress)
    except KeyboardInterrupt:
        progress.end()
        out.err(f"export {job.id} continues on the server; the same command picks it up again")
        raise
    finally:
        progress.end()
    files = download_all(remote, job.id, Path(args.out), force=args.force, on_file=_reporter(out))
    if not files:
        out.err(f"export {job.id} has no files: the window holds no data of the subscription")
    return EXIT_OK


def _reporter(out: Console) -> Callable[[DownloadedFile], None]:
    def report(done: DownloadedFile) -> None:
        from schemac.fileio import saved_line

        out.out(f"{saved_line(done.path, done.written)} ({done.bytes} bytes)")

    return report


class ProgressLine:
    """The wait, on stderr: one line redrawn on a terminal, else a line per new status."""

    def __init__(self, out: Console) -> None:
        self.out = out
        self.terminal = sys.stderr.isatty()
        self.last = ""
        self.drawn = False

    def __call__(self, text: str) -> None:
        if self.terminal:
            sys.stderr.write("\r" + self.out.mask(text) + "\x1b[K")
            sys.stderr.flush()
            self.drawn = True
            return
        status = text.rsplit(" (", 1)[0]
        if status != self.last:
            self.out.err(text)
            self.last = status

    def end(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")
            self.drawn = False


run = guard(_run)

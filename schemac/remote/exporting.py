"""An export, end to end: create it (idempotently), wait for it, download every artifact.

:func:`export_and_download` is the whole flow (``schemac export`` and ``schemac sync`` call it);
the steps are functions of their own. The request goes through the official client's transport
(:mod:`.transport`: the client has no ``format`` argument), under :meth:`Remote.call`'s retries,
budget and masking, with an ``Idempotency-Key`` derived from what the request asks
(:func:`export_key`): a retry, or a re-run after a lost response, sends the same key, and the API
replays the export it made instead of making a second one. Artifacts are streamed to disk by
:mod:`.artifacts`.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemac.fileio import printable
from schemac.remote.artifacts import Artifact, DownloadedFile, download
from schemac.remote.client import RemoteError, idempotency_key

if TYPE_CHECKING:
    from ticksupply.models.export import ExportJob

    from schemac.remote.client import Remote

__all__ = [
    "DownloadedFile",
    "ExportFailed",
    "ExportRequest",
    "ExportResult",
    "export_and_download",
    "export_key",
]

FORMATS = ("csv", "parquet")
TERMINAL = ("succeeded", "failed", "canceled", "deleted")
POLL_INITIAL = 0.25  # seconds before the first status check
POLL_FACTOR = 1.5
POLL_CAP = 5.0


@dataclass(frozen=True)
class ExportRequest:
    datastream_id: int
    start_ns: int
    end_ns: int
    schema: str | Mapping[str, Any]  # "raw", a built-in name, a "sch_..." id, or inline content
    format: str = "csv"
    format_options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportResult:
    export_id: str
    status: str
    files: tuple[DownloadedFile, ...]


class ExportFailed(RemoteError):
    """The export ended without data: ``failed`` (with the API's ``reason``) or ``canceled``."""

    def __init__(self, export_id: str, status: str, reason: str | None) -> None:
        because = f": {reason}" if reason else ""
        super().__init__(f"export {export_id} {status}{because}", code=status)
        self.export_id = export_id
        self.export_status = status
        self.reason = reason


def request_body(request: ExportRequest) -> dict[str, Any]:
    """The JSON body of ``POST /exports``: times as ns strings (as the client sends them),
    ``format`` always, ``format_options`` when there are any (the API fills in defaults)."""
    schema = request.schema if isinstance(request.schema, str) else dict(request.schema)
    body: dict[str, Any] = {
        "datastream_id": request.datastream_id,
        "start_time": str(request.start_ns),
        "end_time": str(request.end_ns),
        "schema": schema,
        "format": request.format,
    }
    if request.format_options:
        body["format_options"] = dict(request.format_options)
    return body


def export_key(request: ExportRequest, schema_version: int = 0) -> str:
    """The Idempotency-Key of ``request``: a UUID of what it asks (datastream, window, schema,
    format, options) and of the schema version it pins (an id pins the version published when
    the export is made: a republished schema is a new export, under a new key). The same
    request on any run or machine gets the same key, so within the API's 24 h key lifetime it
    maps to the export already made."""
    canonical = json.dumps(
        request_body(request), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return idempotency_key("export", str(request.datastream_id), schema_version, digest)


def poll_delays(
    initial: float = POLL_INITIAL, factor: float = POLL_FACTOR, cap: float = POLL_CAP
) -> Iterator[float]:
    """The waits between status checks: growing by ``factor`` up to ``cap``, forever."""
    delay = initial
    while True:
        yield delay
        delay = min(cap, delay * factor)


def elapsed_text(seconds: float) -> str:
    """``0.4s``, ``12s``, ``2m05s``, ``1h02m``."""
    if seconds < 10:
        return f"{seconds:.1f}s"
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


def progress_text(export_id: str, status: str, elapsed: float) -> str:
    """The progress line of an export being waited for."""
    return f"export {export_id}: {status} ({elapsed_text(elapsed)})"


def status_of(job: ExportJob) -> str:
    return str(getattr(job.status, "value", job.status))


def parse_format_options(items: list[str]) -> dict[str, Any]:
    """``--format-option KEY=VALUE`` values as a dict: a VALUE that reads as JSON (``3``,
    ``true``, ``null``, ``["a"]``) is that value, any other is the string; raises ValueError."""
    options: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key or key != key.strip():
            raise ValueError(f"--format-option {item!r} is not KEY=VALUE")
        if key in options:
            raise ValueError(f"--format-option {key!r} is given twice")
        try:
            options[key] = json.loads(text, parse_constant=_not_json)
        except ValueError:
            options[key] = text
    return options


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")  # NaN, Infinity: kept as the string


def create_export(remote: Remote, request: ExportRequest, *, key: str) -> ExportJob:
    """``POST /exports`` (retried under the same key); the job as the API answers it."""
    from schemac.remote.transport import create_export_job

    if request.format not in FORMATS:
        raise ValueError(f"format {request.format!r} is not one of {', '.join(FORMATS)}")
    body = request_body(request)
    return remote.call("/exports", "POST", lambda: create_export_job(remote, body, key))


def get_export(remote: Remote, export_id: str) -> ExportJob:
    from schemac.remote.transport import official_client

    exports = official_client(remote).exports
    return remote.call(f"/exports/{export_id}", "GET", lambda: exports.get(export_id))


def wait_for_export(
    remote: Remote,
    job: ExportJob,
    *,
    progress: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> ExportJob:
    """Poll ``job`` until it ends (with growing waits, :func:`poll_delays`), reporting each
    status seen to ``progress``; the job when it succeeded, else :class:`ExportFailed`."""
    started = clock()
    delays = poll_delays()
    while True:
        status = status_of(job)
        if progress is not None:
            progress(progress_text(job.id, status, clock() - started))
        if status in TERMINAL:
            break
        sleep(next(delays))
        job = get_export(remote, job.id)
    if status != "succeeded":
        raise ExportFailed(job.id, status, job.reason)
    return job


def artifacts_of(remote: Remote, export_id: str) -> list[Artifact]:
    """The export's files with fresh URLs (``GET /exports/{id}/download``)."""
    from schemac.remote.transport import official_client

    exports = official_client(remote).exports
    listed = remote.call(
        f"/exports/{export_id}/download", "GET", lambda: exports.get_download(export_id)
    )
    return [Artifact(a.filename, a.url, a.bytes) for a in listed.artifacts]


def download_all(
    remote: Remote,
    export_id: str,
    destination: Path,
    *,
    force: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    on_file: Callable[[DownloadedFile], None] | None = None,
) -> tuple[DownloadedFile, ...]:
    """Every artifact of a succeeded export into ``destination`` (created if missing), one
    after the other, each streamed, counted and renamed into place (:mod:`.artifacts`), and
    reported to ``on_file`` as soon as it is in place."""
    from schemac.remote.artifacts import ArtifactError

    try:
        destination.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        shown = printable(str(destination))
        raise ArtifactError(f"cannot make the folder {shown}: {error.strerror}") from None
    policy = remote.retry

    def backoff(attempt: int) -> float:
        return float(min(policy.cap, policy.initial * 2.0 ** (attempt - 1)))

    def renew(filename: str) -> Artifact:
        fresh = {a.filename: a for a in artifacts_of(remote, export_id)}
        if filename not in fresh:
            raise RemoteError(f"export {export_id} no longer lists the artifact {filename}")
        return fresh[filename]

    files = []
    for artifact in artifacts_of(remote, export_id):
        done = download(
            artifact,
            destination,
            force=force,
            attempts=policy.attempts,
            backoff=backoff,
            sleep=sleep,
            renew=renew,
        )
        files.append(done)
        if on_file is not None:
            on_file(done)
    return tuple(files)


def export_and_download(
    remote: Remote,
    request: ExportRequest,
    destination: Path,
    *,
    idempotency_key: str,
    progress: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    force: bool = False,
    on_file: Callable[[DownloadedFile], None] | None = None,
) -> ExportResult:
    """Create the export under ``idempotency_key`` (:func:`export_key`), wait for it, and
    download every artifact into ``destination``. Raises :class:`ExportFailed` (failed or
    canceled), ``RemoteError`` (a request failed for good), ``ArtifactError`` (a download
    failed, or a file with other bytes is in the way without ``force``)."""
    job = create_export(remote, request, key=idempotency_key)
    job = wait_for_export(remote, job, progress=progress, sleep=sleep)
    files = download_all(remote, job.id, destination, force=force, sleep=sleep, on_file=on_file)
    return ExportResult(job.id, status_of(job), files)

"""The exports endpoints: create, get, list, cancel, delete and download.

An export names a datastream of the catalog (404 otherwise) the account has an active or paused
subscription to (403 ``permission_denied`` otherwise, as the client's docstring says), a time
range, a schema and a format. The schema is resolved once, at create time, and its content
snapshotted into the job (``schema_ref.py``); the range is clipped then too, to the account's
spans up to what availability reports as collected (now minus ``ingestion_delay``). The
job's status then moves with the clock (``exportjobs.py``), its files are rendered the first
time it is seen finished (``exportparts.py``), and the download hands out signed URLs the
sandbox serves (``artifacts.py``).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import replace
from itertools import chain

from schemac.sandbox.artifacts import signed_url, valid_host
from schemac.sandbox.catalog import Datastream
from schemac.sandbox.config import SandboxConfig
from schemac.sandbox.endpoints import Call, Work, json_body
from schemac.sandbox.exportjobs import ACTIVE, CANCELED, DUE, FAILED, SUCCEEDED, job_item, phase
from schemac.sandbox.exportmodels import format_options_of, parse_export_request
from schemac.sandbox.exportparts import ExportFailed, Part, render_parts
from schemac.sandbox.exportstore import ArtifactInfo, ExportRecord
from schemac.sandbox.paging import now_ns, page_limit, page_position, page_token
from schemac.sandbox.responses import Response, error
from schemac.sandbox.schema_ref import parse_inline, resolve_schema, unmapped_exchange
from schemac.sandbox.store import Transaction

LIST_DEFAULT, LIST_MAX = 50, 100
_PAGE_KIND = "exports"
INJECTED_FAILURE = "Injected failure (the sandbox's --export-fail-rate)"


def _not_found(export_id: str) -> Response:
    return error(404, "not_found", f"Export {export_id} not found")


def create_export(call: Call, config: SandboxConfig) -> Work:
    request = parse_export_request(json_body(call.body))
    options = format_options_of(request.format, request.format_options)
    inline = parse_inline(request.schema, config.max_columns)
    named = request.schema if isinstance(request.schema, str) else None

    def work(tx: Transaction) -> Response:
        stream = call.data.catalog.datastream(request.datastream_id)
        if stream is None:
            return error(
                404, "not_found", f"Datastream {request.datastream_id} not found",
                {"datastream_id": request.datastream_id},
            )  # fmt: skip
        if tx.subscription_status(call.account, stream.datastream_id) is None:
            return error(
                403,
                "permission_denied",
                f"No active or paused subscription to datastream {stream.datastream_id}",
                {"datastream_id": stream.datastream_id},
            )
        schema = resolve_schema(tx, call.account, named, inline, stream)
        if isinstance(schema, Response):
            return schema
        unmapped = unmapped_exchange(schema, stream.exchange)
        if unmapped is not None:
            return unmapped
        now = config.clock()
        # What is collected by now: what availability reports (ingestion_delay included).
        horizon = now_ns(now) - round(config.ingestion_delay * 1_000_000) * 1000
        job = ExportRecord(
            id="exp_" + uuid.uuid4().hex,
            account=call.account,
            datastream_id=stream.datastream_id,
            start_ns=request.start_ns,
            end_ns=request.end_ns,
            format=request.format,
            format_options=options,
            schema=schema,
            ranges=_clipped(tx, call.account, stream, (request.start_ns, request.end_ns), horizon),
            created_at=now,
            delay=config.export_delay,
            doomed=False,
        )
        tx.exports.insert(job)
        job = replace(job, doomed=_drawn_to_fail(config, tx.exports.seq_of(job.id)))
        tx.exports.set_doomed(job.id, job.doomed)
        return Response(202, job_item(settle(tx, job, call, config, now), now))

    return work


def _clipped(
    tx: Transaction, account: str, stream: Datastream, window: tuple[int, int], horizon: int
) -> list[tuple[int, int]]:
    """The requested window within the account's spans, up to ``horizon`` (what has been
    collected by now, as availability reports it)."""
    start, end = window
    ranges = []
    for span_start, span_end in tx.spans_of(account, stream.datastream_id):
        low = max(start, span_start)
        high = min(end, horizon, span_end if span_end is not None else horizon)
        if low < high:
            ranges.append((low, high))
    return ranges


def _drawn_to_fail(config: SandboxConfig, seq: int) -> bool:
    """Whether the ``seq``-th export fails: a draw reproducible for one ``--fault-seed``."""
    if config.export_fail_rate <= 0:
        return False
    seed = config.fault_seed
    draw = random.Random(f"{seed}:{seq}") if seed is not None else random.Random()
    return draw.random() < config.export_fail_rate


def settle(
    tx: Transaction, job: ExportRecord, call: Call, config: SandboxConfig, now: float
) -> ExportRecord:
    """The job with its outcome decided (and its files stored) if its delay is over."""
    if phase(job, now) != DUE:
        return job
    reason = INJECTED_FAILURE if job.doomed else None
    stream = call.data.catalog.datastream(job.datastream_id)
    if reason is None and stream is None:
        reason = f"Datastream {job.datastream_id} is no longer in the sandbox's catalog"
    if reason is None and stream is not None:
        try:
            _store_parts(tx, job, stream, call, config)
        except ExportFailed as failed:
            reason = str(failed)
    outcome = SUCCEEDED if reason is None else FAILED
    tx.exports.finish(job.id, outcome, reason, None)
    return replace(job, outcome=outcome, reason=reason)


def _render(job: ExportRecord, stream: Datastream, call: Call, config: SandboxConfig) -> list[Part]:
    source = call.data.messages
    messages = chain.from_iterable(source.messages(stream, low, high) for low, high in job.ranges)
    return render_parts(
        stream, messages, job.schema, job.format, job.format_options, config.renderer
    )


def _render_ahead(call: Call, config: SandboxConfig, export_id: str) -> None:
    """Render the job's files now, outside the store's lock, if the request will settle it."""
    store = call.data.store
    if store is None:
        return
    with store.transaction() as tx:
        job = tx.exports.get(call.account, export_id)
    if job is None or job.doomed or phase(job, config.clock()) != DUE:
        return
    stream = call.data.catalog.datastream(job.datastream_id)
    if stream is not None:
        call.data.rendered.ensure(job.id, lambda: _render(job, stream, call, config))


def _store_parts(
    tx: Transaction, job: ExportRecord, stream: Datastream, call: Call, config: SandboxConfig
) -> None:
    ahead = call.data.rendered.take(job.id)
    if isinstance(ahead, ExportFailed):
        raise ahead
    parts = ahead if ahead is not None else _render(job, stream, call, config)
    for index, part in enumerate(parts):
        info = ArtifactInfo(
            "art_" + uuid.uuid4().hex, job.id, index, part.filename, len(part.content)
        )
        tx.exports.add_artifact(info, part.content)


# What to do with a job once it is found and settled: (tx, job, now) -> response.
_Then = Callable[[Transaction, ExportRecord, float], Response]


def _job_work(call: Call, config: SandboxConfig, then: _Then) -> Work:
    """Work on the account's export named by the path, settled first; unknown ids are 404."""
    export_id = call.params["export_id"]
    _render_ahead(call, config, export_id)

    def work(tx: Transaction) -> Response:
        job = tx.exports.get(call.account, export_id)
        if job is None:
            return _not_found(export_id)
        now = config.clock()
        return then(tx, settle(tx, job, call, config, now), now)

    return work


def get_export(call: Call, config: SandboxConfig) -> Work:
    return _job_work(call, config, lambda tx, job, now: Response(200, job_item(job, now)))


def list_exports(call: Call, config: SandboxConfig) -> Work:
    limit = page_limit(call.query, LIST_DEFAULT, LIST_MAX)
    after = page_position(call.query, _PAGE_KIND)

    def work(tx: Transaction) -> Response:
        now = config.clock()
        rows = tx.exports.page(call.account, after, limit + 1)
        shown = rows[:limit]
        items = [job_item(settle(tx, job, call, config, now), now) for _, job in shown]
        more = len(rows) > limit
        body = {
            "items": items,
            "total": tx.exports.count(call.account),
            "limit": limit,
            "next_page_token": page_token(_PAGE_KIND, shown[-1][0]) if more else None,
        }
        return Response(200, body)

    return work


def cancel_export(call: Call, config: SandboxConfig) -> Work:
    """A queued or running export becomes canceled (again: no change); a finished one is a
    400, as is downloading an unfinished one (the request does not fit the job's state)."""

    def then(tx: Transaction, job: ExportRecord, now: float) -> Response:
        status = phase(job, now)
        if status in ACTIVE:
            tx.exports.finish(job.id, CANCELED, None, now)
            job = replace(job, outcome=CANCELED, ended_at=now)
        elif status != CANCELED:
            return _wrong_status(job, status, "only a queued or running export can be canceled")
        return Response(200, job_item(job, now))

    return _job_work(call, config, then)


def delete_export(call: Call, config: SandboxConfig) -> Work:
    export_id = call.params["export_id"]

    def work(tx: Transaction) -> Response:
        if tx.exports.get(call.account, export_id) is None:
            return _not_found(export_id)
        tx.exports.delete(export_id)
        call.data.rendered.take(export_id)  # files rendered ahead for a job now gone
        return Response(204)

    return work


def download_export(call: Call, config: SandboxConfig) -> Work:
    host = call.host
    if not valid_host(host):
        return lambda tx: error(
            400, "invalid_argument", "A Host header (host[:port]) is needed to sign the URLs"
        )

    def then(tx: Transaction, job: ExportRecord, now: float) -> Response:
        status = phase(job, now)
        if status != SUCCEEDED:
            return _wrong_status(job, status, "only a succeeded export can be downloaded")
        stored = tx.exports.artifacts(job.id)
        artifacts = [
            {
                "id": artifact.id,
                "url": signed_url(str(host), artifact.id, artifact.filename, now),
                "bytes": artifact.size,
                "filename": artifact.filename,
            }
            for artifact in stored
        ]
        total = sum(artifact.size for artifact in stored)
        return Response(200, {"artifacts": artifacts, "count": len(stored), "total_bytes": total})

    return _job_work(call, config, then)


def _wrong_status(job: ExportRecord, status: str, rule: str) -> Response:
    return error(
        400,
        "invalid_argument",
        f"Export {job.id} is {status}: {rule}",
        {"export_id": job.id, "status": status},
    )

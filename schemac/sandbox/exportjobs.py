"""An export job's status over time, read from the sandbox's clock when it is asked for.

No thread moves a job along: its status is a function of its creation time, its delay
(``--export-delay``, fixed when it is created) and the clock. It is ``queued`` for the first
half of the delay, ``running`` for the second, and then ``succeeded`` or ``failed``, decided
once, the first time someone looks after the delay (that is when its files are rendered; a
job drawn to fail by ``--export-fail-rate`` fails then too). ``canceled`` is final. A delay of
0 makes a job finished on creation.
"""

from __future__ import annotations

from typing import Any

from schemac.sandbox.exportstore import ExportRecord
from schemac.sandbox.items import timestamp

QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED = (
    "queued",
    "running",
    "succeeded",
    "failed",
    "canceled",
)
DUE = "due"  # the delay is over and the outcome is not decided yet (never shown)
ACTIVE = frozenset({QUEUED, RUNNING})


def started_at(job: ExportRecord) -> float:
    return job.created_at + job.delay / 2


def finished_at(job: ExportRecord) -> float:
    return job.created_at + job.delay


def phase(job: ExportRecord, now: float) -> str:
    """The job's status at ``now``, or DUE when its outcome has yet to be decided."""
    if job.outcome == CANCELED:
        return CANCELED
    if now < started_at(job):
        return QUEUED
    if now < finished_at(job):
        return RUNNING
    return job.outcome or DUE


def job_item(job: ExportRecord, now: float) -> dict[str, Any]:
    """The job as the API shows it (its outcome decided if it is due)."""
    status = phase(job, now)
    if status == DUE:  # callers decide outcomes first; shown as running until they do
        status = RUNNING
    item: dict[str, Any] = {
        "id": job.id,
        "datastream_id": job.datastream_id,
        "start_time": job.start_ns,
        "end_time": job.end_ns,
        "format": job.format,
        "format_options": job.format_options,
        "status": status,
        "created_at": timestamp(job.created_at),
    }
    ended = job.ended_at if status == CANCELED else finished_at(job)
    if status != QUEUED and (status != CANCELED or (ended or 0) >= started_at(job)):
        item["started_at"] = timestamp(started_at(job))
    if status not in ACTIVE:
        item["finished_at"] = timestamp(ended if ended is not None else finished_at(job))
    if status == FAILED:
        item["reason"] = job.reason or "The export failed"
    return item

"""``GET /v1/availability?datastream_id=``: what the account has collected of a datastream.

The ranges are the account's subscription spans of the datastream (merged, deleted
subscriptions' included), clipped to now minus ``ingestion_delay`` (default 0: data is
collected the instant it arrives), each half-open ``[from, to)`` with ``rows_estimate`` the
exact number of messages the sandbox holds in it. Without any subscription the ranges are
empty. ``updated_at`` is now.
"""

from __future__ import annotations

import re

from schemac.sandbox.config import SandboxConfig
from schemac.sandbox.endpoints import Call, Work
from schemac.sandbox.models import BodyProblem
from schemac.sandbox.paging import iso_ns, now_ns
from schemac.sandbox.responses import Response, error
from schemac.sandbox.store import Transaction

_ID = re.compile(r"[1-9][0-9]{0,18}")


def get_availability(call: Call, config: SandboxConfig) -> Work:
    datastream_id = _datastream_id(call.query.get("datastream_id"))
    stream = call.data.catalog.datastream(datastream_id)

    def work(tx: Transaction) -> Response:
        if stream is None:
            return error(404, "not_found", f"Datastream {datastream_id} not found")
        now = now_ns(config.clock())
        horizon = now - round(config.ingestion_delay * 1_000_000) * 1000
        ranges = []
        for start, end in tx.spans_of(call.account, datastream_id):
            to = horizon if end is None else min(end, horizon)
            if to > start:
                rows = call.data.messages.count(stream, start, to)
                ranges.append({"from": str(start), "to": str(to), "rows_estimate": rows})
        body = {"datastream": stream.as_json(), "ranges": ranges, "updated_at": iso_ns(now)}
        return Response(200, body)

    return work


def _datastream_id(text: str | None) -> int:
    if text is None or not _ID.fullmatch(text) or int(text) >= 2**63:
        message = "datastream_id is required: a positive integer"
        raise BodyProblem(
            f"Invalid datastream_id: {message}",
            {
                "field": "datastream_id",
                "provided": (text or "")[:200],
                "errors": [{"field": "datastream_id", "message": message}],
            },
        )
    return int(text)

"""An export's files are rendered outside the store's lock: while one export renders (a slow
query), every other request of every account is answered; and two requests that find the same
export finished render it once."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from schemac.sandbox import start_sandbox

from .conftest import API_KEY, OTHER_API_KEY
from .helpers import FakeClock

NOW = 1_767_225_600  # 2026-01-01T00:00:00Z
HOUR_NS = 3600 * 10**9


class HeldRenderer:
    """Renders raw CSV-like bytes, but only once the test lets it: the stand-in of a slow query."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def render(
        self,
        schema: Mapping[str, Any] | None,
        exchange: str,
        messages: Sequence[tuple[int, str]],
        fmt: str,
        format_options: Mapping[str, Any],
    ) -> bytes:
        self.calls += 1
        self.started.set()
        assert self.release.wait(30), "the test never released the render"
        return b"".join(message.encode() + b"\n" for _, message in messages)


def test_a_slow_render_holds_no_other_request() -> None:
    clock, renderer = FakeClock(float(NOW)), HeldRenderer()
    with start_sandbox(
        [API_KEY, OTHER_API_KEY], clock=clock, export_delay=10, renderer=renderer
    ) as sandbox:
        client, other = sandbox.client(API_KEY), sandbox.client(OTHER_API_KEY)
        client.subscriptions.create(datastream_id=1011)
        start = (NOW - 2 * 3600) * 10**9
        job = client.exports.create(datastream_id=1011, start_time=start, end_time=start + HOUR_NS)
        clock.advance(30)  # the export is due: the next request that sees it renders its files
        seen: dict[str, Any] = {}
        first = threading.Thread(target=lambda: seen.update(a=client.exports.get(job.id)))
        second = threading.Thread(target=lambda: seen.update(b=client.exports.get(job.id)))
        first.start()
        assert renderer.started.wait(30)
        second.start()  # the same export: waits for the render under way, does not start one
        # Meanwhile the store answers everyone: schemas, subscriptions, another account.
        assert other.export_schemas.list() is not None
        assert [s.datastream_id for s in client.subscriptions.list().items] == [1011]
        assert other.subscriptions.create(datastream_id=1012).status.value == "active"
        renderer.release.set()
        first.join(30)
        second.join(30)
        assert seen["a"].status.value == seen["b"].status.value == "succeeded"
        assert renderer.calls == 1  # one hour of messages, rendered once
        download = client.exports.get_download(job.id)
        assert download.count == 1 and download.total_bytes > 0

"""Overlap the three stages of a run: reading the next batch, querying one, writing the last.

Arrow's CSV reader, the engines and Arrow's Parquet writer all release the GIL, so with a
thread each the machine's cores work on different batches at once. Queues are short (a batch
or two), so memory stays flat; an error in a stage is raised in the caller.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

Item = TypeVar("Item")
_DONE = object()
DEPTH = 1  # batches waiting between two stages: one is enough to overlap them


def prefetch(items: Iterator[Item], depth: int = DEPTH) -> Iterator[Item]:
    """``items``, produced by a background thread up to ``depth`` ahead of the consumer."""
    waiting: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                waiting.put(item)
        except BaseException as error:  # handed to the consumer, raised there
            waiting.put(_Failure(error))
            return
        waiting.put(_DONE)

    worker = threading.Thread(target=produce, name="schemac-read", daemon=True)
    worker.start()
    try:
        while (item := waiting.get()) is not _DONE:
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while worker.is_alive():  # let the producer see `stop` (it may wait on a full queue)
            with contextlib.suppress(queue.Empty):
                waiting.get(timeout=0.05)


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class Background(Generic[Item]):
    """Calls ``consume`` on each item given to :meth:`put`, in order, in a background thread."""

    def __init__(self, consume: Callable[[Item], None], depth: int = DEPTH) -> None:
        self._consume = consume
        self._waiting: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._worker = threading.Thread(target=self._run, name="schemac-write", daemon=True)
        self._worker.start()

    def _run(self) -> None:
        while (item := self._waiting.get()) is not _DONE:
            if self._error is None:
                try:
                    self._consume(item)  # type: ignore[arg-type]
                except BaseException as error:  # raised in the caller by put() or finish()
                    self._error = error

    def put(self, item: Item) -> None:
        self._raise()
        self._waiting.put(item)

    def finish(self) -> None:
        """Wait until every item is consumed; raise the first error of ``consume``."""
        self._waiting.put(_DONE)
        self._worker.join()
        self._raise()

    def abandon(self) -> None:
        """Stop after the items already given (their errors are dropped): the caller failed."""
        self._error = self._error or _Abandoned()
        self._waiting.put(_DONE)
        self._worker.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error


class _Abandoned(Exception):
    """Set as the error of an abandoned Background, so that it consumes nothing more."""

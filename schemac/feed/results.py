"""What a run did, as data: per partition and per spec (the runner makes them, the report
prints them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from schemac.feed.planner import Plan
from schemac.feed.sources import Stream
from schemac.feed.window import WindowDone


@dataclass
class PartitionRun:
    """What a run did with one partition."""

    stream: Stream
    cursor_before: int
    plan: Plan
    done: list[WindowDone] = field(default_factory=list)
    error: str | None = None
    stopped: bool = False  # ``stop`` was set before every window was done
    new: bool = False  # first seen in this run

    @property
    def cursor_after(self) -> int:
        if self.error is None and not self.stopped:
            return max(self.cursor_before, self.plan.advance_to)
        return self.done[-1].window.end_ns if self.done else self.cursor_before


@dataclass
class SpecRun:
    """What a run did with one spec."""

    spec: str
    destination: Path
    schema: str  # the schema as the exports name it (``sch_... vN``)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    partitions: list[PartitionRun] = field(default_factory=list)

    @property
    def failed(self) -> list[PartitionRun]:
        return [p for p in self.partitions if p.error is not None]

    @property
    def windows(self) -> int:
        return sum(len(p.done) for p in self.partitions)

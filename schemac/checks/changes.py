"""The values a content diff is made of: one :class:`Change` per difference, and the pairing of
old and new columns the breaking checks (:mod:`schemac.checks.breaking`) read."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemac.rules import Rule


@dataclass(frozen=True)
class Change:
    """One difference between two contents. ``rule`` is the breaking rule it falls under (None:
    compatible); ``off`` marks a rule the configuration turned off: listed, not breaking."""

    kind: str  # stable for --format json: a breaking rule's name with underscores, or e.g.
    # column_added, exchange_added, path_changed, derive_changed
    detail: str  # one sentence for a reviewer
    rule: Rule | None = None
    column: str | None = None
    exchange: str | None = None
    off: bool = False

    @classmethod
    def breaking_change(
        cls, rule: Rule, detail: str, column: str | None = None, exchange: str | None = None
    ) -> Change:
        return cls(rule.name.replace("-", "_"), detail, rule, column, exchange)

    @property
    def breaking(self) -> bool:
        return self.rule is not None and not self.off

    def as_json(self) -> dict[str, Any]:
        row: dict[str, Any] = {"kind": self.kind, "detail": self.detail, "breaking": self.breaking}
        if self.rule is not None:
            row["code"] = self.rule.code
        if self.column is not None:
            row["column"] = self.column
        if self.exchange is not None:
            row["exchange"] = self.exchange
        return row


@dataclass
class ContentDiff:
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> bool:
        return any(change.breaking for change in self.changes)

    @property
    def empty(self) -> bool:
        return not self.changes


Column = dict[str, Any]  # a normalised column (schemac.remote.content)


def body_of(column: Column) -> Column:
    """A column without its name: two columns with equal bodies hold the same content."""
    return {key: value for key, value in column.items() if key != "output_column"}


@dataclass(frozen=True)
class ColumnMatch:
    """Old and new columns by name (in order), and the renames evident from equal content."""

    old: dict[str, Column]
    new: dict[str, Column]

    @classmethod
    def of(cls, old: list[Column], new: list[Column]) -> ColumnMatch:
        return cls({c["output_column"]: c for c in old}, {c["output_column"]: c for c in new})

    @cached_property
    def removed(self) -> list[str]:
        return [name for name in self.old if name not in self.new]

    @cached_property
    def added(self) -> list[str]:
        return [name for name in self.new if name not in self.old]

    @cached_property
    def renamed(self) -> dict[str, str]:
        """Old name -> new name: a removed column whose content an added one holds."""
        renamed: dict[str, str] = {}
        for name in self.removed:
            for candidate in self.added:
                taken = candidate in renamed.values()
                if not taken and body_of(self.old[name]) == body_of(self.new[candidate]):
                    renamed[name] = candidate
                    break
        return renamed

    @cached_property
    def kept(self) -> dict[str, str]:
        """Old name -> new name for every column that survives, in old order."""
        return {n: self.renamed.get(n, n) for n in self.old if n in self.new or n in self.renamed}


@dataclass(frozen=True)
class ColumnPair:
    """One surviving column, before and after (under its new name)."""

    name: str
    old: Column
    new: Column


@dataclass(frozen=True)
class ExtractorPair:
    """One exchange's rule of a surviving column, before and after, with the output types
    (None when unknown) inferred in the configured dialect."""

    column: str
    exchange: str
    old: dict[str, Any]
    new: dict[str, Any]
    old_output: str | None
    new_output: str | None

    @property
    def where(self) -> str:
        return f"column `{self.column}`, {self.exchange}"

    @property
    def output_changed(self) -> bool:
        """The output type provably changed (both known and different)."""
        known = self.old_output is not None and self.new_output is not None
        return known and self.old_output != self.new_output

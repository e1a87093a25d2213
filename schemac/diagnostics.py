"""Diagnostics: one value model for every finding, whatever stage produced it.

A finding never escapes as an exception: stages return lists of :class:`Diagnostic`, and the
renderers in :mod:`schemac.render` turn them into text, JSON, GitHub annotations or SARIF.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file. Lines and columns are 1-based; ``end_column`` is exclusive.

    ``end_column`` exclusive matches SARIF's ``endColumn`` and makes an empty span at a point
    (``column == end_column``) expressible.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int = 1, column: int = 1) -> Span:
        return cls(file, line, column, line, column)

    def sort_key(self) -> tuple[str, int, int]:
        return (self.file, self.line, self.column)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (*self.span.sort_key(), self.code)


def count_by_severity(diagnostics: list[Diagnostic]) -> dict[Severity, int]:
    counts = {severity: 0 for severity in Severity}
    for diagnostic in diagnostics:
        counts[diagnostic.severity] += 1
    return counts


def suggestion_hint(
    word: str, candidates: list[str] | tuple[str, ...] | set[str], otherwise: str | None = None
) -> str | None:
    """ "did you mean `x`?" for the closest candidate, else ``otherwise``."""
    suggestion = did_you_mean(word, candidates)
    return f"did you mean `{suggestion}`?" if suggestion else otherwise


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """The closest candidate to ``word``, or None if nothing is close enough to suggest."""
    import difflib

    pool = sorted(candidates)
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        if word.lower() in lowered:
            return lowered[word.lower()]
        return None
    return matches[0]


def exit_code(diagnostics: list[Diagnostic], strict: bool) -> int:
    """The exit code of a run that found ``diagnostics``: usage for a configuration problem
    (SC901), findings for an error (or a warning with ``strict``), else OK."""
    from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

    if any(d.code == "SC901" for d in diagnostics):
        return EXIT_USAGE
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return EXIT_FINDINGS if any(d.severity in failing for d in diagnostics) else EXIT_OK

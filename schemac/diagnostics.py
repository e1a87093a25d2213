"""Diagnostics: one value model for every finding, whatever stage produced it.

A finding never escapes as an exception: stages return lists of :class:`Diagnostic`, and the
renderers in :mod:`schemac.render` turn them into text, JSON, GitHub annotations or SARIF.
A stage makes one with ``RULE.at(span, message, hint)`` (:mod:`schemac.rules`).

Some findings are found inside one scalar before anyone knows where that scalar is in a file: the
transform screen (:mod:`schemac.sql.transforms`) and the type inference over a transform
(:mod:`schemac.types`) see only the transform's text. They report a :class:`ScalarFinding`,
made with ``RULE.within(offset, length, message, hint)``: the same rule identity, message and
hint, located by an offset range into the scalar's text instead of a file span. One helper,
:meth:`ScalarFinding.locate`, turns it into a :class:`Diagnostic` once the scalar's own span and
quoting style are known. There are no other finding types and no kind strings.

Both values are named tuples: tens of thousands of spans are built per run, and a named tuple is
about three times cheaper to build than a frozen dataclass.
"""

from __future__ import annotations

import linecache
import re
from enum import Enum
from typing import NamedTuple

# Text output shows at most this many findings per file (`max_findings`, `--max-findings`) and a
# line for the rest: 6,000 findings of one bad file would otherwise drown every other file.
DEFAULT_MAX_FINDINGS = 200


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Span(NamedTuple):
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


class Diagnostic(NamedTuple):
    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.file, self.span.line, self.span.column, self.code)


class ScalarFinding(NamedTuple):
    """A finding inside one scalar's text: ``text[offset:offset + length]`` (0-based)."""

    code: str
    name: str
    severity: Severity
    message: str
    offset: int
    length: int = 1
    hint: str | None = None

    def locate(self, scalar: Span, style: str | None, text: str, prefix: str = "") -> Diagnostic:
        """This finding as a diagnostic in the file, for ``text`` written at ``scalar``.

        ``style`` is the scalar's YAML style (None plain, ``'`` or ``"`` quoted, ``|`` or ``>``
        a block); ``prefix`` goes before the message (which column, which exchange).
        """
        span = locate_in_scalar(scalar, style, text, self.offset, self.length)
        message = f"{prefix}{self.message}"
        return Diagnostic(self.code, self.name, self.severity, message, span, self.hint)


def locate_in_scalar(span: Span, style: str | None, text: str, offset: int, length: int) -> Span:
    """The file span of ``text[offset:offset+length]``, for a scalar written at ``span``.

    Exact for one-line plain and quoted scalars and for literal blocks; best effort for escapes
    in double quotes and for folded blocks (it never points outside the scalar).
    """
    offset = max(0, min(offset, len(text)))
    if style in ("|", ">"):
        before = text[:offset]
        line = span.line + 1 + before.count("\n")
        if line > span.end_line:
            return span
        # the file was read whole, as a regular file, moments ago (schemac.core.loader)
        source_line = linecache.getline(span.file, line)
        indent = len(source_line) - len(source_line.lstrip(" "))
        column = indent + 1 + (offset - (before.rfind("\n") + 1))
        return Span(span.file, line, column, line, column + max(1, length))
    if span.line != span.end_line:
        return span
    opening = 1 if style in ("'", '"') else 0
    column = span.column + opening + offset
    end = min(column + max(1, length), span.end_column)
    return Span(span.file, span.line, column, span.line, max(end, column + 1))


def count_by_severity(diagnostics: list[Diagnostic]) -> dict[Severity, int]:
    counts = {severity: 0 for severity in Severity}
    for diagnostic in diagnostics:
        counts[diagnostic.severity] += 1
    return counts


Candidates = list[str] | tuple[str, ...] | set[str]


def suggestion_hint(word: str, candidates: Candidates, otherwise: str | None = None) -> str | None:
    """ "did you mean `x`?" for the closest candidate, else ``otherwise``."""
    suggestion = did_you_mean(word, candidates)
    return f"did you mean `{suggestion}`?" if suggestion else otherwise


_SUGGESTIONS = re.compile(r"did you mean ((?:`[^`]+`)(?: or `[^`]+`)*)\?")


def hint_suggestions(hint: str | None) -> list[str]:
    """The names a hint suggests, as :func:`suggestion_hint` (or "did you mean `a` or `b`?")
    writes them, best first: what an editor offers as replacements of the finding's span."""
    match = _SUGGESTIONS.search(hint or "")
    return re.findall(r"`([^`]+)`", match.group(1)) if match else []


def did_you_mean(word: str, candidates: Candidates, cutoff: float = 0.6) -> str | None:
    """The closest candidate to ``word``, or None if nothing is close enough to suggest.

    ``cutoff`` is difflib's similarity threshold (0..1); a candidate equal to ``word`` but for
    letter case is suggested when nothing passes it.
    """
    import difflib

    pool = sorted(candidates)
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    if matches:
        return matches[0]
    same = _same_but_case(word, pool)
    return same[-1] if same else None


def did_you_mean_all(word: str, candidates: Candidates, n: int, cutoff: float = 0.6) -> list[str]:
    """Up to ``n`` candidates close to ``word``, best first.

    Unlike :func:`did_you_mean`, candidates equal to ``word`` but for letter case come first and
    alone: among many similar names (a catalog's paths), a case slip is the likeliest mistake.
    """
    import difflib

    same = _same_but_case(word, candidates)
    if same:
        return same[:n]
    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=cutoff)


def _same_but_case(word: str, candidates: Candidates) -> list[str]:
    return [c for c in candidates if c.lower() == word.lower()]

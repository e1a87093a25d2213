"""The text renderer: ``file:line:col: severity[CODE] message``, the source line, a caret, a hint.

The one text renderer of the program: every command that prints findings as text calls
:func:`render_text`.
"""

from __future__ import annotations

import os
import sys

from schemac.diagnostics import DEFAULT_MAX_FINDINGS, Diagnostic, Severity, count_by_severity
from schemac.fileio import printable, source_line

SOURCE_WIDTH = 120  # columns of an echoed source line; a longer line is cut around the caret
_CONTEXT = 40  # columns shown before the caret when the line is cut
_ELLIPSIS = "..."

_COLORS = {
    Severity.ERROR: "\033[1;31m",
    Severity.WARNING: "\033[1;33m",
    Severity.INFO: "\033[1;36m",
}
_BOLD, _RESET = "\033[1m", "\033[0m"


def use_color(stream: object = None, requested: bool | None = None) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (https://no-color.org)."""
    if requested is not None:
        return requested
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(diagnostics: list[Diagnostic], files: int) -> str:
    """``All clean: N files checked.`` or ``Found E errors, W warnings[, I infos] in N files.``"""
    if not diagnostics:
        return f"All clean: {_plural(files, 'file')} checked."
    counts = count_by_severity(diagnostics)
    parts = [_plural(counts[Severity.ERROR], "error"), _plural(counts[Severity.WARNING], "warning")]
    if counts[Severity.INFO]:
        parts.append(_plural(counts[Severity.INFO], "info"))
    return f"Found {', '.join(parts)} in {_plural(files, 'file')}."


def render_text(
    diagnostics: list[Diagnostic],
    files: int,
    *,
    color: bool = False,
    summary: bool = True,
    max_per_file: int = DEFAULT_MAX_FINDINGS,
) -> str:
    """Findings as text, at most ``max_per_file`` per file (0: all) with a line for the rest.

    Every field is passed through :func:`~schemac.fileio.printable`, and the source line is a
    window of at most :data:`SOURCE_WIDTH` columns around the caret: the output stays linear in
    the input, and nothing in a file reaches the terminal or the CI log as a control sequence.
    """
    out: list[str] = []
    for file, found in _by_file(diagnostics).items():
        shown = found if max_per_file <= 0 else found[:max_per_file]
        for diagnostic in shown:
            out.extend(_text_block(diagnostic, color))
        if len(found) > len(shown):
            more = len(found) - len(shown)
            out.append(
                f"{printable(file)}: {more:,} more {'finding' if more == 1 else 'findings'} "
                f"not shown (at most {max_per_file:,} a file; `--max-findings 0` shows all)"
            )
            out.append("")
    if summary:
        line = summary_line(diagnostics, files)
        out.append(f"{_BOLD}{line}{_RESET}" if color else line)
    return "\n".join(out) + ("\n" if out else "")


def _by_file(diagnostics: list[Diagnostic]) -> dict[str, list[Diagnostic]]:
    """The findings of each file, files in order of their first finding."""
    grouped: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        grouped.setdefault(diagnostic.span.file, []).append(diagnostic)
    return grouped


def _text_block(diagnostic: Diagnostic, color: bool) -> list[str]:
    span = diagnostic.span
    label = f"{diagnostic.severity.value}[{diagnostic.code}]"
    if color:
        label = f"{_COLORS[diagnostic.severity]}{label}{_RESET}"
    location = f"{printable(span.file)}:{span.line}:{span.column}"
    if color:
        location = f"{_BOLD}{location}{_RESET}"
    lines = [f"{location}: {label} {printable(diagnostic.message)}"]
    source = source_line(span.file, span.line)
    if source:
        lines.extend(_source_lines(diagnostic, source, color))
    elif diagnostic.hint:
        lines.append(f"  = hint: {printable(diagnostic.hint)}")
    lines.append("")
    return lines


def _source_lines(diagnostic: Diagnostic, source: str, color: bool) -> list[str]:
    """The source line under a gutter, a caret under the span, and the hint."""
    span = diagnostic.span
    gutter = str(span.line)
    pad = " " * len(gutter)
    source = source.expandtabs(1)  # one column a tab, so that columns stay characters
    end = span.end_column if span.end_line == span.line else len(source) + 1
    start = min(max(0, span.column - 1), len(source))
    stop = min(max(start, end - 1), len(source))
    parts = (source[:start], source[start:stop], source[stop:])
    shown, caret_at, width = _window(*(printable(part) for part in parts))
    caret = " " * caret_at + "^" * max(1, width)
    if color:
        caret = f"{_COLORS[diagnostic.severity]}{caret}{_RESET}"
    lines = [f" {gutter} | {shown}", f" {pad} | {caret}"]
    if diagnostic.hint:
        lines.append(f" {pad} = hint: {printable(diagnostic.hint)}")
    return lines


def _window(before: str, marked: str, after: str) -> tuple[str, int, int]:
    """The line, cut to :data:`SOURCE_WIDTH` columns around the caret (``...`` where cut), with
    the caret's column and width in what is shown."""
    line = before + marked + after
    caret_at, width = len(before), len(marked)
    if len(line) <= SOURCE_WIDTH:
        return line, caret_at, width
    first = max(0, min(caret_at - _CONTEXT, len(line) - SOURCE_WIDTH))
    last = first + SOURCE_WIDTH
    shown = line[first:last]
    if first > 0:
        shown = _ELLIPSIS + shown
    if last < len(line):
        shown += _ELLIPSIS
    caret_at = caret_at - first + (len(_ELLIPSIS) if first > 0 else 0)
    width = min(width, SOURCE_WIDTH - (caret_at - (len(_ELLIPSIS) if first > 0 else 0)))
    return shown, caret_at, width

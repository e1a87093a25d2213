"""The text renderer: ``file:line:col: severity[CODE] message``, the source line, a caret, a hint.

The one text renderer of the program: every command that prints findings as text calls
:func:`render_text`.
"""

from __future__ import annotations

import linecache
import os
import sys

from schemac.diagnostics import Diagnostic, Severity, count_by_severity

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
    diagnostics: list[Diagnostic], files: int, *, color: bool = False, summary: bool = True
) -> str:
    out: list[str] = []
    linecache.checkcache()  # show the files as they are now
    for diagnostic in diagnostics:
        out.extend(_text_block(diagnostic, color))
    if summary:
        line = summary_line(diagnostics, files)
        out.append(f"{_BOLD}{line}{_RESET}" if color else line)
    return "\n".join(out) + ("\n" if out else "")


def _text_block(diagnostic: Diagnostic, color: bool) -> list[str]:
    span = diagnostic.span
    label = f"{diagnostic.severity.value}[{diagnostic.code}]"
    if color:
        label = f"{_COLORS[diagnostic.severity]}{label}{_RESET}"
    location = f"{span.file}:{span.line}:{span.column}"
    if color:
        location = f"{_BOLD}{location}{_RESET}"
    lines = [f"{location}: {label} {diagnostic.message}"]
    # by absolute path: a relative name means another file once the working directory changes
    source = linecache.getline(os.path.abspath(span.file), span.line).rstrip("\n")
    if source:
        lines.extend(_source_lines(diagnostic, source, color))
    elif diagnostic.hint:
        lines.append(f"  = hint: {diagnostic.hint}")
    lines.append("")
    return lines


def _source_lines(diagnostic: Diagnostic, source: str, color: bool) -> list[str]:
    """The source line under a gutter, a caret under the span, and the hint."""
    span = diagnostic.span
    gutter = str(span.line)
    pad = " " * len(gutter)
    if span.end_line == span.line:
        width = span.end_column - span.column
    else:
        width = len(source) - span.column + 1
    caret = " " * (span.column - 1) + "^" * max(1, width)
    if color:
        caret = f"{_COLORS[diagnostic.severity]}{caret}{_RESET}"
    lines = [f" {gutter} | {source.expandtabs(1)}", f" {pad} | {caret}"]
    if diagnostic.hint:
        lines.append(f" {pad} = hint: {diagnostic.hint}")
    return lines

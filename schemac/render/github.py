"""The GitHub Actions renderer: one workflow command per finding, then the summary line."""

from __future__ import annotations

from schemac.diagnostics import Diagnostic, Severity
from schemac.render.text import summary_line

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _github_escape(text: str, *, property_value: bool = False) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(diagnostics: list[Diagnostic], files: int) -> str:
    out = [_annotation(d) for d in diagnostics]
    out.append(summary_line(diagnostics, files))
    return "\n".join(out) + "\n"


def _annotation(d: Diagnostic) -> str:
    span = d.span
    props = [
        f"file={_github_escape(span.file, property_value=True)}",
        f"line={span.line}",
        f"col={span.column}",
        f"endLine={span.end_line}",
    ]
    if span.end_line == span.line:
        props.append(f"endColumn={span.end_column}")
    props.append(f"title={_github_escape(f'{d.code} {d.name}', property_value=True)}")
    message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
    return f"::{_LEVELS[d.severity]} {','.join(props)}::{_github_escape(message)}"

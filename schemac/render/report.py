"""Renderers: one diagnostics model, four outputs (text, json, github, sarif).

Each renderer is a plain function ``(diagnostics, files) -> str``; the JSON shape is a contract
that other tools parse, so it is versioned and changes only with its version number.
"""

from __future__ import annotations

import json
import linecache
import os
import sys
from collections.abc import Callable

from schemac import __version__
from schemac.diagnostics import Diagnostic, Severity, count_by_severity

JSON_VERSION = 1
_COLORS = {
    Severity.ERROR: "\033[1;31m",
    Severity.WARNING: "\033[1;33m",
    Severity.INFO: "\033[1;36m",
}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


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
    counts = count_by_severity(diagnostics)
    errors, warnings, infos = (
        counts[Severity.ERROR],
        counts[Severity.WARNING],
        counts[Severity.INFO],
    )
    if not diagnostics:
        return f"All clean: {_plural(files, 'file')} checked."
    parts = [_plural(errors, "error"), _plural(warnings, "warning")]
    if infos:
        parts.append(_plural(infos, "info"))
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
    severity = diagnostic.severity.value
    label = f"{severity}[{diagnostic.code}]"
    if color:
        label = f"{_COLORS[diagnostic.severity]}{label}{_RESET}"
    location = f"{span.file}:{span.line}:{span.column}"
    lines = [
        f"{_BOLD}{location}{_RESET}: {label} {diagnostic.message}"
        if color
        else f"{location}: {label} {diagnostic.message}"
    ]
    source = linecache.getline(span.file, span.line).rstrip("\n")
    if source:
        gutter = str(span.line)
        pad = " " * len(gutter)
        width = (
            span.end_column - span.column
            if span.end_line == span.line
            else len(source) - span.column + 1
        )
        caret = " " * (span.column - 1) + "^" * max(1, width)
        if color:
            caret = f"{_COLORS[diagnostic.severity]}{caret}{_RESET}"
        lines.append(f" {gutter} | {source.expandtabs(1)}")
        lines.append(f" {pad} | {caret}")
        if diagnostic.hint:
            lines.append(f" {pad} = hint: {diagnostic.hint}")
    elif diagnostic.hint:
        lines.append(f"  = hint: {diagnostic.hint}")
    lines.append("")
    return lines


def render_json(diagnostics: list[Diagnostic], files: int) -> str:
    counts = count_by_severity(diagnostics)
    document = {
        "version": JSON_VERSION,
        "files": files,
        "diagnostics": [
            {
                "file": d.span.file,
                "line": d.span.line,
                "column": d.span.column,
                "end_line": d.span.end_line,
                "end_column": d.span.end_column,
                "code": d.code,
                "name": d.name,
                "severity": d.severity.value,
                "message": d.message,
                "hint": d.hint,
            }
            for d in diagnostics
        ],
        "summary": {
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _github_escape(text: str, *, property_value: bool = False) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(diagnostics: list[Diagnostic], files: int) -> str:
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    out = []
    for d in diagnostics:
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
        out.append(f"::{levels[d.severity]} {','.join(props)}::{_github_escape(message)}")
    out.append(summary_line(diagnostics, files))
    return "\n".join(out) + "\n"


def render_sarif(diagnostics: list[Diagnostic], files: int) -> str:
    from schemac.rules import all_rules

    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    rules = list(all_rules().values())
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    for d in diagnostics:
        region = {
            "startLine": d.span.line,
            "startColumn": d.span.column,
            "endLine": d.span.end_line,
            "endColumn": max(d.span.end_column, d.span.column + 1)
            if d.span.end_line == d.span.line
            else d.span.end_column,
        }
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index.get(d.code, -1),
                "level": levels[d.severity],
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(d.span.file)},
                            "region": region,
                        }
                    }
                ],
            }
        )
    for result in results:
        if result["ruleIndex"] == -1:
            del result["ruleIndex"]
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "schemac",
                        "version": __version__,
                        "informationUri": "https://github.com/schemac/schemac",
                        "rules": [
                            {
                                "id": rule.code,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary},
                                "fullDescription": {"text": rule.explain},
                                "defaultConfiguration": {"level": levels[rule.severity]},
                                "help": {"text": f"schemac explain {rule.code}"},
                            }
                            for rule in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace(os.sep, "/"))


RENDERERS: dict[str, Callable[[list[Diagnostic], int], str]] = {
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}

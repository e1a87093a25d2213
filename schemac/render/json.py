"""The JSON renderer: a versioned document other tools parse (a contract: its shape changes only
with ``JSON_VERSION``)."""

from __future__ import annotations

import json
from typing import Any

from schemac.diagnostics import Diagnostic, Severity, count_by_severity

JSON_VERSION = 1


def render_json(diagnostics: list[Diagnostic], files: int) -> str:
    counts = count_by_severity(diagnostics)
    document = {
        "version": JSON_VERSION,
        "files": files,
        "diagnostics": [_diagnostic(d) for d in diagnostics],
        "summary": {
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _diagnostic(d: Diagnostic) -> dict[str, Any]:
    return {
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

"""The SARIF 2.1.0 renderer (code-scanning uploads): every rule in the driver, one result per
finding, pointing at its rule by index."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from schemac import __version__
from schemac.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from schemac.rules import Rule

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(diagnostics: list[Diagnostic], files: int) -> str:
    from schemac.rules import all_rules

    rules = list(all_rules().values())
    index = {rule.code: i for i, rule in enumerate(rules)}
    driver = {
        "name": "schemac",
        "version": __version__,
        "informationUri": "https://github.com/schemac/schemac",
        "rules": [_rule(rule) for rule in rules],
    }
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": [_result(d, index) for d in diagnostics]}],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explain},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "help": {"text": f"schemac explain {rule.code}"},
    }


def _result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    span = d.span
    region = {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        # SARIF wants a non-empty region on one line
        "endColumn": max(span.end_column, span.column + 1)
        if span.end_line == span.line
        else span.end_column,
    }
    message = d.message + (f" (hint: {d.hint})" if d.hint else "")
    location = {"artifactLocation": {"uri": _uri(span.file)}, "region": region}
    result: dict[str, Any] = {"ruleId": d.code}
    if d.code in index:  # a rule the registry does not know gets no index
        result["ruleIndex"] = index[d.code]
    result["level"] = _LEVELS[d.severity]
    result["message"] = {"text": message}
    result["locations"] = [{"physicalLocation": location}]
    return result


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace(os.sep, "/"))

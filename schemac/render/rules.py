"""Rule pages: `schemac explain`'s text, `schemac rules`' listing (text, JSON, the docs'
markdown table), and which modules check a rule."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable

from schemac.checks import all_checks
from schemac.rules import Rule, all_rules

RULE_FORMATS = ("text", "json", "markdown")


def checking_modules(rule: Rule) -> list[str]:
    """The modules whose registered checks emit ``rule``, in registration order."""
    modules: list[str] = []
    for check in all_checks():
        if rule in check.rules and check.module not in modules:
            modules.append(check.module)
    return modules


def explain_text(rule: Rule, modules: Iterable[str] = ()) -> str:
    """The explain page of ``rule``; ``modules`` (those that check it) are named when given."""
    lines = [
        f"{rule.code} {rule.name} (default severity: {rule.severity.value})",
        "",
        rule.summary,
        "",
        *textwrap.wrap(rule.explain, width=92),
    ]
    if rule.before:  # a breaking rule: bad and good are two versions after this one
        lines += ["", f"Before ({rule.bad_format}):", "", *_indent(rule.before)]
    if rule.bad:
        lines += ["", f"Bad ({rule.bad_format}):", "", *_indent(rule.bad)]
    if rule.good:
        lines += ["", f"Good ({rule.bad_format}):", "", *_indent(rule.good)]
    lines += [
        "",
        "Change its severity or turn it off in schemac.toml or [tool.schemac]:",
        f'  severity = {{ {rule.code} = "{"off" if rule.before else "warning"}" }}    '
        f'ignore = ["{rule.name}"]',
    ]
    checked_by = ", ".join(modules)
    if checked_by:
        lines += ["", f"checked by: {checked_by}"]
    return "\n".join(lines)


def _indent(snippet: str) -> list[str]:
    lines = snippet.rstrip("\n").splitlines()
    if len(lines) > 24:
        lines = [*lines[:20], f"... ({len(lines) - 20} more lines)"]
    return ["    " + line for line in lines]


def rules_listing(output_format: str = "text") -> str:
    """Every rule in ``output_format`` (one of ``RULE_FORMATS``), without a final newline."""
    rules = list(all_rules().values())
    if output_format == "json":
        rows = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "summary": r.summary}
            for r in rules
        ]
        return json.dumps(rows, indent=2)
    if output_format == "markdown":
        return rules_markdown()
    width = max(len(r.name) for r in rules)
    return "\n".join(
        f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}" for r in rules
    )


def rules_markdown() -> str:
    """The rule table of docs/diagnostics.md (a test keeps the page equal to this)."""
    lines = ["| code | name | severity | what it finds |", "|---|---|---|---|"]
    for r in all_rules().values():
        lines.append(f"| {r.code} | `{r.name}` | {r.severity.value} | {r.summary} |")
    return "\n".join(lines)

"""Suppression comments in schema files, in the manner of ruff's `noqa` and yamllint's
`disable-line`:

    price: {type: decimal(8), from: data.p}   # schemac: ignore[SC308]
    # schemac: ignore-file[filename-mismatch, SC511]

`# schemac: ignore[...]` on a finding's line silences those codes or names there; without a
list it silences every finding on the line. `# schemac: ignore-file[...]` anywhere in a file
silences them in the whole file (a list is required: a file cannot opt out of every check).
Only the lines of actual findings are read, so files without findings cost nothing. Findings
about reading a file (SC0xx: syntax, encoding, duplicate keys) cannot be silenced: a file that
cannot be read is not checked at all, and no comment should hide that.
"""

from __future__ import annotations

import linecache
import re

from schemac.diagnostics import Diagnostic

_LINE = re.compile(r"#\s*schemac:\s*ignore(?!-)(?:\[(?P<rules>[^\]]*)\])?")
_FILE = re.compile(r"#\s*schemac:\s*ignore-file\[(?P<rules>[^\]]*)\]")


def _rules(text: str) -> set[str]:
    return {part.strip().upper() if part.strip()[:2].upper() == "SC" else part.strip()
            for part in text.split(",") if part.strip()}  # fmt: skip


def _matches(diagnostic: Diagnostic, rules: set[str] | None) -> bool:
    return rules is None or diagnostic.code in rules or diagnostic.name in rules


def file_ignores(file: str) -> set[str]:
    found: set[str] = set()
    for line in linecache.getlines(file):
        if "schemac:" in line:
            for match in _FILE.finditer(line):
                found |= _rules(match["rules"])
    return found


def apply_suppressions(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that no suppression comment silences."""
    linecache.checkcache()  # a file may have changed since an earlier call in this process
    by_file: dict[str, set[str]] = {}
    kept = []
    for diagnostic in diagnostics:
        if diagnostic.code.startswith("SC0"):
            kept.append(diagnostic)
            continue
        file = diagnostic.span.file
        if file not in by_file:
            by_file[file] = file_ignores(file)
        if _matches(diagnostic, by_file[file]):
            continue
        line = linecache.getline(file, diagnostic.span.line)
        match = _LINE.search(line) if "schemac:" in line else None
        if match is not None:
            listed = _rules(match["rules"]) if match["rules"] is not None else None
            if _matches(diagnostic, listed):
                continue
        kept.append(diagnostic)
    return kept

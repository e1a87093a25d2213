"""Quick fixes as plain data: replace a finding's span with each name its hint suggests, and add
the `unfold` an array read is missing.

An edit is (0-based line, start column, end column, new text) on one line, or an insertion at
the start of a line; columns count code points, as spans do.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from schemac.diagnostics import Diagnostic, hint_suggestions

if TYPE_CHECKING:
    from schemac.lsp.session import Session


class Edit(NamedTuple):
    line: int  # 0-based
    start: int  # 0-based columns, end exclusive
    end: int
    text: str


class Fix(NamedTuple):
    title: str
    diagnostic: Diagnostic
    edits: list[Edit]
    preferred: bool = False


_ROOT_KEY = re.compile(r"^(?P<key>[A-Za-z_]+):(?P<value>[^#]*)")


def fixes(session: Session, path: str, text: str, found: list[Diagnostic]) -> list[Fix]:
    """Every quick fix for the findings ``found`` of the buffer ``text`` at ``path``."""
    lines = text.splitlines()
    result: list[Fix] = []
    for diagnostic in found:
        result += _replacements(diagnostic, lines)
    unfolds = _missing_unfolds(session, path, [d for d in found if d.code == _array_code()])
    for diagnostic, exchange, array in unfolds:
        edits = add_unfold(lines, exchange, array)
        title = f"Add `unfold: {{{exchange}: {array}}}`"
        result.append(Fix(title, diagnostic, edits, preferred=True))
    return result


def _array_code() -> str:
    from schemac.rules.catalog import ARRAY_WITHOUT_UNFOLD

    return ARRAY_WITHOUT_UNFOLD.code


def _replacements(diagnostic: Diagnostic, lines: list[str]) -> list[Fix]:
    span = diagnostic.span
    if span.line != span.end_line or span.line > len(lines) or span.column >= span.end_column:
        return []
    line = lines[span.line - 1]
    start, end = span.column - 1, min(span.end_column - 1, len(line))
    written = line[start:end]
    found = []
    for number, suggestion in enumerate(hint_suggestions(diagnostic.hint)):
        new = _same_quotes(written, suggestion)
        if new != written:
            edit = Edit(span.line - 1, start, end, new)
            found.append(Fix(f"Replace with `{suggestion}`", diagnostic, [edit], number == 0))
    return found


def _same_quotes(written: str, suggestion: str) -> str:
    """``suggestion`` quoted as ``written`` was (a quoted key stays quoted)."""
    if len(written) >= 2 and written[0] == written[-1] and written[0] in "\"'":
        quote = written[0]
        return (
            quote + suggestion.replace(quote, quote * 2 if quote == "'" else "\\" + quote) + quote
        )
    if suggestion[:1] in "*&!%@`'\"{[" or ": " in suggestion or " #" in suggestion:
        return '"' + suggestion.replace('"', '\\"') + '"'
    return suggestion


def _missing_unfolds(
    session: Session, path: str, found: list[Diagnostic]
) -> list[tuple[Diagnostic, str, str]]:
    """(finding, exchange, row array) for each read that goes through a row array, found again
    from the schema and the catalog (not from the hint's text)."""
    from schemac.catalog import CatalogError
    from schemac.checks.catalog_reads import reads

    schema = session.schema(path)
    if schema is None or not found:
        return []
    try:
        all_reads = list(reads(schema, session.catalog()))
    except CatalogError:
        return []
    result = []
    for diagnostic in found:
        for read in all_reads:
            failed = read.found
            if read.path_span != diagnostic.span or failed.failure != "through_array":
                continue
            if not diagnostic.message.startswith(read.where):  # a glob's other exchange
                continue
            info = read.exchange.view.paths[failed.chain[-1]] if failed.chain else None
            if info is not None and info.rows:
                result.append((diagnostic, read.exchange.name, failed.failed_prefix))
    return result


def add_unfold(lines: list[str], exchange: str, array: str) -> list[Edit]:
    """The edits that give ``exchange`` an unfold at ``array``: a line under an existing
    block `unfold:`, an entry in a flow one, or a new `unfold:` before `columns:`."""
    entry = f"{exchange}: {array}"
    roots: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(lines):
        match = _ROOT_KEY.match(line)
        if match:
            roots.setdefault(match["key"], (number, match["value"].strip()))
    if "unfold" in roots:
        number, value = roots["unfold"]
        line = lines[number]
        if value.startswith("{") and "}" in line:
            close = line.rindex("}")
            separator = ", " if value.strip("{} ") else ""
            return [Edit(number, close, close, separator + entry)]
        indent = _child_indent(lines, number)
        return [Edit(number + 1, 0, 0, " " * indent + entry + "\n")]
    before = roots.get("columns", (len(lines), ""))[0]
    return [Edit(before, 0, 0, f"unfold:\n  {entry}\n\n")]


def _child_indent(lines: list[str], number: int) -> int:
    for line in lines[number + 1 :]:
        if line.strip() and not line.lstrip().startswith("#"):
            indent = len(line) - len(line.lstrip(" "))
            return indent if indent > 0 else 2
    return 2

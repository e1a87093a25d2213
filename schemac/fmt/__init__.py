"""`schemac fmt`: one canonical layout for YAML authoring files, comments and blank lines kept.

    outcome = format_text(text, "schemas/trades.yaml")
    outcome.text      # the canonical text (== text when it already is), or None
    outcome.findings  # the loader's findings when the file cannot be read as YAML

Two passes: the keys of each block mapping are put in the format reference's order by moving
lines (:mod:`schemac.fmt.reorder`, so that comments stay with their keys), then ruamel.yaml's
round trip writes the layout (:mod:`schemac.fmt.layout`: indent, flow or block by role).
The result is read back with schemac's own loader and compared with the original, value for
value: a file whose meaning would change is left alone and reported, never written.

Wire JSON files are not formatted (``schemac compile`` writes their canonical form).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from schemac.diagnostics import Diagnostic, Severity

__all__ = ["Outcome", "format_text", "is_json_file"]


class Outcome(NamedTuple):
    text: str | None  # the canonical text; None when the file is not formatted
    findings: list[Diagnostic]  # why it cannot be read (validate's SC0xx findings)
    skipped: str | None = None  # why it is not formatted, when that is not a finding

    @property
    def formatted(self) -> bool:
        return self.text is not None


def is_json_file(path: str) -> bool:
    return path.lower().endswith(".json")


def format_text(text: str, file: str = "<text>") -> Outcome:
    """The canonical layout of one YAML authoring file's text."""
    from schemac.core.loader import load_text
    from schemac.core.parse import is_wire_document
    from schemac.core.tree import Mapping

    root, findings = load_text(file, text)
    if root is None or any(d.severity is Severity.ERROR for d in findings):
        return Outcome(None, findings)
    if is_wire_document(root):
        return Outcome(None, [], "wire JSON (`schemac compile` writes its canonical form)")
    if not isinstance(root, Mapping):
        return Outcome(None, [], "not a schema (the document is not a mapping)")
    from schemac.fmt.layout import lay_out
    from schemac.fmt.reorder import reorder_keys

    result = lay_out(reorder_keys(text, root))
    again, problems = load_text(file, result)
    if again is None or problems or _values(root) != _values(again):
        return Outcome(None, [], "internal error: the layout would change the file's values")
    if sorted(comments(text)) != sorted(comments(result)):
        return Outcome(None, [], "internal error: the layout would lose a comment")
    return Outcome(result, findings)


def comments(text: str) -> list[str]:
    """Every comment of a YAML text, in order: a ``#`` at a line start or after a space, outside
    any scalar (PyYAML's scanner says where the scalars are)."""
    import yaml

    lines = text.splitlines()
    scalars: dict[int, list[tuple[int, int]]] = {}  # line -> (start, end) columns of scalars
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for token in yaml.scan(text, Loader=loader):
        if isinstance(token, yaml.ScalarToken):
            start, end = token.start_mark, token.end_mark
            for number in range(start.line, end.line + 1):
                first = start.column if number == start.line else 0
                last = end.column if number == end.line else 1 << 30
                scalars.setdefault(number, []).append((first, last))
    found = []
    for number, line in enumerate(lines):
        for column, char in enumerate(line):
            if char != "#" or (column and not line[column - 1].isspace()):
                continue
            if not any(first <= column < last for first, last in scalars.get(number, ())):
                found.append(line[column:].rstrip())
                break
    return found


def _values(node: Any) -> Any:
    """The plain values of a located tree, comparable with == (NaN equals NaN here)."""
    from schemac.core.tree import plain

    return _comparable(plain(node))


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {_comparable(key): _comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (type(value).__name__, value)

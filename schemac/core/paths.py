"""The JSON path grammar, decided once (the vendor documents only plain dot paths).

    path     := segment ("." segment)*       the first segment does not start with "$"
    segment  := one or more characters, none of them ".", "[", "]" or whitespace
    index    := a segment of ASCII digits only: an array position, 0-based ("b.0.1")

That is vocabulary.PATH_PATTERN, which the checks below are held to (tests/test_vocabulary.py).

A segment of digits always means an array index; an object key made only of digits cannot be
addressed (no exchange in the catalog sends one). Keys containing dots cannot be addressed
either: the vendor documents no escape syntax, so schemac offers none.
"""

from __future__ import annotations

import re

from schemac.vocabulary import PATH_PATTERN

_WELL_FORMED = re.compile(PATH_PATTERN)


def path_problem(path: str) -> str | None:
    """Why ``path`` is malformed, or None when it is well formed."""
    if _WELL_FORMED.fullmatch(path):
        return None
    if path == "":
        return "the path is empty"
    if path != path.strip():
        return "the path has leading or trailing whitespace"
    if path.startswith("."):
        return "the path starts with a dot"
    if path.endswith("."):
        return "the path ends with a dot"
    if ".." in path:
        return "the path has an empty segment (two dots in a row)"
    if any(ch.isspace() for ch in path):
        return "the path contains whitespace"
    if path.startswith("$"):
        return "the path starts with `$`: paths are plain dot paths from the message root"
    if "[" in path or "]" in path:
        return "brackets are not path syntax: write array positions as segments, `b.0.1`"
    return None

"""One YAML scalar writer: a Python value -> YAML text that reads back as exactly that value.

Every module that writes YAML (decompile for pull and import, catalog learn, inspect) writes its
scalars here. A string is written plain only when YAML 1.2 reads it back as the same string and a
YAML 1.1 reader (PyYAML's resolver: `1_000`, `0b101`, `2024-01-01`, `1:20`, `yes`) would too;
anything else is double-quoted with YAML escapes.
"""

from __future__ import annotations

import functools
import json
import math
import re

from schemac.core.ir import CaseScalar
from schemac.core.loader import resolve_plain

# Written as \u escapes: line and paragraph separators, the byte-order mark, non-characters and
# the bidi controls (U+202A..U+202E and U+2066..U+2069 too), which would reorder what an editor
# shows (Trojan Source).
_ESCAPED = frozenset({0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF})
_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-/()$]*")
# Plain words that YAML 1.1 readers (PyYAML's default) would turn into booleans or null.
_YAML11_SPECIAL = frozenset(
    {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
     "OFF"}
)  # fmt: skip


class NotRepresentable(ValueError):
    """The wire content cannot be written in the authoring format (e.g. two columns share a
    name, which a YAML mapping cannot hold)."""


def scalar(value: CaseScalar | None) -> str:
    """One YAML scalar that reads back as exactly ``value`` (same type, same value)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotRepresentable(f"no YAML for the number {value!r}")
        return repr(value)
    if _PLAIN.fullmatch(value) and resolve_plain(value) == value and _yaml11_string(value):
        return value
    surrogate = _SURROGATE.search(value)
    if surrogate is not None:  # YAML (and the API) hold Unicode text; a lone half is not text
        code = ord(surrogate.group())
        raise NotRepresentable(
            f"the text {json.dumps(value)} holds a lone surrogate (U+{code:04X}), "
            "which is not Unicode text; no YAML file can hold it"
        )
    return _double_quoted(value)


def _yaml11_string(text: str) -> bool:
    """Whether a YAML 1.1 reader (PyYAML's default resolver) reads plain ``text`` as a string:
    it also types `1_000`, `0b101`, `2024-01-01`, `1:20` and `yes`, which YAML 1.2 does not."""
    if text in _YAML11_SPECIAL:
        return False
    return bool(_yaml11_tag(text) == "tag:yaml.org,2002:str")


@functools.cache
def _yaml11_tag(text: str) -> str:
    """The tag PyYAML's resolver gives ``text`` as a plain scalar."""
    import yaml  # here, like the loader: only pull and import need it

    resolver = yaml.resolver.Resolver()
    # PyYAML's stubs leave resolve() untyped; it returns the tag as a string
    resolved: str = resolver.resolve(  # type: ignore[no-untyped-call]
        yaml.nodes.ScalarNode, text, (True, False)
    )
    return resolved


def _double_quoted(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif code in _ESCAPED or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)

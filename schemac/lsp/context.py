"""Where the cursor is in a YAML buffer: the keys from the root down to it, read from the text.

The buffer an author is typing in is often not valid YAML (half a key, a missing value), so this
does not parse it: it reads the cursor's line (block list dashes, flow ``{}``/``[]``) and walks
up by indentation, as an editor's outline does. ``keys`` holds mapping keys and ``-`` for a list
item: in

    derive:
      binance:
        - field: levels
          arrays:
            - {path: data.b|

the cursor is in the value of ``("derive", "binance", "-", "arrays", "-", "path")``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

ITEM = "-"
_KEY = re.compile(r"""^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{\[][^#]*?):(?:\s+|$)""")
_WORD = re.compile(r"[\w.*?\[\]$-]*$")  # what counts as the word being typed: paths, globs
_CODE = re.compile(r"\bSC\d{3}\b")


class Context(NamedTuple):
    keys: tuple[str, ...]  # mapping keys and ITEM, from the root to where the cursor writes
    in_value: bool  # writing the value of keys[-1] (or a list item); else a key of keys
    prefix: str  # the part of the word under the cursor before it
    in_comment: bool = False


class Token(NamedTuple):
    text: str
    start: int  # columns, 0-based, end exclusive
    end: int
    is_key: bool  # followed by `:` (a mapping key)


def context_at(text: str, line: int, column: int) -> Context:
    """The context of a cursor at 0-based ``line`` and ``column`` (code points)."""
    lines = text.splitlines()
    current = lines[line] if line < len(lines) else ""
    before = current[:column]
    if _comment_start(before) is not None:
        return Context((), False, "", in_comment=True)
    indent = len(before) - len(before.lstrip(" "))
    rest = before[indent:]
    local: list[str] = []
    while rest == ITEM or rest.startswith(ITEM + " "):
        local.append(ITEM)
        rest = rest[2:].lstrip(" ")
    inner, in_value = _flow_path(rest)
    local.extend(inner)
    parents, in_block_scalar = _parents(lines[:line], indent, bool(local and local[0] == ITEM))
    if in_block_scalar:  # a line of a `|` or `>` scalar: all of it is the value
        return Context(tuple(parents), True, _WORD.search(before).group(0))  # type: ignore[union-attr]
    prefix = _WORD.search(rest).group(0)  # type: ignore[union-attr]
    return Context((*parents, *local), in_value, prefix)


def token_at(text: str, line: int, column: int) -> Token | None:
    """The word at a position (a key, a path, a glob, a rule code), or None on blank space."""
    lines = text.splitlines()
    if line >= len(lines):
        return None
    current = lines[line]
    code = next((m for m in _CODE.finditer(current) if m.start() <= column <= m.end()), None)
    if code is not None:
        return Token(code.group(0), code.start(), code.end(), False)
    word = re.compile(r"[\w.*?$()-]+")
    for match in word.finditer(current):
        if match.start() <= column <= match.end():
            start, end = match.start(), match.end()
            if start > 0 and current[start - 1] in "\"'":  # a quoted key such as "bybit_*"
                start -= 1
                end = min(len(current), end + 1)
            after = current[end:].lstrip(" ")
            raw = current[start:end]
            return Token(raw.strip("\"'"), start, end, after.startswith(":"))
    return None


def _comment_start(text: str) -> int | None:
    quote: str | None = None
    for position, char in enumerate(text):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'" and (position == 0 or text[position - 1] in " {[,:"):
            quote = char
        elif char == "#" and (position == 0 or text[position - 1] in " \t"):
            return position
    return None


def _flow_path(rest: str) -> tuple[list[str], bool]:
    """The keys inside one line's text before the cursor (``key: {a: [x, y``), and whether the
    cursor writes a value there."""
    frames: list[list[str | None]] = [["map", None]]  # kind, the key being written
    buffer = ""
    quote: str | None = None
    for position, char in enumerate(rest):
        following = rest[position + 1 : position + 2]
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'" and not buffer.strip():
            quote = char
        elif char in "{[":
            frames.append(["map" if char == "{" else "seq", None])
            buffer = ""
            continue
        elif char in "}]" and len(frames) > 1:
            frames.pop()
            buffer = ""
            continue
        elif char == "," and len(frames) > 1:
            frames[-1][1] = None
            buffer = ""
            continue
        elif char == ":" and following in ("", " ") and frames[-1][0] == "map":
            frames[-1][1] = buffer.strip().strip("\"'")
            buffer = ""
            continue
        buffer += char
    keys: list[str] = []
    for depth, (kind, key) in enumerate(frames):
        if kind == "seq":
            keys.append(ITEM)
        elif key is not None:
            keys.append(key)
        if depth == len(frames) - 1:
            in_value = kind == "seq" or key is not None
    return keys, in_value


def _parents(above: list[str], indent: int, starts_item: bool) -> tuple[list[str], bool]:
    """The keys of the lines above that hold a line indented by ``indent``, root first; and
    whether that line is inside a block scalar (``transform: |``)."""
    keys: list[str] = []
    anchor = indent
    item_level = starts_item  # the line (or its item) is a list item at `anchor`
    for number in range(len(above) - 1, -1, -1):
        if anchor == 0 and not item_level:
            break
        raw = above[number]
        content = raw.strip()
        if not content or content.startswith("#"):
            continue
        at = len(raw) - len(raw.lstrip(" "))
        rest, dashes = raw[at:], 0
        while rest == ITEM or rest.startswith(ITEM + " "):
            dashes += 1
            rest = rest[2:].lstrip(" ")
        key_at = at + 2 * dashes
        match = _KEY.match(rest)
        key = match.group(1).strip("\"'") if match else None
        value = rest[match.end() :].strip() if match else rest
        if at > anchor or (at == anchor and (dashes or not item_level or key is None)):
            continue
        if key is not None and value[:1] in ("|", ">") and not keys:
            return [*_parents(above[:number], at, dashes > 0)[0], *[ITEM] * dashes, key], True
        if key_at < anchor and key is not None:
            keys[:0] = [*[ITEM] * dashes, key]
        elif dashes:
            keys[:0] = [ITEM] * dashes
        elif key is not None:
            keys.insert(0, key)
        anchor, item_level = at, False
        if dashes and at == 0:
            item_level = True  # a list at the root level may belong to a key at column 0
    return keys, False

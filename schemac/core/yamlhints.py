"""YAML syntax errors in plain words: what is wrong with which line, and what to do about it.

libyaml's messages name its own states ("did not find expected key (while parsing a block
mapping)"); an author hit by one has usually indented a line by one space too many or too few,
typed a tab, left out a `:` or left a `{` open. :func:`plain_syntax_error` recognises those from
the parser's problem, its context and the text around the two marks, and says it in the terms of
the file. A problem it does not recognise is left to the parser's own message (None).
"""

from __future__ import annotations

from typing import NamedTuple

_INDENT_HINT = "YAML nests by indentation: keys of one mapping start in the same column"


class PlainError(NamedTuple):
    message: str
    hint: str
    line: int  # 1-based, where to point
    column: int


def plain_syntax_error(error: Exception, text: str) -> PlainError | None:
    problem = str(getattr(error, "problem", "") or "")
    mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if mark is None:
        return None
    lines = text.splitlines()
    at = _Mark(lines, mark.line, mark.column)
    context = _Mark(lines, context_mark.line, context_mark.column) if context_mark else None
    if problem == "did not find expected key" and context is not None:
        return _misindented_key(at, context)
    if problem.startswith("mapping values are not allowed"):
        return _colon_in_value(at)
    if "tab character" in problem or (problem.startswith("found character") and at.char == "\t"):
        message = f"line {at.number} holds a tab character; YAML indents with spaces only"
        return PlainError(message, "replace each tab with spaces (two per level)", *at.place)
    if problem == "could not find expected ':'" and context is not None:
        message = f"line {context.number} is neither `key: value` nor part of a value above it"
        hint = f"write `key: value` (a space after the colon): `{context.stripped}`"
        return PlainError(message, hint, *context.place)
    if problem.startswith("did not find expected ','") and context is not None:
        return _open_flow(at, context, problem[-2])
    return None


class _Mark:
    """A position of the parser in the text, with the line it is on."""

    def __init__(self, lines: list[str], line: int, column: int) -> None:
        self.lines = lines
        self.index = line
        self.column = column
        self.text = lines[line] if 0 <= line < len(lines) else ""

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def place(self) -> tuple[int, int]:
        return self.number, self.column + 1

    @property
    def char(self) -> str:
        return self.text[self.column] if self.column < len(self.text) else ""

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" "))

    @property
    def stripped(self) -> str:
        return self.text.strip()

    def key(self) -> str:
        """The line's `key:` (or `- item`), as the author wrote it, for a message."""
        content = self.stripped
        head, colon, _ = content.partition(":")
        return f"{head}:" if colon else content

    def previous(self) -> _Mark | None:
        """The nearest line above with content (not blank, not only a comment)."""
        for index in range(self.index - 1, -1, -1):
            content = self.lines[index].strip()
            if content and not content.startswith("#"):
                return _Mark(self.lines, index, 0)
        return None


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _misindented_key(at: _Mark, context: _Mark) -> PlainError:
    """A line indented between two levels: deeper than the mapping it ends, shallower than the
    one it follows (or the other way round)."""
    levels = {context.indent: context}
    above = at.previous()
    if above is not None and above.index != context.index:
        levels.setdefault(above.indent, above)
    choices = sorted(levels.items())
    shown = " or ".join(f"{n} (line {line.number}, `{line.key()}`)" for n, line in choices)
    message = (
        f"line {at.number} is indented by {_spaces(at.indent)}, which lines it up with no key "
        f"above it: the keys there are indented by {shown}"
    )
    moves = [
        f"by {_spaces(indent)} to put it beside `{line.key()}`" for indent, line in choices[::-1]
    ]
    hint = f"{_INDENT_HINT}: indent `{at.key()}` " + ", or ".join(moves)
    return PlainError(message, hint, at.number, at.indent + 1)


def _colon_in_value(at: _Mark) -> PlainError:
    """`key: value` where a value was being read: a line indented as if it continued the value
    above, or a value holding ': '."""
    above = at.previous()
    head = at.text[: at.column].strip()
    first_on_line = head == at.stripped[: len(head)] and ": " not in head
    if above is not None and above.index != at.index and first_on_line:
        message = (
            f"line {at.number} is indented deeper than line {above.number}, whose "
            f"`{above.key()}` already has a value: YAML reads `{at.key()}` as part of that value"
        )
        hint = (
            f"{_INDENT_HINT}: indent `{at.key()}` by {_spaces(above.indent)} to put it beside "
            f"`{above.key()}`"
        )
        return PlainError(message, hint, at.number, at.indent + 1)
    message = f"line {at.number} has a second `: ` inside a value (`{at.stripped}`)"
    hint = (
        "put each `key: value` on a line of its own, or quote a value that contains ': ' (`'a: b'`)"
    )
    return PlainError(message, hint, *at.place)


def _open_flow(at: _Mark, context: _Mark, closer: str) -> PlainError:
    opener = {"}": "{", "]": "["}.get(closer, closer)
    if at.index >= len(at.lines) or not at.text.strip():  # the end of the file
        message = f"the `{opener}` opened on line {context.number} is never closed"
        return PlainError(message, f"add the closing `{closer}`", *context.place)
    message = (
        f"line {at.number}: YAML cannot read the `{opener}...{closer}` opened at column "
        f"{context.column + 1} past this point"
    )
    hint = (
        f"inside `{opener}...{closer}`, quote a value that holds `{{`, `}}`, `[`, `]`, `,` or "
        '`: ` (a transform: `transform: "..."`), or close it on this line'
    )
    return PlainError(message, hint, *at.place)

r"""`case:` mappings <-> SQL CASE transforms.

The rendering is deterministic (arms in written order, one canonical spacing) so that the same
YAML always compiles to byte-identical JSON, and a CASE transform of exactly this shape can be
read back into a `case:` mapping (:func:`decompile_case`, used when pulling remote schemas).

    CASE {v} WHEN <key> THEN <value> [WHEN ...] [ELSE <value>] END

String literals are single-quoted and written the way the dialect's tokenizer (sqlglot's) reads
them back: a backslash is doubled where it escapes (ClickHouse, MySQL, Snowflake, ...), and a
quote is doubled, or written ``\'`` where only a backslash escapes (BigQuery, Hive, Spark). So
any value, quotes, backslashes and SQL keywords included, stays one literal.
"""

from __future__ import annotations

import functools
import math
import re
from typing import NamedTuple

from schemac.core.ir import CaseArm, CaseMap, CaseScalar
from schemac.vocabulary import DEFAULT_DIALECT


class StringSyntax(NamedTuple):
    """How a dialect writes a quote and a backslash inside a single-quoted string literal."""

    quote: str  # a `'` of the value: "''" (doubled) or "\\'" (backslash-escaped)
    backslash_escapes: bool  # a backslash starts an escape, so a `\` of the value is doubled


ANSI_STRINGS = StringSyntax("''", backslash_escapes=False)
# The default dialect's answer, kept here so that rendering a `case` never imports sqlglot on
# the validate path; tests/test_sqlcase.py holds it equal to what sqlglot derives.
PINNED_STRINGS = {DEFAULT_DIALECT: StringSyntax("''", backslash_escapes=True)}


@functools.cache
def string_syntax(dialect: str) -> StringSyntax:
    """The string-literal syntax of ``dialect``, as sqlglot's tokenizer for it reads literals."""
    name = dialect.lower()
    return PINNED_STRINGS.get(name) or derive_string_syntax(name)


def derive_string_syntax(dialect: str) -> StringSyntax:
    """Ask sqlglot's tokenizer for ``dialect`` how it reads a backslash and a quote in a string.

    The tokenizer is probed rather than its ``STRING_ESCAPES`` read: a dialect such as Athena
    routes an expression to another engine's tokenizer than the one its class declares.
    """
    from sqlglot import TokenType
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import SqlglotError

    try:
        tokenizer = Dialect.get_or_raise(dialect)
    except ValueError:  # a dialect sqlglot does not know (the configuration checks names)
        return ANSI_STRINGS

    def reads(literal: str) -> str | None:
        try:
            tokens = tokenizer.tokenize(literal)
        except SqlglotError:
            return None
        if len(tokens) != 1 or tokens[0].token_type != TokenType.STRING:
            return None
        return tokens[0].text

    backslash = reads("'\\\\'") == "\\"
    if reads("'a''b'") != "a'b" and backslash and reads("'a\\'b'") == "a'b":
        return StringSyntax("\\'", backslash_escapes=True)
    return StringSyntax("''", backslash)


def _needs_syntax(text: str) -> bool:
    """Only quotes and backslashes are written differently by different dialects."""
    return "'" in text or "\\" in text


def render_literal(value: CaseScalar, dialect: str = DEFAULT_DIALECT) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no SQL literal for {value!r}")
        return repr(value)
    text = value
    if _needs_syntax(text):
        syntax = string_syntax(dialect)
        if syntax.backslash_escapes:
            text = text.replace("\\", "\\\\")
        text = text.replace("'", syntax.quote)
    return "'" + text + "'"


def render_case(case: CaseMap, dialect: str = DEFAULT_DIALECT) -> str:
    parts = ["CASE {v}"]
    for arm in case.arms:
        parts.append(
            f"WHEN {render_literal(arm.when, dialect)} THEN {render_literal(arm.then, dialect)}"
        )
    if case.has_else and case.otherwise is not None:
        parts.append(f"ELSE {render_literal(case.otherwise, dialect)}")
    parts.append("END")
    return " ".join(parts)


_NUMBER = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def _read_string(text: str, pos: int, syntax: StringSyntax) -> tuple[str, int] | None:
    """Read the string literal that opens at ``pos``, written as :func:`render_literal` does."""
    out: list[str] = []
    i = pos + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and syntax.backslash_escapes:
            escaped = text[i : i + 2]
            if escaped not in ("\\\\", syntax.quote):
                return None  # other escapes (\n, \t, ...) are not of our own rendering
            out.append(escaped[1])
            i += 2
        elif ch == "'":
            if text[i : i + 2] != syntax.quote:
                return "".join(out), i + 1
            out.append("'")
            i += 2
        else:
            out.append(ch)
            i += 1
    return None


def _read_literal(text: str, pos: int, syntax: StringSyntax) -> tuple[CaseScalar, int] | None:
    """Read one literal at ``pos``; returns (value, position after it) or None."""
    if text.startswith("'", pos):
        return _read_string(text, pos, syntax)
    for word, value in (("true", True), ("false", False)):
        if text.startswith(word, pos) and not text[pos + len(word) : pos + len(word) + 1].isalnum():
            return value, pos + len(word)
    match = _NUMBER.match(text, pos)
    if match:
        token = match.group(0)
        number: CaseScalar = float(token) if any(c in token for c in ".eE") else int(token)
        return number, match.end()
    return None


def decompile_case(sql: str, dialect: str = DEFAULT_DIALECT) -> CaseMap | None:
    """The `case:` mapping a transform was rendered from, or None if it is not of that shape.

    Only the exact canonical rendering is recognised, so that decompiling and compiling again
    always reproduces the transform byte for byte; anything else stays a `transform`.
    """
    prefix = "CASE {v} "
    if not sql.startswith(prefix) or not sql.endswith(" END"):
        return None
    # Without a backslash or a doubled quote, every dialect reads the literals alike.
    syntax = string_syntax(dialect) if "\\" in sql or "''" in sql else ANSI_STRINGS
    pos = len(prefix)
    arms: list[CaseArm] = []
    while sql.startswith("WHEN ", pos):
        when = _read_literal(sql, pos + 5, syntax)
        if when is None or not sql.startswith(" THEN ", when[1]):
            return None
        then = _read_literal(sql, when[1] + 6, syntax)
        if then is None or not sql.startswith(" ", then[1]):
            return None
        arms.append(CaseArm(when[0], then[0]))
        pos = then[1] + 1
    if not arms:
        return None
    otherwise: CaseScalar | None = None
    if sql.startswith("ELSE ", pos):
        value = _read_literal(sql, pos + 5, syntax)
        if value is None or not sql.startswith(" ", value[1]):
            return None
        otherwise = value[0]
        pos = value[1] + 1
    if sql[pos:] != "END":
        return None
    keys = [(type(a.when), a.when) for a in arms]
    if len(set(keys)) != len(keys):
        return None  # a YAML mapping cannot hold the same key twice
    case = CaseMap(tuple(arms), has_else=otherwise is not None, otherwise=otherwise)
    if render_case(case, dialect) != sql:
        return None
    return case

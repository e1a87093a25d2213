"""Transforms: parse a SQL expression over `{v}` and screen it, with positions into its text.

`{v}` is bound to a placeholder identifier of the same length (``_v_``) before parsing: dialects
read `{v}` differently (ClickHouse as a query parameter, others as a struct), and an equal length
keeps every offset sqlglot reports valid in the user's text.

The screen is an allow-list: the text must be short enough for the API (SC207) and free of
comments and control or bidi characters (SC206); the parsed expression may hold only the forms
:mod:`schemac.sql.screen` allows (SC203, SC204), functions on the allow-list
(:mod:`schemac.sql.allowlist`, SC205, SC208), and must use `{v}` as a value (SC201). It reports
:class:`~schemac.diagnostics.ScalarFinding` values (``RULE.within(offset, length, ...)``, offsets
into the transform's text); the check that calls it places them in the file. Results are cached
between runs (:mod:`schemac.sql.cache`), keyed by the text, the dialect and the configuration's
additions to the list, so a run whose transforms are all known never imports sqlglot.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from schemac.diagnostics import ScalarFinding
from schemac.rules.transforms import (
    TRANSFORM_HIDDEN_TEXT,
    TRANSFORM_SYNTAX,
    TRANSFORM_TOO_LONG,
    TRANSFORM_UNSAFE,
    TRANSFORM_WITHOUT_PLACEHOLDER,
)
from schemac.sql import cache
from schemac.sql.allowlist import dialect_key as _keyed
from schemac.sql.allowlist import extension_key
from schemac.vocabulary import TRANSFORM_PLACEHOLDER

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.errors import ParseError
    from sqlglot.tokenizer_core import Token

__all__ = [
    "BOUND_NAME",
    "MAX_TRANSFORM_LENGTH",
    "bind",
    "parse_bound",
    "screen_transform",
    "tokens_of",
    "unbind",
    "uses_placeholder",
]

# The same length as `{v}`: offsets in the bound text are offsets in the user's text.
BOUND_NAME = "_v_"
# The API refuses a longer transform (ticksupply-api.md: ExchangeExtractor.transform).
MAX_TRANSFORM_LENGTH = 4096
# Characters a transform may hold although Unicode calls them control characters.
_PLAIN_CONTROLS = frozenset("\t\n\r")
# Control (Cc), format (Cf: bidi controls, zero-width characters), separators (Zl, Zp), private
# use and unpaired surrogates: they display differently from what they are, or not at all.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})
# A transform with many hidden characters gets this many findings, not one per character.
_MAX_HIDDEN_FINDINGS = 5


def uses_placeholder(text: str) -> bool:
    """Whether `{v}` appears in the text (a cheap first test: the screen checks that the parsed
    expression uses it as a value)."""
    return TRANSFORM_PLACEHOLDER in text


def bind(text: str) -> str:
    """``text`` with `{v}` bound to :data:`BOUND_NAME`, as sqlglot is given it."""
    return text.replace(TRANSFORM_PLACEHOLDER, BOUND_NAME)


def unbind(sql: str) -> str:
    """SQL written back by sqlglot, with `{v}` as the user wrote it."""
    return sql.replace(BOUND_NAME, TRANSFORM_PLACEHOLDER)


def screen_transform(
    text: str, dialect: str, allow: Iterable[str] = ()
) -> tuple[ScalarFinding, ...]:
    """Parse ``text`` as one expression of ``dialect`` and report what is not allowed in it;
    ``allow`` names functions the configuration adds to the allow-list."""
    return _screen_cached(text, dialect, extension_key(allow))


@functools.lru_cache(maxsize=4096)
def _screen_cached(text: str, dialect: str, extension: str) -> tuple[ScalarFinding, ...]:
    key = f"{_keyed(dialect, extension)}\0{text}"
    restored = cache.findings_from_json(cache.cached(key))
    if restored is not None:
        return restored
    allowed = frozenset(name for name in extension.split(",") if name)
    findings = _dedupe(_screen(text, dialect, allowed))
    cache.remember(key, [cache.finding_to_json(finding) for finding in findings])
    return findings


@functools.lru_cache(maxsize=4096)
def parse_bound(text: str, dialect: str) -> tuple[exp.Expr, ...]:
    """The statements of a transform with `{v}` bound; raises sqlglot's errors.

    Shared by the screen and by type inference, so each transform is parsed once per process.
    The trees are shared too: a caller that changes one (type annotation does) copies it first.
    """
    from sqlglot.dialects.dialect import Dialect

    parser = Dialect.get_or_raise(dialect).parser()
    statements = parser.parse(list(tokens_of(text, dialect)), bind(text))
    return tuple(s for s in statements if s is not None)


@functools.lru_cache(maxsize=4096)
def tokens_of(text: str, dialect: str) -> tuple[Token, ...]:
    """The tokens of a transform with `{v}` bound (what :func:`parse_bound` parses, and where
    the screen looks for comments); raises sqlglot's TokenError."""
    from sqlglot.dialects.dialect import Dialect

    return tuple(Dialect.get_or_raise(dialect).tokenize(bind(text)))


def _dedupe(findings: Iterable[ScalarFinding]) -> tuple[ScalarFinding, ...]:
    """Each finding once: one rule at one place is one finding, however it was reached."""
    return tuple({(f.code, f.offset, f.length): f for f in findings}.values())


def _screen(text: str, dialect: str, allowed: frozenset[str]) -> list[ScalarFinding]:
    findings: list[ScalarFinding] = []
    if len(text) > MAX_TRANSFORM_LENGTH:
        message = (
            f"the transform is {len(text):,} characters long; the API accepts at most "
            f"{MAX_TRANSFORM_LENGTH:,}"
        )
        hint = "write a long CASE as a `case:` mapping, or split the column"
        extra = len(text) - MAX_TRANSFORM_LENGTH
        return [TRANSFORM_TOO_LONG.within(MAX_TRANSFORM_LENGTH, extra, message, hint)]
    findings.extend(_hidden_characters(text))
    if findings:
        return findings  # what the text says is not what it shows: nothing else is reliable
    if not uses_placeholder(text):
        message = f"the transform does not use {TRANSFORM_PLACEHOLDER}"
        hint = "refer to the extracted value as {v}, e.g. `round({v}, 2)`"
        findings.append(TRANSFORM_WITHOUT_PLACEHOLDER.within(0, len(text) or 1, message, hint))
    findings.extend(_parsed(text, dialect, allowed, placeholder_reported=bool(findings)))
    return findings


def _hidden_characters(text: str) -> list[ScalarFinding]:
    findings: list[ScalarFinding] = []
    for offset, character in enumerate(text):
        if character in _PLAIN_CONTROLS:
            continue
        if unicodedata.category(character) not in _HIDDEN_CATEGORIES:
            continue
        name = unicodedata.name(character, "a control character")
        message = (
            f"the transform holds U+{ord(character):04X} ({name}), which displays differently "
            "from what it is, or not at all"
        )
        hint = "remove it; write the character in a string literal as an escape if it is meant"
        findings.append(TRANSFORM_HIDDEN_TEXT.within(offset, 1, message, hint))
        if len(findings) == _MAX_HIDDEN_FINDINGS:
            break
    return findings


def _parsed(
    text: str, dialect: str, allowed: frozenset[str], placeholder_reported: bool
) -> list[ScalarFinding]:
    """The findings of the parsed expression, or the reason it does not parse."""
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    bound = bind(text)
    whole = len(text) or 1
    findings: list[ScalarFinding] = []
    try:
        findings.extend(_comments(text, dialect))  # the tokens; a comment is between two
        statements = list(parse_bound(text, dialect))
    except ParseError as error:
        return [*findings, _syntax_finding(error, bound, dialect)]
    except TokenError as error:
        message = f"the transform is not valid {dialect} SQL: {error}"
        return [TRANSFORM_SYNTAX.within(0, whole, message)]
    except Exception as error:  # sqlglot raises assorted errors on odd input; never crash on one
        message = f"the transform could not be parsed as {dialect} SQL: {error}"
        return [*findings, TRANSFORM_SYNTAX.within(0, whole, message)]
    if not statements:
        return [TRANSFORM_SYNTAX.within(0, whole, "the transform is empty")]
    if len(statements) > 1:
        message = "the transform holds more than one statement; it must be a single expression"
        findings.append(TRANSFORM_UNSAFE.within(max(bound.find(";"), 0), 1, message))
    root = statements[0]
    statement_types = (exp.Query, exp.DDL, exp.DML, exp.Command, exp.Use, exp.Set, exp.Pragma)
    if isinstance(root, statement_types):
        kind = root.key.upper()
        message = (
            f"the transform is a {kind} statement, not an expression over {TRANSFORM_PLACEHOLDER}"
        )
        findings.append(TRANSFORM_UNSAFE.within(0, len(text), message))
        return findings
    from schemac.sql.screen import Screen

    screen = Screen(text, bound, dialect, allowed)
    findings.extend(screen.run(root))
    if not screen.uses_placeholder and not placeholder_reported:
        message = f"the transform does not use {TRANSFORM_PLACEHOLDER} as a value"
        hint = (
            f"{TRANSFORM_PLACEHOLDER} inside a string literal or a comment is text, not the value"
        )
        findings.append(TRANSFORM_WITHOUT_PLACEHOLDER.within(0, whole, message, hint))
    return findings


def _comments(text: str, dialect: str) -> list[ScalarFinding]:
    """A finding for each comment: text between two tokens that is not whitespace."""
    bound = bind(text)
    tokens = tokens_of(text, dialect)
    findings: list[ScalarFinding] = []
    edges = [(-1, 0)] + [(t.start, t.end) for t in tokens] + [(len(bound), len(bound))]
    for (_, previous_end), (next_start, _) in itertools.pairwise(edges):
        gap = bound[previous_end + 1 : next_start] if previous_end >= 0 else bound[:next_start]
        stripped = gap.strip()
        if stripped:
            offset = (previous_end + 1 if previous_end >= 0 else 0) + gap.index(stripped[0])
            message = "the transform holds a comment, which can hide what it does"
            hint = "explain a transform in a YAML comment (# ...) beside it instead"
            findings.append(TRANSFORM_HIDDEN_TEXT.within(offset, len(stripped), message, hint))
    return findings


def _syntax_finding(error: ParseError, bound: str, dialect: str) -> ScalarFinding:
    detail = error.errors[0] if error.errors else {}
    offset = _offset_of(bound, detail.get("line"), detail.get("col"))
    description = detail.get("description") or str(error).splitlines()[0]
    highlight = detail.get("highlight") or ""
    message = f"the transform is not valid {dialect} SQL: {description}"
    if highlight:
        message += f" near `{highlight}`"
        offset = max(0, offset - len(highlight) + 1)
    return TRANSFORM_SYNTAX.within(offset, max(1, len(highlight)), message)


def _offset_of(text: str, line: int | None, column: int | None) -> int:
    """0-based offset of sqlglot's 1-based (line, col); col is the end of the offending token."""
    if not line or not column:
        return 0
    lines = text.split("\n")
    offset = sum(len(lines[i]) + 1 for i in range(min(line - 1, len(lines))))
    return max(0, min(len(text) - 1, offset + column - 1))

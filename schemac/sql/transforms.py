"""Transforms: parse a SQL expression over `{v}` and screen it, with positions into its text.

`{v}` is bound to a placeholder identifier of the same length (``_v_``) before parsing: dialects
read `{v}` differently (ClickHouse as a query parameter, others as a struct), and an equal length
keeps every offset sqlglot reports valid in the user's text.

The screen reports :class:`~schemac.diagnostics.ScalarFinding` values made from the SC2xx rules
(``RULE.within(offset, length, ...)``), offsets into the transform's text; the check that calls
it places them in the file. Results are cached between runs (:mod:`schemac.sql.cache`), so a run
whose transforms are all known never imports sqlglot.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from schemac.diagnostics import ScalarFinding
from schemac.rules.transforms import TRANSFORM_FREE_REFERENCE, TRANSFORM_SYNTAX, TRANSFORM_UNSAFE
from schemac.sql import cache
from schemac.vocabulary import TRANSFORM_PLACEHOLDER

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.errors import ParseError

__all__ = [
    "BOUND_NAME",
    "bind",
    "parse_bound",
    "screen_transform",
    "unbind",
    "unsafe_functions",
    "uses_placeholder",
]

# The same length as `{v}`: offsets in the bound text are offsets in the user's text.
BOUND_NAME = "_v_"


@functools.cache
def unsafe_functions() -> frozenset[str]:
    """The function names no transform may call (schemac/data/unsafe_functions.txt)."""
    # a path beside the package, not importlib.resources: that imports tempfile, shutil, random
    text = (Path(__file__).parent.parent / "data" / "unsafe_functions.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


def uses_placeholder(text: str) -> bool:
    return TRANSFORM_PLACEHOLDER in text


def bind(text: str) -> str:
    """``text`` with `{v}` bound to :data:`BOUND_NAME`, as sqlglot is given it."""
    return text.replace(TRANSFORM_PLACEHOLDER, BOUND_NAME)


def unbind(sql: str) -> str:
    """SQL written back by sqlglot, with `{v}` as the user wrote it."""
    return sql.replace(BOUND_NAME, TRANSFORM_PLACEHOLDER)


@functools.lru_cache(maxsize=4096)
def screen_transform(text: str, dialect: str) -> tuple[ScalarFinding, ...]:
    """Parse ``text`` as one expression of ``dialect`` and report what is not allowed in it."""
    key = f"{dialect}\0{text}"
    restored = cache.findings_from_json(cache.cached(key))
    if restored is not None:
        return restored
    findings = _screen(text, dialect)
    cache.remember(key, [cache.finding_to_json(finding) for finding in findings])
    return findings


@functools.lru_cache(maxsize=4096)
def parse_bound(text: str, dialect: str) -> tuple[exp.Expr, ...]:
    """The statements of a transform with `{v}` bound; raises sqlglot's errors.

    Shared by the screen and by type inference, so each transform is parsed once per process.
    The trees are shared too: a caller that changes one (type annotation does) copies it first.
    """
    import sqlglot

    return tuple(s for s in sqlglot.parse(bind(text), read=dialect) if s is not None)


def _screen(text: str, dialect: str) -> tuple[ScalarFinding, ...]:
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    bound = bind(text)
    whole = len(text) or 1
    try:
        statements = list(parse_bound(text, dialect))
    except ParseError as error:
        return (_syntax_finding(error, bound, dialect),)
    except TokenError as error:
        message = f"the transform is not valid {dialect} SQL: {error}"
        return (TRANSFORM_SYNTAX.within(0, whole, message),)
    except Exception as error:  # sqlglot raises assorted errors on odd input; never crash on one
        message = f"the transform could not be parsed as {dialect} SQL: {error}"
        return (TRANSFORM_SYNTAX.within(0, whole, message),)
    if not statements:
        return (TRANSFORM_SYNTAX.within(0, whole, "the transform is empty"),)
    findings: list[ScalarFinding] = []
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
        return tuple(findings)
    findings.extend(_screen_nodes(root, bound, dialect))
    return tuple(findings)


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


def _screen_nodes(root: exp.Expr, bound: str, dialect: str) -> list[ScalarFinding]:
    """What an expression may not contain: subqueries, tables, unsafe functions, free names."""
    from sqlglot import exp

    findings: list[ScalarFinding] = []
    unsafe = unsafe_functions()
    lambda_params: set[str] = set()
    for node in root.walk():
        if isinstance(node, exp.Lambda):
            lambda_params.update(p.name for p in node.expressions)
    for node in root.walk():
        if isinstance(node, (exp.Query, exp.Subquery)):
            offset = _first_offset(node, bound, r"\(\s*select\b|\bselect\b")
            message = "the transform contains a subquery; it may only compute over {v}"
            findings.append(TRANSFORM_UNSAFE.within(offset, 6, message))
        elif isinstance(node, exp.Table):
            message = "the transform reads a table; it may only compute over {v}"
            findings.append(TRANSFORM_UNSAFE.within(0, len(bound), message))
        elif isinstance(node, exp.Func):
            name = _function_name(node)
            if name.lower() in unsafe:
                offset = _node_offset(node, bound, name)
                message = (
                    f"`{name}` reads files, URLs, other tables or server state, which a "
                    "transform may never do"
                )
                findings.append(TRANSFORM_UNSAFE.within(offset, len(name), message))
        elif (
            isinstance(node, exp.Column)
            and node.name != BOUND_NAME
            and node.name not in lambda_params
        ):
            offset = _node_offset(node, bound, node.name)
            hint = None
            if _was_double_quoted(bound, offset):
                hint = f"for a string, use single quotes: '{node.name}'"
            shown = node.sql(dialect=dialect)
            message = f"the transform refers to `{shown}`; it sees only {TRANSFORM_PLACEHOLDER}"
            findings.append(TRANSFORM_FREE_REFERENCE.within(offset, len(node.name), message, hint))
    return findings


def _function_name(node: object) -> str:
    from sqlglot import exp

    if isinstance(node, exp.Anonymous):
        return str(node.name)
    meta = getattr(node, "meta", None) or {}
    for key, value in meta.items():
        if key.endswith("_name") and isinstance(value, str):
            return value
    return type(node).__name__


def _node_offset(node: object, text: str, name: str) -> int:
    meta = getattr(node, "meta", None) or {}
    if "start" in meta:
        return int(meta["start"])
    this = getattr(node, "this", None)
    inner = getattr(this, "meta", None) or {}
    if "start" in inner:
        return int(inner["start"])
    match = re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text)
    return match.start() if match else 0


def _first_offset(node: object, text: str, pattern: str) -> int:
    match = re.search(pattern, text, re.IGNORECASE)
    return match.start() if match else 0


def _was_double_quoted(text: str, offset: int) -> bool:
    return offset > 0 and text[offset - 1] == '"'


def _offset_of(text: str, line: int | None, column: int | None) -> int:
    """0-based offset of sqlglot's 1-based (line, col); col is the end of the offending token."""
    if not line or not column:
        return 0
    lines = text.split("\n")
    offset = sum(len(lines[i]) + 1 for i in range(min(line - 1, len(lines))))
    return max(0, min(len(text) - 1, offset + column - 1))

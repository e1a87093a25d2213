"""`case:` mappings <-> SQL CASE transforms.

The rendering is deterministic (arms in written order, one canonical spacing) so that the same
YAML always compiles to byte-identical JSON, and a CASE transform of exactly this shape can be
read back into a `case:` mapping (:func:`decompile_case`, used when pulling remote schemas).

    CASE {v} WHEN <key> THEN <value> [WHEN ...] [ELSE <value>] END

String literals are single-quoted with ``'`` doubled. In dialects where a backslash escapes
inside string literals (ClickHouse, MySQL, Spark, ...), a backslash is doubled too, so that any
value, quotes, backslashes and SQL keywords included, stays one literal.
"""

from __future__ import annotations

import math
import re

from schemac.core.ir import CaseArm, CaseMap, CaseScalar

# Dialects whose string literals treat a backslash as an escape character.
BACKSLASH_ESCAPE_DIALECTS = frozenset(
    {
        "clickhouse",
        "mysql",
        "spark",
        "spark2",
        "databricks",
        "hive",
        "bigquery",
        "doris",
        "starrocks",
        "singlestore",
        "drill",
        "druid",
    }
)


def render_literal(value: CaseScalar, dialect: str = "clickhouse") -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no SQL literal for {value!r}")
        text = repr(value)
        return text
    text = value
    if dialect.lower() in BACKSLASH_ESCAPE_DIALECTS:
        text = text.replace("\\", "\\\\")
    return "'" + text.replace("'", "''") + "'"


def render_case(case: CaseMap, dialect: str = "clickhouse") -> str:
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


def _read_literal(text: str, pos: int, dialect: str) -> tuple[CaseScalar, int] | None:
    """Read one literal at ``pos``; returns (value, position after it) or None."""
    if text.startswith("'", pos):
        backslash = dialect.lower() in BACKSLASH_ESCAPE_DIALECTS
        out: list[str] = []
        i = pos + 1
        while i < len(text):
            ch = text[i]
            if backslash and ch == "\\":
                if i + 1 < len(text) and text[i + 1] in "\\'":
                    out.append(text[i + 1])
                    i += 2
                    continue
                return None  # other escapes (\n, \t, ...) are not of our own rendering
            if ch == "'":
                if text.startswith("'", i + 1):
                    out.append("'")
                    i += 2
                    continue
                return "".join(out), i + 1
            out.append(ch)
            i += 1
        return None
    for word, value in (("true", True), ("false", False)):
        if text.startswith(word, pos) and not text[pos + len(word) : pos + len(word) + 1].isalnum():
            return value, pos + len(word)
    match = _NUMBER.match(text, pos)
    if match:
        token = match.group(0)
        number: CaseScalar = float(token) if any(c in token for c in ".eE") else int(token)
        return number, match.end()
    return None


def decompile_case(sql: str, dialect: str = "clickhouse") -> CaseMap | None:
    """The `case:` mapping a transform was rendered from, or None if it is not of that shape.

    Only the exact canonical rendering is recognised, so that decompiling and compiling again
    always reproduces the transform byte for byte; anything else stays a `transform`.
    """
    prefix = "CASE {v} "
    if not sql.startswith(prefix) or not sql.endswith(" END"):
        return None
    pos = len(prefix)
    arms: list[CaseArm] = []
    otherwise: CaseScalar | None = None
    has_else = False
    while sql.startswith("WHEN ", pos):
        when = _read_literal(sql, pos + 5, dialect)
        if when is None or not sql.startswith(" THEN ", when[1]):
            return None
        then = _read_literal(sql, when[1] + 6, dialect)
        if then is None or not sql.startswith(" ", then[1]):
            return None
        arms.append(CaseArm(when[0], then[0]))
        pos = then[1] + 1
    if not arms:
        return None
    if sql.startswith("ELSE ", pos):
        value = _read_literal(sql, pos + 5, dialect)
        if value is None or not sql.startswith(" ", value[1]):
            return None
        otherwise, has_else = value[0], True
        pos = value[1] + 1
    if sql[pos:] != "END":
        return None
    keys = [(type(a.when), a.when) for a in arms]
    if len(set(keys)) != len(keys):
        return None  # a YAML mapping cannot hold the same key twice
    case = CaseMap(tuple(arms), has_else=has_else, otherwise=otherwise)
    if render_case(case, dialect) != sql:
        return None
    return case

"""The allow-list walk over a parsed transform: what an expression over `{v}` may contain.

Every node of the tree must be one of the forms below, or it is refused; nothing is allowed by
not being on a list of dangers. The forms: `{v}` itself, literals, operators (arithmetic,
comparison, logic, bitwise, `||`, `IN` a literal list, `LIKE`, `BETWEEN`, `IS`), `CASE`,
`[...]` arrays and indexing, tuples, `CAST`'s types, intervals, calls of functions on the
allow-list (:mod:`schemac.sql.allowlist`, plus the configuration's additions), and lambdas as
the argument of a function that takes one, over their own parameters and `{v}`.

Imported only when a transform is screened (it imports sqlglot).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from schemac.diagnostics import ScalarFinding, did_you_mean
from schemac.rules.transforms import (
    TRANSFORM_FREE_REFERENCE,
    TRANSFORM_FUNCTION_NOT_ALLOWED,
    TRANSFORM_UNBOUNDED_SIZE,
    TRANSFORM_UNSAFE,
)
from schemac.sql.allowlist import AllowedFunction, allowed_functions, refused_reasons
from schemac.vocabulary import TRANSFORM_PLACEHOLDER

# Nodes that are allowed as they are; their children are screened in turn.
_OPERATORS: tuple[type[exp.Expr], ...] = (
    exp.Literal,
    exp.Boolean,
    exp.Null,
    exp.Paren,
    exp.Neg,
    exp.Not,
    exp.And,
    exp.Or,
    exp.Xor,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.IntDiv,
    exp.Mod,
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.NullSafeEQ,
    exp.NullSafeNEQ,
    exp.Is,
    exp.Between,
    exp.Like,
    exp.ILike,
    exp.In,
    exp.Case,
    exp.Array,
    exp.Tuple,
    exp.Bracket,
    exp.BitwiseAnd,
    exp.BitwiseOr,
    exp.BitwiseXor,
    exp.BitwiseNot,
    exp.BitwiseLeftShift,
    exp.BitwiseRightShift,
    exp.DPipe,
)
# Refused whatever the configuration allows: not one value per row, or not an expression.
_PER_ROW = "a transform computes one value per row"
_OVER_V = "a transform may only compute over {v}"
_NOT_PER_ROW = (
    (
        exp.Window,
        f"the transform calls a window function (OVER), which reads other rows; {_PER_ROW}",
    ),
    (exp.AggFunc, f"the transform calls an aggregate function, which reads other rows; {_PER_ROW}"),
    (exp.Explode, f"the transform calls `arrayJoin`, which turns one row into many; {_PER_ROW}"),
    (exp.Subquery, f"the transform contains a subquery; {_OVER_V}"),
    (exp.Query, f"the transform contains a query; {_OVER_V}"),
    (exp.Table, f"the transform reads a table; {_OVER_V}"),
    (exp.Placeholder, "the transform holds a query parameter; a transform sees only {v}"),
    (exp.Parameter, "the transform holds a query parameter; a transform sees only {v}"),
    (exp.Star, "the transform holds `*`; a transform sees only {v}"),
    (exp.Alias, "the transform names a value (AS); a transform is one unnamed expression"),
)
_NOT_PER_ROW_TYPES = tuple(kind for kind, _ in _NOT_PER_ROW)
# Functions sqlglot parses with their own syntax and keeps no name of: the ClickHouse name the
# allow-list has them under (any other such node is looked up by its sqlglot names).
_PARSED_FORMS: dict[type[exp.Expr], str] = {
    exp.StrPosition: "position",
    exp.Struct: "tuple",
    exp.CastToStrType: "cast",
}


@dataclass
class Screen:
    """One walk over one parsed transform; ``findings`` holds what it refused."""

    text: str  # the user's text (`{v}` unbound): a placeholder is where it reads `{v}`
    bound: str  # the text sqlglot parsed
    dialect: str
    extra: frozenset[str]  # the configuration's additions, lower case
    findings: list[ScalarFinding] = field(default_factory=list)
    uses_placeholder: bool = False

    def run(self, root: exp.Expr) -> list[ScalarFinding]:
        pending: list[tuple[exp.Expr, frozenset[str]]] = [(root, frozenset())]
        while pending:
            node, scope = pending.pop()
            for child in reversed(self.visit(node, scope)):
                pending.append((child, scope | _parameters(node)))
        return self.findings

    def visit(self, node: exp.Expr, scope: frozenset[str]) -> list[exp.Expr]:
        """Screen ``node`` itself; the children still to screen."""
        if isinstance(node, exp.Column):
            self.column(node, scope)
            return []
        if isinstance(node, exp.Identifier) and not node.quoted and node.name in scope:
            return []  # a lambda's parameter in its body
        if isinstance(node, _OPERATORS):  # the most common nodes first: none is refused below
            return list(node.iter_expressions())
        if isinstance(node, _NOT_PER_ROW_TYPES):
            message = next(text for kind, text in _NOT_PER_ROW if isinstance(node, kind))
            self.refuse(TRANSFORM_UNSAFE, node, message)
            return []
        if isinstance(node, (exp.DataType, exp.Var, exp.JSONPath)):
            # not evaluated: a type name (CAST(x AS Decimal(18, 8))), a keyword sqlglot put in a
            # call (a unit: toStartOfHour is DATE_TRUNC(HOUR, ...)), a JSON path built from a
            # literal argument
            return []
        if isinstance(node, exp.Interval):
            return [node.this] if isinstance(node.this, exp.Expr) else []
        if isinstance(node, exp.Lambda):
            return self.lambda_(node)
        if isinstance(node, exp.Func):
            return self.function(node)
        shown = self.show(node)
        message = (
            f"the transform contains `{shown}` ({node.key}), which is not one of the "
            "expression forms a transform may use"
        )
        self.refuse(TRANSFORM_UNSAFE, node, message)
        return []

    # -- names -----------------------------------------------------------------------------

    def column(self, node: exp.Column, scope: frozenset[str]) -> None:
        identifier = node.this if isinstance(node.this, exp.Identifier) else None
        simple = identifier is not None and not node.table and not identifier.quoted
        if self.is_placeholder(node):
            self.uses_placeholder = True
            return
        if simple and node.name in scope:
            return  # a lambda's own parameter
        if any(self.is_placeholder_name(part) for part in node.find_all(exp.Identifier)):
            self.uses_placeholder = True  # `{v}.1`: refused below, but {v} is used
        offset, length = self.span_of(node)
        shown = self.text[offset : offset + length] if length < 80 else node.sql(self.dialect)
        hint = None
        if self.bound[offset : offset + 1] == '"':
            hint = f"for a string, use single quotes: '{node.name}'"
        if isinstance(node.parent, exp.In) and node.arg_key == "field":
            message = (
                f"`IN {shown}` reads the table or set `{shown}`; a transform sees only "
                f"{TRANSFORM_PLACEHOLDER}"
            )
            hint = f"compare with a literal list: {TRANSFORM_PLACEHOLDER} IN (1, 2)"
        else:
            message = f"the transform refers to `{shown}`; it sees only {TRANSFORM_PLACEHOLDER}"
        self.findings.append(TRANSFORM_FREE_REFERENCE.within(offset, length, message, hint))

    def is_placeholder(self, node: exp.Column) -> bool:
        """Whether ``node`` is `{v}` as written: not a name `_v_`, nor `{v}` in a literal."""
        identifier = node.this
        if not isinstance(identifier, exp.Identifier) or node.table:
            return False
        return self.is_placeholder_name(identifier)

    def is_placeholder_name(self, identifier: exp.Identifier) -> bool:
        start = (identifier.meta or {}).get("start")
        if identifier.quoted or not isinstance(start, int):
            return False
        return self.text.startswith(TRANSFORM_PLACEHOLDER, start)

    def lambda_(self, node: exp.Lambda) -> list[exp.Expr]:
        parent = node.parent
        name = _written_name(parent, self.bound, self.dialect) if parent is not None else None
        entry = allowed_functions().get((name or "").lower())
        takes = entry is not None and entry.takes_lambda
        simple = all(isinstance(p, exp.Identifier) for p in node.expressions)
        if not (isinstance(parent, exp.Func) and takes and simple):
            users = ", ".join(f.name for f in allowed_functions().values() if f.takes_lambda)
            message = (
                f"the transform contains a lambda outside the functions that take one ({users})"
            )
            self.refuse(TRANSFORM_UNSAFE, node, message)
            return []
        return [node.this]

    # -- functions -------------------------------------------------------------------------

    def function(self, node: exp.Func) -> list[exp.Expr]:
        arguments = _arguments(node)
        name = _written_name(node, self.bound, self.dialect) or _PARSED_FORMS.get(type(node))
        if name is None:
            # a form of sqlglot's own syntax (CAST, SUBSTRING, TRIM, if, ...): by its SQL names;
            # one not on the list is a construct the user did not write as a call (`{a}` is a
            # map to sqlglot, EXISTS(...) a predicate), so it is refused as a form, not a name
            entry = next(filter(None, map(_lookup, type(node).sql_names())), None)
            if entry is None:
                message = (
                    f"the transform contains `{self.show(node)}`, which is not one of the "
                    "expression forms a transform may use"
                )
                self.refuse(TRANSFORM_UNSAFE, node, message)
                return []
        else:
            entry = _lookup(name)
            if entry is None and name.lower() not in self.extra:
                self.refuse_function(node, name)
        if entry is not None and entry.size_argument is not None:
            self.check_size(node, entry, arguments)
        return arguments

    def refuse_function(self, node: exp.Func, name: str) -> None:
        reason = refused_reasons().get(name.lower())
        message = f"`{name}` is not on the list of functions a transform may call"
        message += f": {reason}" if reason else ""
        # a close cutoff: a typo (toFloat46) gets a hint, another function (dictGetString) not
        names = [f.name for f in allowed_functions().values()]
        suggestion = did_you_mean(name, names, cutoff=0.8)
        if reason is not None:
            hint = None
        elif not name.isascii():
            odd = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(name) if not c.isascii())
            hint = f"the name holds non-ASCII characters ({odd}) that look like letters"
        elif suggestion is not None and suggestion.lower() != name.lower():
            hint = f"did you mean `{suggestion}`?"
        else:
            hint = "if it is pure and bounded, allow it: [transforms] allow_functions = [...]"
        offset, _ = self.span_of(node)
        self.findings.append(
            TRANSFORM_FUNCTION_NOT_ALLOWED.within(offset, len(name), message, hint)
        )

    def check_size(self, node: exp.Func, entry: AllowedFunction, arguments: list[exp.Expr]) -> None:
        position = (entry.size_argument or 1) - 1
        argument = arguments[position] if position < len(arguments) else None
        if (
            isinstance(argument, exp.Literal)
            and argument.is_int
            and 0 <= int(argument.to_py()) <= entry.size_limit
        ):
            return
        target = argument if argument is not None else node
        message = (
            f"`{entry.name}` allocates what its argument {position + 1} says, for every row; it "
            f"must be an integer literal of at most {entry.size_limit}"
        )
        hint = f"e.g. {entry.name}({TRANSFORM_PLACEHOLDER}, 12, ...)" if position == 1 else None
        self.refuse(TRANSFORM_UNBOUNDED_SIZE, target, message, hint)

    # -- positions ---------------------------------------------------------------------------

    def refuse(self, rule: object, node: exp.Expr, message: str, hint: str | None = None) -> None:
        """A finding over ``node``, whose subtree is not screened further: `{v}` in it still
        counts as used (SC201 is not a consequence of this finding)."""
        if any(self.is_placeholder(column) for column in node.find_all(exp.Column)):
            self.uses_placeholder = True
        offset, length = self.span_of(node)
        if isinstance(node, (exp.Query, exp.Subquery)):  # its keyword: SELECT has no position
            keyword = self.bound.lower().rfind("select", 0, offset + 1)
            offset, length = (keyword, len("select")) if keyword >= 0 else (offset, length)
        self.findings.append(rule.within(offset, length, message, hint))  # type: ignore[attr-defined]

    def span_of(self, node: exp.Expr) -> tuple[int, int]:
        """Offset and length of ``node`` in the text (best effort; never outside it)."""
        starts = [n.meta["start"] for n in node.walk() if "start" in (n.meta or {})]
        ends = [n.meta["end"] for n in node.walk() if "end" in (n.meta or {})]
        if starts:
            start = min(starts)
            end = max([*ends, start])
            return start, max(1, end - start + 1)
        return 0, len(self.text) or 1

    def show(self, node: exp.Expr) -> str:
        # `{v}` as the user wrote it (sqlglot writes the bound name, `_v_`, of the same length)
        text = node.sql(dialect=self.dialect).replace("_v_", TRANSFORM_PLACEHOLDER)
        return text if len(text) <= 40 else text[:37] + "..."


def _lookup(name: str) -> AllowedFunction | None:
    return allowed_functions().get(name.lower())


def _parameters(node: exp.Expr) -> frozenset[str]:
    if isinstance(node, exp.Lambda):
        return frozenset(p.name for p in node.expressions)
    return frozenset()


def _written_name(node: exp.Expr, bound: str, dialect: str) -> str | None:
    """The function's name as the user wrote it; None when sqlglot kept no trace of it (the
    functions it parses with their own syntax: CAST, SUBSTRING, TRIM, if, ...)."""
    if isinstance(node, exp.Anonymous):
        return str(node.name)
    meta = node.meta or {}
    key = _name_key(dialect)
    if key and isinstance(meta.get(key), str):
        return str(meta[key])
    if "start" in meta and "end" in meta and isinstance(node, exp.Func):
        return bound[meta["start"] : meta["end"] + 1]
    return None


@functools.cache
def _name_key(dialect: str) -> str | None:
    """Where the dialect's parser keeps a function's name as written (ClickHouse does)."""
    return Dialect.get_or_raise(dialect).ORIGINAL_NAME_META_KEY


def _arguments(node: exp.Func) -> list[exp.Expr]:
    """The call's arguments in the order they are written (sqlglot's arg_types order)."""
    if isinstance(node, exp.Anonymous):
        return [e for e in node.expressions if isinstance(e, exp.Expr)]
    found: list[exp.Expr] = []
    for key in type(node).arg_types:
        value = node.args.get(key)
        values = value if isinstance(value, list) else [value]
        found.extend(v for v in values if isinstance(v, exp.Expr))
    return found

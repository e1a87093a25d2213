"""How ClickHouse itself types what sqlglot types generically: arithmetic, rounding, predicates,
timestamps, and which results can be NULL.

sqlglot's annotator is dialect-neutral where ClickHouse is not; each rule here was found by
running transforms on chDB (tests/run/test_types_against_engine.py holds them all):

- ``1.5`` is a Float64 and any float operand makes the result Float64 (sqlglot kept a decimal);
- ``decimal(a) * decimal(b)`` is ``decimal(a + b)``; ``+``, ``-`` and ``%`` keep the larger
  scale; ``/`` keeps the dividend's scale (the divisor's when the dividend is an integer), and an
  integer operand keeps the decimal's scale (sqlglot: the left scale, or unknown for ``/``);
- ``round``, ``floor``, ``ceil``, ``abs`` and ``-`` keep a decimal or an integer (sqlglot: f64);
- a predicate is ClickHouse's UInt8 0/1, an i64 to schemac (sqlglot: a boolean), except NOT
  and xor of Bools, which stay Bool;
- ``toDateTime64(x, P)`` is ``timestamp(P)``.

Nullability: a data column's value is Nullable (a missing path is NULL), and ClickHouse
propagates NULL through almost every function; a CASE with an ELSE, ``if`` and ``multiIf`` are
Nullable only when a result branch is, ``ifNull``/``coalesce`` when their last argument is, and
an ``...OrNull`` conversion or ``nullIf`` always is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlglot import exp
from sqlglot.optimizer.annotate_types import TypeAnnotator

from schemac.types import lattice

Annotator = Callable[[TypeAnnotator, exp.Expr], None]
ToSql = Callable[[str], exp.DataType]
ToSchemac = Callable[[exp.DataType | None], str | None]

_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)
_KEEPS_TYPE = (exp.Round, exp.Floor, exp.Ceil, exp.Abs, exp.Neg, exp.Trunc)
# The annotator table is looked up by a node's exact class, so the predicates are listed.
_PREDICATES = (
    *(exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ),
    *(exp.In, exp.Like, exp.ILike, exp.Between, exp.And, exp.Or, exp.Xor, exp.Not),
    *(exp.StartsWith, exp.EndsWith, exp.RegexpLike),
)
_BOOL_KEEPING = (exp.Not, exp.Xor)
_NEVER_NULL = frozenset({"isnull", "isnotnull", "assumenotnull", "totypename", "typeof"})
# Integer conversions narrow enough for a Float64 to hold every value (Int32 and below).
_NARROW_CONVERSIONS = frozenset(
    f"to{sign}Int{bits}{suffix}".lower()
    for sign in ("", "U")
    for bits in (8, 16, 32)
    for suffix in ("", "OrZero", "OrNull", "OrDefault")
)
_ALWAYS_NULL = frozenset({"nullif", "tonullable"})


def arithmetic(operator: type[exp.Expr], left: str, right: str) -> str | None:
    """ClickHouse's result type of ``left <operator> right`` over two numeric schemac types."""
    if lattice.kind_of(left) != lattice.NUMERIC or lattice.kind_of(right) != lattice.NUMERIC:
        return None
    if lattice.F64 in (left, right):
        return lattice.F64
    left_scale, right_scale = lattice.decimal_scale(left), lattice.decimal_scale(right)
    if left_scale is None and right_scale is None:
        return lattice.F64 if operator is exp.Div else lattice.I64
    if operator is exp.Div:
        scale = left_scale if left_scale is not None else right_scale
    elif operator is exp.Mul:
        scale = (left_scale or 0) + (right_scale or 0)
    else:
        scale = max(left_scale or 0, right_scale or 0)
    if scale is None or scale > 38:  # beyond Decimal(38, ...): ClickHouse refuses the query
        return None
    return lattice.decimal(scale)


def _literal_type(node: exp.Literal) -> str:
    if node.is_string:
        return lattice.STRING
    text = str(node.this).lower()
    return lattice.F64 if any(mark in text for mark in (".", "e", "inf", "nan")) else lattice.I64


def annotators(to_sql: ToSql, to_schemac: ToSchemac) -> dict[type[exp.Expr], Annotator]:
    """The ClickHouse annotators, to lay over the dialect's (``EXPRESSION_METADATA``)."""

    def literal(annotator: TypeAnnotator, node: exp.Expr) -> None:
        assert isinstance(node, exp.Literal)
        annotator._set_type(node, to_sql(_literal_type(node)))

    def binary(annotator: TypeAnnotator, node: exp.Expr) -> None:
        assert isinstance(node, exp.Binary)
        left, right = to_schemac(node.left.type), to_schemac(node.right.type)
        result = arithmetic(type(node), left, right) if left and right else None
        if result is not None:
            annotator._set_type(node, to_sql(result))
        else:  # not two numbers (ClickHouse refuses 'a' + 1): sqlglot's generic typing, as before
            annotator._annotate_binary(node)

    def keeps_type(annotator: TypeAnnotator, node: exp.Expr) -> None:
        this = to_schemac(node.this.type)
        if this is not None and lattice.kind_of(this) == lattice.NUMERIC:
            annotator._set_type(node, to_sql(this))
        else:
            annotator._set_type(node, exp.DType.UNKNOWN)

    def predicate(annotator: TypeAnnotator, node: exp.Expr) -> None:
        operands = [to_schemac(child.type) for child in node.iter_expressions()]
        if isinstance(node, _BOOL_KEEPING) and operands and set(operands) == {lattice.BOOL}:
            annotator._set_type(node, to_sql(lattice.BOOL))  # NOT and xor of Bools are Bool
        else:
            annotator._set_type(node, to_sql(lattice.I64))  # UInt8 0/1

    table: dict[type[exp.Expr], Annotator] = {exp.Literal: literal}
    table.update({operator: binary for operator in _ARITHMETIC})
    table.update({function: keeps_type for function in _KEEPS_TYPE})
    for base in _PREDICATES:
        table[base] = predicate
    return table


def narrow_integer(node: exp.Expr) -> bool:
    """Whether an integer is narrower than 64 bits in ClickHouse: a literal (UInt8, Int16...),
    sign(), ``x % <literal>``, a predicate (UInt8), a toInt32-or-narrower conversion."""
    if isinstance(node, (exp.Paren, exp.Neg)):
        return narrow_integer(node.this)
    if isinstance(node, (exp.Literal, exp.Boolean, exp.Sign, *_PREDICATES)):
        return True
    if isinstance(node, exp.Mod):
        return isinstance(node.expression, exp.Literal)
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower() in _NARROW_CONVERSIONS
    return False


def no_common_type(branches: list[tuple[str, bool]]) -> tuple[int, int] | None:
    """Two branches (by index) ClickHouse cannot join: an f64 with a decimal, or with a 64-bit
    integer (a Float64 cannot hold every Int64 or UInt64 value; it can hold a narrower one).
    ``branches`` are (type, is a narrow integer, see :func:`narrow_integer`)."""
    floats = [index for index, (type_name, _) in enumerate(branches) if type_name == lattice.F64]
    for index, (type_name, narrow) in enumerate(branches):
        wide_integer = type_name == lattice.I64 and not narrow
        if floats and (lattice.decimal_scale(type_name) is not None or wide_integer):
            return (min(floats[0], index), max(floats[0], index))
    return None


def nullable(root: exp.Expr) -> bool:
    """Whether ClickHouse's result of ``root`` is Nullable, `{v}` (a data column) being so.

    Computed children first without recursion: a transform of a thousand `+` is a deep tree."""
    pending, order = [root], []
    while pending:
        node = pending.pop()
        order.append(node)
        pending.extend(node.iter_expressions())
    known: dict[int, bool] = {}
    for node in reversed(order):  # every node after its descendants
        known[id(node)] = _nullable_node(node, lambda child: known.get(id(child), True))
    return known[id(root)]


def _nullable_node(node: exp.Expr, nullable: Callable[[exp.Expr], bool]) -> bool:
    """One node's nullability, ``nullable`` giving its children's."""
    if isinstance(node, exp.Paren):
        return nullable(node.this)
    if isinstance(node, (exp.Null, exp.Column)):
        return True  # `{v}`, and any other reference (reported elsewhere)
    if isinstance(node, (exp.Literal, exp.Boolean, exp.DataType, exp.Identifier)):
        return False
    if isinstance(node, exp.Case):
        default = node.args.get("default")
        results = [branch.args.get("true") for branch in node.args.get("ifs") or []]
        return default is None or any(nullable(r) for r in [*results, default] if r)
    if isinstance(node, exp.If):
        false = node.args.get("false")
        branches = [node.args.get("true"), false]
        return false is None or any(nullable(b) for b in branches if b is not None)
    if isinstance(node, exp.Coalesce):
        return all(nullable(argument) for argument in [node.this, *node.expressions])
    name = (node.name if isinstance(node, exp.Anonymous) else node.key).lower()
    if name in _NEVER_NULL or isinstance(node, exp.Is):
        return False
    if name in _ALWAYS_NULL or name.endswith("ornull") or isinstance(node, exp.Nullif):
        return True
    if name == "multiif" and isinstance(node, exp.Anonymous):
        arguments = node.expressions
        results = [*arguments[1::2][: len(arguments) // 2], arguments[-1]]
        return any(nullable(r) for r in results)
    children = [c for c in node.iter_expressions() if not isinstance(c, exp.DataType)]
    return any(nullable(child) for child in children)


def post_order(root: exp.Expr) -> Iterator[exp.Expr]:
    """Children before parents, in reading order, without recursion (deep `+` chains)."""
    pending: list[tuple[exp.Expr, bool]] = [(root, False)]
    while pending:
        node, expanded = pending.pop()
        if expanded:
            yield node
            continue
        pending.append((node, True))
        pending.extend((child, False) for child in reversed(list(node.iter_expressions())))

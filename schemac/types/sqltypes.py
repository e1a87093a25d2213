"""Type inference over one transform with sqlglot: `{v}` bound to its declared type.

The transform is parsed in the configured dialect, `{v}` (bound to the same-length identifier
``_v_``, see :mod:`schemac.sql.transforms`) is given the extractor's declared type, and sqlglot's
type annotation types the rest. Its types are mapped back to schemac's; a type sqlglot cannot
infer, or one schemac has no name for (a date, an array), makes the result unknown, reported as
such rather than guessed. sqlglot coerces where an engine might fail (a CASE of ``'sell'`` and
``0`` is a string to it), so branches and comparisons are checked here, kind against kind.

Imported only when a transform is not in the cache: this is the module that imports sqlglot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeGuard

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.optimizer.annotate_types import TypeAnnotator, annotate_types
from sqlglot.typing import ExprMetadataType

from schemac.diagnostics import ScalarFinding, did_you_mean
from schemac.rules import transforms as screen_rules
from schemac.rules import types as rules
from schemac.sql.transforms import BOUND_NAME, bind, parse_bound, screen_transform, unbind
from schemac.types import engine, functions, lattice
from schemac.types.inferred import TransformTyping
from schemac.vocabulary import TYPE_NAMES_HINT

_INTEGER_NAMES = "TINYINT SMALLINT MEDIUMINT INT BIGINT UTINYINT USMALLINT UMEDIUMINT UINT UBIGINT"
_STRING_NAMES = "VARCHAR CHAR TEXT NCHAR NVARCHAR FIXEDSTRING BPCHAR TINYTEXT MEDIUMTEXT LONGTEXT"
_INTEGERS = frozenset(getattr(exp.DType, name) for name in _INTEGER_NAMES.split())
_FLOATS = frozenset({exp.DType.FLOAT, exp.DType.DOUBLE})
_DECIMALS = frozenset(
    {exp.DType.DECIMAL, exp.DType.DECIMAL32, exp.DType.DECIMAL64, exp.DType.DECIMAL128}
    | {exp.DType.DECIMAL256}
)
_STRINGS = frozenset(getattr(exp.DType, name) for name in _STRING_NAMES.split())
_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ)
# A function not on the list (SC205) is typed as unknown below, with or without the
# configuration's additions, so that every caller (outputs, diff) gets the same output type.
_REFUSED = frozenset(
    {screen_rules.TRANSFORM_UNSAFE.code, screen_rules.TRANSFORM_FREE_REFERENCE.code}
)
# The precision a decimal(N) is given when typing {v}: ClickHouse's widest 128-bit decimal.
DECIMAL_PRECISION = 38


def sql_type(type_name: str) -> exp.DataType:
    """The sqlglot type of a schemac type."""
    scale = lattice.decimal_scale(type_name)
    if scale is not None:
        return exp.DataType.build(f"DECIMAL({DECIMAL_PRECISION}, {scale})")
    precision = lattice.timestamp_precision(type_name)
    if precision is not None:
        return exp.DataType.build(f"DATETIME64({precision})", dialect="clickhouse")
    names = {lattice.BOOL: "BOOLEAN", lattice.I64: "BIGINT", lattice.F64: "DOUBLE"}
    return exp.DataType.build(names.get(type_name, "VARCHAR"))


def schemac_type(data_type: exp.DataType | None) -> str | None:
    """The schemac type of a sqlglot type; None when unknown or not one of schemac's types."""
    if data_type is None:
        return None
    this = data_type.this
    if this == exp.DType.BOOLEAN:
        return lattice.BOOL
    if this in _INTEGERS:
        return lattice.I64
    if this in _FLOATS:
        return lattice.F64
    if this in _STRINGS:
        return lattice.STRING
    params = data_type.expressions
    if this in _DECIMALS:
        if len(params) == 2 and params[1].this.is_int:
            return lattice.decimal(int(params[1].this.to_py()))
        return None
    if this == exp.DType.DATETIME64 and len(params) == 1 and params[0].this.is_int:
        return lattice.timestamp(int(params[0].this.to_py()))
    return None


def infer(
    text: str, dialect: str, input_type: str, allowed: frozenset[str] = frozenset()
) -> TransformTyping:
    """Never raises: a transform that does not parse is the screen's finding, not ours.
    ``allowed``: the functions the configuration adds to the allow-list (lower case)."""
    # What the screen refuses in the expression (a form, a name) is not typed: a type finding
    # about it would be a consequence of that error. Text findings (a comment, a length) do not
    # change what the expression means.
    if any(finding.code in _REFUSED for finding in screen_transform(text, dialect, allowed)):
        return TransformTyping(None)
    bound = bind(text)
    try:
        statements = parse_bound(text, dialect)
    except Exception:  # syntax errors are reported by the transform screen (SC202)
        return TransformTyping(None)
    if len(statements) != 1 or isinstance(statements[0], (exp.Query, exp.DDL, exp.DML)):
        return TransformTyping(None)
    root = statements[0].copy()  # annotation changes the tree; the parse is shared
    try:
        annotate_types(root, dialect=dialect, expression_metadata=_metadata(dialect, input_type))
    except Exception:  # an annotator bug on odd input must not crash validate
        return TransformTyping(None)
    return _Inference(bound, dialect, input_type, allowed).run(root)


class _Inference:
    """The walk over one annotated transform; collects findings and decides the output type."""

    def __init__(self, bound: str, dialect: str, input_type: str, allowed: frozenset[str]) -> None:
        self.bound = bound
        self.allowed = allowed
        self.dialect = dialect
        self.input_type = input_type
        self.findings: list[ScalarFinding] = []
        self.conflict = False  # a branch mismatch: the output type is not well defined

    def run(self, root: exp.Expr) -> TransformTyping:
        unknown_functions: set[int] = set()
        for node in root.walk():
            if isinstance(node, exp.Case):
                self.check_case(node)
            elif isinstance(node, exp.If) and not isinstance(node.parent, exp.Case):
                self.check_branches(node, [node.args.get("true"), node.args.get("false")], "if()")
            elif isinstance(node, _COMPARISONS):
                self.check_comparison(node.this, node.expression)
            elif isinstance(node, exp.Coalesce):  # ifNull(a, b) too: its results are branches
                self.check_branches(node, [node.this, *node.expressions], "ifNull()/coalesce()")
            elif isinstance(node, exp.In):
                for item in node.expressions:
                    self.check_comparison(node.this, item)
            elif isinstance(node, exp.Anonymous):
                if self.check_function_name(node):
                    unknown_functions.add(id(node))
                elif functions.result_of(node.name) == functions.BRANCHES_RESULT:
                    arguments = node.expressions
                    results = [*arguments[1::2][: len(arguments) // 2], arguments[-1]]
                    self.check_branches(node, results if len(arguments) % 2 else [], "multiIf()")
        output = None if self.conflict else _output_type(root)
        if output is None and not self.conflict and not unknown_functions:
            self.explain_unknown(root)
        return TransformTyping(output, tuple(self.findings), engine.nullable(root))

    # -- branches -------------------------------------------------------------------------

    def check_case(self, node: exp.Case) -> None:
        ifs = node.args.get("ifs") or []
        default = node.args.get("default")
        results = [branch.args.get("true") for branch in ifs] + ([default] if default else [])
        self.check_branches(node, results, "CASE")
        subject = node.this
        if subject is not None:  # CASE {v} WHEN <literal>: each WHEN is a comparison
            for branch in ifs:
                self.check_comparison(subject, branch.this)
        if default is None and ifs:
            offset = self.keyword_offset(node, "case")
            message = "the CASE has no ELSE: values that match no WHEN become NULL"
            hint = "add `ELSE <value>` to say what unmatched values become"
            self.findings.append(rules.CASE_WITHOUT_ELSE.within(offset, 4, message, hint))

    def check_branches(self, node: exp.Expr, results: Sequence[exp.Expr | None], what: str) -> None:
        typed = [
            (result, schemac_type(result.type))
            for result in results
            if isinstance(result, exp.Expr) and not isinstance(result, exp.Null)
        ]
        known = [(result, type_name) for result, type_name in typed if type_name is not None]
        if not known:
            return
        first, first_type = known[0]
        for result, type_name in known[1:]:
            if lattice.kind_of(type_name) != lattice.kind_of(first_type):
                self.conflict = True
                message = (
                    f"the {what} branches return different kinds of value: "
                    f"`{self.show(first)}` is {first_type}, `{self.show(result)}` is {type_name}"
                )
                hint = "make every branch return the same type (e.g. all strings: quote them)"
                offset, length = self.span_of(result)
                rule = rules.CASE_BRANCH_TYPE_MISMATCH
                self.findings.append(rule.within(offset, length, message, hint))
                return
        if self.dialect.lower() == "clickhouse":
            self.check_common_type(what, [(r, t, engine.narrow_integer(r)) for r, t in known])

    def check_common_type(self, what: str, known: list[tuple[exp.Expr, str, bool]]) -> None:
        """ClickHouse has no common type for a float and a decimal (or a wide integer)."""
        clash = engine.no_common_type([(type_name, literal) for _, type_name, literal in known])
        if clash is None:
            return
        self.conflict = True
        (first, first_type, _), (other, other_type, _) = known[clash[0]], known[clash[1]]
        message = (
            f"the {what} branches have no common type in ClickHouse: `{self.show(first)}` is "
            f"{first_type}, `{self.show(other)}` is {other_type} (the engine returns a Variant)"
        )
        hint = "convert the branches to one type, e.g. toFloat64(...) or toDecimal64(..., N)"
        offset, length = self.span_of(other)
        rule = rules.CASE_BRANCH_TYPE_MISMATCH
        self.findings.append(rule.within(offset, length, message, hint))

    # -- comparisons ----------------------------------------------------------------------

    def check_comparison(self, left: exp.Expr | None, right: exp.Expr | None) -> None:
        for value, literal in ((left, right), (right, left)):
            if not _is_literal(literal) or _is_literal(value) or not isinstance(value, exp.Expr):
                continue
            value_type = schemac_type(value.type)
            literal_type = schemac_type(literal.type)
            if value_type is None or literal_type is None:
                return
            if lattice.kind_of(value_type) == lattice.kind_of(literal_type):
                return
            message = (
                f"`{self.show(value)}` is {value_type}, compared with the {literal_type} "
                f"`{self.show(literal)}`: the comparison is never true"
            )
            hint = _comparison_hint(value_type, literal)
            offset, length = self.span_of(literal)
            rule = rules.COMPARISON_TYPE_MISMATCH
            self.findings.append(rule.within(offset, length, message, hint))
            return

    # -- functions and unknown types -------------------------------------------------------

    def check_function_name(self, node: exp.Anonymous) -> bool:
        """Whether ``node`` calls a function the allow-list does not describe (its type is
        unknown). Reported (SC505) only when the configuration allows it: a function allowed
        nowhere is the screen's one finding (SC205), not a second one here."""
        name = str(node.name)
        if functions.is_listed(name):
            return False
        if name.lower() in self.allowed:
            suggestion = did_you_mean(name, sorted(functions.KNOWN_CLICKHOUSE_FUNCTIONS))
            hint = f"did you mean `{suggestion}`?" if suggestion else None
            message = (
                f"`{name}` is allowed by the configuration but is not a {self.dialect} "
                "function schemac knows; the transform's type is unknown"
            )
            offset, _ = self.span_of(node)
            self.findings.append(rules.UNKNOWN_FUNCTION.within(offset, len(name), message, hint))
        return True

    def explain_unknown(self, root: exp.Expr) -> None:
        """Say where the unknown output type comes from: the innermost node without a type."""
        origin = _unknown_origin(root)
        if origin is None or isinstance(origin, exp.Column):
            return  # a free reference (SC204) or nothing to blame
        offset, length = self.span_of(origin)
        shown = self.show(origin)
        found = origin.type.sql(dialect=self.dialect) if origin.type else "UNKNOWN"
        if found.upper().replace("NULLABLE(", "").startswith("UNKNOWN"):
            message = (
                f"schemac cannot infer what `{shown}` returns, so the transform's output type "
                "is unknown and the column is not type-checked"
            )
        else:
            message = (
                f"`{shown}` returns {found}, which is none of {TYPE_NAMES_HINT}; the "
                "transform's output type is unknown"
            )
        hint = "convert the result to the type you mean, e.g. toString(...) or toFloat64(...)"
        self.findings.append(rules.UNTYPED_TRANSFORM.within(offset, length, message, hint))

    # -- positions and text ----------------------------------------------------------------

    def span_of(self, node: exp.Expr) -> tuple[int, int]:
        """Offset and length of ``node`` in the transform text (best effort, never outside)."""
        starts = [n.meta["start"] for n in node.walk() if "start" in (n.meta or {})]
        ends = [n.meta["end"] for n in node.walk() if "end" in (n.meta or {})]
        if starts:
            start = min(starts)
            end = max(ends) if ends else start
            if isinstance(node, exp.Anonymous):  # the name, not the whole call
                return start, len(str(node.name))
            return start, max(1, end - start + 1)
        shown = node.sql(dialect=self.dialect)
        position = self.bound.lower().find(shown.lower())
        return (position, len(shown)) if position >= 0 else (0, len(self.bound) or 1)

    def keyword_offset(self, node: exp.Expr, keyword: str) -> int:
        first, _ = self.span_of(node)
        before = self.bound.lower().rfind(keyword, 0, first + 1)
        return before if before >= 0 else first

    def show(self, node: exp.Expr) -> str:
        text = unbind(node.sql(dialect=self.dialect))
        return text if len(text) <= 40 else text[:37] + "..."


def _is_literal(node: exp.Expr | None) -> TypeGuard[exp.Expr]:
    if isinstance(node, exp.Neg):
        node = node.this
    return isinstance(node, (exp.Literal, exp.Boolean))


def _comparison_hint(value_type: str, literal: exp.Expr) -> str:
    if value_type == lattice.BOOL:
        return "a bool is compared with true or false, or used as the condition itself"
    if value_type == lattice.STRING:
        return "compare a string with a quoted string: '...'"
    if isinstance(literal, exp.Literal) and literal.is_string:
        return f"compare a number with a number: {literal.this} without quotes, if it is one"
    return "compare values of the same kind"


def _output_type(root: exp.Expr) -> str | None:
    if isinstance(root, exp.Null):
        return None
    return schemac_type(root.type)


def _unknown_origin(root: exp.Expr) -> exp.Expr | None:
    """The first node (in reading order) whose type is unknown though its children are typed."""
    for node in engine.post_order(root):
        if schemac_type(node.type) is not None or isinstance(node, (exp.Null, exp.Identifier)):
            continue
        children = [c for c in node.iter_expressions() if not isinstance(c, exp.Identifier)]
        if all(schemac_type(c.type) is not None for c in children if not _is_type_node(c)):
            return node
    return None


def _is_type_node(node: exp.Expr) -> bool:
    return isinstance(node, (exp.DataType, exp.DataTypeParam))


# -- the dialect's functions and the annotation of {v} ---------------------------------------


def _metadata(dialect: str, input_type: str) -> ExprMetadataType:
    """The dialect's annotators, plus `{v}` as ``input_type`` and ClickHouse's conversions."""
    metadata = dict(Dialect.get_or_raise(dialect).EXPRESSION_METADATA)
    bound_type = sql_type(input_type)
    original_column = metadata.get(exp.Column)
    original_anonymous = metadata.get(exp.Anonymous)

    def annotate_column(annotator: TypeAnnotator, node: exp.Column) -> None:
        if node.name == BOUND_NAME and not node.table:
            annotator._set_type(node, bound_type)
        elif original_column and original_column.get("annotator"):
            original_column["annotator"](annotator, node)
        else:
            annotator._set_type(node, exp.DType.UNKNOWN)

    def annotate_anonymous(annotator: TypeAnnotator, node: exp.Anonymous) -> None:
        result = _function_result(node, dialect)
        if result is not None:
            annotator._set_type(node, result)
        elif original_anonymous and original_anonymous.get("annotator"):
            original_anonymous["annotator"](annotator, node)
        else:
            annotator._set_type(node, exp.DType.UNKNOWN)

    if dialect.lower() == "clickhouse":
        for node_type, annotator in engine.annotators(sql_type, schemac_type).items():
            metadata[node_type] = {"annotator": annotator}
    metadata[exp.Column] = {"annotator": annotate_column}
    metadata[exp.Anonymous] = {"annotator": annotate_anonymous}
    return metadata


def _function_result(node: exp.Anonymous, dialect: str) -> exp.DataType | None:
    if dialect.lower() != "clickhouse":
        return None
    result = functions.result_of(str(node.name))
    arguments = node.expressions
    name = str(node.name).lower()
    if name in functions.KEEP_TYPE and arguments:  # roundBankers(decimal) is a decimal
        kept = schemac_type(arguments[0].type)
        return sql_type(kept) if kept else None
    if name in functions.PREDICATES:
        return sql_type(lattice.I64)
    if result in (lattice.STRING, lattice.BOOL, lattice.I64, lattice.F64):
        return sql_type(result)
    second = arguments[1] if len(arguments) >= 2 else None
    scale = int(second.to_py()) if isinstance(second, exp.Literal) and second.is_int else None
    if result == functions.DECIMAL_RESULT:
        return sql_type(lattice.decimal(scale)) if scale is not None else None
    if name in functions.TIMESTAMP_CONVERSIONS:
        return sql_type(lattice.timestamp(scale)) if scale is not None and scale <= 9 else None
    if result == functions.BRANCHES_RESULT and len(arguments) >= 3 and len(arguments) % 2 == 1:
        results = [*arguments[1::2], arguments[-1]]
        types = [schemac_type(r.type) for r in results if not isinstance(r, exp.Null)]
        if types and all(t is not None for t in types):
            joined = lattice.join_all([t for t in types if t is not None])
            return sql_type(joined) if joined is not None else None
    return None

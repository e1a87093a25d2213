"""A transform's output type, inferred once per (dialect, input type, text) and cached.

The inference itself (:mod:`schemac.types.sqltypes`) parses the transform with sqlglot. Its
results live in the transforms cache next to the screening findings, so that a warm `validate`
never imports sqlglot; this module holds only the result values and that cache lookup.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass

# The kinds of finding inside a transform, each its own rule (schemac.rules.types).
BRANCH_MISMATCH = "branch-mismatch"
COMPARISON_MISMATCH = "comparison-mismatch"
CASE_WITHOUT_ELSE = "case-without-else"
UNTYPED = "untyped"
UNKNOWN_FUNCTION = "unknown-function"
FINDING_KINDS = (BRANCH_MISMATCH, COMPARISON_MISMATCH, CASE_WITHOUT_ELSE, UNTYPED, UNKNOWN_FUNCTION)


@dataclass(frozen=True, slots=True)
class TypeFinding:
    kind: str  # one of FINDING_KINDS
    message: str
    offset: int  # 0-based offset into the transform text
    length: int = 1
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class TransformTyping:
    output: str | None  # a schemac type, or None: unknown (see the findings for why)
    findings: tuple[TypeFinding, ...] = ()


@functools.lru_cache(maxsize=4096)
def infer_transform(text: str, dialect: str, input_type: str) -> TransformTyping:
    """The output type of ``text`` with `{v}` of ``input_type``, and the type problems in it."""
    from schemac.sql import transforms

    key = f"{dialect}\0{input_type}\0{text}"
    cached = transforms.cached_types(key)
    typing = _from_json(cached) if cached is not None else None
    if typing is None:
        from schemac.types.sqltypes import infer

        typing = infer(text, dialect, input_type)
        transforms.cache_types(key, _to_json(typing))
    return typing


def _to_json(typing: TransformTyping) -> dict[str, object]:
    return {"output": typing.output, "findings": [asdict(f) for f in typing.findings]}


def _from_json(value: object) -> TransformTyping | None:
    """A cached entry back as a value; None for anything malformed (it is then recomputed)."""
    if not isinstance(value, dict):
        return None
    output = value.get("output")
    findings = value.get("findings")
    if not (output is None or isinstance(output, str)) or not isinstance(findings, list):
        return None
    try:
        restored = tuple(TypeFinding(**item) for item in findings)
    except TypeError:
        return None
    if any(f.kind not in FINDING_KINDS for f in restored):
        return None
    return TransformTyping(output, restored)

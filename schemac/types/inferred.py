"""The result of inferring a transform's type: its output type and the findings inside it.

Its own module so that the cached lookup (:mod:`schemac.types.transform`) and the inference with
sqlglot (:mod:`schemac.types.sqltypes`) share the value without importing each other.
"""

from __future__ import annotations

from typing import NamedTuple

from schemac.diagnostics import ScalarFinding


class TransformTyping(NamedTuple):
    output: str | None  # a schemac type, or None: unknown (see the findings for why)
    findings: tuple[ScalarFinding, ...] = ()
    nullable: bool = True  # whether the result can be NULL (ClickHouse: Nullable(...))

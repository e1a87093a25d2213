"""Parse and resolve: a located tree -> the IR, with a finding for every structural problem.

Two front ends produce the same :class:`schemac.core.ir.Schema`: the YAML authoring format
(:mod:`~schemac.core.parse.authoring`) and the API's wire format
(:mod:`~schemac.core.parse.wire`). They read the tree through the same typed accessors
(:mod:`~schemac.core.parse.reader`) and share the parts of the format they have in common
(:mod:`~schemac.core.parse.shared`). Resolution (exchange globs, inherited types, ``case``
rendered to SQL; :mod:`~schemac.core.parse.resolve`) happens here too, so the IR holds only
concrete exchange codes.

Parsing never stops at the first problem: each part is checked on its own, and a part that
cannot be understood is left out of the IR (with its finding) so the rest is still checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemac.core.parse.authoring import (
    COLUMN_KEYS,
    EXTRACTOR_KEYS,
    SCHEMA_KEYS,
    authoring_schema,
)
from schemac.core.parse.reader import Reader
from schemac.core.parse.shared import DERIVE_ARRAY_KEYS, DERIVE_KEYS, UNFOLD_KEYS
from schemac.core.parse.wire import (
    WIRE_COLUMN_KEYS,
    WIRE_EXTRACTOR_KEYS,
    WIRE_JSON_KEYS,
    WIRE_META_KEYS,
    WIRE_RESPONSE_KEYS,
    WIRE_SCHEMA_KEYS,
    is_wire_document,
    wire_schema,
)
from schemac.rules import check
from schemac.rules.exchanges import (
    AMBIGUOUS_EXCHANGE_RULE,
    DUPLICATE_EXCHANGE,
    EXCHANGE_NOT_DECLARED,
    EXCHANGES_REQUIRED,
    GLOB_MATCHES_NOTHING,
)
from schemac.rules.format import (
    CASE_WITH_TRANSFORM,
    ELSE_WITHOUT_CASE,
    EMPTY_CASE,
    MALFORMED_TYPE,
    META_COLUMN_TYPE,
    META_DATA_CONFLICT,
    MISSING_KEY,
    MISSING_TYPE,
    NO_COLUMNS,
    PLACEHOLDER_IN_LITERAL,
    UNKNOWN_CATEGORY,
    UNKNOWN_KEY,
    UNKNOWN_META_FORMAT,
    UNKNOWN_META_VALUE,
    WRONG_KIND,
)

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.core.ir import Schema
    from schemac.core.tree import Node
    from schemac.diagnostics import Diagnostic

__all__ = [
    "COLUMN_KEYS",
    "DERIVE_ARRAY_KEYS",
    "DERIVE_KEYS",
    "EXTRACTOR_KEYS",
    "SCHEMA_KEYS",
    "UNFOLD_KEYS",
    "WIRE_COLUMN_KEYS",
    "WIRE_EXTRACTOR_KEYS",
    "WIRE_JSON_KEYS",
    "WIRE_META_KEYS",
    "WIRE_RESPONSE_KEYS",
    "WIRE_SCHEMA_KEYS",
    "is_wire_document",
    "parse_document",
]


@check(
    UNKNOWN_KEY,
    MISSING_KEY,
    WRONG_KIND,
    UNKNOWN_CATEGORY,
    MALFORMED_TYPE,
    UNKNOWN_META_VALUE,
    UNKNOWN_META_FORMAT,
    META_DATA_CONFLICT,
    NO_COLUMNS,
    CASE_WITH_TRANSFORM,
    ELSE_WITHOUT_CASE,
    MISSING_TYPE,
    EMPTY_CASE,
    PLACEHOLDER_IN_LITERAL,
    META_COLUMN_TYPE,
    GLOB_MATCHES_NOTHING,
    EXCHANGE_NOT_DECLARED,
    EXCHANGES_REQUIRED,
    AMBIGUOUS_EXCHANGE_RULE,
    DUPLICATE_EXCHANGE,
    scope="stage",
)
def parse_document(root: Node, file: str, config: Config) -> tuple[Schema | None, list[Diagnostic]]:
    """The IR of one document's located tree (None if it is not a schema), and the findings."""
    reader = Reader(file, config)
    schema = wire_schema(reader, root) if is_wire_document(root) else authoring_schema(reader, root)
    return schema, reader.diagnostics

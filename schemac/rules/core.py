"""Core rules: reading files, the authoring and wire formats, transforms, exchanges, projects.

Codes by series, one module each: SC0xx reading a file (:mod:`schemac.rules.reading`), SC1xx the
format (:mod:`~schemac.rules.format`), SC2xx transforms (:mod:`~schemac.rules.transforms`),
SC3xx exchanges and derive (:mod:`~schemac.rules.exchanges`), SC4xx the project and SC9xx the
configuration (:mod:`~schemac.rules.project`). A code is never reused.

This module re-exports them all, so that a stage can write ``rules.WRONG_KIND``.
"""

from __future__ import annotations

from schemac.rules.exchanges import (
    AMBIGUOUS_EXCHANGE_RULE,
    DUPLICATE_EXCHANGE,
    EXCHANGE_NOT_DECLARED,
    EXCHANGES_REQUIRED,
    GLOB_MATCHES_NOTHING,
    MALFORMED_DERIVE,
    UNKNOWN_EXCHANGE,
    UNMAPPED_EXCHANGE,
    UNUSED_EXCHANGE_RULE,
)
from schemac.rules.format import (
    CASE_WITH_TRANSFORM,
    DUPLICATE_COLUMN,
    ELSE_WITHOUT_CASE,
    EMPTY_CASE,
    MALFORMED_PATH,
    MALFORMED_TYPE,
    META_COLUMN_TYPE,
    META_DATA_CONFLICT,
    MISSING_KEY,
    MISSING_TYPE,
    NO_COLUMNS,
    PLACEHOLDER_IN_LITERAL,
    TOO_MANY_COLUMNS,
    UNKNOWN_CATEGORY,
    UNKNOWN_KEY,
    UNKNOWN_META_FORMAT,
    UNKNOWN_META_VALUE,
    WRONG_KIND,
)
from schemac.rules.project import (
    CONFIG_ERROR,
    DUPLICATE_SCHEMA,
    FILENAME_MISMATCH,
)
from schemac.rules.reading import (
    DOCUMENT_TOO_COMPLEX,
    DUPLICATE_KEY,
    EMPTY_FILE,
    INVALID_ENCODING,
    SYNTAX_ERROR,
    UNREADABLE_FILE,
)
from schemac.rules.transforms import (
    TRANSFORM_FREE_REFERENCE,
    TRANSFORM_SYNTAX,
    TRANSFORM_UNSAFE,
    TRANSFORM_WITHOUT_PLACEHOLDER,
)

__all__ = [
    "AMBIGUOUS_EXCHANGE_RULE",
    "CASE_WITH_TRANSFORM",
    "CONFIG_ERROR",
    "DOCUMENT_TOO_COMPLEX",
    "DUPLICATE_COLUMN",
    "DUPLICATE_EXCHANGE",
    "DUPLICATE_KEY",
    "DUPLICATE_SCHEMA",
    "ELSE_WITHOUT_CASE",
    "EMPTY_CASE",
    "EMPTY_FILE",
    "EXCHANGES_REQUIRED",
    "EXCHANGE_NOT_DECLARED",
    "FILENAME_MISMATCH",
    "GLOB_MATCHES_NOTHING",
    "INVALID_ENCODING",
    "MALFORMED_DERIVE",
    "MALFORMED_PATH",
    "MALFORMED_TYPE",
    "META_COLUMN_TYPE",
    "META_DATA_CONFLICT",
    "MISSING_KEY",
    "MISSING_TYPE",
    "NO_COLUMNS",
    "PLACEHOLDER_IN_LITERAL",
    "SYNTAX_ERROR",
    "TOO_MANY_COLUMNS",
    "TRANSFORM_FREE_REFERENCE",
    "TRANSFORM_SYNTAX",
    "TRANSFORM_UNSAFE",
    "TRANSFORM_WITHOUT_PLACEHOLDER",
    "UNKNOWN_CATEGORY",
    "UNKNOWN_EXCHANGE",
    "UNKNOWN_KEY",
    "UNKNOWN_META_FORMAT",
    "UNKNOWN_META_VALUE",
    "UNMAPPED_EXCHANGE",
    "UNREADABLE_FILE",
    "UNUSED_EXCHANGE_RULE",
    "WRONG_KIND",
]

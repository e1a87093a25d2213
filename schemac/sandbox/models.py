"""The API's request and response bodies as pydantic models.

These models do two jobs: they validate every request body the sandbox receives, and they are
the source of the OpenAPI document served at ``/v1/openapi.json`` (see ``openapi.py``), so the
description and the behaviour cannot drift apart.

Where the vendor's docs leave a rule open (name charset, decimal range, path grammar), the rule
chosen here is stated in the field's description and listed in docs/sandbox.md.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from schemac.vocabulary import DECIMAL_SCALE_LIMIT

# The API's vocabulary, kept here as the vendor's own copy: tests/test_vocabulary.py holds it
# equal to schemac.vocabulary (and so to what schemac validates and compiles).
StreamCategory = Literal[
    "trade", "orderbook", "book_update", "quote", "kline", "ticker", "liquidation"
]
MetaValue = Literal["collection_timestamp_ns"]
MetaFormat = Literal["ns", "us", "ms", "s", "iso8601"]
DeriveOp = Literal["tagged_concat"]
ErrorCode = Literal[
    "invalid_argument",
    "unauthenticated",
    "payment_required",
    "permission_denied",
    "not_found",
    "request_timeout",
    "already_exists",
    "rate_limited",
    "internal",
    "unavailable",
]

SCHEMA_ID_PATTERN = r"^sch_[a-f0-9]{32}$"
# Patterns are written so that Python's re and ECMA-262 (JSON Schema) read them the same way;
# Python checks them with fullmatch, since its `$` also matches before a final newline.
NAME_PATTERN = r"^[^\s\x00-\x1f\x7f]([^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?$"
EXCHANGE_CODE_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
PATH_PATTERN = r"^[^.\s]+(\.[^.\s]+)*$"
IDENTIFIER_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
TYPE_PATTERN = r"^(decimal\(([0-9]|[12][0-9]|3[0-8])\)|f64|i64|string|bool)$"


def _matches(pattern: str, max_length: int, problem: str) -> AfterValidator:
    """A check of a string against ``pattern``, failing with a readable ``problem``."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(f"{problem} (at most {max_length} characters)")
        if not compiled.fullmatch(value):
            raise ValueError(problem)
        return value

    return AfterValidator(check)


def _described(pattern: str, max_length: int, description: str) -> WithJsonSchema:
    """The JSON Schema of a string checked by ``_matches`` with the same pattern and length."""
    return WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": max_length,
            "pattern": pattern,
            "description": description,
        }
    )


Name = Annotated[
    str,
    _matches(
        NAME_PATTERN,
        128,
        "must be 1 to 128 printable characters, without leading or trailing whitespace",
    ),
    _described(
        NAME_PATTERN,
        128,
        "1 to 128 printable characters, no leading or trailing whitespace (sandbox rule; the "
        "vendor's rule is undocumented).",
    ),
]
ExchangeCode = Annotated[
    str,
    _matches(
        EXCHANGE_CODE_PATTERN,
        64,
        "must be an exchange code: lowercase letters, digits and underscores, e.g. bybit_linear",
    ),
    _described(
        EXCHANGE_CODE_PATTERN,
        64,
        "An exchange code such as binance or bybit_linear. Not checked against GET /v1/exchanges.",
    ),
]
JsonPath = Annotated[
    str,
    _matches(
        PATH_PATTERN,
        512,
        "must be a dot-notation path such as data.p: non-empty segments, no whitespace",
    ),
    _described(
        PATH_PATTERN,
        512,
        "Dot-notation path into the raw message, e.g. data.p. Only the syntax is checked.",
    ),
]
Identifier = Annotated[
    str,
    _matches(
        IDENTIFIER_PATTERN,
        128,
        "must be an identifier: a letter or underscore, then letters, digits or underscores",
    ),
    _described(
        IDENTIFIER_PATTERN,
        128,
        "An identifier (letters, digits, underscores; not starting with a digit).",
    ),
]
Tag = Annotated[
    str,
    _matches(NAME_PATTERN, 128, "must be a non-empty tag"),
    _described(NAME_PATTERN, 128, "Tag given to each element of the array."),
]
ValueType = Annotated[
    str,
    _matches(
        TYPE_PATTERN,
        16,
        f"must be one of decimal(N) with N in 0..{DECIMAL_SCALE_LIMIT}, f64, i64, string, bool",
    ),
    _described(
        TYPE_PATTERN,
        16,
        f"Output type: decimal(N) (N decimal places, 0..{DECIMAL_SCALE_LIMIT}), f64, i64, string "
        "or bool.",
    ),
]
Transform = Annotated[
    str,
    Field(
        min_length=1,
        max_length=4096,
        description="SQL expression applied after extraction; {v} is the extracted value.",
    ),
]


class _Model(BaseModel):
    # Unknown fields are rejected so that a typo (or the old `stream_type`) is a 400, not a
    # silently ignored key.
    model_config = ConfigDict(extra="forbid")


class MetaExtraction(_Model):
    value: MetaValue = Field(
        description="System metadata value; only collection_timestamp_ns is documented."
    )
    format: MetaFormat = Field(default="ns", description="Timestamp format; default ns.")


class JsonExtraction(_Model):
    path: JsonPath
    type: ValueType


class ExchangeExtractor(_Model):
    json_: JsonExtraction = Field(alias="json")
    transform: Transform | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# "Exactly one of meta or data" in JSON Schema terms; a null counts as absent, as in the model.
_EXACTLY_ONE_SOURCE: dict[str, Any] = {
    "oneOf": [
        {
            "required": ["meta"],
            "properties": {"meta": {"type": "object"}, "data": {"type": "null"}},
        },
        {
            "required": ["data"],
            "properties": {"data": {"type": "object"}, "meta": {"type": "null"}},
        },
    ]
}


class Column(_Model):
    """One output column: exactly one of ``meta`` or ``data``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_EXACTLY_ONE_SOURCE)

    output_column: Name
    meta: MetaExtraction | None = None
    data: Annotated[dict[ExchangeCode, ExchangeExtractor], Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _exactly_one_source(self) -> Column:
        if (self.meta is None) == (self.data is None):
            raise ValueError("a column needs exactly one of meta or data")
        return self


class UnfoldConfig(_Model):
    path: JsonPath


class DeriveArrayInput(_Model):
    path: JsonPath
    tag: Tag


class DeriveField(_Model):
    field: Identifier
    op: DeriveOp
    arrays: Annotated[list[DeriveArrayInput], Field(min_length=1)]
    tag_field: Identifier
    value_field: Identifier


UnfoldMap = dict[ExchangeCode, UnfoldConfig]
DeriveMap = dict[ExchangeCode, Annotated[list[DeriveField], Field(min_length=1)]]


class SchemaContent(_Model):
    """The content body of PUT /export-schemas/{id}, POST and PUT .../draft.

    Replacing content is total: an omitted or null ``unfold``/``derive`` clears the old rules.
    """

    columns: Annotated[list[Column], Field(min_length=1)]
    unfold: UnfoldMap | None = None
    derive: DeriveMap | None = None

    @model_validator(mode="after")
    def _unique_names(self) -> SchemaContent:
        seen: set[str] = set()
        for column in self.columns:
            if column.output_column in seen:
                raise ValueError(f"output_column {column.output_column!r} appears more than once")
            seen.add(column.output_column)
        for code, fields in (self.derive or {}).items():
            names = [derived.field for derived in fields]
            if len(names) != len(set(names)):
                raise ValueError(f"derive.{code} defines the same field twice")
        return self


class CreateSchemaRequest(SchemaContent):
    """The body of POST /export-schemas."""

    name: Name
    stream_category: StreamCategory


class ExportSchemaListItem(BaseModel):
    id: Annotated[str, Field(pattern=SCHEMA_ID_PATTERN)]
    name: str
    stream_category: StreamCategory
    is_built_in: bool
    created_at: Annotated[str, Field(json_schema_extra={"format": "date-time"})]
    version: Annotated[int, Field(ge=0, description="Latest published version.")]
    has_draft: bool


class ExportSchemaWithVersion(ExportSchemaListItem):
    """A schema with the content of one version: the latest published one, or the draft's."""

    columns: list[Column]
    unfold: UnfoldMap | None = None
    derive: DeriveMap | None = None


class ErrorDetail(BaseModel):
    code: ErrorCode
    message: str
    details: dict[str, Any] | None = None


class ErrorResponse(BaseModel):
    error: ErrorDetail


class Exchange(BaseModel):
    code: str
    display_name: str


class BodyProblem(Exception):
    """A request body that fails validation: the message and details of the 400 response."""

    def __init__(self, message: str, details: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


def field_path(location: tuple[int | str, ...]) -> str:
    """A pydantic error location as a readable path: ``columns[2].meta.format``."""
    text = ""
    for part in location:
        if part == "[key]":  # pydantic's marker for a bad mapping key rather than its value
            text += " (key)"
        elif isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "body"


def _problem_from(error: ValidationError) -> BodyProblem:
    problems = []
    for item in error.errors(include_url=False):
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append({"field": field_path(tuple(item["loc"])), "message": message})
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return BodyProblem(
        f"Invalid request body: {first['field']}: {first['message']}{more}",
        {"field": first["field"], "errors": problems},
    )


def _check_column_count(body: dict[str, Any], max_columns: int) -> None:
    columns = body.get("columns")
    if isinstance(columns, list) and len(columns) > max_columns:
        raise BodyProblem(
            "Schema has too many columns",
            {"max_columns": max_columns, "provided": len(columns)},
        )


def _validated(model: type[SchemaContent], body: Any, max_columns: int) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BodyProblem(
            "Invalid request body: expected a JSON object",
            {"field": "body", "errors": [{"field": "body", "message": "expected a JSON object"}]},
        )
    _check_column_count(body, max_columns)
    try:
        parsed = model.model_validate(body)
    except ValidationError as error:
        raise _problem_from(error) from None
    return parsed.model_dump(mode="json", by_alias=True, exclude_none=True)


def _content_of(dumped: dict[str, Any]) -> dict[str, Any]:
    """Stored content: columns always; unfold/derive only when they hold rules."""
    content: dict[str, Any] = {"columns": dumped["columns"]}
    for key in ("unfold", "derive"):
        if dumped.get(key):
            content[key] = dumped[key]
    return content


def parse_content(body: Any, max_columns: int) -> dict[str, Any]:
    """A validated, normalized content body (meta.format filled in, empty maps dropped).

    Raises BodyProblem.
    """
    return _content_of(_validated(SchemaContent, body, max_columns))


def parse_create(body: Any, max_columns: int) -> tuple[str, str, dict[str, Any]]:
    """(name, stream_category, content) of a valid create body. Raises BodyProblem."""
    dumped = _validated(CreateSchemaRequest, body, max_columns)
    return dumped["name"], dumped["stream_category"], _content_of(dumped)


RESPONSE_MODELS: tuple[type[BaseModel], ...] = (
    ExportSchemaListItem,
    ExportSchemaWithVersion,
    ErrorResponse,
    Exchange,
)
REQUEST_MODELS: tuple[type[BaseModel], ...] = (CreateSchemaRequest, SchemaContent)

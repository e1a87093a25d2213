"""The exports API's bodies as pydantic models: they validate ``POST /v1/exports`` and are the
source of the exports part of the OpenAPI document (``openapi.py``), as ``models.py`` is for
export schemas.

``format_options`` is per format, as the docs say ("must match format; unknown keys or a
mismatch are 400 invalid_argument; server defaults are filled in and echoed on every export
response"). The docs cut the fields of ``ParquetFormatOptions`` off; the sandbox offers one,
``compression`` (``zstd`` default, ``snappy``, ``gzip``, ``none``), and csv takes none (``{}``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    WithJsonSchema,
)

from schemac.sandbox.exporttimes import ACCEPTED, MAX_NS, parse_instant
from schemac.sandbox.models import BodyProblem, field_path

EXPORT_ID_PATTERN = r"^exp_[a-f0-9]{32}$"
ARTIFACT_ID_PATTERN = r"^art_[a-f0-9]{32}$"
FORMATS = ("csv", "parquet")
ExportFormat = Literal["csv", "parquet"]
ExportStatus = Literal["queued", "running", "succeeded", "failed", "canceled"]
ParquetCompression = Literal["zstd", "snappy", "gzip", "none"]
_DATE_TIME = {"format": "date-time"}


def _instant(value: int | str) -> int:
    return parse_instant(value)


Instant = Annotated[
    StrictInt | StrictStr,
    AfterValidator(_instant),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": MAX_NS},
                {"type": "string", "minLength": 1, "maxLength": 64},
            ],
            "description": f"A time: {ACCEPTED}.",
        }
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CsvFormatOptions(_Strict):
    """csv takes no options: the object is always ``{}``."""


class ParquetFormatOptions(_Strict):
    compression: ParquetCompression = Field(
        default="zstd", description="Codec of every column chunk (sandbox choice; default zstd)."
    )


FORMAT_OPTIONS: dict[str, type[_Strict]] = {
    "csv": CsvFormatOptions,
    "parquet": ParquetFormatOptions,
}
_SCHEMA_REF = WithJsonSchema(
    {
        "anyOf": [
            {
                "type": "string",
                "minLength": 1,
                "maxLength": 128,
                "description": "raw (default), a built-in name, a schema ID (pinned: the "
                "published version at create time) or a custom schema name of the account",
            },
            {"$ref": "#/components/schemas/SchemaContent"},
            {"type": "null", "description": "raw"},
        ]
    }
)
_OPTIONS = [
    {"$ref": "#/components/schemas/CsvFormatOptions"},
    {"$ref": "#/components/schemas/ParquetFormatOptions"},
]
_OPTIONS_REF = WithJsonSchema(
    {
        "anyOf": _OPTIONS,
        "description": "Options of the format: {} for csv; compression for parquet.",
    }
)
_OPTIONS_GIVEN = WithJsonSchema(
    {
        "anyOf": [*_OPTIONS, {"type": "null"}],
        "description": "Must match format; absent or null: the defaults.",
    }
)


def _named_within_bounds(value: object) -> object:
    # A schema named by a string is as long as the document says (an empty name names nothing).
    if isinstance(value, str) and not 1 <= len(value) <= 128:
        raise ValueError("a schema name or id has 1 to 128 characters")
    return value


class CreateExportRequest(_Strict):
    """The body of POST /exports."""

    datastream_id: Annotated[StrictInt, Field(ge=0, le=MAX_NS)]
    start_time: Instant
    end_time: Instant
    schema_: Annotated[
        StrictStr | dict[str, Any] | None, AfterValidator(_named_within_bounds), _SCHEMA_REF
    ] = Field(default=None, alias="schema")
    format: ExportFormat = "csv"
    format_options: Annotated[dict[str, Any] | None, _OPTIONS_GIVEN] = None


class ExportJob(BaseModel):
    id: Annotated[str, Field(pattern=EXPORT_ID_PATTERN)]
    datastream_id: int
    start_time: Annotated[int, Field(description="Nanoseconds since the epoch.")]
    end_time: Annotated[int, Field(description="Nanoseconds since the epoch (exclusive).")]
    format: ExportFormat
    format_options: Annotated[dict[str, Any], _OPTIONS_REF]
    status: ExportStatus
    reason: Annotated[str | None, Field(description="Only when status is failed.")] = None
    created_at: Annotated[str, Field(json_schema_extra=_DATE_TIME)]
    started_at: Annotated[str | None, Field(json_schema_extra=_DATE_TIME)] = None
    finished_at: Annotated[str | None, Field(json_schema_extra=_DATE_TIME)] = None


class ExportJobPage(BaseModel):
    items: list[ExportJob]
    total: int
    limit: int
    next_page_token: str | None


class ExportArtifact(BaseModel):
    id: Annotated[str, Field(pattern=ARTIFACT_ID_PATTERN)]
    url: Annotated[str, Field(description="Signed URL on this host, valid for 5 minutes.")]
    bytes: int
    filename: str


class ExportDownload(BaseModel):
    artifacts: list[ExportArtifact]
    count: int
    total_bytes: int


EXPORT_REQUEST_MODELS: tuple[type[BaseModel], ...] = (
    CreateExportRequest,
    CsvFormatOptions,
    ParquetFormatOptions,
)
EXPORT_RESPONSE_MODELS: tuple[type[BaseModel], ...] = (
    ExportJob,
    ExportJobPage,
    ExportDownload,
)


@dataclass(frozen=True)
class ExportRequest:
    """A validated create body: times in nanoseconds, the schema not yet resolved."""

    datastream_id: int
    start_ns: int
    end_ns: int
    schema: str | dict[str, Any] | None
    format: str
    format_options: dict[str, Any] | None


def parse_export_request(body: Any) -> ExportRequest:
    """The validated body of POST /exports. Raises BodyProblem, naming the failing field."""
    if not isinstance(body, dict):
        raise BodyProblem(
            "Invalid request body: expected a JSON object",
            {"field": "body", "errors": [{"field": "body", "message": "expected a JSON object"}]},
        )
    try:
        request = CreateExportRequest.model_validate(body)
    except ValidationError as error:
        raise _problem(error, "") from None
    start, end = int(request.start_time), int(request.end_time)  # ints once validated
    if start >= end:
        raise _one("end_time", "must be after start_time")
    # The options belong to the body: a request with options of another format is invalid as a
    # whole, as the OpenAPI document says (its anyOf of the per-format objects).
    options = format_options_of(request.format, request.format_options)
    return ExportRequest(
        request.datastream_id, start, end, request.schema_, request.format, options
    )


def format_options_of(fmt: str, given: dict[str, Any] | None) -> dict[str, Any]:
    """The options of ``fmt`` with the defaults filled in. Raises BodyProblem for an unknown
    key or a value of another format."""
    try:
        options = FORMAT_OPTIONS[fmt].model_validate(given or {})
    except ValidationError as error:
        raise _problem(error, "format_options", f"for format {fmt}") from None
    return options.model_dump(mode="json")


def _one(field: str, message: str) -> BodyProblem:
    return BodyProblem(
        f"Invalid request body: {field}: {message}",
        {"field": field, "errors": [{"field": field, "message": message}]},
    )


def _problem(error: ValidationError, prefix: str, context: str = "") -> BodyProblem:
    problems = []
    for item in error.errors(include_url=False):
        message = str(item["msg"]).removeprefix("Value error, ")
        if context:
            message = f"{message} ({context})"
        where = field_path(tuple(item["loc"]))
        if prefix:
            where = prefix if where == "body" else f"{prefix}.{where}"
        problems.append({"field": where, "message": message})
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return BodyProblem(
        f"Invalid request body: {first['field']}: {first['message']}{more}",
        {"field": first["field"], "errors": problems},
    )

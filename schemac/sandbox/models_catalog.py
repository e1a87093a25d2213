"""The bodies of the catalog, subscription and availability endpoints, as pydantic models.

As in ``models.py``: the one request body (create a subscription) is validated by its model,
and every model here is described in the OpenAPI document, so that a property test can hold
the responses to the document. Field shapes follow the official client's models
(``ticksupply.models.catalog``, ``.subscription``, ``.export``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
)

from schemac.sandbox.models import BodyProblem, field_path

SUBSCRIPTION_ID_PATTERN = r"^sub_[a-f0-9]{32}$"
SPAN_ID_PATTERN = r"^spn_[a-f0-9]{32}$"
NANOSECONDS_PATTERN = r"^(0|[1-9][0-9]{0,18})$"
SubscriptionStatus = Literal["active", "paused", "deleted"]
DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


def _whole_number(value: Any) -> Any:
    # JSON Schema's "integer" is any number with a zero fraction (1011.0 too); a string or a
    # boolean is not one, so the field is strict otherwise.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class CreateSubscriptionRequest(BaseModel):
    """The body of POST /subscriptions."""

    model_config = ConfigDict(extra="forbid")

    datastream_id: Annotated[
        int,
        BeforeValidator(_whole_number),
        Field(strict=True, ge=1, le=2**63 - 1),
        # Stated by hand: with the validator above, pydantic would write ge/le, not min/max.
        WithJsonSchema(
            {
                "type": "integer",
                "minimum": 1,
                "maximum": 2**63 - 1,
                "description": "The datastream to subscribe to",
            }
        ),
    ]


class Instrument(BaseModel):
    symbol: str
    base: str | None = None
    quote: str | None = None
    instrument_type: str | None = Field(
        default=None, description="spot, perpetual, futures or option"
    )


class DatastreamInfo(BaseModel):
    datastream_id: int
    exchange: str
    instrument: str
    stream_type: str = Field(
        description="In the sandbox, one of schemac's stream categories (trade, orderbook, ...)"
    )
    wire_format: str


class _Page(BaseModel):
    total: Annotated[int, Field(ge=0)]
    limit: Annotated[int, Field(ge=1)]
    next_page_token: str | None = Field(description="null on the last page")


class PaginatedInstruments(_Page):
    items: list[Instrument]


class PaginatedDatastreams(_Page):
    items: list[DatastreamInfo]


class SubscriptionSpan(BaseModel):
    id: Annotated[str, Field(pattern=SPAN_ID_PATTERN)]
    started_at: DateTime
    ended_at: DateTime | None = Field(description="null while the span is ongoing")


class Subscription(BaseModel):
    """A subscription as get, list, pause and resume return it."""

    id: Annotated[str, Field(pattern=SUBSCRIPTION_ID_PATTERN)]
    datastream_id: int
    status: SubscriptionStatus
    created_at: DateTime
    datastream: DatastreamInfo


class SubscriptionResponse(BaseModel):
    """A subscription as create returns it (``spans`` is always empty there, as the client
    documents: list the spans to see the first one)."""

    id: Annotated[str, Field(pattern=SUBSCRIPTION_ID_PATTERN)]
    status: SubscriptionStatus
    datastream: DatastreamInfo
    created_at: DateTime
    spans: list[SubscriptionSpan]


class PaginatedSubscriptions(_Page):
    items: list[Subscription]


class AvailabilityRange(BaseModel):
    """A collected range, half-open [from, to), in ns since the epoch as decimal strings."""

    model_config = ConfigDict(populate_by_name=True)

    from_: Annotated[str, Field(alias="from", pattern=NANOSECONDS_PATTERN)]
    to: Annotated[str, Field(pattern=NANOSECONDS_PATTERN)]
    rows_estimate: Annotated[int, Field(ge=0)]


class AvailabilityResponse(BaseModel):
    datastream: DatastreamInfo
    ranges: list[AvailabilityRange]
    updated_at: DateTime


def parse_create_subscription(body: Any) -> int:
    """The datastream id of a valid create body. Raises BodyProblem."""
    try:
        return CreateSubscriptionRequest.model_validate(body).datastream_id
    except ValidationError as error:
        problems = [
            {
                "field": field_path(tuple(item["loc"])),
                "message": str(item["msg"]).removeprefix("Value error, "),
            }
            for item in error.errors(include_url=False)
        ]
        first = problems[0]
        raise BodyProblem(
            f"Invalid request body: {first['field']}: {first['message']}",
            {"field": first["field"], "errors": problems},
        ) from None


CATALOG_RESPONSE_MODELS: tuple[type[BaseModel], ...] = (
    Instrument,
    DatastreamInfo,
    PaginatedInstruments,
    PaginatedDatastreams,
    SubscriptionSpan,
    Subscription,
    SubscriptionResponse,
    PaginatedSubscriptions,
    AvailabilityRange,
    AvailabilityResponse,
)
CATALOG_REQUEST_MODELS: tuple[type[BaseModel], ...] = (CreateSubscriptionRequest,)

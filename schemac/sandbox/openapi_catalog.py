"""The OpenAPI operations of the catalog, subscriptions and availability (see ``openapi.py``)."""

from __future__ import annotations

from typing import Any

from schemac.sandbox.models_catalog import SUBSCRIPTION_ID_PATTERN
from schemac.sandbox.openapi_parts import (
    errors,
    json_response,
    no_content,
    operation,
    query_parameter,
    ref,
)

_TEXT = {"type": "string"}


def _page(maximum: int, default: int) -> list[dict[str, Any]]:
    return [
        query_parameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
            f"Page size, 1 to {maximum} (default {default}); anything else is a 400",
        ),
        query_parameter("page_token", _TEXT, "The next_page_token of the previous page"),
    ]


def _filters(*names: str) -> list[dict[str, Any]]:
    return [query_parameter(name, _TEXT, f"Only items whose {name} is this") for name in names]


def _path(name: str, description: str, pattern: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if pattern is not None:
        schema["pattern"] = pattern
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


def catalog_paths() -> dict[str, Any]:
    return {**_catalog(), **_subscriptions(), **_subscription(), **_availability()}


def _catalog() -> dict[str, Any]:
    exchanges = {"type": "array", "items": ref("Exchange")}
    exchange = _path("exchange", "Exchange code")
    instrument_filters = [
        query_parameter("search", _TEXT, "Case-insensitive substring of the symbol"),
        *_filters("base", "quote", "instrument_type"),
    ]
    return {
        "/exchanges": {
            "get": operation(
                "listExchanges",
                "List exchanges (a bare array, not paginated)",
                {"200": json_response(exchanges, "Exchanges"), **errors()},
            )
        },
        "/exchanges/{exchange}/instruments": {
            "parameters": [exchange],
            "get": operation(
                "listInstruments",
                "List an exchange's instruments",
                {
                    "200": json_response(ref("PaginatedInstruments"), "Instruments"),
                    **errors("400", "404"),
                },
                query=[*instrument_filters, *_page(1000, 100)],
            ),
        },
        "/exchanges/{exchange}/instruments/{instrument}/datastreams": {
            "parameters": [exchange, _path("instrument", "Instrument symbol")],
            "get": operation(
                "listInstrumentDatastreams",
                "List one instrument's datastreams",
                {
                    "200": json_response(ref("PaginatedDatastreams"), "Datastreams"),
                    **errors("400", "404"),
                },
                query=[*_filters("stream_type", "wire_format"), *_page(1000, 100)],
            ),
        },
        "/datastreams": {
            "get": operation(
                "listDatastreams",
                "List datastreams, filtered",
                {
                    "200": json_response(ref("PaginatedDatastreams"), "Datastreams"),
                    **errors("400"),
                },
                query=[
                    *_filters("exchange", "instrument", "stream_type", "wire_format"),
                    *_page(1000, 100),
                ],
            ),
        },
    }


def _subscriptions() -> dict[str, Any]:
    return {
        "/subscriptions": {
            "get": operation(
                "listSubscriptions",
                "List the account's subscriptions (deleted ones are not listed)",
                {
                    "200": json_response(ref("PaginatedSubscriptions"), "Subscriptions"),
                    **errors("400"),
                },
                query=_page(100, 50),
            ),
            "post": operation(
                "createSubscription",
                "Subscribe to a datastream; collection starts at once",
                {
                    "201": json_response(ref("SubscriptionResponse"), "Subscription created"),
                    **errors("400", "404", "409"),
                },
                body=ref("CreateSubscriptionRequest"),
                idempotent=True,
            ),
        },
    }


def _subscription() -> dict[str, Any]:
    one = [_path("subscription_id", "Subscription id", SUBSCRIPTION_ID_PATTERN)]
    item = ref("Subscription")
    spans = {"type": "array", "items": ref("SubscriptionSpan")}

    def change(operation_id: str, summary: str) -> dict[str, Any]:
        return operation(
            operation_id,
            summary,
            {"200": json_response(item, "Subscription"), **errors("400", "404", "409")},
            idempotent=True,
        )

    return {
        "/subscriptions/{subscription_id}": {
            "parameters": one,
            "get": operation(
                "getSubscription",
                "Get a subscription",
                {"200": json_response(item, "Subscription"), **errors("400", "404")},
            ),
            "delete": operation(
                "deleteSubscription",
                "Delete a subscription: collection stops, exports are refused until re-subscribed",
                {"204": no_content("Subscription deleted"), **errors("400", "404", "409")},
                idempotent=True,
            ),
        },
        "/subscriptions/{subscription_id}/pause": {
            "parameters": one,
            "post": change("pauseSubscription", "Pause collection (no-op when paused)"),
        },
        "/subscriptions/{subscription_id}/resume": {
            "parameters": one,
            "post": change("resumeSubscription", "Resume collection (no-op when active)"),
        },
        "/subscriptions/{subscription_id}/spans": {
            "parameters": one,
            "get": operation(
                "listSubscriptionSpans",
                "The subscription's collection spans, oldest first",
                {"200": json_response(spans, "Spans"), **errors("400", "404")},
            ),
        },
    }


def _availability() -> dict[str, Any]:
    datastream_id = query_parameter(
        "datastream_id",
        {"type": "string", "pattern": "^[1-9][0-9]{0,18}$"},
        "The datastream",
        required=True,
    )
    return {
        "/availability": {
            "get": operation(
                "getAvailability",
                "What the account collected of a datastream: ranges with row estimates",
                {
                    "200": json_response(ref("AvailabilityResponse"), "Availability"),
                    **errors("400", "404"),
                },
                query=[datastream_id],
            ),
        },
    }

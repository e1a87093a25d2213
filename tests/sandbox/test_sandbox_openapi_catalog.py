"""Property test over the catalog, subscription and availability endpoints: random valid and
invalid requests never get a 500 (no faults injected), every response is one the OpenAPI
document describes, and the create-subscription body is accepted exactly when its model (and
so the document's schema) accepts it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from schemac.sandbox.models_catalog import CreateSubscriptionRequest

from .conftest import API_KEY, OTHER_API_KEY
from .test_sandbox_openapi_property import DOCUMENT_URI, OpenApi, documented_sandbox


@dataclass(frozen=True)
class World:
    http: httpx.Client
    openapi: OpenApi
    subscription_ids: list[str]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with documented_sandbox() as (sandbox, http, openapi):
        with sandbox.client() as client:
            ids = [client.subscriptions.create(n).id for n in (1011, 1012, 2011)]
            client.subscriptions.pause(ids[1])
        yield World(http, openapi, ids)


datastream_ids = st.sampled_from(["1011", "1021", "6011", "999999", "0", "-3", "x", ""]) | (
    st.integers(-5, 10**20).map(str)
)
limits = st.sampled_from(["1", "50", "100", "101", "1000", "1001", "0", "", "x"])
tokens = st.sampled_from(["", "bm9wZQ", "ZGF0YXN0cmVhbXM6Mg", "c3Vic2NyaXB0aW9uczox"]) | st.text(
    max_size=8
)
queries = st.dictionaries(
    st.sampled_from(
        [
            "limit",
            "page_token",
            "exchange",
            "instrument",
            "stream_type",
            "wire_format",
            "search",
            "base",
            "datastream_id",
        ]
    ),
    limits | tokens | datastream_ids | st.sampled_from(["binance", "BTCUSDT", "trade", "json"]),
    max_size=4,
)
create_bodies = st.one_of(
    st.fixed_dictionaries({"datastream_id": st.integers(-2, 10**19) | st.sampled_from([1011])}),
    st.fixed_dictionaries(
        {"datastream_id": st.sampled_from(["1011", 1011.0, True, None, [1011]])},
        optional={"extra": st.integers()},
    ),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.lists(st.integers(), max_size=2),
)


@st.composite
def requests(draw: st.DrawFn, ids: list[str]) -> tuple[str, str, dict[str, str], str | None]:
    subscription_id = draw(
        st.sampled_from([*ids * 3, "sub_" + "a" * 32, "sub_x"])
        | st.text(alphabet="sub_0123456789abcdef%", min_size=1, max_size=40)
    )
    exchange = draw(st.sampled_from(["binance", "okx", "kraken", "Binance", "%20"]))
    instrument = draw(st.sampled_from(["BTCUSDT", "SOL-USDT-SWAP", "NOPE"]))
    path = draw(
        st.sampled_from(
            [
                "/v1/exchanges",
                f"/v1/exchanges/{exchange}/instruments",
                f"/v1/exchanges/{exchange}/instruments/{instrument}/datastreams",
                "/v1/datastreams",
                "/v1/subscriptions",
                f"/v1/subscriptions/{subscription_id}",
                f"/v1/subscriptions/{subscription_id}/pause",
                f"/v1/subscriptions/{subscription_id}/resume",
                f"/v1/subscriptions/{subscription_id}/spans",
                "/v1/availability",
            ]
        )
    )
    method = draw(st.sampled_from(["GET"] * 6 + ["POST"] * 3 + ["DELETE", "PUT", "PATCH"]))
    headers = {"X-Api-Key": draw(st.sampled_from([API_KEY] * 5 + [OTHER_API_KEY, "key_no"]))}
    if draw(st.booleans()):
        headers["Idempotency-Key"] = draw(st.sampled_from([str(uuid.uuid4()), "not-a-uuid"]))
    body = draw(st.none() | create_bodies.map(json.dumps) | st.text(max_size=6))
    query = draw(queries)
    return method, path + _query_string(query), headers, body


def _query_string(query: dict[str, str]) -> str:
    return ("?" + str(httpx.QueryParams(query))) if query else ""


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_requests_get_documented_responses_and_never_500(
    world: World, data: st.DataObject
) -> None:
    method, target, headers, body = data.draw(requests(world.subscription_ids))
    content = body.encode("utf-8", "surrogatepass") if body is not None else None
    response = world.http.request(method, target, headers=headers, content=content)
    path = target.split("?")[0]
    world.openapi.check(method, path, response)
    event(f"{method} {world.openapi.template_of(path)} -> {response.status_code}")


@settings(max_examples=200, deadline=None)
@given(body=create_bodies)
def test_creates_succeed_exactly_when_the_model_accepts_the_body(world: World, body: Any) -> None:
    try:
        CreateSubscriptionRequest.model_validate(body)
        accepted = True
    except ValidationError:
        accepted = False
    ref = {"$ref": DOCUMENT_URI + "#/components/schemas/CreateSubscriptionRequest"}
    assert Draft202012Validator(ref, registry=world.openapi.registry).is_valid(body) == accepted
    response = world.http.post("/v1/subscriptions", json=body, headers={"X-Api-Key": OTHER_API_KEY})
    world.openapi.check("POST", "/v1/subscriptions", response)
    if accepted:
        assert response.status_code in (201, 404, 409), response.text
    else:
        assert response.status_code == 400, response.text

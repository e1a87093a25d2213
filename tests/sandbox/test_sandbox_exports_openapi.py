"""Property-based test of the exports endpoints: random valid and invalid requests never get a
500 (no faults injected), and every response is one the OpenAPI document at /v1/openapi.json
describes (status, and body against its schema); what the request model accepts, the
document's request schema accepts too."""

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

from schemac.sandbox import Sandbox
from schemac.sandbox.config import DEFAULT_MAX_COLUMNS
from schemac.sandbox.exportmodels import parse_export_request
from schemac.sandbox.models import BodyProblem
from schemac.sandbox.schema_ref import parse_inline

from .conftest import API_KEY, OTHER_API_KEY
from .helpers import TS_COLUMN
from .test_sandbox_openapi_property import DOCUMENT_URI, OpenApi, documented_sandbox

NOW_NS = 1_767_225_600 * 10**9


@dataclass(frozen=True)
class World:
    sandbox: Sandbox
    http: httpx.Client
    openapi: OpenApi
    streams: list[int]
    export_ids: list[str]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """One sandbox for all examples, subscribed to one datastream, with a few exports."""
    with (
        documented_sandbox(export_delay=0, message_rate=0.01) as (sandbox, http, openapi),
        sandbox.client() as client,
    ):
        streams = [d.datastream_id for d in client.datastreams.list(exchange="binance").items]
        client.subscriptions.create(datastream_id=streams[0])
        now = sandbox.config.clock()
        ids = [
            client.exports.create(streams[0], int(now - 7200) * 10**9, int(now) * 10**9).id
            for _ in range(3)
        ]
        yield World(sandbox, http, openapi, streams[:3], ids)


times = st.one_of(
    st.integers(NOW_NS - 10**13, NOW_NS),
    st.integers(NOW_NS - 10**13, NOW_NS).map(str),
    st.sampled_from(
        [
            "2025-12-31T22:00:00Z",
            "2025-12-31T23:30:00.123456789+01:00",
            "2025-12-31T22:00:00",
            "yesterday",
            "",
            "-5",
        ]
    ),
    st.integers(-(2**64), 2**64),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
schemas = st.one_of(
    st.none(),
    st.sampled_from(["raw", "normalized", "book_5", "nope", "sch_" + "0" * 32, "sch_x", ""]),
    st.just({"columns": [TS_COLUMN]}),
    st.just(
        {
            "columns": [
                {
                    "output_column": "p",
                    "data": {"binance": {"json": {"path": "data.p", "type": "f64"}}},
                }
            ]
        }
    ),
    st.dictionaries(st.sampled_from(["columns", "unfold", "x"]), st.none() | st.integers()),
    st.integers(),
)
formats = st.sampled_from(["csv", "parquet", "json", 1, None])
format_options = st.one_of(
    st.none(),
    st.just({}),
    st.fixed_dictionaries({"compression": st.sampled_from(["zstd", "snappy", "gzip", "none", 7])}),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.text(max_size=3),
)


@st.composite
def create_bodies(draw: st.DrawFn, streams: list[int]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "datastream_id": draw(st.sampled_from([*streams, 999_999, -1, "1011", None])),
        "start_time": draw(times),
        "end_time": draw(times),
    }
    optional = (("schema", schemas), ("format", formats), ("format_options", format_options))
    for key, values in optional:
        if draw(st.booleans()):
            body[key] = draw(values)
    if draw(st.integers(0, 9)) == 0:
        body["extra"] = 1
    return body


@st.composite
def requests(draw: st.DrawFn, world: World) -> tuple[str, str, dict[str, str], str | None]:
    export_id = draw(
        st.sampled_from([*world.export_ids * 3, "exp_" + "f" * 32])
        | st.text(alphabet="exp_0123456789abcdefXYZ%", min_size=1, max_size=40)
    )
    path = draw(
        st.sampled_from(
            [
                "/v1/exports",
                f"/v1/exports/{export_id}",
                f"/v1/exports/{export_id}/cancel",
                f"/v1/exports/{export_id}/download",
                "/v1/exports?limit=2",
                "/v1/exports?limit=0",
                "/v1/exports?page_token=bad",
            ]
        )
    )
    method = draw(st.sampled_from(["GET", "POST", "DELETE", "PUT"]))
    headers: dict[str, str] = {}
    if (api_key := draw(st.sampled_from([API_KEY] * 4 + [OTHER_API_KEY, None]))) is not None:
        headers["X-Api-Key"] = api_key
    if draw(st.booleans()):
        headers["Idempotency-Key"] = draw(st.sampled_from([str(uuid.uuid4()), "not-a-uuid"]))
    body = draw(st.none() | create_bodies(world.streams).map(json.dumps) | st.text(max_size=8))
    return method, path, headers, body


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_export_requests_get_documented_responses_and_never_500(
    world: World, data: st.DataObject
) -> None:
    method, path, headers, body = data.draw(requests(world))
    content = body.encode() if body is not None else None
    response = world.http.request(method, path, headers=headers, content=content)
    world.openapi.check(method, path.split("?")[0], response)
    event(f"{method} {world.openapi.template_of(path.split('?')[0])} -> {response.status_code}")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_creates_are_documented_and_what_the_model_accepts_the_document_accepts(
    world: World, data: st.DataObject
) -> None:
    body = data.draw(create_bodies(world.streams))
    response = world.http.post("/v1/exports", json=body, headers={"X-Api-Key": API_KEY})
    world.openapi.check("POST", "/v1/exports", response)
    event(f"create -> {response.status_code}")
    try:
        # The body's model: the request, then an inline schema's content (as create reads it).
        parse_inline(parse_export_request(body).schema, DEFAULT_MAX_COLUMNS)
    except BodyProblem:
        assert response.status_code != 202, response.text
        return
    ref = {"$ref": DOCUMENT_URI + "#/components/schemas/CreateExportRequest"}
    assert Draft202012Validator(ref, registry=world.openapi.registry).is_valid(body), body


@pytest.mark.parametrize(
    ("fmt", "options"), [("csv", {"": 0}), ("csv", {"compression": "zstd"}), ("parquet", {"x": 1})]
)
def test_options_of_no_format_make_the_body_invalid(fmt: str, options: dict[str, object]) -> None:
    # Found by the property above: the body's model took any options object and left them to
    # the endpoint, while the document refuses the body as a whole.
    body = {"datastream_id": 1011, "start_time": 0, "end_time": 1, "format": fmt}
    with pytest.raises(BodyProblem, match="format_options"):
        parse_export_request({**body, "format_options": options})


@pytest.mark.parametrize("schema", ["", "x" * 129])
def test_a_schema_string_outside_the_documented_length_is_invalid(schema: str) -> None:
    # Found by the property above: the model took an empty name, which the document refuses.
    body = {"datastream_id": 1011, "start_time": 0, "end_time": 1, "schema": schema}
    with pytest.raises(BodyProblem, match="schema: a schema name or id has 1 to 128 characters"):
        parse_export_request(body)

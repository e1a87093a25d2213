"""Property-based API test: random valid and invalid requests never get a 500 (no faults
injected), and every response is one the OpenAPI document at /v1/openapi.json describes."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from schemac.sandbox import Sandbox, start_sandbox
from schemac.sandbox.builtins import builtin_schemas
from schemac.sandbox.models import CreateSchemaRequest, ExportSchemaWithVersion

from .conftest import API_KEY, OTHER_API_KEY
from .helpers import TS_COLUMN

DOCUMENT_URI = "urn:sandbox-openapi"


class OpenApi:
    """Finds the operation for a request and checks a response against it."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(DOCUMENT_URI, resource)
        self.templates = [
            (re.compile("^/v1" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"), template)
            for template in document["paths"]
        ]

    def template_of(self, path: str) -> str | None:
        return next((t for pattern, t in self.templates if pattern.match(path)), None)

    def check(self, method: str, path: str, response: httpx.Response) -> None:
        assert response.status_code != 500, response.text
        assert re.match(r"^req_[0-9a-f]+$", response.headers["X-Request-Id"])
        assert "X-RateLimit-Remaining-Minute" in response.headers
        template = self.template_of(path)
        if template is None:
            self._validate(response, "#/components/schemas/ErrorResponse")
            assert response.status_code == 404
            return
        operation = self.document["paths"][template].get(method.lower())
        if operation is None:
            self._validate(response, "#/components/schemas/ErrorResponse")
            assert response.status_code == 405
            return
        status = str(response.status_code)
        assert status in operation["responses"], (method, template, status, response.text)
        declared = operation["responses"][status]
        if "content" not in declared:
            assert response.content == b""
            return
        pointer = f"#/paths/{_escape(template)}/{method.lower()}/responses/{status}"
        self._validate(response, pointer + "/content/application~1json/schema")

    def _validate(self, response: httpx.Response, pointer: str) -> None:
        assert response.headers["Content-Type"] == "application/json"
        schema = {"$ref": DOCUMENT_URI + pointer}
        Draft202012Validator(schema, registry=self.registry).validate(response.json())


def _escape(template: str) -> str:
    return template.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True)
class World:
    sandbox: Sandbox
    http: httpx.Client
    openapi: OpenApi
    ids: list[str]


@contextmanager
def documented_sandbox(**options: Any) -> Iterator[tuple[Sandbox, httpx.Client, OpenApi]]:
    """A sandbox of two accounts without rate limits (a property test sends thousands of
    requests), a raw HTTP connection to it, and the OpenAPI document it serves."""
    with (
        start_sandbox(
            [API_KEY, OTHER_API_KEY],
            rate_limit_per_minute=10**9,
            rate_limit_per_hour=10**9,
            **options,
        ) as sandbox,
        httpx.Client(base_url=sandbox.url.removesuffix("/v1"), timeout=30) as http,
    ):
        yield sandbox, http, OpenApi(http.get("/v1/openapi.json").json())


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """One sandbox and one connection for all examples (fast), with a few schemas to aim at."""
    with documented_sandbox() as (sandbox, http, openapi):
        with sandbox.client() as client:
            ids = [
                client.export_schemas.create(f"seed_{n}", "trade", [TS_COLUMN]).id for n in range(3)
            ]
        yield World(sandbox, http, openapi, ids)


# -- request strategies -------------------------------------------------------------------

names = st.text(min_size=0, max_size=12) | st.sampled_from(["my_trades", "raw", "normalized"])
exchange_codes = st.sampled_from(["binance", "bybit_linear", "coinbase", "Binance", "", "okx"])
paths = st.from_regex(r"\A[a-zA-Z]{1,4}(\.[a-z0-9]{1,3}){0,3}\Z") | st.text(max_size=6)
value_types = st.sampled_from(["f64", "i64", "string", "bool", "decimal", "int"]) | st.integers(
    -1, 45
).map(lambda n: f"decimal({n})")
junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
meta_columns = st.fixed_dictionaries(
    {
        "output_column": names,
        "meta": st.fixed_dictionaries(
            {"value": st.sampled_from(["collection_timestamp_ns", "exchange_ts"])},
            optional={"format": st.sampled_from(["ns", "us", "ms", "s", "iso8601", "h"])},
        ),
    }
)
extractors = st.fixed_dictionaries(
    {"json": st.fixed_dictionaries({"path": paths, "type": value_types})},
    optional={"transform": st.sampled_from(["CASE WHEN {v} THEN 'a' ELSE 'b' END", "", "{v}"])},
)
data_columns = st.fixed_dictionaries(
    {
        "output_column": names,
        "data": st.dictionaries(exchange_codes, extractors, min_size=0, max_size=2),
    }
)
derive_fields = st.fixed_dictionaries(
    {
        "field": st.sampled_from(["levels", "1bad", "x"]),
        "op": st.sampled_from(["tagged_concat", "concat"]),
        "arrays": st.lists(st.fixed_dictionaries({"path": paths, "tag": names}), max_size=2),
        "tag_field": st.just("side"),
        "value_field": st.just("level"),
    }
)
contents = st.fixed_dictionaries(
    {"columns": st.lists(meta_columns | data_columns | junk, max_size=5)},
    optional={
        "unfold": st.none()
        | st.dictionaries(exchange_codes, st.fixed_dictionaries({"path": paths}), max_size=2),
        "derive": st.none() | st.dictionaries(exchange_codes, st.lists(derive_fields, max_size=2)),
    },
)
valid_columns = st.lists(
    st.sampled_from(["ts", "price", "qty", "side", "id"]), min_size=1, max_size=4, unique=True
).map(
    lambda names: [
        {"output_column": name, "meta": {"value": "collection_timestamp_ns"}}
        if name == "ts"
        else {
            "output_column": name,
            "data": {"binance": {"json": {"path": "data.p", "type": "f64"}}},
        }
        for name in names
    ]
)
valid_contents = st.builds(lambda cols: {"columns": cols}, valid_columns)
create_bodies = st.builds(
    lambda content, name, category: {**content, "name": name, "stream_category": category},
    contents | valid_contents,
    names,
    st.sampled_from(["trade", "orderbook", "ticker", "trades", ""]),
)
bodies = st.one_of(
    st.none(),
    valid_contents.map(json.dumps),
    st.builds(
        lambda content, name: {**content, "name": name, "stream_category": "trade"},
        valid_contents,
        st.sampled_from(["a", "b", "c", "d"]),
    ).map(json.dumps),
    contents.map(json.dumps),
    create_bodies.map(json.dumps),
    junk.map(json.dumps),
    st.binary(max_size=40).map(lambda raw: raw.decode("latin-1")),
)
FIXED_KEY = str(uuid.uuid4())
idempotency_keys = st.sampled_from(
    [None, None, FIXED_KEY, "not-a-uuid", "{" + FIXED_KEY + "}"]
) | st.uuids().map(str)
api_keys = st.sampled_from([API_KEY] * 6 + [OTHER_API_KEY, "key_wrong", None])


@st.composite
def requests(draw: st.DrawFn, ids: list[str]) -> tuple[str, str, dict[str, str], str | None]:
    schema_id = draw(
        st.sampled_from([*ids * 4, "sch_" + "f" * 32, builtin_schemas()[0].id])
        | st.text(alphabet="sch_0123456789abcdefXYZ%", min_size=1, max_size=40)
    )
    path = draw(
        st.sampled_from(
            [
                "/v1/export-schemas",
                f"/v1/export-schemas/{schema_id}",
                f"/v1/export-schemas/{schema_id}/draft",
                f"/v1/export-schemas/{schema_id}/publish",
                "/v1/exchanges",
            ]
        )
        if draw(st.integers(0, 9))
        else st.sampled_from(["/v1/export-schemas/x/y/z", "/v2/exchanges", "/v1", "/v1/"])
    )
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE"] * 3 + ["PATCH"]))
    headers: dict[str, str] = {}
    if (api_key := draw(api_keys)) is not None:
        headers["X-Api-Key"] = api_key
    if (idempotency_key := draw(idempotency_keys)) is not None:
        headers["Idempotency-Key"] = idempotency_key
    return method, path, headers, draw(bodies)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_requests_get_documented_responses_and_never_500(
    world: World, data: st.DataObject
) -> None:
    method, path, headers, body = data.draw(requests(world.ids))
    content = body.encode("utf-8", "surrogatepass") if body is not None else None
    response = world.http.request(method, path, headers=headers, content=content)
    world.openapi.check(method, path, response)
    event(f"{method} {world.openapi.template_of(path)} -> {response.status_code}")


@settings(max_examples=300, deadline=None)
@given(body=create_bodies)
def test_creates_succeed_exactly_when_the_models_accept_the_body(
    world: World, body: dict[str, Any]
) -> None:
    """The 201/400 boundary is the models' boundary (the document's schema is theirs too)."""
    accepted = True
    try:
        CreateSchemaRequest.model_validate(body)
    except ValueError:
        accepted = False
    response = world.http.post(
        "/v1/export-schemas", json=body, headers={"X-Api-Key": OTHER_API_KEY}
    )
    world.openapi.check("POST", "/v1/export-schemas", response)
    event(f"create -> {response.status_code}")
    if accepted:
        assert response.status_code in (201, 409), response.text
    else:
        assert response.status_code == 400, response.text
    if response.status_code == 201:
        ExportSchemaWithVersion.model_validate(response.json())


@settings(max_examples=300, deadline=None)
@given(body=create_bodies)
def test_the_documents_request_schema_agrees_with_the_models(
    world: World, body: dict[str, Any]
) -> None:
    """The served JSON Schema accepts exactly what the models accept, except the two rules
    JSON Schema cannot state (unique output_column, unique derive field per exchange)."""
    schemas = world.openapi.document["components"]["schemas"]
    ref = {"$ref": DOCUMENT_URI + "#/components/schemas/CreateSchemaRequest"}
    document_accepts = Draft202012Validator(ref, registry=world.openapi.registry).is_valid(body)
    try:
        CreateSchemaRequest.model_validate(body)
        model_problems: list[str] = []
    except ValidationError as error:
        model_problems = [str(item["msg"]) for item in error.errors()]
    if not model_problems:
        assert document_accepts, body
    elif document_accepts:
        assert all("more than once" in p or "same field twice" in p for p in model_problems)
    assert schemas["CreateSchemaRequest"]["properties"]["columns"]["maxItems"] == 100


def test_the_document_is_valid_json_schema_throughout(world: World) -> None:
    for schema in world.openapi.document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_builtin_contents_satisfy_the_models() -> None:
    for schema in builtin_schemas():
        CreateSchemaRequest.model_validate(
            {"name": schema.name, "stream_category": schema.stream_category, **schema.content}
        )

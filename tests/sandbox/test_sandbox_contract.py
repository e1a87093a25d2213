"""Contract tests: every export-schema endpoint through the official ticksupply client."""

from __future__ import annotations

from typing import Any

import pytest
from ticksupply import Client
from ticksupply.exceptions import (
    AuthenticationError,
    ConflictError,
    InvalidArgumentError,
    NotFoundError,
)

from schemac.sandbox import Sandbox

from .helpers import PRICE_COLUMN, QUANTITY_COLUMN, TS_COLUMN, columns

UNKNOWN_ID = "sch_" + "0" * 32
UNFOLD_BYBIT = {"bybit_linear": {"path": "data"}}
DERIVE_LEVELS = {
    "bybit_linear": [
        {
            "field": "levels",
            "op": "tagged_concat",
            "arrays": [{"path": "data.b", "tag": "bid"}, {"path": "data.a", "tag": "ask"}],
            "tag_field": "side",
            "value_field": "level",
        }
    ]
}


def _dump_columns(schema: Any) -> list[dict[str, Any]]:
    return [column.model_dump(by_alias=True, exclude_none=True) for column in schema.columns]


def test_documented_python_example(client: Client) -> None:
    """The vendor's Python page: create with unfold and a CASE transform, list, then the draft
    workflow, discard and delete."""
    schema = client.export_schemas.create(
        name="my_trades",
        stream_category="trade",
        unfold={"bybit_linear": {"path": "data"}},
        columns=[
            {
                "output_column": "timestamp_ns",
                "meta": {"value": "collection_timestamp_ns", "format": "ns"},
            },
            {
                "output_column": "price",
                "data": {
                    "binance": {"json": {"path": "data.p", "type": "decimal(18)"}},
                    "bybit_linear": {"json": {"path": "p", "type": "decimal(18)"}},
                },
            },
            {
                "output_column": "side",
                "data": {
                    "binance": {
                        "json": {"path": "m", "type": "bool"},
                        "transform": "CASE WHEN {v} THEN 'sell' ELSE 'buy' END",
                    },
                    "bybit_linear": {"json": {"path": "S", "type": "string"}},
                },
            },
        ],
    )
    assert schema.id.startswith("sch_") and len(schema.id) == 36
    assert (schema.name, schema.stream_category.value) == ("my_trades", "trade")
    assert (schema.version, schema.has_draft, schema.is_built_in) == (1, False, False)
    assert schema.unfold is not None and schema.unfold["bybit_linear"].path == "data"
    side = schema.columns[2].data
    assert side is not None
    assert side["binance"].transform == "CASE WHEN {v} THEN 'sell' ELSE 'buy' END"

    listed = {item.id: item for item in client.export_schemas.list()}
    assert listed[schema.id].name == "my_trades" and listed[schema.id].version == 1

    draft = client.export_schemas.create_draft(schema.id)
    assert (draft.version, draft.has_draft) == (1, True)
    updated = client.export_schemas.update_draft(
        schema.id, columns=[TS_COLUMN, PRICE_COLUMN, QUANTITY_COLUMN]
    )
    assert [column.output_column for column in updated.columns] == ["ts", "price", "quantity"]
    published = client.export_schemas.publish_draft(schema.id)
    assert (published.version, published.has_draft) == (2, False)
    assert published.unfold is None  # the draft had no unfold: content replacement is total

    client.export_schemas.create_draft(schema.id, columns=[TS_COLUMN])
    client.export_schemas.discard_draft(schema.id)
    assert client.export_schemas.get(schema.id).has_draft is False

    client.export_schemas.delete(schema.id)
    with pytest.raises(NotFoundError):
        client.export_schemas.get(schema.id)


def test_create_then_get_returns_the_content_with_defaults_filled(client: Client) -> None:
    created = client.export_schemas.create(
        "trades",
        "trade",
        columns=[{"output_column": "ts", "meta": {"value": "collection_timestamp_ns"}}],
        unfold=UNFOLD_BYBIT,
        derive=DERIVE_LEVELS,
    )
    fetched = client.export_schemas.get(created.id)
    assert fetched.model_dump() == created.model_dump()
    # meta.format defaults to ns and is returned explicitly.
    assert _dump_columns(fetched) == [
        {"output_column": "ts", "meta": {"value": "collection_timestamp_ns", "format": "ns"}}
    ]
    assert fetched.derive is not None and fetched.derive["bybit_linear"][0].field == "levels"


def test_list_shows_builtins_then_custom_schemas_in_creation_order(client: Client) -> None:
    first = client.export_schemas.create("b_first", "trade", columns=[TS_COLUMN])
    second = client.export_schemas.create("a_second", "quote", columns=[TS_COLUMN])
    items = client.export_schemas.list()
    builtins = [item for item in items if item.is_built_in]
    custom = [item.id for item in items if not item.is_built_in]
    assert custom == [first.id, second.id]
    assert items[: len(builtins)] == builtins


def test_builtins_are_listed_and_readable_but_never_raw(client: Client) -> None:
    builtins = {
        (item.name, item.stream_category.value): item
        for item in client.export_schemas.list()
        if item.is_built_in
    }
    normalized = {category for name, category in builtins if name == "normalized"}
    assert normalized == {"trade", "orderbook", "book_update", "quote", "kline", "liquidation"}
    assert ("book_5", "orderbook") in builtins and ("book_20", "orderbook") in builtins
    assert not any(name == "raw" for name, _ in builtins)
    assert len(builtins) == 8
    book_20 = client.export_schemas.get(builtins[("book_20", "orderbook")].id)
    assert (book_20.is_built_in, book_20.version, book_20.has_draft) == (True, 1, False)
    assert len(book_20.columns) == 81  # collection time + 20 levels x 2 sides x (price, quantity)


@pytest.mark.parametrize(
    "operation",
    ["delete", "update", "create_draft", "get_draft", "update_draft", "discard", "publish"],
)
def test_builtins_are_read_only(client: Client, operation: str) -> None:
    builtin = next(item for item in client.export_schemas.list() if item.is_built_in)
    resource = client.export_schemas
    calls = {
        "delete": lambda: resource.delete(builtin.id),
        "update": lambda: resource.update(builtin.id, columns=[TS_COLUMN]),
        "create_draft": lambda: resource.create_draft(builtin.id),
        "get_draft": lambda: resource.get_draft(builtin.id),
        "update_draft": lambda: resource.update_draft(builtin.id, columns=[TS_COLUMN]),
        "discard": lambda: resource.discard_draft(builtin.id),
        "publish": lambda: resource.publish_draft(builtin.id),
    }
    with pytest.raises(NotFoundError) as raised:
        calls[operation]()
    assert raised.value.http_status == 404 and raised.value.code == "not_found"
    assert client.export_schemas.get(builtin.id).version == 1


@pytest.mark.parametrize(
    ("name", "category"),
    [("normalized", "trade"), ("book_5", "orderbook"), ("raw", "trade"), ("raw", "ticker")],
)
def test_builtin_names_cannot_be_taken(client: Client, name: str, category: str) -> None:
    with pytest.raises(ConflictError) as raised:
        client.export_schemas.create(name, category, columns=[TS_COLUMN])
    assert raised.value.http_status == 409 and raised.value.code == "already_exists"
    assert raised.value.details == {"name": name, "stream_category": category, "built_in": True}


def test_builtin_name_is_free_in_a_category_without_that_builtin(client: Client) -> None:
    # The docs reject a clash "in the same category"; there is no normalized ticker schema.
    created = client.export_schemas.create("normalized", "ticker", columns=[TS_COLUMN])
    assert created.name == "normalized" and created.is_built_in is False


def test_duplicate_name_in_a_category_is_409_and_other_categories_are_free(
    client: Client,
) -> None:
    first = client.export_schemas.create("my_trades", "trade", columns=[TS_COLUMN])
    with pytest.raises(ConflictError) as raised:
        client.export_schemas.create("my_trades", "trade", columns=[PRICE_COLUMN])
    assert raised.value.details == {"name": "my_trades", "stream_category": "trade", "id": first.id}
    assert client.export_schemas.create("my_trades", "quote", columns=[TS_COLUMN]).version == 1


def test_update_is_a_new_published_version_that_discards_the_draft(client: Client) -> None:
    schema = client.export_schemas.create(
        "s", "trade", columns=[TS_COLUMN], unfold=UNFOLD_BYBIT, derive=DERIVE_LEVELS
    )
    client.export_schemas.create_draft(schema.id)
    updated = client.export_schemas.update(schema.id, columns=[TS_COLUMN, PRICE_COLUMN])
    assert (updated.version, updated.has_draft) == (2, False)
    # unfold and derive were omitted: replacing content clears them.
    assert updated.unfold is None and updated.derive is None
    with pytest.raises(NotFoundError):
        client.export_schemas.get_draft(schema.id)
    assert client.export_schemas.get(schema.id).model_dump() == updated.model_dump()
    assert client.export_schemas.update(schema.id, columns=[TS_COLUMN]).version == 3


def test_update_keeps_name_and_category(client: Client) -> None:
    schema = client.export_schemas.create("s", "kline", columns=[TS_COLUMN])
    updated = client.export_schemas.update(schema.id, columns=[PRICE_COLUMN])
    assert (updated.name, updated.stream_category.value, updated.created_at) == (
        "s",
        "kline",
        schema.created_at,
    )


def test_update_rejects_identity_fields_in_the_body(sandbox: Sandbox, client: Client) -> None:
    schema = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    with pytest.raises(InvalidArgumentError) as raised:
        client._http_client.put(
            f"/export-schemas/{schema.id}", json_data={"name": "t", "columns": [TS_COLUMN]}
        )
    assert raised.value.details is not None and raised.value.details["field"] == "name"


def test_delete_removes_schema_and_draft_and_frees_the_name(client: Client) -> None:
    schema = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    client.export_schemas.create_draft(schema.id)
    client.export_schemas.delete(schema.id)
    for call in (client.export_schemas.get, client.export_schemas.get_draft):
        with pytest.raises(NotFoundError):
            call(schema.id)
    with pytest.raises(NotFoundError):
        client.export_schemas.delete(schema.id)
    assert schema.id not in {item.id for item in client.export_schemas.list()}
    again = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    assert again.id != schema.id and again.version == 1


def test_empty_create_draft_copies_the_published_version(client: Client) -> None:
    schema = client.export_schemas.create(
        "s", "trade", columns=[TS_COLUMN, PRICE_COLUMN], unfold=UNFOLD_BYBIT
    )
    draft = client.export_schemas.create_draft(schema.id)
    assert (draft.version, draft.has_draft) == (1, True)
    assert _dump_columns(draft) == _dump_columns(schema) and draft.unfold == schema.unfold
    assert client.export_schemas.get_draft(schema.id).model_dump() == draft.model_dump()
    listed = next(item for item in client.export_schemas.list() if item.id == schema.id)
    assert (listed.version, listed.has_draft) == (1, True)


def test_create_draft_with_content_replaces_any_draft_and_leaves_published(
    client: Client,
) -> None:
    schema = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    client.export_schemas.create_draft(schema.id, columns=[PRICE_COLUMN])
    draft = client.export_schemas.create_draft(
        schema.id, columns=[QUANTITY_COLUMN], unfold=UNFOLD_BYBIT
    )
    assert [column.output_column for column in draft.columns] == ["quantity"]
    assert draft.unfold is not None
    published = client.export_schemas.get(schema.id)
    assert ([c.output_column for c in published.columns], published.has_draft) == (["ts"], True)
    assert published.version == 1


def test_draft_endpoints_need_a_draft(client: Client) -> None:
    schema = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    for call in (
        lambda: client.export_schemas.get_draft(schema.id),
        lambda: client.export_schemas.update_draft(schema.id, columns=[PRICE_COLUMN]),
        lambda: client.export_schemas.discard_draft(schema.id),
        lambda: client.export_schemas.publish_draft(schema.id),
    ):
        with pytest.raises(NotFoundError) as raised:
            call()
        assert raised.value.code == "not_found"
    assert client.export_schemas.get(schema.id).version == 1


def test_update_draft_replaces_content_totally(client: Client) -> None:
    schema = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    client.export_schemas.create_draft(
        schema.id, columns=[TS_COLUMN], unfold=UNFOLD_BYBIT, derive=DERIVE_LEVELS
    )
    updated = client.export_schemas.update_draft(schema.id, columns=[PRICE_COLUMN])
    assert (updated.unfold, updated.derive, updated.version, updated.has_draft) == (
        None,
        None,
        1,
        True,
    )
    assert client.export_schemas.get_draft(schema.id).model_dump() == updated.model_dump()


def test_publish_promotes_the_draft_and_bumps_version_by_one(client: Client) -> None:
    schema = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    for expected_version in (2, 3, 4):
        client.export_schemas.create_draft(
            schema.id, columns=[TS_COLUMN, *columns(expected_version)]
        )
        published = client.export_schemas.publish_draft(schema.id)
        assert (published.version, published.has_draft) == (expected_version, False)
        assert len(published.columns) == expected_version + 1
        with pytest.raises(NotFoundError):
            client.export_schemas.publish_draft(schema.id)
    assert client.export_schemas.get(schema.id).version == 4


def test_discard_draft_keeps_the_published_version(client: Client) -> None:
    schema = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    client.export_schemas.create_draft(schema.id, columns=[PRICE_COLUMN])
    client.export_schemas.discard_draft(schema.id)
    after = client.export_schemas.get(schema.id)
    assert (after.version, after.has_draft, after.columns[0].output_column) == (1, False, "ts")
    with pytest.raises(NotFoundError):
        client.export_schemas.discard_draft(schema.id)


@pytest.mark.parametrize(
    "operation",
    ["get", "update", "delete", "create_draft", "get_draft", "update_draft", "discard", "publish"],
)
def test_unknown_and_malformed_ids(client: Client, operation: str) -> None:
    resource = client.export_schemas

    def call(schema_id: str) -> Any:
        return {
            "get": lambda: resource.get(schema_id),
            "update": lambda: resource.update(schema_id, columns=[TS_COLUMN]),
            "delete": lambda: resource.delete(schema_id),
            "create_draft": lambda: resource.create_draft(schema_id),
            "get_draft": lambda: resource.get_draft(schema_id),
            "update_draft": lambda: resource.update_draft(schema_id, columns=[TS_COLUMN]),
            "discard": lambda: resource.discard_draft(schema_id),
            "publish": lambda: resource.publish_draft(schema_id),
        }[operation]()

    with pytest.raises(NotFoundError):
        call(UNKNOWN_ID)
    for malformed in ("sch_123", "sch_" + "A" * 32, "exp_" + "0" * 32, "sch_" + "0" * 33):
        with pytest.raises(InvalidArgumentError) as raised:
            call(malformed)
        assert raised.value.details is not None and raised.value.details["field"] == "id"


def test_accounts_see_nothing_of_each_other(client: Client, other_client: Client) -> None:
    mine = client.export_schemas.create("shared_name", "trade", columns=[TS_COLUMN])
    client.export_schemas.create_draft(mine.id)
    assert mine.id not in {item.id for item in other_client.export_schemas.list()}
    for call in (
        lambda: other_client.export_schemas.get(mine.id),
        lambda: other_client.export_schemas.get_draft(mine.id),
        lambda: other_client.export_schemas.update(mine.id, columns=[PRICE_COLUMN]),
        lambda: other_client.export_schemas.publish_draft(mine.id),
        lambda: other_client.export_schemas.delete(mine.id),
    ):
        with pytest.raises(NotFoundError):
            call()
    theirs = other_client.export_schemas.create("shared_name", "trade", columns=[PRICE_COLUMN])
    assert theirs.id != mine.id
    assert client.export_schemas.get(mine.id).has_draft is True
    # Built-ins are the same in every account.
    assert [i.id for i in client.export_schemas.list() if i.is_built_in] == [
        i.id for i in other_client.export_schemas.list() if i.is_built_in
    ]


@pytest.mark.parametrize("api_key", ["key_wrong", "KEY_TEST.LOCAL", "key_test.local2"])
def test_wrong_api_key_is_unauthenticated(sandbox: Sandbox, api_key: str) -> None:
    with sandbox.client(api_key) as client, pytest.raises(AuthenticationError) as raised:
        client.export_schemas.list()
    assert raised.value.http_status == 401 and raised.value.code == "unauthenticated"
    assert raised.value.request_id is not None and raised.value.request_id.startswith("req_")


def test_exchanges_lists_the_documented_codes(client: Client) -> None:
    exchanges = client.exchanges.list()
    assert [(e.code, e.display_name) for e in exchanges][:2] == [
        ("binance", "Binance"),
        ("coinbase", "Coinbase"),
    ]
    # The documented codes first, then the rest of schemac's exchange catalog.
    codes = [e.code for e in exchanges]
    assert set(codes[:4]) == {"binance", "coinbase", "bybit_linear", "bybit_spot"}
    assert set(codes[4:]) == {"binance_usdm", "okx"}


def test_exchanges_are_configurable() -> None:
    from schemac.sandbox import start_sandbox

    with start_sandbox(exchanges=[("okx", "OKX")]) as sandbox, sandbox.client() as client:
        assert [(e.code, e.display_name) for e in client.exchanges.list()] == [("okx", "OKX")]

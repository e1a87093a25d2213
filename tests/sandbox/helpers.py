"""Request bodies shared by the sandbox tests."""

from __future__ import annotations

import uuid
from typing import Any

TS_COLUMN: dict[str, Any] = {
    "output_column": "ts",
    "meta": {"value": "collection_timestamp_ns", "format": "ms"},
}
PRICE_COLUMN: dict[str, Any] = {
    "output_column": "price",
    "data": {"binance": {"json": {"path": "data.p", "type": "decimal(18)"}}},
}
QUANTITY_COLUMN: dict[str, Any] = {
    "output_column": "quantity",
    "data": {"binance": {"json": {"path": "data.q", "type": "decimal(18)"}}},
}


def columns(count: int) -> list[dict[str, Any]]:
    """``count`` distinct valid columns."""
    return [
        {"output_column": f"c{index}", "data": {"binance": {"json": {"path": "p", "type": "f64"}}}}
        for index in range(count)
    ]


def new_key() -> str:
    return str(uuid.uuid4())


def create_body(name: str = "my_trades", category: str = "trade", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "stream_category": category,
        "columns": [TS_COLUMN, PRICE_COLUMN],
        **extra,
    }


class FakeClock:
    """Unix seconds that only move when a test says so."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

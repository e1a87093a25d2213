"""Schema texts shared by the remote tests."""

from __future__ import annotations


def trades_yaml(extra: str = "", side_type: str = "string", name: str = "trades") -> str:
    return f"""name: {name}
category: trade
exchanges: [binance, bybit_linear]
unfold:
  bybit_linear: data
columns:
  ts:
    meta: collection_timestamp_ns
    format: ms
  price:
    type: decimal(18)
    from: data.p
  side:
    from:
      binance: {{path: data.m, type: bool, case: {{true: sell, false: buy}}}}
      bybit_linear: {{path: data.S, type: {side_type}}}
{extra}"""


FEE_COLUMN = """  fee:
    type: decimal(8)
    from:
      binance: data.q
      bybit_linear: data.v
"""

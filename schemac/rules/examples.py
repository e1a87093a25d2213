"""The schema the rules' explain examples start from (each bad/good snippet edits it)."""

from __future__ import annotations

TRADES = """\
name: my_trades
category: trade
exchanges: [binance]
columns:
  ts: {meta: collection_timestamp_ns, format: ms}
  price: {type: decimal(18), from: data.p}
"""

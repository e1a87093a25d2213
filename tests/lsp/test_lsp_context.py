"""The plain-data parts of the server: where the cursor is in a buffer that may not parse, and
where a new `unfold` entry goes."""

from __future__ import annotations

import pytest

from schemac.diagnostics import hint_suggestions
from schemac.lsp.actions import Edit, add_unfold
from schemac.lsp.context import context_at, token_at

DOCUMENT = """\
name: x
exchanges:
- binance
- by
derive:
  binance:
    - field: levels
      arrays:
        - {path: data.b, tag: bid}
unfold:
  "*": data.levels
columns:
  price:
    from:
      binance:
        transform: |
          round({v}, 2) + toFl
  size: {type: f64, from: da}
"""


def cursor(needle: str, offset: int | None = None) -> tuple[int, int]:
    index = DOCUMENT.index(needle) + (len(needle) if offset is None else offset)
    return DOCUMENT.count("\n", 0, index), index - (DOCUMENT.rfind("\n", 0, index) + 1)


@pytest.mark.parametrize(
    ("needle", "keys", "in_value", "prefix"),
    [
        ("- by", ("exchanges", "-"), False, "by"),  # a block list at its key's indent
        ("{path: dat", ("derive", "binance", "-", "arrays", "-", "path"), True, "dat"),
        ("data.b, t", ("derive", "binance", "-", "arrays", "-"), False, "t"),
        ('"*": data.lev', ("unfold", "*"), True, "data.lev"),
        ("+ toFl", ("columns", "price", "from", "binance", "transform"), True, "toFl"),
        ("from: da", ("columns", "size", "from"), True, "da"),
        ("    - field: lev", ("derive", "binance", "-", "field"), True, "lev"),
    ],
)
def test_context_reads_keys_lists_and_flow(
    needle: str, keys: tuple[str, ...], in_value: bool, prefix: str
) -> None:
    found = context_at(DOCUMENT, *cursor(needle))
    assert (found.keys, found.in_value, found.prefix) == (keys, in_value, prefix)


def test_comment_and_tokens() -> None:
    text = "name: x  # schemac: ignore[SC402]\n"
    assert context_at(text, 0, len(text) - 2).in_comment
    assert token_at(text, 0, 28) is not None and token_at(text, 0, 28).text == "SC402"  # type: ignore[union-attr]
    key = token_at(DOCUMENT, *cursor('"*"', 1))
    assert key is not None and key.text == "*" and key.is_key


def test_add_unfold_to_a_block_a_flow_or_no_mapping() -> None:
    block = ["name: x", "unfold:", "    coinbase: events", "columns:"]
    assert add_unfold(block, "okx", "data") == [Edit(2, 0, 0, "    okx: data\n")]
    flow = ["unfold: {coinbase: events}  # rows", "columns:"]
    (edit,) = add_unfold(flow, "okx", "data")
    fixed = flow[0][: edit.start] + edit.text + flow[0][edit.end :]
    assert fixed == "unfold: {coinbase: events, okx: data}  # rows"
    assert add_unfold(["name: x", "columns:"], "okx", "data") == [
        Edit(1, 0, 0, "unfold:\n  okx: data\n\n")
    ]


def test_hint_suggestions_reads_what_suggestion_hint_writes() -> None:
    from schemac.diagnostics import suggestion_hint

    assert hint_suggestions(suggestion_hint("tpye", ["type", "path"])) == ["type"]
    assert hint_suggestions("did you mean `data.p` or `data.t`?") == ["data.p", "data.t"]
    assert hint_suggestions("did you mean `buy`? binance sends buy, sell") == ["buy"]
    assert hint_suggestions("add `okx` to the schema's `exchanges`") == []
    assert hint_suggestions(None) == []

"""`catalog learn` writes its YAML with the one scalar writer: what it writes reads back as is."""

from __future__ import annotations

from pathlib import Path

from schemac.catalog.learn import entry_yaml, learn_entry
from schemac.catalog.loader import load_catalog

# Strings a careless writer would turn into other values or into broken YAML.
AWKWARD = ["yes", "null", "a: b", "#x", 'q"uote', "back\\slash", "é, [x]", "~"]
AWKWARD_KEYS = ["true", "@type", "$x", "a-b", "1e3", "k#1", "x:y"]


def test_learned_yaml_reads_back_as_the_learned_entry(tmp_path: Path) -> None:
    messages = [
        {"side": value, "nested": {key: 1 for key in AWKWARD_KEYS}, "rows": [{"p": "x"}]}
        for value in AWKWARD * 2
    ]
    learned = learn_entry("okx", "trade", messages, "/tmp/samples #1: a.jsonl")
    text = entry_yaml(learned, 'OKX: spot, "v5"')
    (tmp_path / "okx.trade.yaml").write_text(text)

    exchange = load_catalog([tmp_path]).exchange("okx")
    assert exchange is not None and exchange.name == 'OKX: spot, "v5"'
    entry = exchange.entries["trade"]
    assert entry.source == "/tmp/samples #1: a.jsonl"
    assert list(entry.paths) == list(learned.paths)
    assert entry.paths["side"].enum == tuple(sorted(AWKWARD))
    assert "      rows[].p: {type: str, enum: [x]}\n" in text  # plain where it can be

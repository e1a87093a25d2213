"""Sync spec files (schemac/core/syncspec.py): what load_sync_specs returns, and where."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemac.core.loader import load_text
from schemac.core.syncfields import KEYS, window_problem
from schemac.core.syncrefs import (
    DatastreamFilter,
    DatastreamRef,
    parse_datastream_ref,
)
from schemac.core.syncspec import SyncSpec, load_sync_specs, parse_sync_document
from schemac.diagnostics import Severity
from schemac.project import discover, discover_all
from schemac.rules.examples import TRADES
from schemac.rules.sync import SYNC_EXAMPLE

S = 1_000_000_000


def _project(tmp_path: Path, **specs: str) -> Path:
    (tmp_path / "schemas").mkdir(parents=True, exist_ok=True)
    (tmp_path / "schemas" / "my_trades.yaml").write_text(TRADES)
    (tmp_path / "syncs").mkdir(exist_ok=True)
    for name, text in specs.items():
        (tmp_path / "syncs" / f"{name}.yaml").write_text(text)
    return tmp_path


def test_the_example_loads_with_every_value_resolved(tmp_path: Path) -> None:
    root = _project(tmp_path, btc_trades=SYNC_EXAMPLE)
    specs, found = load_sync_specs(root)
    assert found == []
    assert specs == [
        SyncSpec(
            name="btc_trades",
            path=root / "syncs" / "btc_trades.yaml",
            schema="my_trades",
            datastreams=("binance:BTCUSDT:trade",),
            filters=(),
            start="3d-ago",
            lag_ns=300 * S,
            window_ns=3600 * S,
            format="parquet",
            format_options={"compression": "zstd"},
            destination=root / "data" / "btc_trades",
            parallel=4,
        )
    ]


def test_defaults_filters_and_integer_ids(tmp_path: Path) -> None:
    text = (
        "schema: my_trades\nmatch:\n  - {exchange: binance, stream_type: trade}\n"
        "  - {instrument: ETHUSDT}\nstart: 1767312000000000000\ndestination: out/./eth\n"
    )
    root = _project(
        tmp_path,
        eth=text,
        ids=SYNC_EXAMPLE.replace("binance:BTCUSDT:trade", "17\n  - '18'").replace(
            "data/btc_trades", "data/ids"
        ),
    )
    specs, found = load_sync_specs(root)
    assert found == []
    eth = next(s for s in specs if s.name == "eth")
    assert eth.filters == (
        DatastreamFilter("binance", None, "trade"),
        DatastreamFilter(None, "ETHUSDT", None),
    )
    assert eth.datastreams == ()
    assert (eth.start, eth.lag_ns, eth.window_ns) == ("1767312000000000000", 0, 3600 * S)
    assert (eth.format, dict(eth.format_options), eth.parallel) == ("csv", {}, 4)
    assert eth.destination == root / "out" / "eth"
    ids = next(s for s in specs if s.name == "ids")
    assert ids.datastreams == ("17", "18")


def test_a_project_without_syncs_has_none(tmp_path: Path) -> None:
    assert load_sync_specs(tmp_path) == ([], [])


def test_specs_with_errors_are_left_out_and_warnings_kept(tmp_path: Path) -> None:
    warned = SYNC_EXAMPLE.replace("BTCUSDT:trade", "BTCUSDT:trades")
    broken = SYNC_EXAMPLE.replace("window: 1h", "window: 45m").replace("btc_trades", "b")
    root = _project(tmp_path, warned=warned, broken=broken)
    specs, found = load_sync_specs(root)
    assert [s.name for s in specs] == ["warned"]
    assert sorted((d.code, d.severity) for d in found) == [
        ("SC426", Severity.ERROR),
        ("SC432", Severity.WARNING),
    ]


def test_a_second_spec_on_the_same_destination_is_left_out(tmp_path: Path) -> None:
    inside = SYNC_EXAMPLE.replace("data/btc_trades", "data/btc_trades/eth")
    root = _project(tmp_path, a_first=SYNC_EXAMPLE, b_inside=inside, c_again=SYNC_EXAMPLE)
    specs, found = load_sync_specs(root)
    assert [s.name for s in specs] == ["a_first"]
    messages = [(d.code, Path(d.span.file).name, d.span.line, d.message) for d in found]
    assert messages == [
        (
            "SC437",
            "b_inside.yaml",
            9,
            "destination `data/btc_trades/eth` lies inside the destination of sync `a_first` "
            f"({root / 'syncs' / 'a_first.yaml'}); their files and cursor states would collide",
        ),
        (
            "SC437",
            "c_again.yaml",
            9,
            "destination `data/btc_trades` is the destination of sync `a_first` "
            f"({root / 'syncs' / 'a_first.yaml'}); their files and cursor states would collide",
        ),
    ]


def test_findings_are_located_at_the_value(tmp_path: Path) -> None:
    root = _project(tmp_path, s=SYNC_EXAMPLE.replace("start: 3d-ago", "start: 3D-ago"))
    _, [finding] = load_sync_specs(root)
    assert finding.code == "SC424"
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (4, 8, 14)
    assert "must be written in lowercase" in finding.message
    assert "accepted: now, N[s|m|h|d|w]-ago" in finding.message


def test_a_syntax_error_is_the_loaders_finding(tmp_path: Path) -> None:
    root = _project(tmp_path, s="schema: [unclosed\n")
    specs, [finding] = load_sync_specs(root)
    assert specs == [] and finding.code == "SC001"


def test_destination_through_a_symbolic_link_outside_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    (tmp_path / "elsewhere").mkdir()
    (root / "data").symlink_to(tmp_path / "elsewhere")
    (root / "syncs" / "s.yaml").write_text(SYNC_EXAMPLE)
    _, [finding] = load_sync_specs(root)
    assert finding.code == "SC436" and "symbolic link" in finding.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("binance:BTCUSDT:trade", DatastreamRef("binance", "BTCUSDT", "trade")),
        ("coinbase:BTC-USD:quote", DatastreamRef("coinbase", "BTC-USD", "quote")),
        ("42", 42),
    ],
)
def test_datastream_refs(text: str, expected: object) -> None:
    assert parse_datastream_ref(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("binance:BTCUSDT", "is not EXCHANGE:INSTRUMENT:STREAM_TYPE"),
        ("binance:BTC:USDT:trade", "is not EXCHANGE:INSTRUMENT:STREAM_TYPE"),
        ("Binance:BTCUSDT:trade", "an exchange code is lower-case"),
        (":BTCUSDT:trade", "the exchange is empty"),
        ("binance::trade", "the instrument is empty"),
        ("binance:BTC USDT:trade", "without spaces or colons"),
        ("binance:BTCUSDT:", "the stream type is empty"),
        ("binance:BTCUSDT:Trade", "a stream type is lower-case"),
        ("0", "is not EXCHANGE:INSTRUMENT:STREAM_TYPE"),
        ("-3", "is not EXCHANGE:INSTRUMENT:STREAM_TYPE"),
    ],
)
def test_bad_datastream_refs(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_datastream_ref(text)


@pytest.mark.parametrize(
    ("window", "problem"),
    [
        (60, None),
        (90, None),  # 40 windows an hour
        (5 * 60, None),
        (30 * 60, None),
        (3600, None),
        (6 * 3600, None),
        (86400, None),
        (30, "at least 1m"),
        (45 * 60, "divides an hour"),
        (7 * 60, "divides an hour"),
        (5 * 3600, "divides an hour"),
        (2 * 86400, "divides an hour"),
        (7 * 86400, "divides an hour"),
    ],
)
def test_window_problem(window: int, problem: str | None) -> None:
    found = window_problem(window * S)
    assert found == problem or (problem is not None and found is not None and problem in found)


def test_discovery_keeps_sync_specs_apart_from_schemas(tmp_path: Path) -> None:
    root = _project(tmp_path, btc=SYNC_EXAMPLE)
    (root / "syncs" / "nested").mkdir()
    (root / "syncs" / "nested" / "n.yaml").write_text(SYNC_EXAMPLE)
    (root / "syncs" / "notes.json").write_text("{}")
    spec = str(root / "syncs" / "btc.yaml")
    schema = str(root / "schemas" / "my_trades.yaml")
    assert discover([str(root)]) == [schema]
    assert discover_all([str(root)]) == ([schema], [spec])
    assert discover_all([str(root / "syncs") + "/"]) == ([], [str(root / "syncs") + "/btc.yaml"])
    assert discover_all([spec]) == ([], [spec])
    assert discover([spec]) == []


# -- never a crash, whatever the YAML ----------------------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True),
    st.sampled_from(["3d-ago", "now", "1h", "-5m", "csv", "parquet", "zstd", "data/x", "../x"]),
    st.sampled_from(["binance:BTCUSDT:trade", "binance:BTCUSDT", "42", "/abs", "", "."]),
    st.text(max_size=20),
)
_keys = st.one_of(
    st.sampled_from([*KEYS, "exchange", "instrument", "stream_type"]), st.text(max_size=8)
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=5)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.dictionaries(_keys, _values, max_size=11), _values))
def test_the_parser_never_crashes(document: object) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    root, problems = load_text("syncs/s.yaml", text)
    if root is None:
        assert problems
        return
    spec, found = parse_sync_document(root, "syncs/s.yaml", Path("/project"))
    errors = [d for d in found if d.severity is Severity.ERROR]
    assert (spec is None) == bool(errors) or root.kind != "mapping"
    if spec is not None:
        assert spec.destination.is_relative_to(Path("/project"))
        assert spec.window_ns >= 60 * S and spec.lag_ns >= 0 and 1 <= spec.parallel <= 64
        assert bool(spec.datastreams) != bool(spec.filters)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("schema:start-agowindow 3dh[]{},\n#'\"-:0\t")), max_size=120
    )
)
def test_the_parser_never_crashes_on_any_text(text: str) -> None:
    root, problems = load_text("syncs/s.yaml", text)
    if root is not None:
        spec, found = parse_sync_document(root, "syncs/s.yaml", Path("/project"))
        assert spec is not None or found
    else:
        assert problems

"""Rules of sync spec files (SC42x-SC43x): `syncs/*.yaml`, what `schemac sync` follows.

Their explain examples are sync specs (``bad_format="sync"``): the tests write each one to
``syncs/example.yaml`` of a project whose ``schemas/my_trades.yaml`` is the rules' example
schema (schemac.rules.examples.TRADES), and validate that project.
"""

from __future__ import annotations

from schemac.diagnostics import Severity
from schemac.rules import Rule

E, W = Severity.ERROR, Severity.WARNING

# The sync spec the examples start from (each bad/good snippet edits it).
SYNC_EXAMPLE = """\
schema: my_trades
datastreams:
  - binance:BTCUSDT:trade
start: 3d-ago
lag: 5m
window: 1h
format: parquet
format_options: {compression: zstd}
destination: data/btc_trades
"""
_S = SYNC_EXAMPLE
_SPEC = "sync"

SYNC_UNKNOWN_KEY = Rule(
    "SC421",
    "sync-unknown-key",
    E,
    "A sync spec has a key that schemac does not know.",
    "A sync spec takes `schema`, `datastreams` or `match`, `start`, `lag`, `window`, `format`, "
    "`format_options`, `destination` and `parallel`; a filter in `match` takes `exchange`, "
    "`instrument` and `stream_type`. Any other key is most likely a typo of one of them, and "
    "would otherwise be ignored.",
    bad=_S.replace("window:", "windw:"),
    good=_S,
    bad_format=_SPEC,
)
SYNC_MISSING_KEY = Rule(
    "SC422",
    "sync-missing-key",
    E,
    "A sync spec lacks a required key.",
    "`schema`, `start` and `destination` have no default: which rows to export, from when, and "
    "where to write them are the spec's whole point. `lag` defaults to `0s`, `window` to `1h`, "
    "`format` to `csv`, `format_options` to `{}` and `parallel` to 4.",
    bad=_S.replace("start: 3d-ago\n", ""),
    good=_S,
    bad_format=_SPEC,
)
SYNC_INVALID_VALUE = Rule(
    "SC423",
    "sync-invalid-value",
    E,
    "A sync spec's value has the wrong kind or is out of range.",
    "`schema`, `destination` and the times are strings, `datastreams` and `match` non-empty "
    "lists, `format_options` a mapping, `parallel` an integer from 1 to 64 (partitions exported "
    "at once; the API's rate limits apply to all of them together).",
    bad=_S + "parallel: 0\n",
    good=_S + "parallel: 4\n",
    bad_format=_SPEC,
)
SYNC_BAD_TIME = Rule(
    "SC424",
    "sync-bad-time",
    E,
    "`start` is not a time in schemac's time grammar.",
    "A time is `now`, `N[s|m|h|d|w]-ago` (`3d-ago`), ISO-8601 with `Z` or an offset and up to "
    "nine fractional digits (`2026-01-02T00:00:00.5Z`), a date (`2026-01-02`, midnight UTC) or "
    "integer nanoseconds since the epoch. Lowercase, no spaces, whole counts only; the same "
    "grammar as `--from` and `--to` (docs/sync.md, Times).",
    bad=_S.replace("3d-ago", "3 days ago"),
    good=_S,
    bad_format=_SPEC,
)
SYNC_BAD_DURATION = Rule(
    "SC425",
    "sync-bad-duration",
    E,
    "`lag` or `window` is not a duration.",
    "A duration is a whole count and a unit, lowercase, without spaces: `90s`, `15m`, `1h`, "
    "`2d`, `1w`. A fraction (`1.5h`) is written in a smaller unit (`90m`).",
    bad=_S.replace("window: 1h", "window: 1.5h"),
    good=_S.replace("window: 1h", "window: 90m"),
    bad_format=_SPEC,
)
SYNC_BAD_WINDOW = Rule(
    "SC426",
    "sync-bad-window",
    E,
    "`window` does not tile hours and days, or is under a minute.",
    "Windows start at whole multiples of the window since the epoch, so that every run cuts "
    "the same windows. A window must therefore divide an hour (`1m` ... `30m`) or be a whole "
    "number of hours that divides a day (`1h`, `2h`, `3h`, `4h`, `6h`, `8h`, `12h`, `1d`): then "
    "every UTC midnight is a window boundary, and each window lies in one of the vendor's hourly "
    "parts or covers whole ones. Under a minute, the requests per window would outgrow the data.",
    bad=_S.replace("window: 1h", "window: 45m"),
    good=_S.replace("window: 1h", "window: 30m"),
    bad_format=_SPEC,
)
SYNC_NEGATIVE_LAG = Rule(
    "SC427",
    "sync-negative-lag",
    E,
    "`lag` is negative.",
    "`lag` holds back data newer than now minus lag, so that a window is exported once it is "
    "closed and collected. A negative lag would export the future; `0s` exports each window as "
    "soon as the datastream's availability covers it.",
    bad=_S.replace("lag: 5m", "lag: -5m"),
    good=_S,
    bad_format=_SPEC,
)
SYNC_UNKNOWN_FORMAT = Rule(
    "SC428",
    "sync-unknown-format",
    E,
    "`format` is not an export format.",
    "Exports are `csv` (gzip CSV with a header row) or `parquet` (keeps ClickHouse types).",
    bad=_S.replace("format: parquet", "format: parquett"),
    good=_S,
    bad_format=_SPEC,
)
SYNC_BAD_FORMAT_OPTIONS = Rule(
    "SC429",
    "sync-bad-format-options",
    E,
    "`format_options` has an option the format does not take, or a value it does not allow.",
    "Options must match the format, or the API refuses the export (400 `invalid_argument`): "
    "`csv` takes none, `parquet` takes `compression` (`zstd`, `snappy`, `gzip` or `none`).",
    bad=_S.replace("format: parquet", "format: csv"),
    good=_S,
    bad_format=_SPEC,
)
SYNC_DATASTREAMS_OR_MATCH = Rule(
    "SC430",
    "sync-datastreams-or-match",
    E,
    "A sync spec has both `datastreams` and `match`, or neither.",
    "A spec follows either an explicit list of datastreams (`datastreams:`) or the datastreams "
    "that filters select, resolved again on every run (`match:`), never both: which one "
    "decides what is followed must be plain.",
    bad=_S + "match:\n  - {exchange: binance, stream_type: trade}\n",
    good=_S,
    bad_format=_SPEC,
)
SYNC_BAD_DATASTREAM_REF = Rule(
    "SC431",
    "sync-bad-datastream-ref",
    E,
    "A datastream is not named as `EXCHANGE:INSTRUMENT:STREAM_TYPE` or by its id.",
    "`datastreams` lists `binance:BTCUSDT:trade` (exchange code, instrument symbol and stream "
    "type, separated by colons) or integer datastream ids; a filter in `match` is a mapping of "
    "`exchange`, `instrument` and `stream_type` (at least one of them), each a string. A "
    "datastream listed twice is reported too.",
    bad=_S.replace("binance:BTCUSDT:trade", "binance/BTCUSDT/trade"),
    good=_S,
    bad_format=_SPEC,
)
SYNC_UNKNOWN_STREAM_TYPE = Rule(
    "SC432",
    "sync-unknown-stream-type",
    W,
    "A datastream ref or filter names a stream type that is not a stream category.",
    "schemac takes stream types to be its stream categories (`trade`, `orderbook`, "
    "`book_update`, `quote`, `kline`, `ticker`, `liquidation`), as the sandbox serves them; "
    "the vendor's docs also spell `trades` and `depth`. A warning, since the vendor's list is "
    "not published; a typo would follow nothing.",
    bad=_S.replace("BTCUSDT:trade", "BTCUSDT:trdae"),
    good=_S,
    bad_format=_SPEC,
)
SYNC_UNKNOWN_EXCHANGE = Rule(
    "SC433",
    "sync-unknown-exchange",
    W,
    "A datastream ref or filter names an exchange that neither the catalog nor the "
    "configuration knows.",
    "The known codes are those of the exchange catalog and of `exchanges` in the configuration, "
    "as for schemas (SC301). A warning, because the vendor's full list is not published. When "
    "the spec's schema does not list the exchange either, SC438 (an error, with a did-you-mean "
    "over the schema's exchanges) reports it instead: one finding per mistake.",
)
SYNC_UNKNOWN_SCHEMA = Rule(
    "SC434",
    "sync-unknown-schema",
    E,
    "`schema` names no schema of the project.",
    "A sync exports with a schema of this project (by its `name`, as `schemac export NAME`), "
    "pinned to its published version. The project's schemas are the files of the configured "
    "`paths` (default `schemas/`), whatever paths `validate` was given.",
    bad=_S.replace("schema: my_trades", "schema: my_trade"),
    good=_S,
    bad_format=_SPEC,
)
SYNC_SCHEMA_MISMATCH = Rule(
    "SC435",
    "sync-schema-mismatch",
    W,
    "The datastreams a sync follows are not of the schema's category or exchanges.",
    "A schema describes one stream category over the exchanges it lists; a datastream of "
    "another stream type or exchange would be exported with extractors written for other "
    "messages (columns of NULLs, or a failed export). A filter without `stream_type` matches "
    "every type, so it is reported too.",
    bad=_S.replace("BTCUSDT:trade", "BTCUSDT:orderbook"),
    good=_S,
    bad_format=_SPEC,
)
SYNC_DESTINATION_OUTSIDE = Rule(
    "SC436",
    "sync-destination-outside",
    E,
    "`destination` is not a folder inside the project.",
    "`destination` is relative to the project root (the folder of `schemac.toml`), and must "
    "stay inside it and not be the root itself: the files and the cursor state of a sync live "
    "there, and a spec must not write elsewhere on a machine that runs it.",
    bad=_S.replace("data/btc_trades", "../btc_trades"),
    good=_S,
    bad_format=_SPEC,
)
SYNC_DESTINATION_SHARED = Rule(
    "SC437",
    "sync-destination-shared",
    E,
    "Two sync specs write to the same destination, or one inside the other.",
    "Each sync keeps its cursor state beside its destination; two specs writing one folder "
    "would overwrite each other's files and cursors, leaving gaps or duplicate rows. The "
    "finding is reported on the second spec (by file name) and names the first.",
)
SYNC_EXCHANGE_NOT_IN_SCHEMA = Rule(
    "SC438",
    "sync-exchange-not-in-schema",
    E,
    "A sync follows a datastream of an exchange its schema does not list.",
    "A schema maps the messages of the exchanges in its `exchanges`; an export of another "
    "exchange's datastream with it has no extractors to run, and `schemac export` refuses it "
    "before any request. Add the exchange to the schema, or follow other datastreams.",
    bad=_S.replace("binance:BTCUSDT:trade", "bybit_spot:BTCUSDT:trade"),
    good=_S,
    bad_format=_SPEC,
)

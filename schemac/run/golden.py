"""Golden rows: `trades.test.yaml` beside `trades.yaml` holds cases, each messages in, rows out.

A test file::

    cases:
      - name: a buyer-maker trade is a sell
        exchange: binance
        messages:                       # inline, one mapping per raw message
          - {stream: btcusdt@trade, data: {p: "94210.15", m: true}}
        rows:
          - {price: "94210.15", side: sell}
      - name: the bundled fixture
        exchange: bybit_linear
        file: ../schemac/data/fixtures/bybit_linear/trade.jsonl   # relative to the test file
        lines: 1-2                      # optional: a line or a range of the file
        rows: [...]

A row lists the columns it holds (all of them after `--update`). Cells compare as the column's
values: decimals exactly (``"94210.15"`` equals ``94210.15000000``), NULL as ``null``. Messages
get collection times as bare messages do (:mod:`schemac.run.inputs`).
"""

from __future__ import annotations

import decimal
import json
import os
from dataclasses import dataclass, field
from typing import Any

from schemac.run.writers import json_value

# A test file with more cases than this is refused: golden rows are read into memory.
MAX_CASES = 1000


class GoldenProblem(Exception):
    """A test file that cannot be read as golden rows; the message names the file and case."""


@dataclass
class Case:
    name: str
    exchange: str
    messages: list[str]  # raw JSON texts
    rows: list[dict[str, Any]] | None  # None: not written yet (`--update` writes them)


@dataclass
class CaseResult:
    case: Case
    got: list[dict[str, Any]]
    differences: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.differences


def test_file_of(schema_path: str) -> str | None:
    """The golden-row file beside a schema file, if there is one."""
    stem, _ = os.path.splitext(schema_path)
    for suffix in (".test.yaml", ".test.yml"):
        if os.path.isfile(stem + suffix):
            return stem + suffix
    return None


def read_cases(path: str) -> list[Case]:
    """The cases of a test file; raises GoldenProblem with the file and case at fault."""
    import yaml

    try:
        with open(path, encoding="utf-8") as stream:
            document = yaml.safe_load(stream)
    except (OSError, yaml.YAMLError) as error:
        raise GoldenProblem(f"{path}: {_first_line(error)}") from None
    entries = document.get("cases") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise GoldenProblem(f"{path}: expected a mapping with a non-empty `cases` list")
    if len(entries) > MAX_CASES:
        raise GoldenProblem(f"{path}: {len(entries)} cases, more than {MAX_CASES}")
    return [_case(path, index, entry) for index, entry in enumerate(entries, 1)]


def _case(path: str, index: int, entry: object) -> Case:
    where = f"{path}: case {index}"
    if not isinstance(entry, dict):
        raise GoldenProblem(f"{where}: expected a mapping")
    name = str(entry.get("name") or f"case {index}")
    exchange = entry.get("exchange")
    if not isinstance(exchange, str):
        raise GoldenProblem(f"{where} ({name}): `exchange` is required")
    if ("messages" in entry) == ("file" in entry):
        raise GoldenProblem(f"{where} ({name}): give `messages` or `file`, one of them")
    if "messages" in entry:
        if not isinstance(entry["messages"], list):
            raise GoldenProblem(f"{where} ({name}): `messages` must be a list")
        messages = [json.dumps(m) if not isinstance(m, str) else m for m in entry["messages"]]
    else:
        messages = _file_messages(path, where, entry)
    rows = entry.get("rows")
    if rows is not None and not (isinstance(rows, list) and all(isinstance(r, dict) for r in rows)):
        raise GoldenProblem(f"{where} ({name}): `rows` must be a list of mappings")
    return Case(name, exchange, messages, rows)


def _file_messages(path: str, where: str, entry: dict[str, Any]) -> list[str]:
    target = os.path.join(os.path.dirname(path), str(entry["file"]))
    try:
        with open(target, encoding="utf-8") as stream:
            lines = [line.strip() for line in stream]
    except OSError as error:
        raise GoldenProblem(f"{where}: {target}: {error.strerror}") from None
    first, last = 1, len(lines)
    if "lines" in entry:
        text = str(entry["lines"])
        try:
            first, last = (int(x) for x in text.split("-")) if "-" in text else (int(text),) * 2
        except ValueError:
            raise GoldenProblem(f"{where}: `lines` must be N or N-M, not `{text}`") from None
    return [line for line in lines[first - 1 : last] if line]


def compare(case: Case, got: list[dict[str, Any]]) -> CaseResult:
    """``got`` against the case's rows: one line per missing, extra or differing row."""
    result = CaseResult(case, got)
    expected = case.rows or []
    if case.rows is None:
        result.differences.append("no golden rows yet: run `schemac test --update`")
        return result
    for index in range(max(len(expected), len(got))):
        want = expected[index] if index < len(expected) else None
        have = got[index] if index < len(got) else None
        if want is None:
            result.differences.append(f"row {index + 1}: unexpected {_row_text(have or {})}")
        elif have is None:
            result.differences.append(f"row {index + 1}: missing {_row_text(want)}")
        else:
            cells = [
                f"{column}: expected {_cell(value)}, got {_cell(have.get(column))}"
                for column, value in want.items()
                if not _same(value, have.get(column, _ABSENT))
            ]
            if cells:
                result.differences.append(f"row {index + 1}: " + "; ".join(cells))
    return result


_ABSENT = object()


def _same(expected: Any, got: Any) -> bool:
    if got is _ABSENT:
        return False
    if isinstance(got, decimal.Decimal) and expected is not None and not isinstance(expected, bool):
        try:
            return decimal.Decimal(str(expected)) == got
        except decimal.InvalidOperation:
            return False
    if (
        isinstance(got, float)
        and isinstance(expected, int | float)
        and not isinstance(expected, bool)
    ):
        return float(expected) == got
    return bool(expected == json_value(got)) and type(expected) is type(json_value(got))


def _cell(value: Any) -> str:
    if value is _ABSENT:
        return "(no such column)"
    return json.dumps(json_value(value))


def _row_text(row: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_cell(v)}" for k, v in row.items()) + "}"


def golden_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as a test file stores them: decimals as exact strings, NULL as null."""
    return [{k: json_value(v) for k, v in row.items()} for row in rows]


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def write_rows(path: str, rows_per_case: list[list[dict[str, Any]]]) -> None:
    """Rewrite ``path`` with each case's rows replaced (atomically; other keys kept as read).

    Messages are written as one JSON text per line (JSON is YAML), rows as flow mappings.
    Comments of the old file are not kept: the file is schemac's to write, like a snapshot.
    """
    import yaml

    from schemac.fileio import atomic_write

    with open(path, encoding="utf-8") as stream:
        entries = yaml.safe_load(stream)["cases"]
    lines = [
        "# Golden rows: `schemac test` compares, `schemac test --update` rewrites the rows.",
        "cases:",
    ]
    for entry, rows in zip(entries, rows_per_case, strict=True):
        lines.extend(_case_lines(entry, golden_rows(rows)))
    from pathlib import Path

    atomic_write(Path(path), "\n".join(lines) + "\n")


def _case_lines(entry: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    from schemac.core.yamltext import scalar

    lines = []
    first = True
    for key in ("name", "exchange", "file", "lines"):
        if key in entry:
            lines.append(("  - " if first else "    ") + f"{key}: {scalar(entry[key])}")
            first = False
    if "messages" in entry:
        lines.append("    messages:")
        for message in entry["messages"]:
            text = message if isinstance(message, str) else json.dumps(message)
            lines.append(f"      - {scalar(text) if isinstance(message, str) else text}")
    lines.append("    rows:" + (" []" if not rows else ""))
    for row in rows:
        cells = ", ".join(f"{scalar(str(k))}: {scalar(v)}" for k, v in row.items())
        lines.append(f"      - {{{cells}}}")
    return lines

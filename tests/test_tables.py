"""Every text table escapes what a terminal would obey: names come from files and the API."""

from __future__ import annotations

from schemac.cli.remote.render import status_text
from schemac.remote.status import StatusRow
from schemac.render.table import table


def test_table_escapes_control_characters_and_keeps_columns_aligned() -> None:
    text = table([["name", "type"], ["evil\x1b[2Jname", "string"], ["a\nb", "i64"]])
    assert "\x1b" not in text and "\na" not in text.replace("\n", "\n\0")
    lines = text.splitlines()
    assert lines[1] == "evil\\x1b[2Jname  string"
    assert lines[2].startswith("a\\nb") and lines[2].index("i64") == lines[1].index("string")


def test_table_of_no_rows_is_empty() -> None:
    assert table([]) == ""


def test_status_escapes_a_remote_name() -> None:
    rows = [StatusRow(name="bad\x1b]0;title\x07", category="trade", state="remote-only", version=3)]
    text = status_text(rows)
    assert "\x1b" not in text and "\x07" not in text
    assert "bad\\x1b]0;title\\x07 (trade)" in text

"""Configuration: discovery walking up, keys, positions of mistakes, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli

from schemac.config import ConfigError, find_config_file, load_config, rules_turned_off

SCHEMA = (
    "name: x\ncategory: trade\nexchanges: [binance, kraken]\ncolumns:\n"
    "  ts: {meta: collection_timestamp_ns}\n"
)


def test_defaults_without_a_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config()
    if config.source is None:  # nothing above tmp_path
        assert config.paths == ["schemas"] and config.max_columns == 100
        assert config.dialect == "clickhouse"


def test_pyproject_table_found_walking_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "p"\n\n[tool.schemac]\npaths = ["defs"]\nmax_columns = 150\n'
    )
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    found = find_config_file()
    assert found == (tmp_path / "pyproject.toml", True)
    config = load_config()
    assert config.paths == ["defs"] and config.max_columns == 150
    assert config.root == tmp_path.resolve()


def test_walk_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / "schemac.toml").write_text("max_columns = 5\n")  # above the repository
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub").mkdir()
    assert find_config_file(repo / "sub") is None
    (repo / "schemac.toml").write_text("")
    assert find_config_file(repo / "sub") == (repo / "schemac.toml", False)


def test_schemac_toml_wins_over_a_pyproject_without_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\n')
    (tmp_path / "schemac.toml").write_text("exchanges = ['binance']\n")
    assert find_config_file(tmp_path) == (tmp_path / "schemac.toml", False)


def test_unknown_key_is_an_error_with_position(tmp_path: Path) -> None:
    path = tmp_path / "schemac.toml"
    path.write_text('paths = ["schemas"]\nmax_colums = 10\n')
    with pytest.raises(ConfigError) as error:
        load_config(str(path))
    (diagnostic,) = error.value.diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("SC901", 2, 1)
    assert diagnostic.hint == "did you mean `max_columns`?"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("max_columns = 'ten'\n", 1),
        ("paths = 'schemas'\n", 1),
        ("\nseverity = { SC999 = 'error' }\n", 2),
        ("severity = { SC301 = 'loud' }\n", 1),
        ("ignore = ['no-such-rule']\n", 1),
        ("dialect = 'klingon'\n", 1),
        ("paths = [\n", 1),
    ],
)
def test_invalid_values(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "schemac.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_config(str(path))
    assert error.value.diagnostics[0].span.line == line


def test_configuration_error_exits_2(project: Path) -> None:
    (project / "schemac.toml").write_text("colour = true\n")
    result = run_cli("validate")
    assert result.code == 2
    assert "schemac.toml:1:1: error[SC901] unknown configuration key `colour`" in result.err


def test_known_exchanges_severity_and_ignore(project: Path) -> None:
    (project / "schemas").mkdir()
    (project / "schemas" / "x.yaml").write_text(SCHEMA)
    assert "SC301" in run_cli("validate").out  # kraken: no catalog file, not configured
    (project / "schemac.toml").write_text("exchanges = ['binance', 'kraken']\n")
    assert "SC301" not in run_cli("validate").out
    (project / "schemac.toml").write_text("severity = { unknown-exchange = 'error' }\n")
    result = run_cli("validate")
    assert result.code == 1 and "error[SC301]" in result.out
    (project / "schemac.toml").write_text("ignore = ['SC301']\n")
    assert "SC301" not in run_cli("validate").out
    (project / "schemac.toml").write_text("severity = { SC301 = 'off' }\n")
    assert "SC301" not in run_cli("validate").out


def test_max_columns_and_decimal_scale(project: Path) -> None:
    (project / "schemas").mkdir()
    columns = "".join(f"  c{i}: {{type: decimal(30), from: data.s}}\n" for i in range(3))
    (project / "schemas" / "x.yaml").write_text(
        "name: x\ncategory: trade\nexchanges: [binance]\ncolumns:\n" + columns
    )
    out = run_cli("validate").out
    assert "SC105" in out
    (project / "schemac.toml").write_text("max_columns = 2\ndecimal_max_scale = 38\n")
    out = run_cli("validate").out
    assert "SC105" not in out and "SC110" in out


def test_explicit_config_file_that_does_not_exist(project: Path) -> None:
    assert run_cli("validate", "--config", "nope.toml").code == 2


def test_every_command_names_the_position_of_a_configuration_error(project: Path) -> None:
    (project / "schemac.toml").write_text("\nmax_colums = 1\n")
    for args in (("validate",), ("catalog", "list"), ("plan",), ("inspect", "x.yaml")):
        result = run_cli(*args)
        assert result.code == 2, args
        assert "schemac.toml:2:1" in result.err, (args, result.err)


def test_every_command_prints_configuration_errors_as_validate_does(project: Path) -> None:
    (project / "schemac.toml").write_text("\nmax_columns = 'ten'\n")
    expected = run_cli("validate").err
    assert "schemac.toml:2:1: error[SC901] `max_columns` must be an integer\n" in expected
    assert " 2 | max_columns = 'ten'\n   | ^^^^^^^^^^^\n" in expected
    commands = (
        ("plan",),
        ("status",),
        ("diff", "--against", "HEAD"),
        ("publish", "--all"),
        ("pull", "--all"),
        ("import", "x.json"),
        ("catalog", "list"),
    )
    for args in commands:
        result = run_cli(*args)
        assert (result.code, result.err) == (2, expected), args


def test_configuration_error_message_takes_the_right_article(tmp_path: Path) -> None:
    path = tmp_path / "schemac.toml"
    path.write_text("max_columns = 'ten'\ndialect = 3\n")
    with pytest.raises(ConfigError) as error:
        load_config(str(path))
    messages = [d.message for d in error.value.diagnostics]
    assert messages == ["`max_columns` must be an integer", "`dialect` must be a string"]
    assert str(error.value) == "; ".join(messages)  # positions are the renderer's business


def test_rules_turned_off_reads_codes_and_names_in_any_case(tmp_path: Path) -> None:
    config_file = tmp_path / "schemac.toml"
    config_file.write_text(
        'severity = { " sc301 " = "off", Unknown-Key = "off", SC102 = "warning" }\n'
        'ignore = ["sc401", " COLUMN-MOVED"]\n'
    )
    config = load_config(str(config_file))
    assert rules_turned_off(config) == {"SC301", "SC101", "SC401", "SC703"}


def test_breaking_rules_are_on_or_off(tmp_path: Path) -> None:
    config_file = tmp_path / "schemac.toml"
    config_file.write_text(
        'severity = { column-moved = "off", SC705 = "error", SC301 = "off" }\n'
        'ignore = ["unfold-changed"]\n'
    )
    assert rules_turned_off(load_config(str(config_file))) == {"SC703", "SC301", "SC710"}
    config_file.write_text('severity = { column-moved = "warning" }\n')
    with pytest.raises(ConfigError, match="breaking-change rule: its severity is `error` or `off`"):
        load_config(str(config_file))

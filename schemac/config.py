"""Configuration: `schemac.toml`, or `[tool.schemac]` in pyproject.toml, found walking up.

A configuration problem is reported as a diagnostic with a position and makes the command exit
with status 2 (usage or configuration error), never a traceback.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemac import fileio, vocabulary
from schemac.diagnostics import DEFAULT_MAX_FINDINGS, Diagnostic, Span, suggestion_hint
from schemac.rules.project import CONFIG_ERROR

SEVERITY_VALUES = ("error", "warning", "info", "off")
_KEYS: dict[str, str] = {
    "paths": "list of strings",
    "exchanges": "list of strings",
    "max_columns": "integer",
    "decimal_max_scale": "integer",
    "dialect": "string",
    "catalog_dirs": "list of strings",
    "severity": "table",
    "ignore": "list of strings",
    "transforms": "table",
    "max_file_bytes": "integer",
    "max_sample_bytes": "integer",
    "max_findings": "integer",
}
# Keys of the [transforms] table: functions a transform may call beyond schemac's allow-list.
_TRANSFORM_KEYS = ("allow_functions",)
_FUNCTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(slots=True)
class Config:
    paths: list[str] = field(default_factory=lambda: ["schemas"])
    exchanges: list[str] = field(default_factory=lambda: list(vocabulary.CONFIRMED_EXCHANGES))
    max_columns: int = vocabulary.DEFAULT_MAX_COLUMNS
    decimal_max_scale: int = vocabulary.DEFAULT_DECIMAL_MAX_SCALE
    dialect: str = vocabulary.DEFAULT_DIALECT
    catalog_dirs: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # code or name -> severity or "off"
    ignore: list[str] = field(default_factory=list)
    allow_functions: list[str] = field(default_factory=list)  # [transforms] allow_functions
    max_file_bytes: int = fileio.DEFAULT_MAX_FILE_BYTES  # a larger schema file is SC003
    max_sample_bytes: int = fileio.DEFAULT_MAX_SAMPLE_BYTES  # `catalog learn` samples
    max_findings: int = DEFAULT_MAX_FINDINGS  # per file, in text output; 0: no cap
    root: Path = field(default_factory=Path.cwd)  # folder of the config file; paths are relative
    source: str | None = None  # the file it was read from


class ConfigError(Exception):
    """Configuration problems, as SC901 diagnostics with positions; the command line prints
    them with the text renderer. str() is only their messages."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


def find_config_file(start: Path | None = None) -> tuple[Path, bool] | None:
    """The nearest schemac.toml, or pyproject.toml with a [tool.schemac] table, walking up.

    The walk stops at the root of the git repository it starts in, so that a stray
    configuration above the project (in a home folder, say) never changes what it validates.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "schemac.toml"
        if candidate.is_file():
            return candidate, False
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_schemac_table(pyproject):
            return pyproject, True
        if (folder / ".git").exists():
            return None
    return None


def _has_schemac_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[tool\.schemac[\].]", text, re.MULTILINE) is not None


def load_config(path: str | None = None) -> Config:
    """The configuration from ``path``, or the one found walking up, or the defaults."""
    if path is not None:
        file = Path(path)
        if not file.is_file():
            span = Span.point(str(path))
            raise ConfigError([CONFIG_ERROR.at(span, f"no configuration file at {path}")])
        is_pyproject = file.name == "pyproject.toml"
    else:
        found = find_config_file()
        if found is None:
            return Config()
        file, is_pyproject = found
    return parse_config(file, is_pyproject)


def parse_config(file: Path, is_pyproject: bool) -> Config:
    """Read and check one configuration file. Raises :class:`ConfigError` with positions."""
    tomllib = _toml()
    name = str(file)
    try:
        text = file.read_text(encoding="utf-8")
        document = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([CONFIG_ERROR.at(Span.point(name), f"cannot read: {error}")]) from None
    except tomllib.TOMLDecodeError as error:
        line, column = _toml_error_position(str(error))
        span = Span(name, line, column, line, column + 1)
        raise ConfigError([CONFIG_ERROR.at(span, f"invalid TOML: {error}")]) from None
    table: Any = document
    if is_pyproject:
        tool = document.get("tool", {})
        table = tool.get("schemac", {}) if isinstance(tool, dict) else None
    config = Config(root=file.parent.resolve(), source=name)
    problems: list[Diagnostic] = []

    def fail(key: str, message: str, hint: str | None = None) -> None:
        line, column = _key_position(text, key)
        span = Span(name, line, column, line, column + len(key))
        problems.append(CONFIG_ERROR.at(span, message, hint))

    if not isinstance(table, dict):
        fail("tool", "[tool.schemac] must be a table")
        raise ConfigError(problems)
    for key, value in table.items():
        if not _check_value(key, value, fail):
            continue
        if key == "transforms":
            config.allow_functions = _allowed_functions(value, fail)
        else:
            setattr(config, key, list(value) if isinstance(value, list) else value)
    if problems:
        raise ConfigError(problems)
    return config


Fail = Callable[..., None]  # fail(key, message, hint=None): report a problem at ``key``


def _check_value(key: str, value: Any, fail: Fail) -> bool:
    """Report what is wrong with one configuration value; False when it cannot be used."""
    if key not in _KEYS:
        fail(key, f"unknown configuration key `{key}`", suggestion_hint(key, list(_KEYS)))
        return False
    expected = _KEYS[key]
    if not _has_kind(value, expected):
        fail(key, f"`{key}` must be {_with_article(expected)}")
        return False
    if key in ("max_columns", "decimal_max_scale", "max_findings") and value < 0:
        fail(key, f"`{key}` must not be negative")
        return False
    if key in ("max_file_bytes", "max_sample_bytes") and value <= 0:
        fail(key, f"`{key}` must be a positive number of bytes")
        return False
    if key == "decimal_max_scale" and value > vocabulary.DECIMAL_SCALE_LIMIT:
        limit = vocabulary.DECIMAL_SCALE_LIMIT
        fail(key, f"`decimal_max_scale` is at most {limit} (a 128-bit decimal's digits)")
        return False
    if key == "severity":
        _check_severities(value, fail)
    if key == "ignore":
        for code in value:
            if _unknown_rule(code):
                fail(key, f"`{code}` is not a rule code or name (see `schemac rules`)")
    if key == "dialect" and not _known_dialect(value):
        fail(key, f"`{value}` is not a SQL dialect sqlglot knows")
    return True


def _allowed_functions(table: dict[str, Any], fail: Fail) -> list[str]:
    """The [transforms] table's additions to the functions a transform may call."""
    for key in table:
        if key not in _TRANSFORM_KEYS:
            hint = suggestion_hint(key, list(_TRANSFORM_KEYS))
            fail(key, f"unknown key `{key}` in [transforms]", hint)
    names = table.get("allow_functions", [])
    if not _has_kind(names, "list of strings"):
        fail("allow_functions", "`allow_functions` must be a list of strings")
        return []
    for name in names:
        if not _FUNCTION_NAME.fullmatch(name):
            fail("allow_functions", f"`{name}` is not a function name")
    return [name for name in names if _FUNCTION_NAME.fullmatch(name)]


def _check_severities(levels: dict[str, Any], fail: Fail) -> None:
    from schemac.rules import find_rule
    from schemac.rules.breaking import BREAKING_CODES

    for code, level in levels.items():
        rule = find_rule(code)
        if level not in SEVERITY_VALUES:
            fail(code, f"severity of `{code}` must be one of {', '.join(SEVERITY_VALUES)}")
        elif rule is None:
            fail(code, f"`{code}` is not a rule code or name (see `schemac rules`)")
        elif rule.code in BREAKING_CODES and level not in ("error", "off"):
            # A change either breaks readers or it does not: there is no "breaking, a little".
            fail(code, f"`{code}` is a breaking-change rule: its severity is `error` or `off`")


def rules_turned_off(config: Config) -> frozenset[str]:
    """The codes of the rules the configuration turns off: `severity = {KEY = "off"}` or
    `ignore = [KEY]`, each KEY a code or a name in any case (as :func:`find_rule` reads it).
    The one answer to "is this rule off?": the check runner, the overrides and the breaking
    diff all ask it."""
    from schemac.rules import find_rule

    keys = [key for key, level in config.severity.items() if level == "off"] + config.ignore
    return frozenset(rule.code for key in keys if (rule := find_rule(key)) is not None)


def _with_article(kind: str) -> str:
    """``an integer``, ``a string``: the article goes by the sound of the first letter."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def _has_kind(value: object, expected: str) -> bool:
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "string":
        return isinstance(value, str)
    if expected == "table":
        return isinstance(value, dict)
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _unknown_rule(code: str) -> bool:
    from schemac.rules import find_rule

    return find_rule(code) is None


def _known_dialect(name: str) -> bool:
    # Dialect names are sqlglot's; importing sqlglot only to check a config value is too slow for
    # every run, so the check reads the module list of the installed sqlglot instead.
    import importlib.util

    spec = importlib.util.find_spec("sqlglot")
    if spec is None or not spec.submodule_search_locations:
        return True
    folder = Path(next(iter(spec.submodule_search_locations))) / "dialects"
    if name.startswith("_") or name.lower() == "dialect":  # helper modules, not dialects
        return False
    return (folder / f"{name.lower()}.py").is_file() or name == ""


def _key_position(text: str, key: str) -> tuple[int, int]:
    """Best-effort line and column of ``key`` in TOML text (tomllib keeps no positions)."""
    pattern = re.compile(rf"^(\s*)[\"']?{re.escape(key)}[\"']?\s*=", re.MULTILINE)
    match = pattern.search(text)
    if match is None:
        pattern = re.compile(rf"[\"']?{re.escape(key)}[\"']?", re.MULTILINE)
        match = pattern.search(text)
        if match is None:
            return 1, 1
        start = match.start()
    else:
        start = match.start() + len(match.group(1))
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, column


def _toml_error_position(message: str) -> tuple[int, int]:
    match = re.search(r"line (\d+), column (\d+)", message)
    return (int(match.group(1)), int(match.group(2))) if match else (1, 1)


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    return tomllib


def resolve_paths(config: Config, paths: list[str] | None) -> list[str]:
    """Command-line paths as given; otherwise the configured ones, relative to the config file."""
    if paths:
        return paths
    resolved = []
    for entry in config.paths:
        candidate = config.root / entry
        resolved.append(os.path.relpath(candidate) if candidate.exists() else str(candidate))
    return resolved

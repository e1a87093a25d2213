"""Regressions found in review: odd numbers, decimal spellings, paths, modes, catalog folders."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from helpers import REPO, run_cli

SCHEMA = (
    "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
    "  ts: {meta: collection_timestamp_ns}\n"
)


def test_huge_integers_are_diagnostics_not_tracebacks(project: Path) -> None:
    digits = "9" * 5000
    (project / "a.json").write_text('{"name": ' + digits + "}")
    (project / "b.yaml").write_text(
        f"name: b\ncategory: trade\ncolumns:\n  c: {{type: {digits}}}\n"
    )
    (project / "c.yaml").write_text(
        SCHEMA.replace("name: s", "name: c") + f"  p: {{type: decimal({digits}), from: data.p}}\n"
    )
    result = run_cli("validate", "a.json", "b.yaml", "c.yaml")
    assert result.code == 1
    assert "a.json:1:1: error[SC001]" in result.out
    assert "b.yaml:4:13: error[SC105]" in result.out  # kept as text: not a type
    assert "c.yaml:6:" in result.out and "error[SC105]" in result.out  # not a decimal(N)


def test_decimal_spellings_the_wire_schema_refuses_are_caught_by_validate(project: Path) -> None:
    for spelling in ("decimal(007)", "decimal(٣)", "decimal(08)"):
        (project / "s.yaml").write_text(SCHEMA + f"  p: {{type: '{spelling}', from: data.p}}\n")
        result = run_cli("validate", "s.yaml")
        assert result.code == 1 and "SC105" in result.out, spelling
        assert run_cli("compile", "s.yaml").code == 1  # refused, never an internal error


def test_decimal_max_scale_is_capped(project: Path) -> None:
    (project / "schemac.toml").write_text("decimal_max_scale = 100\n")
    result = run_cli("validate")
    assert result.code == 2 and "at most 38" in result.err


def test_pyproject_whose_tool_is_not_a_table(project: Path) -> None:
    (project / "pyproject.toml").write_text("tool = 1\n")
    result = run_cli("validate", "--config", "pyproject.toml")
    assert result.code == 2 and "SC901" in result.err and "Traceback" not in result.err


def test_the_same_folder_twice_is_read_once() -> None:
    result = run_cli("validate", str(REPO / "schemas"), "schemas", cwd=REPO)
    assert result.code == 0, result.out
    assert "5 files" in result.out


def test_written_files_are_readable_like_any_other(project: Path) -> None:
    out = project / "out.json"
    assert run_cli("compile", str(REPO / "schemas" / "trades.yaml"), "-o", str(out)).code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    out.chmod(0o640)  # an existing file keeps its mode when replaced
    args = ("compile", str(REPO / "schemas" / "quotes.yaml"), "-o", str(out), "--force")
    assert run_cli(*args).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_compile_into_a_folder_is_a_usage_error(project: Path) -> None:
    (project / "out").mkdir()
    result = run_cli("compile", str(REPO / "schemas" / "trades.yaml"), "-o", "out")
    assert result.code == 2 and "is a folder" in result.err


def test_missing_catalog_folder_is_a_configuration_error(project: Path) -> None:
    (project / "schemac.toml").write_text('catalog_dirs = ["catalgo"]\n')
    (project / "schemas").mkdir()
    (project / "schemas" / "s.yaml").write_text(SCHEMA)
    result = run_cli("validate")
    assert result.code == 2
    assert "catalog folder `catalgo` does not exist" in result.out
    assert run_cli("catalog", "list").code == 2


def test_broken_catalog_file_is_reported_at_the_file(project: Path) -> None:
    (project / "schemac.toml").write_text('catalog_dirs = ["catalog"]\n')
    (project / "catalog").mkdir()
    (project / "catalog" / "binance.yaml").write_text("exchange: binance\nexchange: binance\n")
    (project / "schemas").mkdir()
    (project / "schemas" / "s.yaml").write_text(SCHEMA + "  p: {type: f64, from: data.p}\n")
    result = run_cli("validate")
    assert result.code == 2
    assert "catalog/binance.yaml:2:1: error[SC901]" in result.out
    assert "duplicate key" in result.out


def test_catalog_files_are_yaml_12(project: Path) -> None:
    (project / "schemac.toml").write_text('catalog_dirs = ["catalog"]\n')
    (project / "catalog").mkdir()
    (project / "catalog" / "examplex.yaml").write_text(
        "exchange: examplex\ncategories:\n  trade:\n    status: confirmed\n    source: test\n"
        "    paths:\n      side: {type: str, enum: [Yes, No]}\n"
    )
    (project / "schemas").mkdir()
    (project / "schemas" / "s.yaml").write_text(
        "name: s\ncategory: trade\nexchanges: [examplex]\ncolumns:\n"
        "  side:\n    from:\n"
        "      examplex: {path: side, type: string, case: {Yes: buy, No: sell}}\n"
    )
    (project / "schemac.toml").write_text('catalog_dirs = ["catalog"]\nexchanges = ["examplex"]\n')
    result = run_cli("validate")
    assert result.code == 0, result.out
    assert "SC607" not in result.out  # Yes and No are the documented strings, not booleans


def test_an_empty_folder_is_clean_but_says_so(project: Path) -> None:
    (project / "schemas").mkdir()
    result = run_cli("validate")
    assert result.code == 0
    assert "no schema files found in" in result.err


def test_transform_cache_location(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "s.yaml").write_text(
        "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
        "  p:\n    from:\n      binance: {path: data.p, type: f64, transform: 'abs({v})'}\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "SCHEMAC_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    command = [sys.executable, "-m", "schemac", "validate", str(tmp_path / "s.yaml")]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "xdg" / "schemac" / "transforms.json").is_file()
    env["SCHEMAC_NO_CACHE"] = "1"
    env["XDG_CACHE_HOME"] = str(tmp_path / "other")
    subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=True)
    assert not (tmp_path / "other").exists()

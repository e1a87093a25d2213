"""The transform screen as an allow-list: findings once, one per cause, located, configurable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, run_cli

import schemac
from schemac.config import Config, ConfigError, parse_config
from schemac.diagnostics import Diagnostic
from schemac.sql import cache
from schemac.sql.allowlist import allowed_functions, refused_reasons
from schemac.sql.transforms import screen_transform
from schemac.types import lattice

HEAD = (
    "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
    "  ts: {meta: collection_timestamp_ns, format: ms}\n"
)


def _schema(transform: str, type_: str = "string") -> str:
    extractor = f'{{path: data.p, type: {type_}, transform: "{transform}"}}'
    return HEAD + f"  p:\n    from:\n      binance: {extractor}\n"


def _check(tmp_path: Path, transform: str, config: Config | None = None) -> list[Diagnostic]:
    (tmp_path / "s.yaml").write_text(_schema(transform))
    project = schemac.load_project([str(tmp_path / "s.yaml")], config or Config(root=tmp_path))
    return list(schemac.check(project))


# -- issue 9: a finding is reported once, a refused function gets one finding ----------------


def test_a_subquery_is_reported_once(tmp_path: Path) -> None:
    # The deny-list screen reported the Subquery and the Select inside it: two SC203 at 6.
    found = _check(tmp_path, "{v} + (SELECT 1)")
    column = _schema("{v} + (SELECT 1)").splitlines()[-1].index("SELECT") + 1
    assert [(d.code, d.span.column, d.span.end_column) for d in found] == [
        ("SC203", column, column + 6)
    ]


def test_nothing_inside_a_refused_subquery_is_reported_again(tmp_path: Path) -> None:
    # Before: SC203 twice, SC204 for `a` and SC203 "reads a table", all for one subquery.
    found = _check(tmp_path, "{v} IN (SELECT a FROM t)")
    assert [d.code for d in found] == ["SC203"]


def test_a_function_that_is_not_allowed_gets_exactly_one_finding(tmp_path: Path) -> None:
    # Before: SC203 ("reads URLs") from the screen and SC505 ("unknown function") from types.
    found = _check(tmp_path, "concat({v}, url('http://x', 'CSV', 'a String'))")
    assert [(d.code, d.severity.value) for d in found] == [("SC205", "error")]
    assert "reads a URL" in found[0].message


def test_an_allowed_function_types_the_same_with_or_without_the_configuration() -> None:
    from schemac.types.transform import infer_transform

    plain = infer_transform("toString(myUdf({v}))", "clickhouse", "f64")
    allowing = infer_transform("toString(myUdf({v}))", "clickhouse", "f64", ["myUdf"])
    assert plain.output == allowing.output == "string"
    assert [f.code for f in allowing.findings] == ["SC505"] and plain.findings == ()


def test_a_refused_expression_gets_no_type_findings_as_consequences(tmp_path: Path) -> None:
    # `sum` is refused (SC203); typing the CASE around it (SC501: string vs f64) would report a
    # consequence of that error
    found = _check(tmp_path, "CASE WHEN {v} > 0 THEN 'x' ELSE sum({v}) END")
    assert [d.code for d in found] == ["SC203"]


def test_a_dangerous_function_is_not_suggested_as_a_typo_of_a_listed_one() -> None:
    (refused,) = screen_transform("dictGetString('d', 'a', {v})", "clickhouse")
    assert refused.code == "SC205" and "did you mean" not in (refused.hint or "")
    (typo,) = screen_transform("toFloat46({v})", "clickhouse")
    assert typo.hint == "did you mean `toFloat64`?"


# -- the configuration extends the list --------------------------------------------------------


def test_a_function_the_configuration_allows_passes_and_is_unknown_to_the_types(
    tmp_path: Path,
) -> None:
    assert [d.code for d in _check(tmp_path, "myUdf({v})")] == ["SC205"]
    allowing = Config(root=tmp_path, allow_functions=["myudf"])
    found = _check(tmp_path, "myUdf({v})", allowing)
    assert [(d.code, d.severity.value) for d in found] == [("SC505", "warning")]
    assert "allowed by the configuration" in found[0].message


def test_a_typo_in_the_configuration_gets_the_nearest_listed_name(tmp_path: Path) -> None:
    found = _check(tmp_path, "toFloat46({v})", Config(root=tmp_path, allow_functions=["toFloat46"]))
    assert [(d.code, d.hint) for d in found] == [("SC505", "did you mean `toFloat64`?")]


def test_allow_functions_is_read_from_the_transforms_table(tmp_path: Path) -> None:
    file = tmp_path / "schemac.toml"
    file.write_text('[transforms]\nallow_functions = ["myUdf", "otherFn"]\n')
    assert parse_config(file, False).allow_functions == ["myUdf", "otherFn"]
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.schemac.transforms]\nallow_functions = ["myUdf"]\n')
    assert parse_config(pyproject, True).allow_functions == ["myUdf"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[transforms]\nallow_function = ["x"]\n', "unknown key `allow_function` in [transforms]"),
        ("[transforms]\nallow_functions = 'x'\n", "`allow_functions` must be a list of strings"),
        ('[transforms]\nallow_functions = ["x; DROP"]\n', "`x; DROP` is not a function name"),
        ("transforms = 1\n", "`transforms` must be a table"),
    ],
)
def test_a_bad_transforms_table_is_a_located_error(tmp_path: Path, text: str, problem: str) -> None:
    file = tmp_path / "schemac.toml"
    file.write_text(text)
    with pytest.raises(ConfigError) as raised:
        parse_config(file, False)
    assert [d.message for d in raised.value.diagnostics] == [problem]
    assert raised.value.diagnostics[0].span.line >= 1


def test_the_cache_keeps_verdicts_apart_per_configuration(tmp_path: Path) -> None:
    """The cache key holds the configuration's additions: a run that allows a function and one
    that does not, sharing one cache file, each get their own verdict."""
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "s.yaml").write_text(_schema("myUdf({v})"))
    allowing = tmp_path / "allowing.toml"
    allowing.write_text('[transforms]\nallow_functions = ["myUdf"]\n')
    plain = tmp_path / "plain.toml"
    plain.write_text("")
    env = {"PATH": os.environ["PATH"], "NO_COLOR": "1", "PYTHONPATH": str(REPO)}
    env["SCHEMAC_CACHE_DIR"] = str(tmp_path / "cache")

    def validate(config: Path) -> int:
        command = [sys.executable, "-m", "schemac", "validate", "--config", str(config), "schemas"]
        run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, timeout=120)
        return run.returncode

    assert [validate(plain), validate(allowing), validate(plain)] == [1, 0, 1]


def test_a_changed_list_changes_the_cache_version(tmp_path: Path) -> None:
    package = tmp_path / "schemac"
    for name in cache._CACHED_BY:
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "schemac" / name, package / name)
    before = cache.cache_version(package)
    listed = package / "data" / "transform_functions.toml"
    os.utime(listed, ns=(listed.stat().st_atime_ns, listed.stat().st_mtime_ns + 10**9))
    assert "data/transform_functions.toml" in cache._CACHED_BY
    assert cache.cache_version(package) != before


# -- the list itself ---------------------------------------------------------------------------


def test_the_list_is_well_formed() -> None:
    results = {lattice.STRING, lattice.BOOL, lattice.I64, lattice.F64, "decimal", "branches", None}
    for entry in allowed_functions().values():
        assert entry.safe_because and entry.family
        assert entry.least >= 0 and (entry.most == -1 or entry.least <= entry.most), entry
        assert entry.result in results, entry
        if entry.size_argument is not None:
            assert 1 <= entry.size_argument <= max(entry.least, 1) and entry.size_limit > 0
    assert not set(refused_reasons()) & set(allowed_functions())


@pytest.mark.parametrize("name", sorted(refused_reasons()))
def test_a_refused_function_says_why(name: str) -> None:
    text = f"{name}({{v}})"
    findings = screen_transform(text, "clickhouse")
    assert [f.code for f in findings] == ["SC205"] and refused_reasons()[name] in findings[
        0
    ].message


def test_explain_says_the_risk_of_extending_the_list() -> None:
    result = run_cli("explain", "SC205")
    assert result.code == 0
    assert "allow_functions" in result.out and "risk" in result.out


# -- positions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "marked"),
    [
        ("lower({v}) -- note", "SC206", "-- note"),
        ("round({v}, 2) /* x */", "SC206", "/* x */"),
        ("if({v} IN system.users, 1, 0)", "SC204", "system.users"),
        ("concat({v}, dictGetString('d', 'a', 1))", "SC205", "dictGetString"),
        ("repeat({v}, 100000)", "SC208", "100000"),
        ("lower({v}) || '\u202e'", "SC206", "\u202e"),
    ],
)
def test_a_finding_marks_what_it_is_about(text: str, code: str, marked: str) -> None:
    findings = [f for f in screen_transform(text, "clickhouse") if f.code == code]
    assert len(findings) == 1
    assert text[findings[0].offset : findings[0].offset + findings[0].length] == marked


def test_a_placeholder_in_a_literal_or_a_comment_is_not_a_use() -> None:
    for text in ("concat('{v}', 'x')", "toString(42) /* {v} */", "'{v}'"):
        assert "SC201" in {f.code for f in screen_transform(text, "clickhouse")}, text
    assert screen_transform("concat('{v}', {v})", "clickhouse") == ()

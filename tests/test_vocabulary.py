"""One vocabulary: schemac/vocabulary.py states each fact once, and everything that repeats a
fact (the bundled JSON Schemas, the sandbox's own copy of the API, the exchange catalog, the path
checks, the exit codes of each command) is held equal to it here, by value."""

from __future__ import annotations

import ast
import itertools
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import pytest
from helpers import REPO, docs_text
from hypothesis import given
from hypothesis import strategies as st

from schemac import vocabulary as v

DATA = REPO / "schemac" / "data"


def _schema(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((DATA / f"{name}.schema.json").read_text("utf-8"))
    return document


def _at(document: Any, pointer: str) -> Any:
    for part in pointer.strip("/").split("/"):
        document = document[part]
    return document


# -- the JSON Schemas -------------------------------------------------------------------------

# Every enum, const and pattern of the bundled JSON Schemas, and the vocabulary it states.
SCHEMA_FACTS: dict[tuple[str, str], Any] = {
    ("authoring", "/properties/category/enum"): list(v.CATEGORIES),
    ("authoring", "/properties/exchanges/items/pattern"): v.NOT_GLOB_PATTERN,
    ("authoring", "/$defs/path/pattern"): v.PATH_PATTERN,
    ("authoring", "/$defs/type/pattern"): v.TYPE_PATTERN,
    ("authoring", "/$defs/column/properties/meta/const"): v.META_VALUES,
    ("authoring", "/$defs/column/properties/format/enum"): list(v.META_FORMATS),
    ("authoring", "/$defs/extractor/properties/transform/pattern"): v.TRANSFORM_PLACEHOLDER_PATTERN,
    ("authoring", "/$defs/deriveField/properties/op/const"): v.DERIVE_OPS,
    ("wire", "/properties/stream_category/enum"): list(v.CATEGORIES),
    ("wire", "/$defs/path/pattern"): v.WIRE_PATH_PATTERN,
    ("wire", "/$defs/type/pattern"): v.TYPE_PATTERN,
    ("wire", "/$defs/column/properties/meta/properties/value/const"): v.META_VALUES,
    ("wire", "/$defs/column/properties/meta/properties/format/enum"): list(v.META_FORMATS),
    ("wire", "/$defs/extractor/properties/transform/pattern"): v.TRANSFORM_PLACEHOLDER_PATTERN,
    ("wire", "/$defs/deriveField/properties/op/const"): v.DERIVE_OPS,
}


def _facts_in(node: Any, pointer: str = "") -> list[str]:
    """The pointers of every enum, const and pattern keyword below ``node``."""
    found = []
    if isinstance(node, dict):
        for key, child in node.items():
            if key in ("enum", "const", "pattern"):
                found.append(f"{pointer}/{key}")
            else:
                found += _facts_in(child, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _facts_in(child, f"{pointer}/{index}")
    return found


@pytest.mark.parametrize(("name", "pointer"), list(SCHEMA_FACTS))
def test_the_json_schemas_state_the_vocabulary(name: str, pointer: str) -> None:
    expected = SCHEMA_FACTS[name, pointer]
    value = _at(_schema(name), pointer)
    if pointer.endswith("/const"):  # a one-value vocabulary: the const is that value
        assert (value,) == expected
    else:
        assert value == expected


@pytest.mark.parametrize("name", ["authoring", "wire"])
def test_every_enum_const_and_pattern_of_the_json_schemas_is_checked(name: str) -> None:
    listed = {pointer for schema, pointer in SCHEMA_FACTS if schema == name}
    assert set(_facts_in(_schema(name))) == listed


# -- types ------------------------------------------------------------------------------------

TYPE_SPELLINGS = [
    *(f"decimal({scale})" for scale in range(0, 120)),
    *("decimal(007)", "decimal(08)", "decimal(٣)", "decimal(-1)", "decimal()", "decimal(1.5)"),
    *("Decimal(18)", "decimal( 18 )", "decimal(18, 2)", "decimal", "numeric", "i32", "F64"),
    *(f"{name}\n" for name in ("f64", "decimal(18)")),
    *v.SIMPLE_TYPES,
]


@pytest.mark.parametrize("text", TYPE_SPELLINGS)
def test_the_type_pattern_is_what_parsing_accepts_at_the_largest_scale(text: str) -> None:
    accepted = v.type_problem(text, v.DECIMAL_SCALE_LIMIT) is None
    assert (re.fullmatch(v.TYPE_PATTERN, text) is not None) == accepted


def test_the_type_pattern_takes_each_scale_up_to_the_limit() -> None:
    scales = [s for s in range(0, 1000) if re.fullmatch(v.TYPE_PATTERN, f"decimal({s})")]
    assert scales == list(range(0, v.DECIMAL_SCALE_LIMIT + 1))
    assert 0 <= v.DEFAULT_DECIMAL_MAX_SCALE <= v.DECIMAL_SCALE_LIMIT


def test_the_configuration_caps_the_scale_at_the_limit(tmp_path: Path) -> None:
    from schemac.config import ConfigError, parse_config

    file = tmp_path / "schemac.toml"
    file.write_text(f"decimal_max_scale = {v.DECIMAL_SCALE_LIMIT}\n")
    assert parse_config(file, is_pyproject=False).decimal_max_scale == v.DECIMAL_SCALE_LIMIT
    file.write_text(f"decimal_max_scale = {v.DECIMAL_SCALE_LIMIT + 1}\n")
    with pytest.raises(ConfigError, match=f"at most {v.DECIMAL_SCALE_LIMIT}"):
        parse_config(file, is_pyproject=False)


def test_every_meta_format_has_an_output_type() -> None:
    from schemac.types.lattice import META_TYPES

    assert list(META_TYPES) == [None, *v.META_FORMATS]  # None: no `format`, the API's ns


def test_the_docs_state_the_decimal_limits() -> None:
    readme = docs_text()
    assert f"0..{v.DEFAULT_DECIMAL_MAX_SCALE} by default" in readme
    assert f"up to {v.DECIMAL_SCALE_LIMIT}" in readme
    assert f"decimal_max_scale = {v.DEFAULT_DECIMAL_MAX_SCALE}" in readme
    assert f"N from 0 to {v.DECIMAL_SCALE_LIMIT}" in readme  # the sandbox section


# -- paths ------------------------------------------------------------------------------------

# Every text of up to four of the characters the grammars care about, and random longer ones.
SHORT_TEXTS = [
    "".join(chars) for size in range(5) for chars in itertools.product("a0.$[] \n", repeat=size)
]
PATH_TEXTS = st.text(
    alphabet=st.sampled_from(list("ab09._$[]- \t\n\x1c\u00a0é")) | st.characters(codec="utf-8"),
    max_size=12,
)


def _path_check_agrees(path: str) -> bool:
    from schemac.core.paths import path_problem

    return (path_problem(path) is None) == (re.fullmatch(v.PATH_PATTERN, path) is not None)


def _wire_takes_it(path: str) -> bool:
    return not re.fullmatch(v.PATH_PATTERN, path) or bool(re.fullmatch(v.WIRE_PATH_PATTERN, path))


def _catalog_check_agrees(path: str) -> bool:
    from schemac.catalog.fileformat import catalog_path_problem

    segments_ok = all(re.fullmatch(v.CATALOG_SEGMENT_PATTERN, s) for s in path.split("."))
    return (catalog_path_problem(path) is None) == (path != "" and segments_ok)


PATH_AGREEMENTS = [_path_check_agrees, _wire_takes_it, _catalog_check_agrees]


@pytest.mark.parametrize("agrees", PATH_AGREEMENTS, ids=lambda f: f.__name__)
def test_the_path_checks_are_the_path_patterns(agrees: Callable[[str], bool]) -> None:
    assert [text for text in SHORT_TEXTS if not agrees(text)] == []


@given(PATH_TEXTS)
def test_the_path_checks_are_the_path_patterns_on_any_text(path: str) -> None:
    for agrees in PATH_AGREEMENTS:
        assert agrees(path), agrees.__name__


# -- exchanges, globs and transforms ----------------------------------------------------------


def test_exchange_codes() -> None:
    shipped = [path.stem for path in (DATA / "catalog").glob("*.yaml")]
    assert shipped and not any(v.exchange_code_problem(code) for code in shipped)
    assert not any(v.exchange_code_problem(code) for code in v.CONFIRMED_EXCHANGES)
    for code in ("", "Binance", "_x", "a-b", "a\n", "a.b", "../x", "*"):
        assert v.exchange_code_problem(code) == (
            "an exchange code is lower-case letters, digits and _, not starting with _"
        )
    assert v.exchange_code_problem("a" * v.MAX_EXCHANGE_CODE_LENGTH) is None
    assert v.exchange_code_problem("a" * (v.MAX_EXCHANGE_CODE_LENGTH + 1)) == (
        f"an exchange code is at most {v.MAX_EXCHANGE_CODE_LENGTH} characters"
    )


def test_a_glob_character_is_never_an_exchanges_entry() -> None:
    for char in v.GLOB_CHARS:
        assert v.is_glob(f"bybit{char}") and not re.fullmatch(v.NOT_GLOB_PATTERN, f"bybit{char}")
    assert re.fullmatch(v.NOT_GLOB_PATTERN, "bybit_linear") and not v.is_glob("bybit_linear")


def test_the_transform_placeholder() -> None:
    from schemac.sql.transforms import BOUND_NAME, bind

    assert bind(f"round({v.TRANSFORM_PLACEHOLDER}, 2)") == f"round({BOUND_NAME}, 2)"
    assert re.search(v.TRANSFORM_PLACEHOLDER_PATTERN, "round({v}, 2)")
    assert not re.search(v.TRANSFORM_PLACEHOLDER_PATTERN, "round(v, 2)")


# -- the catalog model ------------------------------------------------------------------------


def test_the_catalog_takes_its_categories_from_the_vocabulary() -> None:
    import schemac.catalog

    assert schemac.catalog.CATEGORIES is v.CATEGORIES  # re-exported for the CLI, not a copy


# -- the sandbox, the vendor's stand-in with its own copy -------------------------------------


def test_the_sandbox_takes_what_schemac_compiles() -> None:
    from schemac.sandbox import models

    assert get_args(models.StreamCategory) == v.CATEGORIES
    assert get_args(models.MetaValue) == v.META_VALUES
    assert get_args(models.MetaFormat) == v.META_FORMATS
    assert get_args(models.DeriveOp) == v.DERIVE_OPS
    assert models.TYPE_PATTERN == v.TYPE_PATTERN
    assert models.PATH_PATTERN == v.WIRE_PATH_PATTERN
    assert models.EXCHANGE_CODE_PATTERN == v.EXCHANGE_CODE_PATTERN


def test_the_sandbox_defaults_are_the_documented_ones() -> None:
    from schemac.sandbox.config import DEFAULT_EXCHANGES, DEFAULT_MAX_COLUMNS, SandboxConfig
    from schemac.sandbox.openapi import build_openapi

    assert DEFAULT_MAX_COLUMNS == v.DEFAULT_MAX_COLUMNS
    assert sorted(code for code, _ in DEFAULT_EXCHANGES) == sorted(v.CONFIRMED_EXCHANGES)
    # The sandbox's description of the type names the same range.
    assert f"0..{v.DECIMAL_SCALE_LIMIT}" in json.dumps(build_openapi(SandboxConfig()))


# -- exit codes -------------------------------------------------------------------------------

# Names a command module has used for the vocabulary's exit codes.
EXIT_ALIASES = {
    "EXIT_ERROR": "EXIT_FINDINGS",
    "EXIT_FAILURE": "EXIT_FINDINGS",
    "EXIT_MOVED": "EXIT_REMOTE_MOVED",
    "EXIT_CHANGES": "EXIT_PLAN_CHANGES",
}


def _exit_constants() -> list[tuple[str, str, object]]:
    """(file, name, value) of every EXIT_* constant a module other than vocabulary assigns."""
    found = []
    for path in sorted((REPO / "schemac").rglob("*.py")):
        if path.name == "vocabulary.py":
            continue
        for node in ast.parse(path.read_text("utf-8")).body:
            if not isinstance(node, ast.Assign):
                continue
            for target in node.targets:
                pairs = (
                    zip(target.elts, node.value.elts, strict=True)
                    if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                    else [(target, node.value)]
                )
                for name, value in pairs:
                    if isinstance(name, ast.Name) and name.id.startswith("EXIT_"):
                        found.append((str(path.relative_to(REPO)), name.id, _literal(value)))
    return found


def _literal(node: ast.expr) -> object:
    return node.value if isinstance(node, ast.Constant) else ast.dump(node)


def test_every_exit_code_is_the_vocabulary_one() -> None:
    for module, name, value in _exit_constants():
        meaning = EXIT_ALIASES.get(name, name)
        assert hasattr(v, meaning), f"{module}: {name} is no exit code of the vocabulary"
        assert value == getattr(v, meaning), f"{module}: {name} = {value}"


# -- the default dialect ----------------------------------------------------------------------


def test_every_default_dialect_is_the_vocabulary_one() -> None:
    """A `dialect` parameter's default is DEFAULT_DIALECT, by name or by value."""
    for path in sorted((REPO / "schemac").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            positional = [*node.args.posonlyargs, *node.args.args]
            with_default = positional[len(positional) - len(node.args.defaults) :]
            defaults = [
                *zip(with_default, node.args.defaults, strict=True),
                *zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True),
            ]
            for argument, default in defaults:
                if argument.arg != "dialect" or default is None:
                    continue
                where = f"{path.relative_to(REPO)}:{node.name}"
                if isinstance(default, ast.Constant):
                    assert default.value == v.DEFAULT_DIALECT, where
                else:
                    assert ast.unparse(default).endswith("DEFAULT_DIALECT"), where


# -- cheap to import --------------------------------------------------------------------------


def test_the_vocabulary_imports_nothing_of_weight() -> None:
    code = (
        "import json, sys; import schemac; before = set(sys.modules); import schemac.vocabulary; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    new = json.loads(result.stdout)
    assert [name for name in new if name.startswith("schemac")] == ["schemac.vocabulary"]
    assert all(
        name.split(".")[0] in sys.stdlib_module_names
        for name in new
        if not name.startswith("schemac")
    ), new

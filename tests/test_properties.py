"""Property tests: no input crashes schemac; `case` renders and reads back exactly."""

from __future__ import annotations

import json
import random
from pathlib import Path

from helpers import EXAMPLE_SCHEMAS, REPO, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import typed_case_maps

import schemac
from schemac.config import Config
from schemac.core.ir import CaseMap
from schemac.core.loader import load_text
from schemac.core.sqlcase import decompile_case, render_case

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
EXAMPLE_TEXTS = [p.read_text() for p in EXAMPLE_SCHEMAS]


def _validate_text(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    project = schemac.load_project([str(path)], Config(root=tmp_path))
    diagnostics = schemac.check(project)  # must not raise
    for diagnostic in diagnostics:
        assert diagnostic.span.line >= 1 and diagnostic.span.column >= 1
        assert diagnostic.code.startswith("SC")


@SETTINGS
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".yaml", ".json"]))
def test_arbitrary_bytes_never_crash(tmp_path: Path, data: bytes, suffix: str) -> None:
    _validate_text(tmp_path, f"x{suffix}", data)


_MUTATIONS = [
    lambda t, i: t[:i] + t[i + 1 :],  # delete a character
    lambda t, i: t[:i] + t[i] + t[i:],  # duplicate a character
    lambda t, i: t[:i] + "\n" + t[i:],  # break a line
    lambda t, i: t[:i] + "  " + t[i:],  # indent
    lambda t, i: t[:i] + ": " + t[i:],
    lambda t, i: t[:i] + "{" + t[i:],
    lambda t, i: t[:i] + "[" + t[i:],
    lambda t, i: t[:i] + "'" + t[i:],
    lambda t, i: t[:i] + "&a " + t[i:],
    lambda t, i: t[:i] + "*a" + t[i:],
    lambda t, i: t[:i] + "null" + t[i:],
    lambda t, i: t[:i] + "- " + t[i:],
    lambda t, i: t[:i] + "{v}" + t[i:],
    lambda t, i: t[:i] + "*" + t[i:],
    lambda t, i: t[:i] + "9" * 4400 + t[i:],  # past Python's int conversion limit
    lambda t, i: t[:i] + "٣" + t[i:],  # a digit that is not ASCII
    lambda t, i: t[:i] + "\t" + t[i:],
]


@SETTINGS
@given(
    example=st.sampled_from(EXAMPLE_TEXTS),
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(1, 6),
)
def test_mutated_schemas_never_crash(tmp_path: Path, example: str, seed: int, count: int) -> None:
    rng = random.Random(seed)
    text = example
    for _ in range(count):
        position = rng.randrange(len(text)) if text else 0
        text = rng.choice(_MUTATIONS)(text, position) if text else text
    _validate_text(tmp_path, "mutated.yaml", text.encode())


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=200) | st.sampled_from([b"", b"\xff", b"name: [", b"a: *x"]))
def test_the_cli_exits_1_or_0_and_never_raises(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.yaml"
        path.write_bytes(data)
        result = run_cli("validate", str(path), "--config", str(REPO / "pyproject.toml"))
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.err


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "stream_category",
                    "columns",
                    "output_column",
                    "meta",
                    "data",
                    "json",
                    "path",
                    "type",
                    "transform",
                    "unfold",
                    "derive",
                    "value",
                    "format",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@SETTINGS
@given(document=json_values)
def test_arbitrary_json_documents_never_crash(tmp_path: Path, document: object) -> None:
    _validate_text(tmp_path, "doc.json", json.dumps(document).encode())


# -- case round trip ---------------------------------------------------------------------------


@SETTINGS
@given(case=typed_case_maps(), dialect=st.sampled_from(["clickhouse", "duckdb"]))
def test_case_renders_and_decompiles_exactly(case: tuple[str, str, CaseMap], dialect: str) -> None:
    _, _, mapping = case
    sql = render_case(mapping, dialect)
    back = decompile_case(sql, dialect)
    assert back is not None, sql
    assert [(a.when, a.then) for a in back.arms] == [(a.when, a.then) for a in mapping.arms]
    assert (back.has_else, back.otherwise) == (mapping.has_else, mapping.otherwise)
    assert render_case(back, dialect) == sql


@SETTINGS
@given(case=typed_case_maps())
def test_rendered_case_parses_as_one_sql_case_with_the_same_literals(
    case: tuple[str, str, CaseMap],
) -> None:
    import sqlglot
    from sqlglot import exp

    _, _, mapping = case
    sql = render_case(mapping, "clickhouse").replace("{v}", "_v_", 1)
    parsed = sqlglot.parse(sql, read="clickhouse")
    assert len(parsed) == 1 and isinstance(parsed[0], exp.Case)
    ifs = parsed[0].args["ifs"]
    assert len(ifs) == len(mapping.arms)
    for arm, branch in zip(mapping.arms, ifs, strict=True):
        for value, node in ((arm.when, branch.this), (arm.then, branch.args["true"])):
            if isinstance(value, str):
                assert isinstance(node, exp.Literal) and node.is_string and node.this == value


def test_decompile_leaves_other_sql_alone() -> None:
    for sql in [
        "CASE WHEN {v} THEN 'sell' ELSE 'buy' END",
        "CASE {v} WHEN 'a' THEN 'b' END || 'x'",
        "CASE {v}  WHEN 'a' THEN 'b' END",
        "CASE {v} WHEN 'a' THEN 'b' WHEN 'a' THEN 'c' END",
        "toString({v})",
    ]:
        assert decompile_case(sql) is None


def test_loader_positions_survive_round_trip_of_examples() -> None:
    for text in EXAMPLE_TEXTS:
        root, problems = load_text("x.yaml", text)
        assert root is not None and problems == []

"""`schemac test [PATHS] [--update] [--engine ...]`: every schema's golden-row cases."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from schemac.cli.commands.common import add_config_option
from schemac.cli.run import add_engine_option, engine_or_stop
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from schemac.core.ir import Schema
    from schemac.run.engines import Engine
    from schemac.run.golden import CaseResult


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", help="schema files or folders (default: the configured schema paths)"
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="write the rows each case produces now as its golden rows (review the change)",
    )
    add_engine_option(parser)
    add_config_option(parser)


def run(args: argparse.Namespace) -> int:
    """Exit 0 when every case passes, 1 on a mismatch or a broken schema, 2 on usage errors."""
    from schemac.cli.commands.common import error, load_config_or_report, print_findings
    from schemac.cli.run import Stop
    from schemac.diagnostics import Severity
    from schemac.project import PathNotFound, check_project, load_project
    from schemac.run.golden import GoldenProblem, test_file_of

    config = load_config_or_report(args.config, summary=False)
    if config is None:
        return EXIT_USAGE
    try:
        project = load_project(args.paths or None, config)
        engine = engine_or_stop(args.engine)
    except PathNotFound as missing:
        error(f"no such file or directory: {missing}")
        return EXIT_USAGE
    except Stop as stop:
        return stop.code
    errors = [d for d in check_project(project) if d.severity is Severity.ERROR]
    if errors:
        print_findings(errors, len(project.files), None, stream=sys.stderr)
        return EXIT_FINDINGS
    passed = failed = 0
    for schema in project.schemas:
        path = test_file_of(schema.source or "")
        if path is None:
            continue
        try:
            results = _run_file(schema, path, engine, args.update)
        except GoldenProblem as problem:
            error(str(problem))
            failed += 1
            continue
        for result in results:
            passed, failed = passed + result.passed, failed + (not result.passed)
            _print_result(path, result)
    if passed + failed == 0:
        print("schemac: no golden-row tests found (add NAME.test.yaml beside NAME.yaml)")
        return EXIT_OK
    print(f"{passed} passed, {failed} failed")
    return EXIT_FINDINGS if failed else EXIT_OK


def _run_file(schema: Schema, path: str, engine: Engine, update: bool) -> list[CaseResult]:
    from dataclasses import replace

    from schemac.run.golden import GoldenProblem, compare, golden_rows, read_cases, write_rows
    from schemac.run.inputs import inline_batch

    cases = read_cases(path)
    sql = engine.render(schema)
    results = []
    for case in cases:
        if case.exchange not in schema.exchanges:
            raise GoldenProblem(
                f"{path}: case `{case.name}`: the schema does not map `{case.exchange}`"
            )
        batch = inline_batch(case.messages, case.exchange)
        got: list[dict[str, Any]] = engine.rows(sql, batch).to_pylist()
        results.append(compare(case, got))
    if update:
        write_rows(path, [result.got for result in results])
        print(f"updated {path}: {len(results)} cases")
        return [compare(replace(r.case, rows=golden_rows(r.got)), r.got) for r in results]
    return results


def _print_result(path: str, result: CaseResult) -> None:
    if result.passed:
        print(f"{path}: {result.case.name}: ok")
        return
    print(f"{path}: {result.case.name}: FAILED")
    for line in result.differences:
        print(f"  {line}")

"""The commands that run a schema: `sql`, `preview`, `test`, `run`.

What they share lives here: loading one schema as `validate` would (its errors stop the
command, printed as `validate` prints them, exit 1), opening an engine (a missing extra is one
line and exit 2), and turning `--input`/`--exchange` into sources.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from schemac.cli.commands.common import add_config_option, error
from schemac.vocabulary import EXIT_FINDINGS, EXIT_USAGE

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.core.ir import Schema
    from schemac.diagnostics import Diagnostic
    from schemac.run.engines import Engine
    from schemac.run.inputs import Source


class Stop(Exception):
    """End the command with ``code`` (the reason has been printed)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def add_schema_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("schema", help="a schema file (YAML authoring or wire JSON)")
    add_config_option(parser)


def add_engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=["clickhouse", "duckdb"],
        default="clickhouse",
        help="embedded ClickHouse (chDB, the vendor's engine; default) or DuckDB",
    )


def add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--input",
        nargs="+",
        metavar="FILE",
        help="JSON Lines of bare messages, or the vendor's raw exports (.csv.gz); globs allowed "
        "(default: the bundled fixtures of every exchange of the schema)",
    )
    parser.add_argument(
        "--exchange",
        help="the exchange the input's messages come from (default: from the vendor's file name)",
    )


def load_schema(path: str, config_path: str | None) -> tuple[Schema, Config]:
    """The one schema of ``path``, checked as `validate` checks it; Stop on any error."""
    from schemac.cli.commands.common import load_config_or_report, print_findings
    from schemac.diagnostics import Severity
    from schemac.project import PathNotFound, check_project, load_project

    config = load_config_or_report(config_path, summary=False)
    if config is None:
        raise Stop(EXIT_USAGE)
    try:
        project = load_project([path], config)
    except PathNotFound as missing:
        error(f"no such file or directory: {missing}")
        raise Stop(EXIT_USAGE) from None
    found = check_project(project)
    errors = [d for d in found if d.severity is Severity.ERROR]
    if errors or len(project.schemas) != 1:
        print_findings(errors, len(project.files), None, stream=sys.stderr)
        if not errors:
            error(f"{path}: expected one schema file")
        raise Stop(EXIT_FINDINGS)
    return project.schemas[0], config


def engine_or_stop(name: str) -> Engine:
    from schemac.run.engines import EngineMissing, open_engine

    try:
        return open_engine(name)
    except EngineMissing as missing:
        error(str(missing))
        raise Stop(EXIT_USAGE) from None


def sources_or_stop(schema: Schema, inputs: list[str] | None, exchange: str | None) -> list[Source]:
    from schemac.run.inputs import InputProblem, file_sources, fixture_sources

    if exchange is not None and exchange not in schema.exchanges:
        error(
            f"the schema does not map exchange `{exchange}` (it maps {', '.join(schema.exchanges)})"
        )
        raise Stop(EXIT_USAGE)
    if not inputs:
        found = fixture_sources([exchange] if exchange else schema.exchanges, schema.category)
        if not found:
            error(f"no bundled fixture for category `{schema.category}` of these exchanges")
            raise Stop(EXIT_USAGE)
        return found
    try:
        sources = file_sources(inputs, exchange, schema.exchanges)
    except InputProblem as problem:
        error(str(problem))
        raise Stop(EXIT_USAGE) from None
    unmapped = sorted({s.exchange for s in sources} - set(schema.exchanges))
    if unmapped:
        error(f"the schema does not map exchange `{unmapped[0]}` (from {sources[0].path})")
        raise Stop(EXIT_USAGE)
    return sources


def report_bad_lines(stats: object) -> None:
    """Each line that was not JSON (the first ones), and how many there were, on stderr."""
    from schemac.run.execute import RunStats

    assert isinstance(stats, RunStats)
    for bad in stats.bad_lines:
        print(f"{bad.path}:{bad.line}: warning: not a JSON message (skipped)", file=sys.stderr)
    if stats.bad_count > len(stats.bad_lines):
        more = stats.bad_count - len(stats.bad_lines)
        print(f"schemac: warning: {more} more lines were not JSON", file=sys.stderr)


def report_portability(schema: Schema, config: Config) -> list[Diagnostic]:
    """The portability findings (SC801) of ``schema``, printed on stderr; returned."""
    from schemac.checks import PORTABILITY_CHECK_MODULES, all_checks
    from schemac.cli.commands.common import print_findings
    from schemac.config import rules_turned_off
    from schemac.project import apply_overrides

    off = rules_turned_off(config)
    found = [
        finding
        for each in all_checks(PORTABILITY_CHECK_MODULES)
        if not each.codes <= off
        for finding in each.function(schema, config)
    ]
    found = apply_overrides(found, config, off)
    if found:
        print_findings(found, 1, None, stream=sys.stderr, summary=False)
    return found


def prepare(args: argparse.Namespace) -> tuple[Schema, list[Source], Engine]:
    """The schema (checked), its input sources and the engine of a running command; Stop on
    anything that keeps it from running. For DuckDB, the portability findings are printed."""
    schema, config = load_schema(args.schema, args.config)
    sources = sources_or_stop(schema, args.input, args.exchange)
    engine = engine_or_stop(args.engine)
    if engine.name == "duckdb":
        report_portability(schema, config)
    return schema, sources, engine


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """The schema, its inputs and the engine: what `preview` and `run` both take."""
    add_schema_argument(parser)
    add_input_options(parser)
    add_engine_option(parser)

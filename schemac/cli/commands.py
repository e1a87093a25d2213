"""The commands behind the CLI: each takes plain arguments, prints, and returns an exit code."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from schemac.config import Config, ConfigError, load_config
from schemac.diagnostics import Diagnostic, Severity
from schemac.fileio import WriteRefused, save_text

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _load_config_or_report(config_path: str | None, color: bool | None) -> Config | None:
    try:
        return load_config(config_path)
    except ConfigError as error:
        _print_text(error.diagnostics, files=1, color=color, stream=sys.stderr)
        return None


def _print_text(
    diagnostics: list[Diagnostic],
    files: int,
    color: bool | None,
    stream: object = None,
    summary: bool = True,
) -> None:
    from schemac.render.report import render_text, use_color

    stream = stream or sys.stdout
    text = render_text(diagnostics, files, color=use_color(stream, color), summary=summary)
    stream.write(text)  # type: ignore[attr-defined]


def validate(
    paths: list[str],
    *,
    output_format: str = "text",
    config_path: str | None = None,
    strict: bool = False,
    color: bool | None = None,
    quiet: bool = False,
) -> int:
    from schemac.project import PathNotFound, check_project, load_project

    config = _load_config_or_report(config_path, color)
    if config is None:
        return EXIT_USAGE
    try:
        project = load_project(paths or None, config)
    except PathNotFound as missing:
        print(f"schemac: error: no such file or directory: {missing}", file=sys.stderr)
        return EXIT_USAGE
    diagnostics = check_project(project)
    files = len(project.files)
    if not project.files:  # a misconfigured hook would otherwise pass forever on nothing
        where = ", ".join(paths) if paths else ", ".join(config.paths)
        print(f"schemac: warning: no schema files found in {where}", file=sys.stderr)
    if output_format == "text":
        _print_text(diagnostics, files, color, summary=not quiet)
    else:
        from schemac.render.report import RENDERERS

        sys.stdout.write(RENDERERS[output_format](diagnostics, files))
    if any(d.code == "SC901" for d in diagnostics):  # a configuration problem: exit 2
        return EXIT_USAGE
    return exit_code(diagnostics, strict)


def exit_code(diagnostics: list[Diagnostic], strict: bool) -> int:
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return EXIT_FINDINGS if any(d.severity in failing for d in diagnostics) else EXIT_OK


def compile_file(
    path: str,
    *,
    output: str | None = None,
    force: bool = False,
    config_path: str | None = None,
    color: bool | None = None,
) -> int:
    from schemac.project import PathNotFound, check_project, load_project
    from schemac.render.wire import dumps, to_wire, wire_schema_errors

    config = _load_config_or_report(config_path, color)
    if config is None:
        return EXIT_USAGE
    if os.path.isdir(path):
        print(
            f"schemac: error: compile takes one schema file, not a folder: {path}", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        project = load_project([path], config)
    except PathNotFound as missing:
        print(f"schemac: error: no such file or directory: {missing}", file=sys.stderr)
        return EXIT_USAGE
    diagnostics = check_project(project)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if diagnostics:
        _print_text(diagnostics, 1, color, stream=sys.stderr, summary=bool(errors))
    if errors or not project.schemas:
        if not errors:
            print(f"schemac: error: {path} holds no schema", file=sys.stderr)
        return EXIT_FINDINGS
    body = to_wire(project.schemas[0])
    problems = wire_schema_errors(body)
    if problems:  # a compiler bug: never hand the API a body that breaks its documented shape
        print(
            "schemac: internal error: the compiled body breaks the wire JSON Schema:",
            file=sys.stderr,
        )
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_FINDINGS
    text = dumps(body)
    if output is None or output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    return write_file_safely(Path(output), text, force=force)


def write_file_safely(target: Path, text: str, *, force: bool) -> int:
    """save_text for commands: the exit code, with the reason on stderr."""
    try:
        save_text(target, text, force=force)
    except WriteRefused as refused:
        print(f"schemac: error: {refused}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def explain(code: str) -> int:
    from schemac.rules import all_rules, find_rule

    rule = find_rule(code)
    if rule is None:
        from schemac.diagnostics import did_you_mean

        rules = all_rules()
        suggestion = did_you_mean(code.upper(), list(rules)) or did_you_mean(
            code.lower(), [r.name for r in rules.values()]
        )
        hint = f" (did you mean {suggestion}?)" if suggestion else ""
        print(f"schemac: error: no rule {code}{hint}; `schemac rules` lists them", file=sys.stderr)
        return EXIT_USAGE
    print(explain_text(rule))
    return EXIT_OK


def explain_text(rule: object) -> str:
    from schemac.rules import Rule

    assert isinstance(rule, Rule)
    lines = [
        f"{rule.code} {rule.name} (default severity: {rule.severity.value})",
        "",
        rule.summary,
        "",
        *_wrap(rule.explain),
    ]
    if rule.before:  # a breaking rule: bad and good are two versions after this one
        lines += ["", f"Before ({rule.bad_format}):", "", *_indent(rule.before)]
    if rule.bad:
        lines += ["", f"Bad ({rule.bad_format}):", "", *_indent(rule.bad)]
    if rule.good:
        lines += ["", f"Good ({rule.bad_format}):", "", *_indent(rule.good)]
    lines += [
        "",
        "Change its severity or turn it off in schemac.toml or [tool.schemac]:",
        f'  severity = {{ {rule.code} = "{"off" if rule.before else "warning"}" }}    '
        f'ignore = ["{rule.name}"]',
    ]
    return "\n".join(lines)


def _wrap(text: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=92)


def _indent(snippet: str) -> list[str]:
    lines = snippet.rstrip("\n").splitlines()
    if len(lines) > 24:
        lines = [*lines[:20], f"... ({len(lines) - 20} more lines)"]
    return ["    " + line for line in lines]


def list_rules(output_format: str = "text") -> int:
    from schemac.rules import all_rules

    rules = list(all_rules().values())
    if output_format == "json":
        rows = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "summary": r.summary}
            for r in rules
        ]
        print(json.dumps(rows, indent=2))
    elif output_format == "markdown":
        print(rules_markdown())
    else:
        width = max(len(r.name) for r in rules)
        for r in rules:
            print(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}")
    return EXIT_OK


def rules_markdown() -> str:
    """The rule table of the README (a test keeps the README equal to this)."""
    from schemac.rules import all_rules

    lines = ["| code | name | severity | what it finds |", "|---|---|---|---|"]
    for r in all_rules().values():
        lines.append(f"| {r.code} | `{r.name}` | {r.severity.value} | {r.summary} |")
    return "\n".join(lines)


def json_schema(*, wire: bool = False) -> int:
    from importlib import resources

    name = "wire.schema.json" if wire else "authoring.schema.json"
    sys.stdout.write(resources.files("schemac").joinpath(f"data/{name}").read_text("utf-8"))
    return EXIT_OK

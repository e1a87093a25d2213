"""`schemac validate [PATH...]`: every finding of a project, in the chosen format."""

from __future__ import annotations

import sys

from schemac.cli.commands.common import error, exit_code, load_config_or_report, print_findings
from schemac.vocabulary import EXIT_USAGE


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

    config = load_config_or_report(config_path, color)
    if config is None:
        return EXIT_USAGE
    try:
        project = load_project(paths or None, config)
    except PathNotFound as missing:
        error(f"no such file or directory: {missing}")
        return EXIT_USAGE
    diagnostics = check_project(project)
    files = len(project.files)
    if not project.files:  # a misconfigured hook would otherwise pass forever on nothing
        where = ", ".join(paths) if paths else ", ".join(config.paths)
        print(f"schemac: warning: no schema files found in {where}", file=sys.stderr)
    if output_format == "text":
        print_findings(diagnostics, files, color, summary=not quiet)
    else:
        from schemac.render import renderer

        sys.stdout.write(renderer(output_format)(diagnostics, files))
    return exit_code(diagnostics, strict)

"""`schemac validate [PATH...]`: every finding of a project, in the chosen format."""

from __future__ import annotations

import sys

from schemac.cli.commands.common import error, exit_code, load_config_or_report
from schemac.vocabulary import EXIT_USAGE


def validate(
    paths: list[str],
    *,
    output_format: str = "text",
    config_path: str | None = None,
    strict: bool = False,
    color: bool | None = None,
    quiet: bool = False,
    max_findings: int | None = None,
) -> int:
    """``max_findings``: per file, in text output (None: the configuration's; 0: all)."""
    from schemac.fileio import printable
    from schemac.project import PathNotFound, check_project, load_project

    if max_findings is not None and max_findings < 0:
        error("--max-findings must be 0 (show all) or more")
        return EXIT_USAGE
    config = load_config_or_report(config_path, color)
    if config is None:
        return EXIT_USAGE
    try:
        project = load_project(paths or None, config, syncs=True)
    except PathNotFound as missing:
        error(missing.message)
        return EXIT_USAGE
    diagnostics = check_project(project)
    files = len(project.files) + len(project.sync_files)
    if not files:  # a misconfigured hook would otherwise pass forever on nothing
        where = printable(", ".join(paths) if paths else ", ".join(config.paths))
        print(f"schemac: warning: no schema files found in {where}", file=sys.stderr)
    if output_format == "text":
        from schemac.render.text import render_text, use_color

        cap = config.max_findings if max_findings is None else max_findings
        colored = use_color(sys.stdout, color)
        text = render_text(diagnostics, files, color=colored, summary=not quiet, max_per_file=cap)
        sys.stdout.write(text)
    else:
        from schemac.render import renderer

        sys.stdout.write(renderer(output_format)(diagnostics, files))
    return exit_code(diagnostics, strict)

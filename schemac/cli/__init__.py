"""The command line: parse arguments and hand plain values to a command.

Each command is a function in ``schemac.cli.commands.<name>`` that calls the library, prints, and
returns an exit code (``schemac.vocabulary.EXIT_*``); it is imported only when it runs. To add a
command: a module there, a subparser in :func:`build_parser`, a row in ``HANDLERS``.
Nothing here knows about YAML, SQL or HTTP. Subcommands that own a larger surface (the sandbox,
the exchange catalog) contribute their own argument set through ``configure(parser)`` and
``run(args) -> int`` in their package, imported only when that subcommand runs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from schemac.cli.commands.common import add_config_option
from schemac.vocabulary import EXIT_OK, EXIT_USAGE

# Subcommands whose arguments and behaviour live in their own module, which provides
# configure(parser) and run(args). Imported only when requested.
DELEGATED_COMMANDS: dict[str, tuple[str, str]] = {
    "sandbox": ("schemac.cli.sandbox", "run a local stand-in of the Ticksupply export-schema API"),
    "catalog": ("schemac.cli.catalog", "the exchange catalog: list, show and learn message shapes"),
    "status": ("schemac.cli.remote.status", "local vs remote for every schema"),
    "plan": ("schemac.cli.remote.plan", "what publish would do, column by column"),
    "publish": ("schemac.cli.remote.publish", "create or draft -> verify -> publish schemas"),
    "pull": ("schemac.cli.remote.pull", "remote schemas -> YAML authoring files"),
    "import": ("schemac.cli.remote.importing", "a wire JSON schema -> a YAML authoring file"),
    "diff": ("schemac.cli.remote.diff", "breaking-change check against a git revision"),
    "inspect": (
        "schemac.cli.inspect",
        "per column: paths, types, transforms and the inferred output type",
    ),
}


def _terminal_columns() -> int:
    """shutil.get_terminal_size().columns, without importing shutil (and zlib, bz2, lzma)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized as argparse sizes it but without its lazy shutil import,
    which every `add_argument` would otherwise trigger at startup."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_columns() - 2)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose subparsers (argparse makes them of the same class) use
    :class:`_HelpFormatter`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


def _delegate(module_name: str) -> tuple[Callable[..., None], Callable[..., int]]:
    module = importlib.import_module(module_name)
    return module.configure, module.run


def _add_format(parser: argparse.ArgumentParser) -> None:
    from schemac.render import FORMATS

    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format (default: text)",
    )


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The argument parser. A delegated subcommand's own arguments are added only when ``argv``
    names it, so that `schemac validate` never imports the sandbox or the catalog."""
    from schemac import __version__

    parser = _Parser(
        prog="schemac",
        description="Ticksupply export schemas as code: validate, compile, explain.",
    )
    parser.add_argument("--version", action="version", version=f"schemac {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = sub.add_parser("validate", help="check schema files offline, with file:line:col")
    validate.add_argument(
        "paths", nargs="*", help="files or folders (default: the configured schema paths)"
    )
    _add_format(validate)
    add_config_option(validate)
    validate.add_argument(
        "--strict", action="store_true", help="exit 1 on warnings as well as errors"
    )
    validate.add_argument("--no-color", action="store_true", help="never colour text output")
    validate.add_argument(
        "--quiet", "-q", action="store_true", help="text output: print findings, no summary"
    )

    compile_ = sub.add_parser("compile", help="render the JSON body the API takes")
    compile_.add_argument("path", help="a schema file (YAML authoring or wire JSON)")
    compile_.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    compile_.add_argument(
        "--force", action="store_true", help="overwrite FILE when it exists with other content"
    )
    add_config_option(compile_)
    compile_.add_argument("--no-color", action="store_true", help="never colour diagnostics")

    _add_authoring_commands(sub)

    explain = sub.add_parser("explain", help="what a rule means, with a bad and a good example")
    explain.add_argument("code", help="a rule code (SC102) or name (unknown-key)")

    rules = sub.add_parser("rules", help="list every rule: code, name, default severity")
    rules.add_argument("--format", choices=["text", "json", "markdown"], default="text")

    json_schema = sub.add_parser("json-schema", help="print a JSON Schema (for editors)")
    json_schema.add_argument(
        "--wire", action="store_true", help="the API's wire format instead of the authoring format"
    )

    for name, (module, help_text) in DELEGATED_COMMANDS.items():
        delegated = sub.add_parser(name, help=help_text)
        delegated.set_defaults(_delegate=module)
        if name in argv[:1]:
            _delegate(module)[0](delegated)
    return parser


def _add_authoring_commands(sub: Any) -> None:
    """`fmt` and `new`: write YAML authoring files."""
    fmt = sub.add_parser("fmt", help="rewrite YAML schema files in the canonical layout")
    fmt.add_argument(
        "paths", nargs="*", help="files or folders (default: the configured schema paths)"
    )
    fmt.add_argument(
        "--check", action="store_true", help="write nothing; print a diff, exit 1 on a change"
    )
    fmt.add_argument("--diff", action="store_true", help="write nothing; print a diff")
    add_config_option(fmt)
    fmt.add_argument("--no-color", action="store_true", help="never colour findings")
    fmt.add_argument("--quiet", "-q", action="store_true", help="print only diffs and findings")

    new = sub.add_parser("new", help="write a schema for a category and exchanges from the catalog")
    new.add_argument("name", help="the schema's name; the file is NAME.yaml")
    new.add_argument(
        "--category", required=True, help="the stream category (trade, orderbook, ...)"
    )
    new.add_argument(
        "--exchanges",
        required=True,
        metavar="A,B*",
        help="exchange codes or globs, comma-separated",
    )
    new.add_argument(
        "--out", metavar="FOLDER", help="where to write (default: the first configured path)"
    )
    new.add_argument("--force", action="store_true", help="overwrite NAME.yaml if it exists")
    add_config_option(new)


def _run_fmt(args: argparse.Namespace) -> int:
    from schemac.cli.commands.fmt import fmt

    return fmt(
        args.paths,
        check=args.check,
        diff=args.diff,
        config_path=args.config,
        color=False if args.no_color else None,
        quiet=args.quiet,
    )


def _run_new(args: argparse.Namespace) -> int:
    from schemac.cli.commands.new import new

    return new(
        args.name,
        category=args.category,
        exchanges=args.exchanges,
        out=args.out,
        force=args.force,
        config_path=args.config,
    )


def _run_validate(args: argparse.Namespace) -> int:
    from schemac.cli.commands.validate import validate

    return validate(
        args.paths,
        output_format=args.format,
        config_path=args.config,
        strict=args.strict,
        color=False if args.no_color else None,
        quiet=args.quiet,
    )


def _run_compile(args: argparse.Namespace) -> int:
    from schemac.cli.commands.compile import compile_file

    return compile_file(
        args.path,
        output=args.output,
        force=args.force,
        config_path=args.config,
        color=False if args.no_color else None,
    )


def _run_explain(args: argparse.Namespace) -> int:
    from schemac.cli.commands.explain import explain

    return explain(args.code)


def _run_rules(args: argparse.Namespace) -> int:
    from schemac.cli.commands.rules import list_rules

    return list_rules(args.format)


def _run_json_schema(args: argparse.Namespace) -> int:
    from schemac.cli.commands.json_schema import json_schema

    return json_schema(wire=args.wire)


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "validate": _run_validate,
    "compile": _run_compile,
    "fmt": _run_fmt,
    "new": _run_new,
    "explain": _run_explain,
    "rules": _run_rules,
    "json-schema": _run_json_schema,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        delegate = getattr(args, "_delegate", None)
        if delegate is not None:
            return int(_delegate(delegate)[1](args))
        return HANDLERS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `schemac compile x | head` closes stdout early; that is not an error of ours.
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

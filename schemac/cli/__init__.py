"""The command line: parse arguments and hand plain values to a command.

Each command is a function in ``schemac.cli.commands.<name>`` that calls the library, prints, and
returns an exit code (``schemac.vocabulary.EXIT_*``); it is imported only when it runs. To add a
command: its place in ``COMMAND_ORDER`` (and a row at the same place in the README's command
table: a test holds them equal), then either a module there with its arguments in
``BUILTIN_PARSERS`` and a row in ``HANDLERS``, or a module with ``configure(parser)`` and
``run(args) -> int`` and a row in ``DELEGATED_COMMANDS`` (imported only when that command runs,
so that `schemac validate` never imports the sandbox or the catalog). Nothing here knows about
YAML, SQL or HTTP. Options several commands share are in :mod:`schemac.cli.commands.common`
(``--config``; ``-q/--quiet`` and ``--no-color`` for every command that prints findings).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from schemac.cli.commands.common import add_config_option, add_findings_options
from schemac.vocabulary import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE

# The order of the commands in `schemac --help`: the order of the README's command table (a test
# holds them equal). A command registered below but missing here is listed after these.
COMMAND_ORDER: tuple[str, ...] = (
    "validate",
    "compile",
    "inspect",
    "explain",
    "rules",
    "json-schema",
    "catalog",
    "fmt",
    "new",
    "lsp",
    "preview",
    "sql",
    "test",
    "run",
    "status",
    "plan",
    "publish",
    "pull",
    "import",
    "diff",
    "delete",
    "datastreams",
    "subscribe",
    "subscriptions",
    "export",
    "sync",
    "sandbox",
)

# Subcommands whose arguments and behaviour live in their own module, which provides
# configure(parser) and run(args). Imported only when requested.
DELEGATED_COMMANDS: dict[str, tuple[str, str]] = {
    "fmt": ("schemac.cli.commands.fmt", "rewrite YAML schema files in the canonical layout"),
    "new": ("schemac.cli.commands.new", "a schema for a category and exchanges, from the catalog"),
    "sandbox": ("schemac.cli.sandbox", "run a local stand-in of the Ticksupply API"),
    "catalog": ("schemac.cli.catalog", "the exchange catalog: list, show and learn message shapes"),
    "status": ("schemac.cli.remote.status", "local vs remote for every schema"),
    "plan": ("schemac.cli.remote.plan", "what publish would do, column by column"),
    "publish": ("schemac.cli.remote.publish", "create or draft -> verify -> publish schemas"),
    "pull": ("schemac.cli.remote.pull", "remote schemas -> YAML authoring files"),
    "import": ("schemac.cli.remote.importing", "a wire JSON schema -> a YAML authoring file"),
    "diff": ("schemac.cli.remote.diff", "breaking-change check against a git revision"),
    "delete": ("schemac.cli.remote.delete", "remove schemas from the account (idempotent)"),
    "datastreams": ("schemac.cli.remote.datastreams", "the API's datastreams: what to export"),
    "subscribe": (
        "schemac.cli.remote.subscribe",
        "subscribe to datastreams (exports cover only subscribed spans)",
    ),
    "subscriptions": ("schemac.cli.remote.subscriptions", "the account's subscriptions"),
    "export": (
        "schemac.cli.remote.export",
        "export a datastream with a schema, wait, download every file",
    ),
    "sync": ("schemac.cli.remote.sync", "keep exported data on disk up to date (sync specs)"),
    "inspect": (
        "schemac.cli.inspect",
        "per column: paths, types, transforms and the inferred output type",
    ),
    "sql": ("schemac.cli.run.sql", "the SELECT that turns raw messages into a schema's rows"),
    "preview": ("schemac.cli.run.preview", "a schema's rows over fixtures or raw messages"),
    "test": ("schemac.cli.run.golden", "every schema's golden-row tests (NAME.test.yaml)"),
    "run": ("schemac.cli.run.execute", "a schema over raw messages of any size, into a file"),
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

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        # A text written in lines (an epilog: environment, exit codes) keeps them; a one-line
        # description is filled to the width as usual.
        if "\n" in text:
            return "".join(indent + line + "\n" for line in text.splitlines())
        return super()._fill_text(text, width, indent)


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
        help="findings as text, json, github (workflow commands) or sarif (default: text)",
    )


def command_names() -> list[str]:
    """Every command, in the order of ``COMMAND_ORDER`` (then any it does not list)."""
    registered = [*BUILTIN_PARSERS, *DELEGATED_COMMANDS]
    return [n for n in COMMAND_ORDER if n in registered] + [
        n for n in registered if n not in COMMAND_ORDER
    ]


def _configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", help="files or folders (default: the configured schema paths)"
    )
    _add_format(parser)
    add_config_option(parser)
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 on warnings as well as errors"
    )
    add_findings_options(parser, "text output: print findings, no summary")
    parser.add_argument(
        "--max-findings",
        type=int,
        metavar="N",
        help="text output: at most N findings a file, then a line for the rest "
        "(default: `max_findings` of the configuration, 200; 0: all)",
    )


def _configure_compile(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a schema file (YAML authoring or wire JSON)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument(
        "--force", action="store_true", help="overwrite FILE when it exists with other content"
    )
    add_config_option(parser)
    add_findings_options(parser)


def _configure_explain(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", help="a rule code (SC102) or name (unknown-key)")


def _configure_rules(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["text", "json", "markdown"],
        default="text",
        help="the rule table as text, JSON or a markdown table (default: text)",
    )


def _configure_json_schema(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--wire", action="store_true", help="the API's wire format instead of the authoring format"
    )
    which.add_argument("--sync", action="store_true", help="sync spec files (syncs/*.yaml)")


def _configure_lsp(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Speak the Language Server Protocol on stdin/stdout until the editor that "
        "started it says exit: findings as you type, hover, completion and quick fixes for the "
        "schema files of the workspace (the configuration's paths)."
    )


# Commands whose arguments are declared here (they are on the fast `validate` path).
BUILTIN_PARSERS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "validate": ("check schema files offline, with file:line:col", _configure_validate),
    "compile": ("render the JSON body the API takes", _configure_compile),
    "explain": ("what a rule means, with a bad and a good example", _configure_explain),
    "rules": ("list every rule: code, name, default severity", _configure_rules),
    "json-schema": ("print a JSON Schema (for editors)", _configure_json_schema),
    "lsp": ("a Language Server on stdio, for editors (docs/editor.md)", _configure_lsp),
}


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

    for name in command_names():
        if name in BUILTIN_PARSERS:
            help_text, configure = BUILTIN_PARSERS[name]
            configure(sub.add_parser(name, help=help_text))
            continue
        module, help_text = DELEGATED_COMMANDS[name]
        delegated = sub.add_parser(name, help=help_text)
        delegated.set_defaults(_delegate=module)
        if name in argv[:1]:
            _delegate(module)[0](delegated)
    return parser


def _run_validate(args: argparse.Namespace) -> int:
    from schemac.cli.commands.validate import validate

    return validate(
        args.paths,
        output_format=args.format,
        config_path=args.config,
        strict=args.strict,
        color=False if args.no_color else None,
        quiet=args.quiet,
        max_findings=args.max_findings,
    )


def _run_compile(args: argparse.Namespace) -> int:
    from schemac.cli.commands.compile import compile_file

    return compile_file(
        args.path,
        output=args.output,
        force=args.force,
        config_path=args.config,
        color=False if args.no_color else None,
        quiet=args.quiet,
    )


def _run_explain(args: argparse.Namespace) -> int:
    from schemac.cli.commands.explain import explain

    return explain(args.code)


def _run_rules(args: argparse.Namespace) -> int:
    from schemac.cli.commands.rules import list_rules

    return list_rules(args.format)


def _run_json_schema(args: argparse.Namespace) -> int:
    from schemac.cli.commands.json_schema import json_schema

    return json_schema(wire=args.wire, sync=args.sync)


def _run_lsp(args: argparse.Namespace) -> int:
    from schemac.cli.commands.lsp import lsp

    return lsp()


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "validate": _run_validate,
    "compile": _run_compile,
    "explain": _run_explain,
    "rules": _run_rules,
    "json-schema": _run_json_schema,
    "lsp": _run_lsp,
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
            code = int(_delegate(delegate)[1](args))
        else:
            code = HANDLERS[args.command](args)
        sys.stdout.flush()  # a write error shows here, not as a traceback at exit
        return code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `schemac compile x | head` closes stdout early; that is not an error of ours.
        _drop_stdout()
        return EXIT_OK
    except OSError as error:  # writing the output failed: a full disk, /dev/full, an I/O error
        _drop_stdout()
        reason = error.strerror or error
        # a write to stdout names no file; any other OSError that got this far names its own
        what = f"{error.filename}" if error.filename else "cannot write the output"
        print(f"schemac: error: {what}: {reason}", file=sys.stderr)
        return EXIT_USAGE


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's flush at exit has nowhere to fail
    (the advice of Python's documentation on SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (a test's capture)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

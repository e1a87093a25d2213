"""``schemac import FILE.json [--dir DIR] [--force]``: a wire JSON schema -> a YAML file,
offline."""

from __future__ import annotations

import argparse

from schemac.cli.commands.common import add_config_option, add_findings_options
from schemac.cli.remote import Console, Stop, epilog, guard, load_config
from schemac.cli.remote.pull import add_target_options, report_writes, target_dir
from schemac.vocabulary import EXIT_FINDINGS, EXIT_USAGE

HELP_EXIT_CODES = [
    "0  the file was written, or already held this content",
    "1  error: FILE.json is not a wire schema, the target holds other content (without "
    "--force) or another schema",
    "2  usage (bad arguments, FILE.json cannot be read)",
]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE.json", help="a wire JSON schema (or API response)")
    add_target_options(parser, "overwrite a file with other content")
    add_findings_options(parser)
    add_config_option(parser)
    epilog(parser, HELP_EXIT_CODES, remote=False)


def _run(args: argparse.Namespace, out: Console) -> int:
    from schemac.fileio import ReadRefused, printable, read_bytes
    from schemac.remote.files import write_schemas
    from schemac.remote.local import compile_text, errors_of

    config = load_config(args, out)
    try:  # a regular file, bounded as every schema file is
        text = read_bytes(args.file, config.max_file_bytes).decode("utf-8-sig")
    except (ReadRefused, UnicodeDecodeError) as error:
        raise Stop(f"cannot read {printable(args.file)}: {error}", EXIT_USAGE) from None
    body, problems = compile_text(text, args.file, config)
    if body is None:
        out.diagnostics(errors_of(problems) or problems, 1, args)
        raise Stop(f"{args.file} is not a wire schema schemac can read", EXIT_FINDINGS)
    results = write_schemas(
        [body], target_dir(args, config), force=args.force, dialect=config.dialect
    )
    return report_writes(results, out)


run = guard(_run)

"""One set of defaults: `schemac sandbox` without options and `start_sandbox()` without
arguments both mean SandboxConfig()."""

from __future__ import annotations

import argparse
import dataclasses
import inspect

from schemac.cli import sandbox as cli_sandbox
from schemac.sandbox.config import DEFAULTS, SandboxConfig
from schemac.sandbox.server import start_sandbox


def test_the_cli_without_options_is_the_default_config() -> None:
    parser = argparse.ArgumentParser()
    cli_sandbox.configure(parser)
    assert cli_sandbox._config_from(parser.parse_args([])) == SandboxConfig() == DEFAULTS


def test_start_sandbox_defaults_are_the_config_defaults() -> None:
    parameters = inspect.signature(start_sandbox).parameters
    fields = [f.name for f in dataclasses.fields(SandboxConfig) if f.name != "clock"]
    assert {name: parameters[name].default for name in fields} == {
        name: getattr(DEFAULTS, name) for name in fields
    }

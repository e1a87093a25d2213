"""The catalog, messages and subscription options on the command line and in SandboxConfig."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

from schemac.cli import sandbox as cli
from schemac.sandbox.config import DEFAULTS, SandboxConfig


def test_the_options_reach_the_config(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    cli.configure(parser)
    args = parser.parse_args(
        [
            "--catalog",
            "a.json",
            "--catalog",
            "b.json",
            "--messages",
            str(tmp_path),
            "--message-rate",
            "2.5",
            "--message-seed",
            "9",
            "--backfill",
            "0",
            "--ingestion-delay",
            "5",
        ]
    )
    config = cli._config_from(args)
    assert config.catalog == (Path("a.json"), Path("b.json"))
    assert config.messages == tmp_path
    assert (config.message_rate, config.message_seed) == (2.5, 9)
    assert (config.backfill, config.ingestion_delay) == (0.0, 5.0)
    assert config.exchanges is None  # without --exchange: the catalog's exchanges


def test_the_defaults() -> None:
    assert DEFAULTS.backfill == 3 * 24 * 3600
    assert (DEFAULTS.message_rate, DEFAULTS.message_seed) == (1.0, 0)
    assert (DEFAULTS.catalog, DEFAULTS.messages, DEFAULTS.ingestion_delay) == ((), None, 0.0)


@pytest.mark.parametrize(
    ("config", "words"),
    [
        (SandboxConfig(backfill=-1), "backfill and ingestion delay must be >= 0"),
        (SandboxConfig(ingestion_delay=-1), "backfill and ingestion delay must be >= 0"),
        (SandboxConfig(message_rate=0), "message rate 0 is outside"),
    ],
)
def test_bad_values_are_problems(config: SandboxConfig, words: str) -> None:
    assert any(words in problem for problem in config.problems()), config.problems()


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--message-rate", "-2"], "message rate -2.0 is outside"),
        (["--messages", "/nonexistent/folder"], "is not a directory"),
    ],
)
def test_bad_options_exit_2_with_a_message(arguments: list[str], words: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "schemac", "sandbox", *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=20,
    )
    assert result.returncode == 2 and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr

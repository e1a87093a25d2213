"""Every input is bounded, every output error is a message (issue 13, "Every input is bounded").

What could hang or grow without limit runs in a subprocess, with a timeout and an address-space
limit, so that a regression fails the test instead of the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from schemac import fileio
from schemac.core.loader import load_file
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from tests.helpers import MINIMAL_SCHEMA, REPO, run_cli

TRADES = REPO / "schemas" / "trades.yaml"
MEMORY_LIMIT = 1 << 30  # 1 GiB: far above what schemac needs, far below "read /dev/zero"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def schemac(*args: str, cwd: Path, stdout: int | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m schemac ARGS` with a time and a memory limit; stdout captured unless given."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "schemac", *args],
        cwd=cwd,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        env=environment,
        preexec_fn=_limit_memory,
    )


def one_line_error(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "s.yaml").write_text(MINIMAL_SCHEMA)
    (tmp_path / "schemac.toml").write_text("")
    return tmp_path


# -- reading: regular files only, never more than the limit -----------------------------------


def test_a_fifo_in_the_schemas_folder_is_an_error_not_a_hang(folder: Path) -> None:
    os.mkfifo(folder / "schemas" / "pipe.yaml")
    result = schemac("validate", "schemas", cwd=folder)
    assert result.returncode == EXIT_FINDINGS
    assert "schemas/pipe.yaml:1:1: error[SC006] not a regular file (a FIFO)" in result.stdout


def test_a_fifo_named_on_the_command_line_is_an_error(folder: Path) -> None:
    os.mkfifo(folder / "pipe.yaml")
    result = schemac("validate", "pipe.yaml", cwd=folder)
    assert result.returncode == EXIT_FINDINGS
    assert "pipe.yaml:1:1: error[SC006] not a regular file (a FIFO)" in result.stdout
    compiled = schemac("compile", "pipe.yaml", cwd=folder)
    assert compiled.returncode == EXIT_FINDINGS and "SC006" in compiled.stderr


def test_a_link_to_dev_zero_is_not_read(folder: Path) -> None:
    (folder / "schemas" / "zero.yaml").symlink_to("/dev/zero")
    result = schemac("validate", "schemas", cwd=folder)
    assert result.returncode == EXIT_FINDINGS, result.stderr
    assert "zero.yaml:1:1: error[SC006] not a regular file (a character device)" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_file_over_the_configured_limit_is_a_located_error(folder: Path) -> None:
    (folder / "schemac.toml").write_text("max_file_bytes = 1000\n")
    big = MINIMAL_SCHEMA + "".join(f"  c{i}: {{type: f64, from: data.c{i}}}\n" for i in range(40))
    assert len(big) > 1000
    (folder / "schemas" / "big.yaml").write_text(big)
    result = run_cli("validate", "schemas", cwd=folder)
    assert result.code == EXIT_FINDINGS
    assert "schemas/big.yaml:1:1: error[SC003] the file is larger than 1,000 bytes" in result.out
    assert "`max_file_bytes`" in result.out  # the hint names the setting
    # the same file under the default limit (1 MiB) is read (and checked: its other findings)
    (folder / "schemac.toml").write_text("")
    assert "SC003" not in run_cli("validate", "schemas", cwd=folder).out


def test_the_default_limit_is_one_mebibyte(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("a: " + "x" * (1 << 20) + "\n")
    root, problems = load_file(str(path))
    assert root is None and [d.code for d in problems] == ["SC003"]
    assert "larger than 1 MiB" in problems[0].message


def test_a_bad_limit_in_the_configuration_is_a_configuration_error(folder: Path) -> None:
    (folder / "schemac.toml").write_text("max_file_bytes = 0\n")
    result = run_cli("validate", "schemas", cwd=folder)
    assert result.code == EXIT_USAGE
    assert "`max_file_bytes` must be a positive number of bytes" in result.err


def test_never_more_than_the_limit_plus_one_byte_is_read() -> None:
    reader, writer = os.pipe()
    try:
        os.write(writer, b"x" * 5000)
        data = fileio.read_at_most(reader, 1000)
        assert len(data) == 1001
        os.close(writer)
        writer = -1
        rest = b""
        while chunk := os.read(reader, 65536):
            rest += chunk
        assert len(rest) == 5000 - 1001  # the rest was never taken from the pipe
    finally:
        os.close(reader)
        if writer >= 0:
            os.close(writer)


def test_an_unreadable_subfolder_fails_the_run(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = folder / "schemas" / "private"
    locked.mkdir()
    (locked / "hidden.yaml").write_text("name: [broken\n")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):  # root reads it anyway: make the listing fail as it would
            real_scandir = os.scandir

            def scandir(path: str | os.PathLike[str] = ".") -> object:
                if os.path.basename(os.fspath(path)) == "private":
                    raise PermissionError(13, "Permission denied", os.fspath(path))
                return real_scandir(path)

            monkeypatch.setattr(os, "scandir", scandir)
        result = run_cli("validate", "schemas", cwd=folder)
    finally:
        locked.chmod(0o755)
    assert result.code == EXIT_USAGE
    assert "All clean" not in result.out
    assert (
        result.err == "schemac: error: cannot read the folder schemas/private: Permission denied\n"
    )


# -- writing: bounded compare, devices, full disks, broken pipes ------------------------------


def test_compile_to_dev_full_is_a_clean_error(folder: Path) -> None:
    result = schemac("compile", str(TRADES), "-o", "/dev/full", cwd=folder)
    assert result.returncode == EXIT_USAGE
    error = one_line_error(result.stderr)
    assert error == "schemac: error: cannot write /dev/full: No space left on device"


def test_compile_to_stdout_that_is_dev_full_is_a_clean_error(folder: Path) -> None:
    with open("/dev/full", "w") as full:
        result = schemac("compile", str(TRADES), cwd=folder, stdout=full.fileno())
    assert result.returncode == EXIT_USAGE
    error = one_line_error(result.stderr)
    assert error == "schemac: error: cannot write the output: No space left on device"


def test_compile_to_a_device_writes_through(folder: Path) -> None:
    result = schemac("compile", str(TRADES), "-o", "/dev/stdout", cwd=folder)
    assert result.returncode == EXIT_OK
    assert result.stdout.startswith("{") and '"name": "trades"' in result.stdout
    assert result.stderr == "wrote /dev/stdout\n"
    assert schemac("compile", str(TRADES), "-o", "/dev/null", cwd=folder).returncode == EXIT_OK


def test_compile_into_a_closed_pipe_ends_quietly(folder: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    for extra in ([], ["-o", "/dev/stdout"]):
        process = subprocess.Popen(
            [sys.executable, "-m", "schemac", "compile", str(TRADES), *extra],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            preexec_fn=_limit_memory,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # `| head -c0`: nobody reads
        assert process.wait(timeout=60) == EXIT_OK
        assert process.stderr.read() == b""


def test_compile_to_a_fifo_nobody_reads_is_an_error_not_a_wait(folder: Path) -> None:
    os.mkfifo(folder / "out.json")
    result = schemac("compile", str(TRADES), "-o", "out.json", cwd=folder)
    assert result.returncode == EXIT_USAGE
    assert one_line_error(result.stderr).endswith("out.json: no process reads this FIFO")


def test_an_existing_target_is_compared_without_reading_it_whole(folder: Path) -> None:
    target = folder / "out.json"
    with open(target, "wb") as handle:  # 8 GiB, sparse: reading it whole would not fit
        handle.truncate(8 << 30)
    result = schemac("compile", str(TRADES), "-o", "out.json", cwd=folder)
    assert result.returncode == EXIT_FINDINGS
    assert one_line_error(result.stderr) == (
        "schemac: error: out.json exists with other content; --force overwrites it"
    )
    assert target.stat().st_size == 8 << 30  # kept


def test_file_holds_reads_no_more_than_the_text_and_one_byte(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_text("abc")
    assert fileio.file_holds(target, "abc")
    assert not fileio.file_holds(target, "ab")  # a longer file is not "the same"
    assert not fileio.file_holds(target, "abcd")
    assert not fileio.file_holds(Path("/dev/null"), "")  # a device holds nothing to compare


def test_catalog_learn_from_dev_zero_is_a_clean_error(folder: Path) -> None:
    result = schemac("catalog", "learn", "okx", "trade", "/dev/zero", cwd=folder)
    assert result.returncode == EXIT_USAGE
    assert one_line_error(result.stderr) == (
        "schemac: error: cannot read /dev/zero: not a regular file (a character device); "
        "schemac reads only regular files"
    )


def test_catalog_learn_samples_over_the_limit(folder: Path) -> None:
    (folder / "schemac.toml").write_text("max_sample_bytes = 100\n")
    (folder / "s.jsonl").write_text('{"a": 1}\n' * 20)
    result = run_cli("catalog", "learn", "okx", "trade", "s.jsonl", cwd=folder)
    assert result.code == EXIT_USAGE
    assert result.err == (
        "schemac: error: cannot read s.jsonl: the file is larger than 100 bytes, the limit for "
        "this file (`max_sample_bytes` in the configuration)\n"
    )


def test_catalog_learn_reads_a_pipe(folder: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "schemac", "catalog", "learn", "okx", "trade", "/dev/stdin"],
        cwd=folder,
        input='{"a": 1, "b": "x"}\n',
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == EXIT_OK, result.stderr
    assert result.stdout.startswith("wrote catalog/okx.trade.yaml: okx trade, 2 paths")


def test_catalog_learn_into_dev_full_is_a_clean_error(folder: Path) -> None:
    (folder / "s.jsonl").write_text('{"a": 1}\n')
    result = schemac("catalog", "learn", "okx", "trade", "s.jsonl", "-o", "/dev/full", cwd=folder)
    assert result.returncode == EXIT_USAGE
    assert one_line_error(result.stderr) == (
        "schemac: error: cannot write /dev/full: No space left on device"
    )


def test_a_lone_surrogate_in_samples_is_refused_not_written(folder: Path) -> None:
    (folder / "s.jsonl").write_text('{"a": "\\udc80x"}\n{"a": "\\udc80x"}\n')
    result = run_cli("catalog", "learn", "okx", "trade", "s.jsonl", cwd=folder)
    assert result.code == EXIT_FINDINGS
    assert "lone surrogate (U+DC80)" in result.err
    assert not (folder / "catalog").exists()


# -- one exit code and one line for "target exists with other content" -------------------------


def test_every_writer_keeps_other_content_with_exit_1_and_one_message(folder: Path) -> None:
    from schemac.remote.local import compile_text

    body, _ = compile_text(TRADES.read_text(), "trades.yaml")
    assert body is not None
    (folder / "trades.json").write_text(json.dumps(body))
    (folder / "s.jsonl").write_text('{"a": 1}\n')
    written = {
        "compile": (["compile", str(TRADES), "-o", "out/trades.json"], "out/trades.json"),
        "learn": (["catalog", "learn", "okx", "trade", "s.jsonl"], "catalog/okx.trade.yaml"),
        "import": (["import", "trades.json", "--dir", "imported"], "imported/trades.yaml"),
    }
    for name, (args, path) in written.items():
        first = run_cli(*args, cwd=folder)
        assert first.code == EXIT_OK, (name, first.err)
        said = first.err if name == "compile" else first.out  # compile's stdout may be the file
        assert said.splitlines()[0].startswith(f"wrote {path}"), (name, said)
        again = run_cli(*args, cwd=folder)
        said = again.err if name == "compile" else again.out
        assert (again.code, said.splitlines()[0]) == (EXIT_OK, f"unchanged {path}"), name
        (folder / path).write_text("mine\n")
        kept = run_cli(*args, cwd=folder)
        assert kept.code == EXIT_FINDINGS, name
        assert (
            kept.err == f"schemac: error: {path} exists with other content; --force overwrites it\n"
        )
        assert (folder / path).read_text() == "mine\n"


def test_import_of_a_fifo_or_a_device_is_a_clean_error(folder: Path) -> None:
    os.mkfifo(folder / "w.json")
    for name, kind in (("w.json", "a FIFO"), ("/dev/zero", "a character device")):
        result = schemac("import", name, "--dir", "out", cwd=folder)
        assert result.returncode == EXIT_USAGE
        assert one_line_error(result.stderr) == (
            f"schemac: error: cannot read {name}: not a regular file ({kind}); "
            "schemac reads only regular files"
        )


def test_a_fifo_in_a_catalog_folder_is_an_error_not_a_hang(folder: Path) -> None:
    (folder / "catalog").mkdir()
    os.mkfifo(folder / "catalog" / "okx.trade.yaml")  # an entry file, read when okx is asked
    (folder / "schemac.toml").write_text('catalog_dirs = ["catalog"]\n')
    result = schemac("catalog", "show", "okx", "trade", cwd=folder)
    assert result.returncode != EXIT_OK
    assert "not a regular file (a FIFO)" in one_line_error(result.stderr)

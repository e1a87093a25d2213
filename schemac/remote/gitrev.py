"""Reading schema files as they were at a git revision (for diff --against and status)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class GitError(Exception):
    """git is missing, this is not a repository, or the revision does not exist."""


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"cannot run git: {error}") from None
    if done.returncode != 0:
        raise GitError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


def toplevel(start: Path) -> Path:
    return Path(_git(["rev-parse", "--show-toplevel"], start).strip())


def check_revision(root: Path, ref: str) -> None:
    if ref.startswith("-"):
        raise GitError(f"not a revision: {ref}")
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
    except GitError:
        raise GitError(f"unknown revision `{ref}`") from None


def relative(root: Path, path: str) -> str:
    return Path(os.path.relpath(Path(path).resolve(), root)).as_posix()


def files_at(root: Path, ref: str, paths: list[str]) -> list[str]:
    """Files (relative to the repository root) under ``paths`` at ``ref``."""
    rels = [relative(root, p) for p in paths]
    out = _git(["ls-tree", "-r", "--name-only", ref, "--", *rels], root)
    return [line for line in out.splitlines() if line]


def show(root: Path, ref: str, rel: str) -> str | None:
    """The text of ``rel`` at ``ref``, or None when it did not exist there."""
    try:
        return _git(["show", f"{ref}:{rel}"], root)
    except GitError:
        return None


def history(root: Path, rel: str, limit: int) -> list[str]:
    """The last ``limit`` commits that touched ``rel``, newest first."""
    try:
        out = _git(["log", f"-n{limit}", "--format=%H", "--", rel], root)
    except GitError:
        return []
    return [line for line in out.splitlines() if line]

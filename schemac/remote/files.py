"""`pull` and `import`: wire bodies -> YAML authoring files, named safely, never clobbering.

Each body goes to ``NAME.yaml`` (``NAME@CATEGORY.yaml`` when the name has two categories on the
account or in the folder), or into the file under the folder that already holds its (name,
category). A name from outside must stay a plain file name inside the folder, and a file that
holds another schema is never replaced, even with force.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemac.fileio import printable
from schemac.vocabulary import EXIT_FINDINGS, EXIT_USAGE, YAML_SUFFIXES

Key = tuple[str, str]  # (name, category)
WROTE, UNCHANGED, REFUSED = "wrote", "unchanged", "refused"
# Most file systems cap a file name at 255 bytes; the longest suffix added is `@CATEGORY.yaml`.
MAX_FILE_PART_BYTES = 255 - len("@book_update.yaml")


@dataclass(frozen=True)
class WriteResult:
    key: Key
    status: str  # wrote, unchanged, refused
    target: Path | None = None
    message: str = ""  # why it was refused
    exit_code: int = EXIT_FINDINGS  # of a refusal: 2 when the file system refused the write


def unsafe_file_part(text: str) -> str | None:
    """Why ``text`` (a schema name or category from a wire file or the API) cannot be part of
    a file name, or None. The name comes from outside: it must not leave the target folder."""
    if not text:
        return "it is empty"
    if "/" in text or "\\" in text:
        return "it contains a path separator"
    if ".." in text:
        return "it contains `..`"
    if printable(text) != text:
        return "it contains a control character, a line separator or a bidi control"
    if text.startswith("."):
        return "it starts with a dot"
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_PART_BYTES:
        return f"it is longer than {MAX_FILE_PART_BYTES} bytes, too long for a file name"
    return None


def identity(path: Path) -> Key | None:
    """The (name, category) a schema file holds, read cheaply (no checks); None when unknown."""
    from schemac.core.loader import load_file, plain

    root, _ = load_file(str(path))
    document = plain(root)
    if not isinstance(document, dict):
        return None
    name = document.get("name")
    category = document.get("category", document.get("stream_category"))
    if isinstance(name, str) and isinstance(category, str):
        return (name, category)
    return None


def folder_identities(folder: Path) -> dict[Path, Key | None]:
    """Every YAML file under ``folder`` (as discovery finds them) and what it holds."""
    from schemac.project import discover

    if not folder.is_dir():
        return {}
    files = [Path(f) for f in discover([str(folder)]) if f.lower().endswith(YAML_SUFFIXES)]
    return {f: identity(f) for f in files}


def file_stems(keys: set[Key]) -> dict[Key, str]:
    """The file stem of each (name, category): the name, or name@category when ``keys`` (every
    schema that can hold the name: the account, the folder, this pull) has it twice."""
    categories: dict[str, set[str]] = {}
    for name, category in keys:
        categories.setdefault(name, set()).add(category)
    return {
        (name, category): name if len(categories[name]) == 1 else f"{name}@{category}"
        for name, category in keys
    }


def write_schemas(
    bodies: list[dict[str, Any]],
    folder: Path,
    *,
    force: bool,
    dialect: str,
    account: list[Key] | None = None,
) -> list[WriteResult]:
    """Write each body as YAML under ``folder``; one result per body, in order."""
    from schemac.project import PathNotFound

    try:
        on_disk = folder_identities(folder)
    except PathNotFound as unreadable:  # what the folder holds is unknown: write nothing
        why = unreadable.message
        return [_refused((b["name"], b["stream_category"]), why, code=EXIT_USAGE) for b in bodies]
    holders: dict[Key, Path] = {}
    for path, held in on_disk.items():
        if held is not None:
            holders.setdefault(held, path)
    # Collisions are decided from everything that can hold the name, not just this pull.
    keys = {(b["name"], b["stream_category"]) for b in bodies}
    stems = file_stems(set(account or []) | set(holders) | keys)
    results = []
    for body in bodies:
        key = (body["name"], body["stream_category"])
        target = holders.get(key, folder / f"{stems[key]}.yaml")
        results.append(_write_one(body, key, target, folder, force, dialect, on_disk))
    return results


def _refused(
    key: Key, message: str, target: Path | None = None, code: int = EXIT_FINDINGS
) -> WriteResult:
    """A body not written; the message may name files on disk, so it is made printable."""
    return WriteResult(key, REFUSED, target, printable(message), code)


def _write_one(
    body: dict[str, Any],
    key: Key,
    target: Path,
    folder: Path,
    force: bool,
    dialect: str,
    on_disk: dict[Path, Key | None],
) -> WriteResult:
    from schemac.render.yaml import NotRepresentable, wire_to_yaml

    label = f"{json.dumps(key[0])} ({json.dumps(key[1])})"
    reason = unsafe_file_part(key[0]) or unsafe_file_part(key[1])
    if reason:
        return _refused(key, f"{label}: not usable as a file name ({reason}); nothing written")
    try:
        text = wire_to_yaml(body, dialect)
    except NotRepresentable as error:
        return _refused(key, f"{label}: {error}; nothing written", target)
    try:
        return _save(key, label, target, folder, text, force, on_disk)
    except OSError as error:  # what the checks above cannot foresee: the file system says no
        message = f"{label}: cannot write {printable(str(target))}: {error.strerror or error}"
        return _refused(key, message, target, EXIT_USAGE)


def _save(
    key: Key,
    label: str,
    target: Path,
    folder: Path,
    text: str,
    force: bool,
    on_disk: dict[Path, Key | None],
) -> WriteResult:
    from schemac.fileio import WriteRefused, save_text

    if not target.resolve().is_relative_to(folder.resolve()):  # e.g. a symlink out of it
        return _refused(key, f"{label}: {target} is outside {folder}; nothing written", target)
    if target.exists():
        held = on_disk[target] if target in on_disk else identity(target)
        if held is not None and held != key:
            return _refused(
                key,
                f"{target} holds another schema ({held[0]}@{held[1]}), not {key[0]}@{key[1]}; "
                "it is kept, even with --force (rename one of them)",
                target,
            )
    try:
        written = save_text(target, text, force=force)
    except WriteRefused as refused:
        return _refused(key, str(refused), target, refused.exit_code)
    return WriteResult(key, WROTE if written else UNCHANGED, target)

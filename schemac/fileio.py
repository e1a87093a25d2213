"""Writing files safely: atomically, and never over other content unless asked.

Every command that writes a file (compile -o, pull, import, catalog learn) writes through here.
``tempfile`` is imported only when a file is written, to keep it off the validate path.
"""

from __future__ import annotations

import os
from pathlib import Path


def file_holds(target: Path, text: str) -> bool:
    """True when ``target`` exists and holds exactly ``text`` (so writing it changes nothing)."""
    try:
        return target.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


class WriteRefused(Exception):
    """A file that must not, or cannot, be written; the message says why."""


def save_text(target: Path, text: str, *, force: bool) -> bool:
    """Write ``text`` to ``target`` atomically. False when the file already holds it.

    Raises WriteRefused for a folder, for a file with other content (unless ``force``), and
    when writing fails: nothing is ever overwritten without being asked.
    """
    if target.is_dir():
        raise WriteRefused(f"{target} is a folder; name the file to write")
    if target.exists():
        if file_holds(target, text):
            return False
        if not force:
            raise WriteRefused(f"{target} exists with other content; use --force to overwrite")
    try:
        atomic_write(target, text)
    except OSError as error:
        raise WriteRefused(f"cannot write {target}: {error.strerror or error}") from None
    return True


def atomic_write(target: Path, text: str) -> None:
    """Write to a temporary file beside ``target``, then rename: never a half-written file."""
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    import tempfile

    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates the file 0600; the result gets the mode a plain write would give it
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _mode_for(target: Path) -> int:
    """The existing file's permissions, or a new file's under the process umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask

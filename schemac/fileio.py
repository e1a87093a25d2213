"""Reading and writing files safely: bounded, regular files only, atomic, never over other content.

Every file schemac reads as input (schema files, samples, the echoed source lines) is read here:
only a regular file (a FIFO would block forever, `/dev/zero` never ends), and never more than a
limit + 1 byte. Every command that writes a file (compile -o, pull, import, catalog learn)
writes through :func:`save_text` and reports it with :func:`saved_line`.
``tempfile`` is imported only when a file is written, to keep it off the validate path.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from schemac.vocabulary import EXIT_FINDINGS, EXIT_USAGE

DEFAULT_MAX_FILE_BYTES = 1 << 20  # 1 MiB; a 100-column schema is about 10 KB
DEFAULT_MAX_SAMPLE_BYTES = 64 << 20  # `catalog learn` samples: many messages, one per line
_CHUNK = 1 << 20
# O_NONBLOCK: opening a FIFO must not wait for a writer (or, to write, for a reader).
_OPEN_FLAGS = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


# What a terminal or a CI log would act on rather than show: C0 and C1 controls (ESC, CR, LF
# start escape sequences and workflow commands), DEL, the bidi controls that reorder what is
# shown (Trojan Source), the Unicode line and paragraph separators, and lone surrogates (which
# no output encoding can write).
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufeff]"
)
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED_ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str) -> str:
    """``text`` with control characters, bidi controls, line separators and lone surrogates
    written as escapes (``\\n``, ``\\x1b``, ``\\u202e``): safe to print in a terminal or a CI
    log, on one line. Every text-mode field goes through it."""
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(_escape, text)


class ReadRefused(Exception):
    """A file that is not read (not a regular file, or unreadable); the message says why."""


class FileTooLarge(ReadRefused):
    """A file larger than the limit; nothing past limit + 1 byte was read."""


def size_text(count: int) -> str:
    """``1 MiB``, ``64 KiB`` or ``1,500 bytes``."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if count >= 1 << shift and count % (1 << shift) == 0:
            return f"{count >> shift} {unit}"
    return f"{count:,} bytes"


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((word for test, word in kinds if test(mode)), "not a regular file")


def read_at_most(fd: int, limit: int) -> bytes:
    """The bytes of ``fd`` up to its end, but never more than ``limit + 1`` of them (so that a
    caller can tell "exactly the limit" from "more")."""
    chunks: list[bytes] = []
    wanted = limit + 1
    while wanted > 0:
        chunk = os.read(fd, min(wanted, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def read_bytes(path: str | Path, limit: int, *, streams: bool = False) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; raises :class:`ReadRefused`.

    With ``streams``, a FIFO or pipe (``<(zcat x.gz)``, ``/dev/stdin``) is read too, still never
    past the limit. A device, folder or socket is never read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
    except OSError as error:
        raise ReadRefused(f"cannot read the file: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        kind = _kind(info.st_mode)
        if kind is not None and not (streams and stat.S_ISFIFO(info.st_mode)):
            raise ReadRefused(f"not a regular file ({kind}); schemac reads only regular files")
        if kind is None and info.st_size > limit:
            raise _too_large(limit)
        _blocking(fd)
        data = read_at_most(fd, limit)
    except OSError as error:
        raise ReadRefused(f"cannot read the file: {error.strerror or error}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _too_large(limit)
    return data


def _blocking(fd: int) -> None:
    """Reads and writes wait again once the file is open (O_NONBLOCK was for the open only)."""
    if _OPEN_FLAGS and hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)


def _too_large(limit: int) -> FileTooLarge:
    return FileTooLarge(f"the file is larger than {size_text(limit)}, the limit for this file")


# -- echoed source lines ---------------------------------------------------------------------

_SOURCE_LIMIT = 16 << 20  # echoed lines come from files up to 16 MiB (a schema is a few KB)
_source_cache: dict[str, tuple[tuple[int, int], list[str]]] = {}


def source_lines(file: str) -> list[str]:
    """The lines of a regular file as text (undecodable bytes replaced), without line ends, for
    echoing source in findings; [] for anything that cannot be read. Cached while the file's
    size and modification time stay the same."""
    key = os.path.abspath(file)
    try:
        info = os.stat(key)
    except (OSError, ValueError):
        return []
    version = (info.st_size, info.st_mtime_ns)
    cached = _source_cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    try:
        data = read_bytes(key, _SOURCE_LIMIT)
    except ReadRefused:
        return []
    text = data.decode("utf-8-sig", errors="replace")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    _source_cache[key] = (version, lines)
    return lines


def source_line(file: str, line: int) -> str:
    """Line ``line`` (1-based) of ``file``, or "" (see :func:`source_lines`)."""
    lines = source_lines(file)
    return lines[line - 1] if 0 < line <= len(lines) else ""


# -- writing ---------------------------------------------------------------------------------


class WriteRefused(Exception):
    """A file that must not, or cannot, be written; the message says why.

    ``exit_code`` is the command's exit code for it: 2 (EXIT_USAGE) for a target that cannot be
    written (a folder, a full disk, a FIFO nobody reads), 1 for :class:`TargetExists`.
    """

    exit_code = EXIT_USAGE


class TargetExists(WriteRefused):
    """The target holds other content and overwriting was not asked for: it is kept."""

    exit_code = EXIT_FINDINGS


def file_holds(target: Path, text: str) -> bool:
    """True when ``target`` is a regular file holding exactly ``text`` (so writing it changes
    nothing). Reads at most the new text's length + 1 byte of it."""
    data = text.encode("utf-8")
    try:
        fd = os.open(target, os.O_RDONLY | _OPEN_FLAGS)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        return read_at_most(fd, len(data)) == data
    except OSError:
        return False
    finally:
        os.close(fd)


def exists_message(target: Path | str, force_option: str = "--force") -> str:
    """The one message for a target kept because it holds other content."""
    return f"{printable(str(target))} exists with other content; {force_option} overwrites it"


def save_text(target: Path, text: str, *, force: bool) -> bool:
    """Write ``text`` to ``target``. False when the file already holds it.

    A regular file (or a new one) is written atomically, and one with other content only with
    ``force`` (else :class:`TargetExists`). A non-regular target (``/dev/stdout``, ``/dev/null``,
    a FIFO) is written straight through, without comparing: it holds no content to keep.
    Raises :class:`WriteRefused` for a folder and when writing fails. A broken pipe is raised as
    it is (BrokenPipeError), for the command line to end quietly.
    """
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise WriteRefused(f"cannot write {printable(str(target))}: {error.strerror}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise WriteRefused(f"{printable(str(target))} is a folder; name the file to write")
    try:
        if info is not None and not stat.S_ISREG(info.st_mode):
            _write_through(target, text.encode("utf-8"))
            return True
        if info is not None:
            if file_holds(target, text):
                return False
            if not force:
                raise TargetExists(exists_message(target))
        atomic_write(target, text)
    except BrokenPipeError:
        raise
    except OSError as error:
        reason = error.strerror or str(error)
        raise WriteRefused(f"cannot write {printable(str(target))}: {reason}") from None
    return True


def _write_through(target: Path, data: bytes) -> None:
    """Write to a device or FIFO in place; a FIFO that nobody reads is an error, not a wait."""
    import errno

    try:
        fd = os.open(target, os.O_WRONLY | _OPEN_FLAGS)
    except OSError as error:
        if error.errno == errno.ENXIO:
            error.strerror = "no process reads this FIFO"
        raise
    try:
        _blocking(fd)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


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
        os.chmod(temporary, mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def mode_for(target: Path) -> int:
    """The existing file's permissions, or a new file's under the process umask: what a file
    renamed over ``target`` gets (``mkstemp`` makes its files 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def sync_folder(folder: Path) -> None:
    """The renames into ``folder`` made durable, where a folder can be opened and synced (not
    on Windows: there it is nothing)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def shown_path(path: Path | str) -> str:
    """``path`` relative to the current directory when it is below it, printable."""
    try:
        text = str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        text = str(path)
    return printable(text)


def saved_line(target: Path | str, written: bool) -> str:
    """The one line every command prints for a file it wrote: ``wrote PATH`` or
    ``unchanged PATH`` (the file already held the text)."""
    return f"{'wrote' if written else 'unchanged'} {shown_path(target)}"

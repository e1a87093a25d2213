"""An export's artifacts onto disk: streamed, counted, written atomically, never over other bytes.

An artifact's URL is not an API URL (a presigned URL of the vendor's storage, or the sandbox's
own): it is fetched with a plain GET, without the API key, with a timeout. The bytes go to a
temporary file in the target folder (``.NAME.<random>.part``), are counted against the artifact's
``bytes`` (a short or long body is an error, never a file), synced, and then renamed over the
target (``os.replace``) and the folder synced: a reader sees the old file or the whole new one,
never a part. A killed run can leave a ``.part`` file behind; no reader takes it for data.

A target that already holds the same bytes is left alone (``written`` False); one that holds
other bytes is kept unless ``force``. A file name from the server is used only when it is a plain
name (no folder, not hidden, no control characters).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from schemac.fileio import mode_for, printable, sync_folder
from schemac.remote.client import RemoteError

CHUNK = 1 << 16
DOWNLOAD_TIMEOUT = 60.0  # seconds without progress (connect, or between two reads)
MAX_NAME_BYTES = 255
EXPIRED_STATUSES = (401, 403, 404, 410)  # a presigned URL past its life answers one of these


@dataclass(frozen=True)
class Artifact:
    """One file of an export, as ``GET /exports/{id}/download`` lists it."""

    filename: str
    url: str
    bytes: int


@dataclass(frozen=True)
class DownloadedFile:
    path: Path
    filename: str
    bytes: int
    written: bool = True  # False: the file already held exactly these bytes


class ArtifactError(RemoteError):
    """An artifact that could not be downloaded, or not kept (the message says why)."""


class ArtifactExists(ArtifactError):
    """The target holds other bytes and ``force`` was not given: it is kept."""


class _Retryable(Exception):
    """A download attempt that may succeed when tried again (network, 5xx, a short body)."""


class _Expired(Exception):
    """The URL answered as an expired presigned URL does: ask the API for fresh ones."""


def safe_filename(name: str) -> str:
    """``name`` when it is a plain file name to create in the target folder; else an error."""
    problem = None
    if not name or name in (".", ".."):
        problem = "is empty or a folder name"
    elif "/" in name or "\\" in name or "\x00" in name:
        problem = "names a folder"
    elif name.startswith("."):
        problem = "is hidden (starts with a dot)"
    elif printable(name) != name:
        problem = "holds control characters"
    elif len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        problem = f"is longer than {MAX_NAME_BYTES} bytes"
    if problem:
        raise ArtifactError(f"the server named an artifact `{printable(name)}`, which {problem}")
    return name


def precheck(target: Path, expected: int, *, force: bool) -> None:
    """Refuse before downloading: a target that is not a regular file, or (without ``force``)
    one whose size already shows other content."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as error:
        raise ArtifactError(f"cannot write {printable(str(target))}: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ArtifactError(f"{printable(str(target))} exists and is not a regular file")
    if info.st_size != expected and not force:
        raise ArtifactExists(_exists(target))


def _exists(target: Path) -> str:
    return f"{printable(str(target))} exists with other content; --force overwrites it"


def fetch(url: str, folder: Path, filename: str, expected: int, timeout: float) -> Path:
    """The artifact's bytes in a new temporary file of ``folder``, exactly ``expected`` of them;
    raises :class:`_Retryable`, :class:`_Expired` or :class:`ArtifactError`."""
    import tempfile

    import httpx

    if not url.startswith(("http://", "https://")):
        raise ArtifactError(f"artifact {printable(filename)}: not an http(s) URL")
    handle, temporary = tempfile.mkstemp(prefix=f".{filename}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            with httpx.stream("GET", url, timeout=timeout, follow_redirects=False) as response:
                _check_status(response.status_code, filename)
                written = 0
                # raw: the stored bytes as sent (a .csv.gz is not to be decompressed here)
                for chunk in response.iter_raw(CHUNK):
                    written += len(chunk)
                    if written > expected:
                        raise _Retryable(f"more than the {expected} bytes announced")
                    stream.write(chunk)
            if written != expected:
                raise _Retryable(f"{written} bytes received of the {expected} announced")
            stream.flush()
            os.fsync(stream.fileno())
    except httpx.HTTPError as error:
        os.unlink(temporary)
        raise _Retryable(f"{type(error).__name__}: {error}") from None
    except BaseException:
        os.unlink(temporary)
        raise
    return Path(temporary)


def _check_status(status: int, filename: str) -> None:
    if status == 200:
        return
    if status in EXPIRED_STATUSES:
        raise _Expired(f"HTTP {status}")
    if status >= 500 or status in (408, 429):
        raise _Retryable(f"HTTP {status}")
    raise ArtifactError(f"artifact {printable(filename)}: HTTP {status}")


def place(temporary: Path, target: Path, *, force: bool) -> bool:
    """Rename the downloaded ``temporary`` over ``target``; False (and nothing renamed) when
    ``target`` already holds the same bytes. Raises :class:`ArtifactExists` for other bytes
    without ``force``."""
    try:
        if target.exists():
            if same_bytes(temporary, target):
                temporary.unlink()
                return False
            if not force:
                temporary.unlink()
                raise ArtifactExists(_exists(target))
        os.chmod(temporary, mode_for(target))
        os.replace(temporary, target)
    except OSError as error:
        if temporary.exists():
            temporary.unlink()
        raise ArtifactError(f"cannot write {printable(str(target))}: {error.strerror}") from None
    sync_folder(target.parent)
    return True


def same_bytes(left: Path, right: Path) -> bool:
    """Whether two regular files hold the same bytes (read in chunks, sizes first)."""
    if left.stat().st_size != right.stat().st_size:
        return False
    with open(left, "rb") as a, open(right, "rb") as b:
        while True:
            chunk = a.read(CHUNK)
            if chunk != b.read(CHUNK):
                return False
            if not chunk:
                return True


def download(
    artifact: Artifact,
    folder: Path,
    *,
    force: bool,
    attempts: int,
    backoff: Callable[[int], float],
    sleep: Callable[[float], None],
    renew: Callable[[str], Artifact] | None = None,
    timeout: float = DOWNLOAD_TIMEOUT,
) -> DownloadedFile:
    """``artifact`` as ``folder/filename``: tried up to ``attempts`` times (a network failure,
    a 5xx, a short body), with fresh URLs from ``renew(filename)`` when one has expired."""
    name = safe_filename(artifact.filename)
    target = folder / name
    precheck(target, artifact.bytes, force=force)
    problem, tries = "", 0
    for attempt in range(1, max(attempts, 1) + 1):
        tries = attempt
        try:
            temporary = fetch(artifact.url, folder, name, artifact.bytes, timeout)
        except _Retryable as error:
            problem = str(error)
        except _Expired as error:
            problem = f"{error} (the URL expired?)"
            if renew is None:
                break
            artifact = renew(name)
            continue  # fresh URLs: no reason to wait
        else:
            written = place(temporary, target, force=force)
            return DownloadedFile(target, name, artifact.bytes, written)
        if attempt < attempts:
            sleep(backoff(attempt))
    raise ArtifactError(f"artifact {printable(name)} not downloaded after {tries} tries: {problem}")

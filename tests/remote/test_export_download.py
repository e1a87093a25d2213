"""Artifact downloads over real HTTP on loopback: a short or long body, a 5xx, an expired URL.

The sandbox serves well-behaved artifacts; the misbehaviours a download must survive (a body
cut short, one longer than announced, a storage 503, a URL past its life) are served here by a
plain ``http.server`` on loopback whose answers the test chooses.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from schemac.remote.artifacts import (
    Artifact,
    ArtifactError,
    ArtifactExists,
    DownloadedFile,
    download,
)

BODY = bytes(range(256)) * 1000  # 256,000 bytes, not text: stored bytes are kept as they are


class Storage:
    """What each GET answers, in order: (status, body bytes, Content-Length header)."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, bytes, int | None]] = []
        self.paths: list[str] = []
        self.headers: list[dict[str, str]] = []


@pytest.fixture
def storage() -> Iterator[tuple[Storage, str]]:
    state = Storage()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.paths.append(self.path)
            state.headers.append(dict(self.headers))
            status, body, length = state.answers.pop(0) if state.answers else (404, b"", 0)
            self.send_response(status)
            self.send_header("Content-Type", "application/gzip")
            self.send_header("Content-Encoding", "gzip")  # must not be decoded on the way
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _get(artifact: Artifact, folder: Path, **options: object) -> DownloadedFile:
    waits: list[float] = []
    settings: dict[str, object] = {
        "force": False,
        "attempts": 3,
        "backoff": lambda attempt: 0.01 * attempt,
        "sleep": waits.append,
        **options,
    }
    return download(artifact, folder, **settings)  # type: ignore[arg-type]


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_stored_bytes_land_under_the_artifact_name_without_the_api_key(
    storage: tuple[Storage, str], tmp_path: Path
) -> None:
    state, url = storage
    state.answers = [(200, BODY, None)]
    done = _get(Artifact("a.csv.gz", f"{url}/art_1?sig=x", len(BODY)), tmp_path)
    assert (tmp_path / "a.csv.gz").read_bytes() == BODY
    assert done == DownloadedFile(tmp_path / "a.csv.gz", "a.csv.gz", len(BODY), True)
    assert state.paths == ["/art_1?sig=x"]
    assert not any(k.lower() == "x-api-key" for k in state.headers[0])
    assert _listing(tmp_path) == ["a.csv.gz"]


def test_a_body_cut_short_is_tried_again_and_never_kept(
    storage: tuple[Storage, str], tmp_path: Path
) -> None:
    state, url = storage
    state.answers = [(200, BODY[:1000], None), (200, BODY, None)]
    _get(Artifact("a.csv.gz", f"{url}/a", len(BODY)), tmp_path)
    assert (tmp_path / "a.csv.gz").read_bytes() == BODY
    assert len(state.paths) == 2
    state.answers = [(200, BODY[:1000], None)] * 3
    with pytest.raises(ArtifactError, match="after 3 tries: 1000 bytes received of the 256000"):
        _get(Artifact("b.csv.gz", f"{url}/b", len(BODY)), tmp_path)
    assert _listing(tmp_path) == ["a.csv.gz"]  # no part file, no b


def test_a_body_longer_than_announced_is_refused(
    storage: tuple[Storage, str], tmp_path: Path
) -> None:
    state, url = storage
    state.answers = [(200, BODY + b"x", None)] * 2
    with pytest.raises(ArtifactError, match="more than the 256000 bytes announced"):
        _get(Artifact("a.csv.gz", f"{url}/a", len(BODY)), tmp_path, attempts=2)
    assert _listing(tmp_path) == []


def test_a_storage_error_is_tried_again(storage: tuple[Storage, str], tmp_path: Path) -> None:
    state, url = storage
    state.answers = [(503, b"busy", None), (500, b"", None), (200, BODY, None)]
    _get(Artifact("a.csv.gz", f"{url}/a", len(BODY)), tmp_path)
    assert (tmp_path / "a.csv.gz").read_bytes() == BODY


def test_an_expired_url_is_renewed_through_the_api(
    storage: tuple[Storage, str], tmp_path: Path
) -> None:
    state, url = storage
    state.answers = [(403, b"expired", None), (200, BODY, None)]
    renewed: list[str] = []

    def renew(name: str) -> Artifact:
        renewed.append(name)
        return Artifact(name, f"{url}/fresh", len(BODY))

    _get(Artifact("a.csv.gz", f"{url}/old", len(BODY)), tmp_path, renew=renew)
    assert renewed == ["a.csv.gz"] and state.paths == ["/old", "/fresh"]
    state.answers = [(403, b"expired", None)]
    with pytest.raises(ArtifactError, match="HTTP 403"):
        _get(Artifact("b.csv.gz", f"{url}/old", len(BODY)), tmp_path)  # no way to renew


def test_a_client_error_is_not_tried_again(storage: tuple[Storage, str], tmp_path: Path) -> None:
    state, url = storage
    state.answers = [(400, b"no", None), (200, BODY, None)]
    with pytest.raises(ArtifactError, match="HTTP 400"):
        _get(Artifact("a.csv.gz", f"{url}/a", len(BODY)), tmp_path)
    assert len(state.paths) == 1


def test_an_existing_file_with_other_bytes_is_kept(
    storage: tuple[Storage, str], tmp_path: Path
) -> None:
    state, url = storage
    (tmp_path / "a.csv.gz").write_bytes(b"other")
    with pytest.raises(ArtifactExists):  # another size: refused before any request
        _get(Artifact("a.csv.gz", f"{url}/a", len(BODY)), tmp_path)
    assert state.paths == []
    same_size = bytes(reversed(BODY))
    (tmp_path / "a.csv.gz").write_bytes(same_size)
    state.answers = [(200, BODY, None)]
    with pytest.raises(ArtifactExists):  # same size, other bytes: refused after the download
        _get(Artifact("a.csv.gz", f"{url}/a", len(BODY)), tmp_path)
    assert (tmp_path / "a.csv.gz").read_bytes() == same_size
    assert _listing(tmp_path) == ["a.csv.gz"]
    state.answers = [(200, BODY, None)]
    done = _get(Artifact("a.csv.gz", f"{url}/a", len(BODY)), tmp_path, force=True)
    assert done.written is True
    assert (tmp_path / "a.csv.gz").read_bytes() == BODY
    state.answers = [(200, BODY, None)]
    again = _get(Artifact("a.csv.gz", f"{url}/a", len(BODY)), tmp_path)  # the same bytes
    assert again.written is False
    assert _listing(tmp_path) == ["a.csv.gz"]


def test_a_url_that_is_not_http_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="not an http"):
        _get(Artifact("a.csv.gz", "file:///etc/passwd", 10), tmp_path)
    assert _listing(tmp_path) == []

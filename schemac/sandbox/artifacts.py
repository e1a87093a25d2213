"""Artifact URLs: served by the sandbox itself, signed and expiring like presigned S3 URLs.

``GET /v1/exports/{id}/download`` hands out ``http://HOST/artifacts/{art_id}/{filename}?
expires=T&signature=S``, on the host and port the request came to (its ``Host`` header). The
signature is an HMAC-SHA256, under a secret made when the process starts, of the artifact, its
file name and the expiry (5 minutes after the download call, by the sandbox's clock). As with
S3, the URL needs no API key, a bad or expired one is 403, and nothing under ``/artifacts`` is
part of the API: no rate limit, no injected fault, not in the OpenAPI document. A restarted
sandbox has a new secret, so old URLs stop working; a new download call gives new ones.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from urllib.parse import parse_qs, quote, unquote, urlsplit

from schemac.sandbox.responses import Response, error, method_not_allowed
from schemac.sandbox.store import Store

URL_LIFETIME_SECONDS = 300
ARTIFACT_PREFIX = "/artifacts/"
_SECRET = secrets.token_bytes(32)  # per process
_HOST = re.compile(r"(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")
CONTENT_TYPES = {".csv.gz": "application/gzip", ".parquet": "application/vnd.apache.parquet"}


def _signature(artifact_id: str, filename: str, expires: int) -> str:
    message = f"{artifact_id}\n{filename}\n{expires}".encode()
    return hmac.new(_SECRET, message, hashlib.sha256).hexdigest()


def valid_host(host: str | None) -> bool:
    return host is not None and _HOST.fullmatch(host) is not None


def signed_url(host: str, artifact_id: str, filename: str, now: float) -> str:
    """The artifact's URL on ``host`` (a checked Host header), valid for 5 minutes."""
    expires = int(now) + URL_LIFETIME_SECONDS
    signature = _signature(artifact_id, filename, expires)
    return (
        f"http://{host}{ARTIFACT_PREFIX}{artifact_id}/{quote(filename, safe='')}"
        f"?expires={expires}&signature={signature}"
    )


def check_url(target: str, now: float) -> tuple[str, str] | Response:
    """(artifact id, file name) of a request target whose signature holds and has not
    expired, or the 403/404 response."""
    parts = urlsplit(target)
    name = parts.path.removeprefix(ARTIFACT_PREFIX).split("/")
    if len(name) != 2 or not all(name):
        return error(404, "not_found", f"No such artifact: {parts.path[:200]}")
    artifact_id, filename = name[0], unquote(name[1])
    query = parse_qs(parts.query)
    expires_text = query.get("expires", [""])[0]
    signature = query.get("signature", [""])[0]
    if not expires_text.isdigit() or not signature:
        return error(403, "permission_denied", "The URL is not signed (expires, signature)")
    if not hmac.compare_digest(signature, _signature(artifact_id, filename, int(expires_text))):
        return error(403, "permission_denied", "The URL's signature does not match")
    if now > int(expires_text):
        return error(403, "permission_denied", "The URL has expired; ask for a new download")
    return artifact_id, filename


def file_response(filename: str, content: bytes) -> Response:
    """The file itself: bytes with their length, type and a download name."""
    kind = next(
        (kind for suffix, kind in CONTENT_TYPES.items() if filename.endswith(suffix)),
        "application/octet-stream",
    )
    return Response(
        200,
        content,
        {
            "Content-Type": kind,
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


def serve_artifact(store: Store, method: str, target: str, now: float) -> Response:
    """``GET``/``HEAD /artifacts/...``: the file, if the URL's signature holds and has not
    expired (403 otherwise) and its export still exists (404 once it is deleted)."""
    if method not in ("GET", "HEAD"):
        return method_not_allowed(["GET", "HEAD"])
    checked = check_url(target, now)
    if isinstance(checked, Response):
        return checked
    artifact_id, filename = checked
    with store.transaction() as tx:
        found = tx.exports.artifact_content(artifact_id)
    if found is None or found[0].filename != filename:
        return error(404, "not_found", f"Artifact {artifact_id} not found (deleted?)")
    return file_response(filename, found[1])

"""The one place schemac reaches into the official client, for what its public methods lack.

The client 0.2.0's ``exports.create`` has no ``format`` and no ``format_options`` argument: through
it an export is always CSV. The API documents both fields on ``POST /v1/exports``, so schemac
sends that request through the client's own transport, the ``SyncHTTPClient`` its exports
resource posts with: the same base URL, ``X-Api-Key`` and JSON headers, the same mapping of error
bodies to typed exceptions (which :meth:`Remote.call` retries and reports), the same connection
pool and response hook (the rate-limit headers reach the request budget), and the reply is
validated with the client's own ``ExportJob`` model. Only the body is ours, built as ``create``
builds it plus the two fields. ``tests/remote/test_export_units.py`` holds this shape and fails
when the client changes it (for instance when ``create`` gains a ``format`` argument: then use
that instead).
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ticksupply import Client
    from ticksupply._base import SyncHTTPClient
    from ticksupply.models.export import ExportJob

    from schemac.remote.client import Remote


def official_client(remote: Remote) -> Client:
    """The session's ``ticksupply.Client`` (its catalog, exports and availability resources)."""
    return remote._client


def _exports_transport(client: Client) -> SyncHTTPClient:
    transport = getattr(client.exports, "_client", None)
    post = getattr(transport, "post", None)
    if transport is None or post is None or not _takes(post, "json_data", "headers"):
        from schemac.remote.client import RemoteError

        raise RemoteError(
            "the installed ticksupply client has no transport schemac can post an export "
            "with (its layout changed); install the version pyproject.toml names"
        )
    return transport  # type: ignore[no-any-return]


def _takes(function: Any, *names: str) -> bool:
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return all(name in parameters for name in names)


def create_export_job(remote: Remote, body: dict[str, Any], key: str) -> ExportJob:
    """``POST /exports`` with ``body`` (the whole request, ``format`` included) and the
    ``Idempotency-Key`` ``key``, once (the caller wraps it in :meth:`Remote.call`)."""
    from ticksupply._base import build_idempotency_header
    from ticksupply.models.export import ExportJob

    transport = _exports_transport(official_client(remote))
    response = transport.post("/exports", json_data=body, headers=build_idempotency_header(key))
    return ExportJob.model_validate(response.json())

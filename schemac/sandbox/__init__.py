"""``schemac sandbox``: a local stand-in of the Ticksupply API (export schemas, catalog,
subscriptions, availability, exports).

Library use (tests, demos)::

    from schemac.sandbox import start_sandbox

    with start_sandbox(api_keys=["key_test.local"]) as sandbox:
        client = sandbox.client()          # official ticksupply.Client, base_url=sandbox.url
        client.export_schemas.list()

The server's modules (pydantic, http.server, sqlite3) are imported on first use of
``start_sandbox``/``Sandbox``, so importing this package (and ``schemac.cli.sandbox``) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemac.sandbox.config import SandboxConfig
    from schemac.sandbox.server import Sandbox, serve, start_sandbox

__all__ = ["Sandbox", "SandboxConfig", "serve", "start_sandbox"]


def __getattr__(name: str) -> Any:
    if name in ("Sandbox", "serve", "start_sandbox"):
        from schemac.sandbox import server

        return getattr(server, name)
    if name == "SandboxConfig":
        from schemac.sandbox.config import SandboxConfig

        return SandboxConfig
    raise AttributeError(f"module 'schemac.sandbox' has no attribute {name!r}")

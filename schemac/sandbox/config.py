"""The sandbox's settings, as one frozen value shared by the CLI, the library and the server.

Kept free of heavy imports: ``schemac sandbox --help`` reads the defaults from here.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from schemac import vocabulary

if TYPE_CHECKING:
    from schemac.sandbox.exportparts import ExportRenderer
    from schemac.sandbox.pauses import PausePoints

DEFAULT_HOST = "127.0.0.1"
DEFAULT_API_KEY = "key_test.local"
DEFAULT_RATE_LIMIT_PER_MINUTE = 200
DEFAULT_RATE_LIMIT_PER_HOUR = 10_000
DEFAULT_MAX_COLUMNS = vocabulary.DEFAULT_MAX_COLUMNS  # the API's documented default cap
IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60
# The docs: a retry waits "about 3 s" for an in-flight original before giving up.
IDEMPOTENCY_WAIT_SECONDS = 3.0
MAX_BODY_BYTES = 1024 * 1024
# An export is queued for half of this, running for the other half, then finished.
DEFAULT_EXPORT_DELAY_SECONDS = 1.0

# A new subscription's first span starts this long before it is created, so that there is
# history to export at once (0 is the vendor's behaviour: collection starts at subscribe time).
DEFAULT_BACKFILL_SECONDS = 3 * 24 * 60 * 60
DEFAULT_MESSAGE_RATE = 1.0  # synthesised messages per second per datastream
DEFAULT_MESSAGE_SEED = 0
MAX_MESSAGE_RATE = 1_000_000.0

# The exchange codes the vendor's docs confirm (GET /v1/exchanges example and schema examples);
# the shipped catalog (data/catalog.json) lists them first, with these names.
DEFAULT_EXCHANGES: tuple[tuple[str, str], ...] = (
    ("binance", "Binance"),
    ("coinbase", "Coinbase"),
    ("bybit_linear", "Bybit Linear"),
    ("bybit_spot", "Bybit Spot"),
)


@dataclass(frozen=True)
class SandboxConfig:
    """Everything that shapes a sandbox's behaviour.

    ``clock`` returns Unix seconds; tests pass a fake one to expire idempotency keys or refill
    rate-limit buckets without sleeping. ``mutation_delay`` makes every state-changing request
    take that long before it commits, so that a retry can arrive while the original is in flight.
    ``pause_points`` (tests only, off by default) holds chosen requests at chosen points of the
    pipeline until the test releases them (``schemac.sandbox.pauses``).
    """

    api_keys: tuple[str, ...] = (DEFAULT_API_KEY,)
    host: str = DEFAULT_HOST
    port: int = 0
    state: Path | None = None
    fault_rate: float = 0.0
    fault_seed: int | None = None
    rate_limit_per_minute: int = DEFAULT_RATE_LIMIT_PER_MINUTE
    rate_limit_per_hour: int = DEFAULT_RATE_LIMIT_PER_HOUR
    max_columns: int = DEFAULT_MAX_COLUMNS
    # None: the catalog's exchanges. Given: exactly these are served (replacing the list).
    exchanges: tuple[tuple[str, str], ...] | None = None
    idempotency_ttl: float = IDEMPOTENCY_TTL_SECONDS
    idempotency_wait: float = IDEMPOTENCY_WAIT_SECONDS
    mutation_delay: float = 0.0
    allow_remote: bool = False
    clock: Callable[[], float] = field(default=time.time, compare=False)
    pause_points: PausePoints | None = field(default=None, compare=False)
    # Exports (docs/sandbox.md, "Exports"): how long a job takes, the share drawn to fail
    # (seeded by fault_seed), and what renders schemas (None: raw CSV only).
    export_delay: float = DEFAULT_EXPORT_DELAY_SECONDS
    export_fail_rate: float = 0.0
    renderer: ExportRenderer | None = field(default=None, compare=False)
    # The catalog, subscriptions, messages and availability (docs/sandbox.md).
    catalog: tuple[Path, ...] = ()
    messages: Path | None = None
    message_rate: float = DEFAULT_MESSAGE_RATE
    message_seed: int = DEFAULT_MESSAGE_SEED
    backfill: float = DEFAULT_BACKFILL_SECONDS
    ingestion_delay: float = 0.0

    def problems(self) -> list[str]:
        """What is wrong with these settings, as sentences (empty when usable)."""
        found: list[str] = []
        if not self.api_keys:
            found.append("at least one API key is needed")
        if any(not key or key != key.strip() for key in self.api_keys):
            found.append("API keys must be non-empty and carry no surrounding whitespace")
        if not 0 <= self.port <= 65535:
            found.append(f"port {self.port} is outside 0..65535")
        if not 0.0 <= self.fault_rate <= 1.0:
            found.append(f"fault rate {self.fault_rate} is outside 0..1")
        if self.rate_limit_per_minute < 1 or self.rate_limit_per_hour < 1:
            found.append("rate limits must be at least 1 request")
        if self.max_columns < 1:
            found.append("max columns must be at least 1")
        if self.export_delay < 0 or not 0.0 <= self.export_fail_rate <= 1.0:
            found.append("the export delay must be >= 0 and the export fail rate within 0..1")
        if self.mutation_delay < 0 or self.idempotency_wait < 0 or self.idempotency_ttl <= 0:
            found.append("delays must be >= 0 and the idempotency TTL > 0")
        found += self._binding_problems()
        codes = [code for code, _ in self.exchanges or ()]
        if len(set(codes)) != len(codes) or any(not code for code in codes):
            found.append("exchange codes must be non-empty and unique")
        return found + self._data_problems()

    def _data_problems(self) -> list[str]:
        """The catalog files, the messages folder and the message and span settings."""
        from schemac.sandbox.catalog import catalog_problems, load_catalog
        from schemac.sandbox.messages import check_message_folder

        found: list[str] = []
        if not 0 < self.message_rate <= MAX_MESSAGE_RATE:
            found.append(f"message rate {self.message_rate} is outside (0, {MAX_MESSAGE_RATE:g}]")
        if self.backfill < 0 or self.ingestion_delay < 0:
            found.append("backfill and ingestion delay must be >= 0 seconds")
        catalog = catalog_problems(self.catalog, self.exchanges)
        if not catalog and self.messages is not None:
            catalog = check_message_folder(
                self.messages, load_catalog(self.catalog, self.exchanges)
            )
        return found + catalog

    def _binding_problems(self) -> list[str]:
        """A non-loopback address only on request, and then never with the well-known key."""
        if is_loopback(self.host):
            return []
        if not self.allow_remote:
            return [
                f"{self.host or 'every interface'} is not a loopback address: the sandbox has no "
                "TLS and a well-known default key; pass --allow-remote (allow_remote=True) to "
                "serve other machines"
            ]
        if DEFAULT_API_KEY in self.api_keys:
            return [
                f"with --allow-remote every API key must be your own, not the default "
                f"{DEFAULT_API_KEY}: pass --api-key KEY"
            ]
        return []


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` is reachable only from this machine: a loopback address,
    or a name that resolves to loopback addresses only ("" and 0.0.0.0 are every interface)."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        if not host:
            return False
        try:
            resolved = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return False
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in resolved]
    return bool(addresses) and all(_loopback(address) for address in addresses)


def _loopback(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


# The defaults, as one value: the CLI's option defaults and start_sandbox's keyword defaults.
DEFAULTS = SandboxConfig()

"""Known exchange codes (SC301): one source, the exchange catalog plus the configuration.

A code is known when the catalog has a file for it (the shipped catalog and the configured
`catalog_dirs`; each file says whether the vendor's docs confirm its code or it is a guess) or
when the configuration's `exchanges` lists it. The parser records where each code is first
named (``Schema.exchange_spans``); this check, a layer above the catalog, judges them.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemac.catalog.model import CatalogError
from schemac.checks.catalog_reads import catalog_for, exchange_names, first_span
from schemac.config import Config
from schemac.core.ir import Schema
from schemac.diagnostics import Diagnostic, suggestion_hint
from schemac.rules import check
from schemac.rules.exchanges import UNKNOWN_EXCHANGE


def known_exchange_codes(config: Config) -> list[str]:
    """Every code the catalog has a file for, then the configuration's `exchanges`."""
    try:
        codes = catalog_for(config).codes()
    except (CatalogError, OSError):  # an unreadable catalog folder: the configured codes only
        codes = []
    return list(dict.fromkeys([*codes, *config.exchanges]))


@check(UNKNOWN_EXCHANGE)
def check_known_exchanges(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    names = [name for name in exchange_names(schema) if name not in config.exchanges]
    if not names:  # the usual case: no need to list the catalog's folders
        return
    known = known_exchange_codes(config)
    for code in names:
        if code in known:
            continue
        span = first_span(schema, schema.exchange_spans.get(code))
        hint = suggestion_hint(
            code,
            known,
            "if the API knows it, add it to `exchanges` in the configuration, or describe it "
            f"in a catalog folder (`{code}.yaml` in `catalog_dirs`)",
        )
        yield UNKNOWN_EXCHANGE.at(span, f"unknown exchange code `{code}`", hint)

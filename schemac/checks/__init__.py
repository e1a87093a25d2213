"""Checks: every registered check that runs on loaded schemas (layer 5), and the registry's index.

A check is a plain function registered with ``@check(RULE, ..., scope=...)`` (schemac.rules) for
the rules it emits: one, or several when one walk yields them all (the transform type rules
share one inference; the runner drops the findings of rules turned off). Modules: ``schema``
(one schema's shape), ``exchanges`` (known exchange codes), ``transforms`` (the SQL screen),
``types`` (types of transforms, `case` and columns), ``sync`` (sync specs against the
project), ``catalog`` (paths and types against the
exchange catalog; ``catalog_reads`` is the walk they share, ``catalog_hints`` SC603's hints)
and ``project`` (across schemas). A new check goes into the module of its subject; a new module
is added to the matching ``*_CHECK_MODULES`` tuple below.
schemac.project runs them, skipping the checks whose rules the configuration turns off.

The tuples live here, not in schemac.rules, because importing them reaches into schemac.core
(layer 2) and this package (layer 5): the registry itself (layer 1) only records what registers.
"""

from __future__ import annotations

import importlib

from schemac.rules import Check, registered_checks

# Every module that registers checks, grouped by what runs them; all_checks() imports them.
# Run by load_project (core.syncspec reads sync specs: syncs/*.yaml).
STAGE_CHECK_MODULES = ("schemac.core.loader", "schemac.core.parse", "schemac.core.syncspec")
PROJECT_CHECK_MODULES = (  # run by check_project
    "schemac.checks.project",
    "schemac.checks.schema",
    "schemac.checks.exchanges",
    "schemac.checks.transforms",
    "schemac.checks.types",
    "schemac.checks.catalog",
    "schemac.checks.sync",
)
BREAKING_CHECK_MODULES = ("schemac.checks.breaking",)  # called by remote.diff (plan, publish, diff)
# Run by the commands that target DuckDB (schemac.cli.run), never by validate.
PORTABILITY_CHECK_MODULES = ("schemac.checks.portability",)
CHECK_MODULES = (
    STAGE_CHECK_MODULES + PROJECT_CHECK_MODULES + BREAKING_CHECK_MODULES + PORTABILITY_CHECK_MODULES
)


def all_checks(modules: tuple[str, ...] = CHECK_MODULES) -> list[Check]:
    """The checks registered by ``modules`` (importing them), in module order.

    The project runner asks for PROJECT_CHECK_MODULES only, so that `validate` never imports a
    module whose checks it does not run (the breaking checks, for one).
    """
    for module_name in modules:
        importlib.import_module(module_name)
    order = {name: index for index, name in enumerate(modules)}
    chosen = [c for c in registered_checks() if c.module in order]
    return sorted(chosen, key=lambda c: order[c.module])


def checks_for(code: str) -> list[Check]:
    """The registered checks that emit the rule ``code`` (what `schemac explain` names)."""
    return [c for c in all_checks() if code in c.codes]

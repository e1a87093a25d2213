"""The rule registry: every diagnostic schemac can emit, with its code, name and explain page.

Rules are declared as :class:`Rule` values in the modules listed in ``RULE_MODULES`` (one per
series: reading, format, transforms, exchanges, project, types, the exchange catalog, breaking
changes). A stage emits a finding with ``RULE.at(span, message, hint=...)``, or, inside a
transform's text, ``RULE.within(offset, length, message, hint=...)`` (see
:mod:`schemac.diagnostics`). Severity overrides from the configuration are applied afterwards,
in one place (:func:`schemac.project.apply_overrides`).

The check registry (below) records each function registered with ``@check`` for the rules it
emits; :mod:`schemac.checks` names the modules that register and imports them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from schemac.diagnostics import Diagnostic, ScalarFinding, Severity, Span

# Every module that declares rules. The registry is the union of their Rule values.
RULE_MODULES = (
    "schemac.rules.reading",
    "schemac.rules.format",
    "schemac.rules.transforms",
    "schemac.rules.exchanges",
    "schemac.rules.project",
    "schemac.rules.types",
    "schemac.rules.catalog",
    "schemac.rules.breaking",
    "schemac.rules.run",
    "schemac.rules.sync",
)


@dataclass(frozen=True, slots=True)
class Rule:
    code: str  # stable: SC + three digits, never reused
    name: str  # short kebab-case
    severity: Severity  # default severity
    summary: str  # one line
    explain: str  # why it matters, what to do (plain text, a few sentences)
    bad: str = ""  # a snippet that triggers the rule
    good: str = ""  # the same snippet, fixed
    bad_format: str = "yaml"  # the snippets' format: "yaml" authoring or "json" wire
    before: str = ""  # breaking rules: the schema before the change; bad/good are then after it

    def at(self, span: Span, message: str, hint: str | None = None) -> Diagnostic:
        return Diagnostic(self.code, self.name, self.severity, message, span, hint)

    def within(
        self, offset: int, length: int, message: str, hint: str | None = None
    ) -> ScalarFinding:
        """A finding at ``text[offset:offset + length]`` of a scalar not yet placed in a file."""
        return ScalarFinding(self.code, self.name, self.severity, message, offset, length, hint)


_REGISTRY: dict[str, Rule] | None = None


def all_rules() -> dict[str, Rule]:
    """Every registered rule by code, sorted by code."""
    global _REGISTRY
    if _REGISTRY is None:
        found: dict[str, Rule] = {}
        for module_name in RULE_MODULES:
            module = importlib.import_module(module_name)
            for value in vars(module).values():
                if isinstance(value, Rule):
                    if value.code in found and found[value.code] is not value:
                        raise RuntimeError(f"rule code {value.code} declared twice")
                    found[value.code] = value
        _REGISTRY = dict(sorted(found.items()))
    return _REGISTRY


def find_rule(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    rules = all_rules()
    if key.upper() in rules:
        return rules[key.upper()]
    for rule in rules.values():
        if rule.name == key.lower():
            return rule
    return None


# --- The check registry: which unit emits which rules ------------------------------------------
#
# A check is a function registered, with ``@check(RULE, ...)``, for the rules it may emit; the
# registry is how `explain` names the module behind a rule, how a disabled rule is not run, and
# how a test proves every rule has a home. ``scope`` says what the function takes:
#   "stage"    a front-end stage (load, parse); run by load_project, never skipped
#   "schema"   (schema: Schema, config: Config) -> Iterable[Diagnostic]
#   "catalog"  (schema: Schema, catalog: Catalog) -> Iterable[Diagnostic]
#   "project"  (schemas: list[Schema], config: Config) -> Iterable[Diagnostic]
#   "breaking" a slice of an old and a new normalised content (a column match, a column or
#              extractor pair, ...) -> list[Change]; called one by one, by name, by
#              schemac.remote.diff (plan, publish, diff); a breaking rule turned off still runs,
#              its changes are then listed as compatible
#   "portability" (schema: Schema, config: Config) -> Iterable[Diagnostic]; run by the commands
#              that target DuckDB (sql --dialect duckdb, --engine duckdb), never by validate
#   "sync"     (specs: list[SyncSpec], schemas: list[Schema], config: Config)
#              -> Iterable[Diagnostic]: the sync specs (syncs/*.yaml) against the project
# schemac.project runs the "schema", "catalog", "project" and "sync" checks of schemac.checks; which
# modules register checks is schemac.checks.CHECK_MODULES (importing them is a higher layer's job).

SCOPES = ("stage", "schema", "catalog", "project", "breaking", "portability", "sync")

CheckFunction = TypeVar("CheckFunction", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Check:
    rules: tuple[Rule, ...]
    function: Callable[..., Any]
    scope: str

    @property
    def module(self) -> str:
        return self.function.__module__

    @property
    def name(self) -> str:
        return f"{self.function.__module__}.{self.function.__qualname__}"

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(rule.code for rule in self.rules)


_CHECKS: list[Check] = []


def check(*rules: Rule, scope: str = "schema") -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check that emits ``rules``."""
    if scope not in SCOPES:
        raise ValueError(f"unknown check scope {scope!r}; one of {', '.join(SCOPES)}")
    if not rules:
        raise ValueError("a check emits at least one rule")

    def register(function: CheckFunction) -> CheckFunction:
        registered = Check(tuple(rules), function, scope)
        if not any(c.name == registered.name for c in _CHECKS):  # a module reloaded by a test
            _CHECKS.append(registered)
        return function

    return register


def registered_checks() -> list[Check]:
    """The checks registered so far (by the modules imported so far), in registration order."""
    return list(_CHECKS)

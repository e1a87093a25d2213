"""The rule registry: every diagnostic schemac can emit, with its code, name and explain page.

Rules are declared as :class:`Rule` values in the modules listed in ``RULE_MODULES`` (one per
area: core format checks, types, the exchange catalog). A stage emits a finding with
``RULE.at(span, message, hint=...)``; severity overrides from the configuration are applied
afterwards, in one place (:func:`apply_severity_overrides`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from schemac.diagnostics import Diagnostic, Severity, Span

# Every module that declares rules. The registry is the union of their Rule values.
RULE_MODULES = (
    "schemac.rules.core",
    "schemac.rules.catalog",
    "schemac.rules.types",
    "schemac.rules.breaking",
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
# how a test proves every rule has exactly one home. ``scope`` says what the function takes:
# "stage" (a front-end stage: load, parse), "schema" (one IR schema), "project" (all schemas),
# "breaking" (an old and a new wire body).

# Every module that registers checks; filled as they move.
CHECK_MODULES: tuple[str, ...] = ("schemac.remote.breaking",)

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


_CHECKS: list[Check] = []


def check(*rules: Rule, scope: str = "schema") -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check that emits ``rules``."""

    def register(function: CheckFunction) -> CheckFunction:
        _CHECKS.append(Check(tuple(rules), function, scope))
        return function

    return register


def all_checks() -> list[Check]:
    """Every registered check (importing the modules that register them)."""
    for module_name in CHECK_MODULES:
        importlib.import_module(module_name)
    return list(_CHECKS)

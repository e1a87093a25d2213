"""`schemac explain CODE`: what a rule means, with a bad and a good example."""

from __future__ import annotations

import sys

from schemac.vocabulary import EXIT_OK, EXIT_USAGE


def explain(code: str) -> int:
    from schemac.render.rules import checking_modules, explain_text
    from schemac.rules import find_rule

    rule = find_rule(code)
    if rule is None:
        print(
            f"schemac: error: no rule {code}{_suggestion(code)}; `schemac rules` lists them",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(explain_text(rule, checking_modules(rule)))
    return EXIT_OK


def _suggestion(code: str) -> str:
    from schemac.diagnostics import did_you_mean
    from schemac.rules import all_rules

    rules = all_rules()
    suggestion = did_you_mean(code.upper(), list(rules)) or did_you_mean(
        code.lower(), [r.name for r in rules.values()]
    )
    return f" (did you mean {suggestion}?)" if suggestion else ""

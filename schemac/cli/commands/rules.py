"""`schemac rules [--format text|json|markdown]`: every rule, code, name, default severity."""

from __future__ import annotations

from schemac.vocabulary import EXIT_OK


def list_rules(output_format: str = "text") -> int:
    from schemac.render.rules import rules_listing

    print(rules_listing(output_format))
    return EXIT_OK

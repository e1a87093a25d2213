"""Checks: every registered check that runs on loaded schemas (layer 5).

A check is a plain function registered with ``@check(RULE, ..., scope=...)`` (schemac.rules) for
the rules it emits, ideally one. Modules: ``schema`` (one schema's shape), ``transforms`` (the
SQL screen), ``types`` (types of transforms, `case` and columns), ``catalog`` (paths and types
against the exchange catalog; ``catalog_reads`` is the walk they share) and ``project`` (across
schemas). A new check goes into the module of its subject; a new module is added to
``schemac.rules.CHECK_MODULES``. schemac.project runs them, skipping the checks whose rules the
configuration turns off.
"""

"""Rules of the project (SC4xx: several files) and of the configuration (SC9xx)."""

from __future__ import annotations

from schemac.diagnostics import Severity
from schemac.rules import Rule

E, W = Severity.ERROR, Severity.WARNING

# -- SC4xx: the project ---------------------------------------------------------------------

DUPLICATE_SCHEMA = Rule(
    "SC401",
    "duplicate-schema",
    E,
    "Two files declare the same schema (name and category).",
    "Names are unique per (account, category) on the API, so two files with the same pair "
    "would overwrite each other when published. The finding is reported on the second file and "
    "names the first.",
)
FILENAME_MISMATCH = Rule(
    "SC402",
    "filename-mismatch",
    W,
    "A file's name differs from the name of the schema it holds.",
    "One schema per file, named after the schema (`my_trades.yaml` holds `name: my_trades`), "
    "keeps a repository navigable and lets `schemac compile NAME` find files. A file may also "
    "be named `NAME@CATEGORY.yaml` when one name is used in several categories.",
)

# -- SC9xx: configuration -------------------------------------------------------------------

CONFIG_ERROR = Rule(
    "SC901",
    "config-error",
    E,
    "The configuration file is invalid.",
    "`schemac.toml`, or `[tool.schemac]` in pyproject.toml, takes: `paths` (list of files or "
    "folders), `exchanges` (list of known exchange codes), `max_columns` (integer), "
    "`decimal_max_scale` (integer), `dialect` (sqlglot dialect of transforms), `catalog_dirs` "
    "(list of folders), `severity` (table of code or name -> error/warning/info/off) and "
    "`ignore` (list of codes or names). Anything else is an error, and exits with status 2.",
)

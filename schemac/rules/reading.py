"""Rules of reading a file (SC0xx): syntax, encoding, duplicate keys, size."""

from __future__ import annotations

from schemac.diagnostics import Severity
from schemac.rules import Rule
from schemac.rules.examples import TRADES as _TRADES

E = Severity.ERROR

# -- SC0xx: reading a file ------------------------------------------------------------------

SYNTAX_ERROR = Rule(
    "SC001",
    "syntax-error",
    E,
    "The file is not valid YAML (or JSON, for .json files).",
    "schemac reads each file as YAML 1.2 (JSON files as JSON). The usual slips are said in "
    "the file's terms, with a hint: a line indented between two levels (the keys it could line "
    "up with, and by how many spaces), a tab, a key without `:`, a second `: ` in a value, an "
    "unclosed `{` or `[`; anything else gets the parser's own message at its position. A file "
    "with a syntax error is not checked further. A file must hold exactly one document: one "
    "schema per file.",
    bad="name: my_trades\ncategory: trade\ncolumns:\n  price: {type: decimal(18), from: data.p\n",
    good=_TRADES,
)
DUPLICATE_KEY = Rule(
    "SC002",
    "duplicate-key",
    E,
    "A mapping has the same key twice.",
    "YAML and JSON parsers usually keep the last of two equal keys and drop the first without a "
    "word, so a copied column silently replaces its original. schemac reports the second "
    "occurrence, with the line of the first. Rename or remove one of them.",
    bad=_TRADES + "  price: {type: f64, from: data.q}\n",
    good=_TRADES + "  quantity: {type: decimal(18), from: data.q}\n",
)
DOCUMENT_TOO_COMPLEX = Rule(
    "SC003",
    "document-too-complex",
    E,
    "The file is too large, nests too deeply or its aliases expand too far to be a schema.",
    "A schema is a few levels deep and a few KB long. schemac stops reading a document nested "
    "more than 64 levels or whose aliases expand past 200,000 nodes (the 'billion laughs' "
    "attack), and does not read a file larger than `max_file_bytes` (1 MiB unless configured) "
    "past that limit, instead of exhausting memory or the stack on a file that cannot be a "
    "schema.",
    bad="a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
        for p, c in zip("abcdef", "bcdefg", strict=False)
    ),
    good=_TRADES,
)
INVALID_ENCODING = Rule(
    "SC004",
    "invalid-encoding",
    E,
    "The file is not UTF-8 text.",
    "Schema files are UTF-8 (a byte-order mark is allowed). A binary file, or a file saved in "
    "another encoding, is reported at its first byte that is not UTF-8.",
)
EMPTY_FILE = Rule(
    "SC005",
    "empty-file",
    E,
    "The file holds no document.",
    "An empty file (or one with only comments) in a schema folder is almost always a mistake: "
    "a schema that was meant to be there is missing. Delete the file or write the schema.",
    bad="# my_trades: to do\n",
    good=_TRADES,
)
UNREADABLE_FILE = Rule(
    "SC006",
    "unreadable-file",
    E,
    "The file cannot be read.",
    "The path does not exist, is not a regular file, or cannot be opened (permissions).",
)

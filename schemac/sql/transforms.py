"""Transforms: parse a SQL expression over `{v}` and screen it, with positions into its text.

`{v}` is bound to a placeholder identifier of the same length (``_v_``) before parsing: dialects
read `{v}` differently (ClickHouse as a query parameter, others as a struct), and an equal length
keeps every offset sqlglot reports valid in the user's text.

Importing sqlglot costs more than everything else a one-file `validate` does, and a pre-commit
hook sees the same transforms on every commit. So the findings of each distinct (dialect, text)
are kept in a small cache file (like ruff's and mypy's caches), keyed by the versions of schemac
and sqlglot: a run whose transforms are all known never imports sqlglot. The cache lives in
``$SCHEMAC_CACHE_DIR``, else ``$XDG_CACHE_HOME/schemac``, else ``~/.cache/schemac``;
``SCHEMAC_NO_CACHE=1`` turns it off. A missing, stale or corrupt cache is simply rebuilt.
The same file caches each transform's inferred output type (schemac.types.transform), keyed by
(dialect, input type, text).
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

PLACEHOLDER = "{v}"
BOUND_NAME = "_v_"  # same length as PLACEHOLDER: offsets in the bound text are offsets in the text


@dataclass(frozen=True, slots=True)
class TransformFinding:
    kind: str  # "syntax", "unsafe" or "free-reference"
    message: str
    offset: int  # 0-based offset into the transform text
    length: int = 1
    hint: str | None = None


@functools.cache
def unsafe_functions() -> frozenset[str]:
    """The function names no transform may call (schemac/data/unsafe_functions.txt)."""
    text = resources.files("schemac").joinpath("data/unsafe_functions.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


def uses_placeholder(text: str) -> bool:
    return PLACEHOLDER in text


MAX_CACHE_ENTRIES = 20_000


def cache_path() -> Path | None:
    if os.environ.get("SCHEMAC_NO_CACHE"):
        return None
    root = os.environ.get("SCHEMAC_CACHE_DIR")
    if root:
        return Path(root) / "transforms.json"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "schemac" / "transforms.json"


# The layout of the cache file. Version 2 added inferred transform types (entries whose key
# starts with TYPES_KEY_PREFIX); a file of another format is discarded and rebuilt.
CACHE_FORMAT = 2
TYPES_KEY_PREFIX = "types\0"
# The modules whose code decides what is cached: a change to either (an editable install, a
# checkout) must not serve answers computed by the old code.
_CACHED_BY = (
    "transforms.py",
    "types/sqltypes.py",
    "types/functions.py",
    "data/unsafe_functions.txt",
)


def _cache_version() -> str:
    """What the cached results depend on: the format, schemac's code and the installed sqlglot."""
    import importlib.util

    from schemac import __version__

    spec = importlib.util.find_spec("sqlglot")
    origin = spec.origin if spec is not None and spec.origin else ""
    here = Path(__file__).parent
    stamps = []
    for path in (origin, *(str(here / name) for name in _CACHED_BY)):
        try:
            stamps.append(str(os.stat(path).st_mtime_ns) if path else "0")
        except OSError:
            stamps.append("0")
    return f"{CACHE_FORMAT}:{__version__}:{origin}:{':'.join(stamps)}"


class _Cache:
    """The persistent findings cache: loaded on first use, saved once at exit if it grew."""

    def __init__(self) -> None:
        self.entries: dict[str, Any] | None = None
        self.dirty = False
        self.version = ""

    def put(self, key: str, value: Any) -> None:
        self.load()[key] = value
        self.dirty = True

    def load(self) -> dict[str, Any]:
        if self.entries is None:
            self.entries = {}
            path = cache_path()
            if path is not None:
                self.version = _cache_version()
                try:
                    document = json.loads(path.read_text(encoding="utf-8"))
                    if document.get("version") == self.version:
                        self.entries = dict(document["entries"])
                except (OSError, ValueError, KeyError, TypeError, AttributeError):
                    pass
        return self.entries

    def save(self) -> None:
        path = cache_path()
        if not self.dirty or path is None or self.entries is None:
            return
        entries = self.entries
        if len(entries) > MAX_CACHE_ENTRIES:  # keep the newest: dicts keep insertion order
            entries = dict(list(entries.items())[-MAX_CACHE_ENTRIES:])
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_text(
                json.dumps({"version": self.version, "entries": entries}), encoding="utf-8"
            )
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written only costs time
        self.dirty = False


_CACHE = _Cache()


def save_cache() -> None:
    """Write new findings to the cache file (called once, after a command has checked)."""
    _CACHE.save()


def cached_types(key: str) -> Any:
    """The cached inferred-type entry for ``key`` (a JSON value), or None."""
    return _CACHE.load().get(TYPES_KEY_PREFIX + key)


def cache_types(key: str, value: Any) -> None:
    """Remember an inferred-type entry (a JSON value) under ``key`` for later runs."""
    _CACHE.put(TYPES_KEY_PREFIX + key, value)


@functools.lru_cache(maxsize=4096)
def screen_transform(text: str, dialect: str) -> tuple[TransformFinding, ...]:
    """Parse ``text`` as one expression of ``dialect`` and report what is not allowed in it."""
    entries = _CACHE.load()
    key = f"{dialect}\0{text}"
    cached = entries.get(key)
    if isinstance(cached, list):
        try:
            return tuple(TransformFinding(**item) for item in cached)  # type: ignore[arg-type]
        except TypeError:
            pass
    findings = _screen(text, dialect)
    _CACHE.put(key, [asdict(finding) for finding in findings])
    return findings


@functools.lru_cache(maxsize=4096)
def parse_bound(text: str, dialect: str) -> tuple[Any, ...]:
    """The statements of a transform with `{v}` bound; raises sqlglot's errors.

    Shared by the screen and by type inference, so each transform is parsed once per process.
    The trees are shared too: a caller that changes one (type annotation does) copies it first.
    """
    import sqlglot

    bound = text.replace(PLACEHOLDER, BOUND_NAME)
    return tuple(s for s in sqlglot.parse(bound, read=dialect) if s is not None)


def _screen(text: str, dialect: str) -> tuple[TransformFinding, ...]:
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    bound = text.replace(PLACEHOLDER, BOUND_NAME)
    try:
        statements = list(parse_bound(text, dialect))
    except ParseError as error:
        detail = error.errors[0] if error.errors else {}
        offset = _offset_of(bound, detail.get("line"), detail.get("col"))
        description = detail.get("description") or str(error).splitlines()[0]
        highlight = detail.get("highlight") or ""
        message = f"the transform is not valid {dialect} SQL: {description}"
        if highlight:
            message += f" near `{highlight}`"
            offset = max(0, offset - len(highlight) + 1)
        return (TransformFinding("syntax", message, offset, max(1, len(highlight))),)
    except TokenError as error:
        message = f"the transform is not valid {dialect} SQL: {error}"
        return (TransformFinding("syntax", message, 0, len(text) or 1),)
    except Exception as error:  # sqlglot raises assorted errors on odd input; never crash on one
        message = f"the transform could not be parsed as {dialect} SQL: {error}"
        return (TransformFinding("syntax", message, 0, len(text) or 1),)
    if not statements:
        return (TransformFinding("syntax", "the transform is empty", 0, len(text) or 1),)
    findings: list[TransformFinding] = []
    if len(statements) > 1:
        second = bound.find(";")
        findings.append(
            TransformFinding(
                "unsafe",
                "the transform holds more than one statement; it must be a single expression",
                max(second, 0),
            )
        )
    root = statements[0]
    statement_types = (exp.Query, exp.DDL, exp.DML, exp.Command, exp.Use, exp.Set, exp.Pragma)
    if isinstance(root, statement_types):
        kind = root.key.upper()
        findings.append(
            TransformFinding(
                "unsafe",
                f"the transform is a {kind} statement, not an expression over {PLACEHOLDER}",
                0,
                len(text),
            )
        )
        return tuple(findings)
    unsafe = unsafe_functions()
    lambda_params: set[str] = set()
    for node in root.walk():
        if isinstance(node, exp.Lambda):
            lambda_params.update(p.name for p in node.expressions)
    for node in root.walk():
        if isinstance(node, (exp.Query, exp.Subquery)):
            offset = _first_offset(node, bound, r"\(\s*select\b|\bselect\b")
            findings.append(
                TransformFinding(
                    "unsafe",
                    "the transform contains a subquery; it may only compute over {v}",
                    offset,
                    6,
                )
            )
        elif isinstance(node, exp.Table):
            findings.append(
                TransformFinding(
                    "unsafe",
                    "the transform reads a table; it may only compute over {v}",
                    0,
                    len(text),
                )
            )
        elif isinstance(node, exp.Func):
            name = _function_name(node)
            if name.lower() in unsafe:
                offset = _node_offset(node, bound, name)
                message = (
                    f"`{name}` reads files, URLs, other tables or server state, which a "
                    "transform may never do"
                )
                findings.append(TransformFinding("unsafe", message, offset, len(name)))
        elif isinstance(node, exp.Column):
            name = node.sql(dialect=dialect)
            if node.name != BOUND_NAME and node.name not in lambda_params:
                offset = _node_offset(node, bound, node.name)
                hint = None
                if _was_double_quoted(bound, offset):
                    hint = f"for a string, use single quotes: '{node.name}'"
                message = f"the transform refers to `{name}`; it sees only {PLACEHOLDER}"
                findings.append(
                    TransformFinding("free-reference", message, offset, len(node.name), hint)
                )
    return tuple(findings)


def _function_name(node: object) -> str:
    from sqlglot import exp

    if isinstance(node, exp.Anonymous):
        return str(node.name)
    meta = getattr(node, "meta", None) or {}
    for key, value in meta.items():
        if key.endswith("_name") and isinstance(value, str):
            return value
    return type(node).__name__


def _node_offset(node: object, text: str, name: str) -> int:
    meta = getattr(node, "meta", None) or {}
    if "start" in meta:
        return int(meta["start"])
    this = getattr(node, "this", None)
    inner = getattr(this, "meta", None) or {}
    if "start" in inner:
        return int(inner["start"])
    match = re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text)
    return match.start() if match else 0


def _first_offset(node: object, text: str, pattern: str) -> int:
    match = re.search(pattern, text, re.IGNORECASE)
    return match.start() if match else 0


def _was_double_quoted(text: str, offset: int) -> bool:
    return offset > 0 and text[offset - 1] == '"'


def _offset_of(text: str, line: int | None, column: int | None) -> int:
    """0-based offset of sqlglot's 1-based (line, col); col is the end of the offending token."""
    if not line or not column:
        return 0
    lines = text.split("\n")
    offset = sum(len(lines[i]) + 1 for i in range(min(line - 1, len(lines))))
    return max(0, min(len(text) - 1, offset + column - 1))

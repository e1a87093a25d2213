"""The shape of the package, held by tests: layers, no cycles, small modules and functions.

The layers are CONTRIBUTING.md's table. A module may import its own layer's packages and the
layers below; an import of a higher layer (lazy or not, type-only or not) fails here, and so does
a cycle between modules. A module named in a string (imported with importlib) counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import REPO

PACKAGE = REPO / "schemac"

# Lowest first. Each entry: the module prefixes that form one layer.
LAYERS: list[tuple[str, ...]] = [
    ("schemac.vocabulary", "schemac.diagnostics", "schemac.fileio"),
    ("schemac.rules", "schemac.config"),
    ("schemac.core",),
    ("schemac.sql",),
    ("schemac.types", "schemac.catalog"),
    ("schemac.checks",),
    ("schemac.project",),
    ("schemac.render", "schemac.fmt", "schemac.scaffold"),
    ("schemac.remote", "schemac.run", "schemac.feed"),
    ("schemac.cli", "schemac.lsp", "schemac.__main__", "schemac.sandbox.__main__"),
]
# The sandbox is a stand-in of someone else's API: it shares only the vocabulary with schemac.
SANDBOX_MAY_IMPORT = ("schemac.sandbox", "schemac.vocabulary")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, name: str) -> set[str]:
    """Every schemac module ``path`` imports, at any depth (lazy and type-only imports too).

    A string that is exactly a module's name counts as an import of it: that is how
    ``importlib.import_module(name)`` over a tuple of names imports.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
    modules = _modules()
    return {module for module in found if module in modules and module != name}


def test_a_module_named_in_a_string_is_an_import(tmp_path: Path) -> None:
    source = tmp_path / "registry.py"
    source.write_text(
        'import importlib\nNAMES = ("schemac.checks.schema", "schemac.checks nope")\n'
        "for name in NAMES:\n    importlib.import_module(name)\n"
    )
    assert _imports(source, "schemac.rules.registry") == {"schemac.checks.schema"}


def _layer_of(module: str) -> int | None:
    for index, prefixes in enumerate(LAYERS):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return index
    return None


def test_every_module_has_a_layer() -> None:
    homeless = [
        name
        for name in _modules()
        if name != "schemac" and _layer_of(name) is None and not name.startswith("schemac.sandbox")
    ]
    assert homeless == [], "add these to LAYERS (and CONTRIBUTING.md)"


def test_no_module_imports_a_higher_layer() -> None:
    upward = []
    for name, path in _modules().items():
        if name == "schemac":
            continue  # the library facade: lazy imports of the stages it fronts
        for imported in _imports(path, name):
            if imported == "schemac":
                continue  # the package root: only __version__ is imported from it
            if name.startswith("schemac.sandbox") and name != "schemac.sandbox.__main__":
                if not imported.startswith(SANDBOX_MAY_IMPORT):
                    upward.append(f"{name} -> {imported}")
                continue
            own, other = _layer_of(name), _layer_of(imported)
            if own is not None and other is not None and other > own:
                upward.append(f"{name} -> {imported}")
    assert upward == []


def test_the_package_root_exports_only_the_version_to_the_stages() -> None:
    offending = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "schemac" and not node.level:
                names = {alias.name for alias in node.names}
                if names - {"__version__"} - {m.rpartition(".")[2] for m in _modules()}:
                    offending.append(f"{name}: {sorted(names)}")
    assert offending == []


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(path, name) for name, path in modules.items()}
    # A package's __init__ importing its own submodules is how a package re-exports; the edge
    # from a submodule back to its package is then not a cycle of meaning, so it is left out.
    for name, edges in graph.items():
        graph[name] = {e for e in edges if not name.startswith(e + ".")}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []


def test_modules_stay_small() -> None:
    large = {
        name: lines
        for name, path in _modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert large == {}


def test_functions_stay_short() -> None:
    long = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name}: {length}")
    assert long == []

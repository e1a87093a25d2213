"""schemac: Ticksupply export schemas as code.

The library API (each a plain function, usable without the CLI)::

    import schemac
    project = schemac.load_project(["schemas/"])          # files -> IR schemas + diagnostics
    diagnostics = schemac.check(project)                  # every finding, sorted
    body = schemac.compile_schema(project.schemas[0])     # the API's JSON body, as a dict

Heavy modules are imported only by the functions that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.core.ir import Schema
    from schemac.diagnostics import Diagnostic
    from schemac.project import Project

__all__ = ["__version__", "check", "compile_schema", "load_project"]


def load_project(
    paths: list[str] | None = None, config: Config | None = None, *, syncs: bool = False
) -> Project:
    """Load schema files (YAML authoring or wire JSON) into IR schemas, collecting diagnostics;
    with ``syncs``, the sync specs (``syncs/*.yaml``) too, as `schemac validate` does."""
    from schemac.project import load_project as _load

    return _load(paths, config, syncs=syncs)


def check(project: Project) -> list[Diagnostic]:
    """Every diagnostic of a loaded project: load and parse findings plus all rule checks."""
    from schemac.project import check_project

    return check_project(project)


def compile_schema(schema: Schema) -> dict[str, Any]:
    """The JSON body the API's create endpoint takes for ``schema``."""
    from schemac.render.wire import to_wire

    return to_wire(schema)

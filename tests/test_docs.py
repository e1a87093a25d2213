"""The documentation site: its home page is the README, and every page is in the navigation."""

from __future__ import annotations

import importlib.util

from helpers import DOCS, REPO


def _index_from_readme(readme: str) -> str:
    spec = importlib.util.spec_from_file_location("sync", REPO / "tools" / "sync_docs_index.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result: str = module.index_from_readme(readme)
    return result


def test_docs_home_page_is_the_readme() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert (DOCS / "index.md").read_text("utf-8") == _index_from_readme(readme), (
        "docs/index.md differs from README.md: run python tools/sync_docs_index.py"
    )


def test_every_docs_page_is_in_the_navigation() -> None:
    nav = (REPO / "mkdocs.yml").read_text("utf-8")
    missing = [page.name for page in DOCS.glob("*.md") if f" {page.name}" not in nav]
    assert missing == [], f"add these pages to nav in mkdocs.yml: {missing}"


def test_readme_links_only_to_pages_that_exist() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for chunk in readme.split("](docs/")[1:]:
        target = chunk[: chunk.index(")")].split("#")[0]
        assert target == "" or (DOCS / target).is_file(), target

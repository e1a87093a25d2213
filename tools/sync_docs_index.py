"""Write docs/index.md from README.md: the site's home page is the README, links made relative.

Run after editing the README; tests/test_docs.py fails while the two differ.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def index_from_readme(readme: str) -> str:
    """The README as the docs site's home page: `docs/x.md` links become `x.md`."""
    text = readme.replace("[`docs/`](docs/)", "these pages")
    return text.replace("](docs/", "](")


if __name__ == "__main__":
    readme = (REPO / "README.md").read_text("utf-8")
    (REPO / "docs" / "index.md").write_text(index_from_readme(readme), "utf-8")

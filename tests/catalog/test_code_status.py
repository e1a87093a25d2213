"""Exchange codes: which the vendor's docs confirm and which are guessed, as catalog data."""

from __future__ import annotations

from schemac import vocabulary
from schemac.catalog import load_catalog


def test_the_confirmed_codes_of_the_catalog_are_the_vocabularys() -> None:
    # The sandbox (which may import only the vocabulary) serves the confirmed codes: one list.
    catalog = load_catalog()
    confirmed = [
        code
        for code in catalog.codes()
        if (info := catalog.exchange(code)) is not None and info.code_status == "confirmed"
    ]
    assert sorted(confirmed) == sorted(vocabulary.CONFIRMED_EXCHANGES)
    for code in catalog.codes():
        info = catalog.exchange(code)
        assert info is not None and info.code_status in ("confirmed", "guessed")
        assert info.code_source, f"{code}: say where the code comes from"

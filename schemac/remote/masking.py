"""Keeping the API key out of every message: masked in each form a text can hold it in, and
refused before any request when an HTTP header cannot carry it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


class Masker:
    """Replaces every secret in a text by a fixed mask; the only formatter of outgoing text.

    A secret is masked in each form a message can carry it in: as is, escaped the way ``repr``
    of a string or of its UTF-8 bytes writes it (an HTTP library's error quotes a header value
    that way), JSON-escaped, and URL-encoded (``%XX``, either case, ``+`` for a space)."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._secrets: list[str] = []
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if not secret or len(secret) < 4:
            return
        forms = {form for form in secret_forms(secret) if len(form) >= 4}
        self._secrets = sorted({*self._secrets, *forms}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def secret_forms(secret: str) -> set[str]:
    """The texts a message may hold ``secret`` as (see :class:`Masker`). Never raises, even
    for a secret that is not valid Unicode text (a lone surrogate from a mis-encoded
    environment variable)."""
    import json
    from urllib.parse import quote, quote_plus

    forms = {
        secret,
        repr(secret)[1:-1],
        secret.encode("unicode_escape").decode("ascii"),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    }
    for errors in ("surrogateescape", "surrogatepass"):
        try:
            encoded = secret.encode("utf-8", errors)
        except UnicodeEncodeError:
            continue
        forms.update({repr(encoded)[2:-1], encoded.decode("latin-1")})
        for percent in (quote(encoded, safe=""), quote(encoded), quote_plus(encoded)):
            forms.add(percent)
            forms.add(re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), percent))
    return forms


def key_problem(api_key: str) -> str | None:
    """Why ``api_key`` cannot be sent as an ``X-Api-Key`` header, or None. The text never
    holds the key (not even a part of it): a message about a key is a message about a secret."""
    for position, char in enumerate(api_key, start=1):
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            return (
                f"the API key holds a control character ({name}) at character {position}; "
                "an HTTP header cannot carry it (check how the key was copied)"
            )
        if not char.isascii():
            return (
                f"the API key holds a non-ASCII character at character {position}; "
                "an HTTP header cannot carry it (check how the key was copied)"
            )
    return None

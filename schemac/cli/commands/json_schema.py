"""`schemac json-schema [--wire]`: a bundled JSON Schema, for editors."""

from __future__ import annotations

import sys

from schemac.vocabulary import EXIT_OK


def json_schema(*, wire: bool = False) -> int:
    from schemac.render.wire import json_schema_text

    sys.stdout.write(json_schema_text(wire=wire))
    return EXIT_OK

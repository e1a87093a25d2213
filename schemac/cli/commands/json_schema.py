"""`schemac json-schema [--wire | --sync]`: a bundled JSON Schema, for editors."""

from __future__ import annotations

import sys

from schemac.vocabulary import EXIT_OK


def json_schema(*, wire: bool = False, sync: bool = False) -> int:
    if sync:  # sync specs (syncs/*.yaml): schemac/data/sync.schema.json
        from importlib import resources

        text = resources.files("schemac").joinpath("data/sync.schema.json").read_text("utf-8")
    else:
        from schemac.render.wire import json_schema_text

        text = json_schema_text(wire=wire)
    sys.stdout.write(text)
    return EXIT_OK

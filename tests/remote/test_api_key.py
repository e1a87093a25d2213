"""The API key: masked in every form a message can carry it in; a key that cannot be sent is
refused before any request, without being echoed."""

from __future__ import annotations

import json
import re
from urllib.parse import quote, quote_plus

import httpx
import pytest

from remote.conftest import Env
from schemac.remote.client import InvalidApiKey, Remote
from schemac.remote.masking import Masker, key_problem, secret_forms

KEYS = [
    "key_test.SeCrEt\nline2",
    "key_test.SeCrEt\x1b[31mred",
    "key_test.SeCrEt\\back'quote\"dq",
    "key_test.SeCrEt%20 space+plus/slash",
    "key_test.SeCrEt\u202eÿé€",
    "key_test.SeCrEt\udcfflone",  # a byte that is not UTF-8, as os.environ decodes it
]

SCHEMA = "name: a\ncategory: trade\ncolumns:\n  ts: {meta: collection_timestamp_ns}\n"


def _forms(key: str) -> list[str]:
    encoded = key.encode("utf-8", "surrogateescape")  # the bytes the environment held
    return [
        key,
        repr(key)[1:-1],
        repr(encoded)[2:-1],
        json.dumps(key)[1:-1],
        quote(encoded, safe=""),
        re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(encoded, safe="")),
        quote(encoded),
        quote_plus(encoded),
    ]


@pytest.mark.parametrize("key", KEYS)
def test_every_form_of_the_key_is_masked(key: str) -> None:
    mask = Masker([key])
    for form in _forms(key):
        text = mask(f"error: header {form!s} was refused; again: <{form}>")
        assert "SeCrEt" not in text, (form, text)
        assert text.count("***") == 2


def test_the_http_librarys_own_error_is_masked(env: Env) -> None:
    key = "key_test.SeCrEt\nline2"
    with pytest.raises(httpx.LocalProtocolError) as raised:  # what reached users before
        httpx.Client(headers={"X-Api-Key": key}).get(env.sandbox.url + "/export-schemas")
    assert "SeCrEt" in str(raised.value)
    assert "SeCrEt" not in Masker([key])(str(raised.value))


@pytest.mark.parametrize("key", [k for k in KEYS if key_problem(k) is not None])
def test_a_key_that_cannot_be_sent_is_refused_before_any_request(
    key: str, env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    env.write("a.yaml", SCHEMA)
    monkeypatch.setenv("TICKSUPPLY_API_KEY", key)
    for command in (["plan"], ["status"], ["publish", "--all", "--yes"], ["pull", "--all"]):
        result = env.run(*command, "-v")
        assert result.code == 2, (command, result)
        assert "API key holds" in result.err
        assert "SeCrEt" not in result.out + result.err and "line2" not in result.err
    assert env.log == []  # not one request reached the sandbox


def test_the_library_refuses_such_a_key_too() -> None:
    with pytest.raises(InvalidApiKey) as raised:
        Remote("key_test.SeCrEt\r\n", "http://127.0.0.1:9/v1")
    assert "SeCrEt" not in str(raised.value) and "U+000D" in str(raised.value)


@pytest.mark.parametrize("key", [k for k in KEYS if key_problem(k) is None])
def test_a_sendable_odd_key_is_masked_in_every_line(
    key: str, env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    env.write("a.yaml", SCHEMA)
    monkeypatch.setenv("TICKSUPPLY_API_KEY", key)
    result = env.run("plan", "-v")
    assert result.code == 1 and "401" in result.err  # the sandbox does not know the key
    assert "SeCrEt" not in result.out + result.err
    assert env.log  # this one was sent


def test_the_forms_include_the_escaped_ones() -> None:
    forms = secret_forms("key_test.a\nb")
    assert {"key_test.a\\nb", "key_test.a%0Ab", "key_test.a%0ab"} <= forms

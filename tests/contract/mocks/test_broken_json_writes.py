"""Every write endpoint of the mocks (the contact center, the CRM, the presence server) given a body that is
not the JSON it asks for — bytes that are not UTF-8, JSON cut short, a lone surrogate, deep nesting, a value
of another type, nothing at all — answers a precise 4xx naming the problem (`detail`), never a 500.

The endpoints are read from each server's own OpenAPI, so a write added later is covered without a change
here; hypothesis draws the endpoint and the body. One server of each for the module (`shared_*_url`): a
body refused stores nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, DEMO_PRESENCE_TOKEN, DEMO_SUPERVISOR_TOKEN
from tests.support.hypothesis_profiles import examples

WRITES = ("post", "put", "patch", "delete")
TOKENS = {"ccaas": DEMO_SUPERVISOR_TOKEN, "crm": DEMO_CRM_TOKEN, "presence": DEMO_PRESENCE_TOKEN}

# What a broken client, a proxy or an attacker sends where JSON is expected.
GARBAGE: st.SearchStrategy[bytes] = st.one_of(
    st.sampled_from(
        [
            b"",
            b"{",
            b"}",
            b"[",
            b'{"a":',
            b"null",
            b"true",
            b"0",
            b"-1e999",
            b"NaN",
            b'"text"',
            b"[]",
            b"[{}]",
            b"\xff\xfe\x00{",
            b'{"a": "\xc3("}',
            b'{"a": "\\udc80"}',
            b'{"a": "\\ud800"}',
            b"\x00",
            b"{}garbage",
            b"[" * 5000 + b"]" * 5000,
            b'{"a":' * 3000 + b"1" + b"}" * 3000,
            b"<!DOCTYPE html><html></html>",
            b'{"name": {"$gt": ""}}',
            b'{"__proto__": {}}',
            b"\xef\xbb\xbf{}",
        ]
    ),
    st.binary(max_size=64),
    st.text(max_size=64).map(lambda t: t.encode("utf-8", "surrogatepass")),
)
CONTENT_TYPES = st.sampled_from(["application/json", "application/json; charset=latin-1", "text/plain", None])


def _writes(base_url: str) -> list[tuple[str, str]]:
    """(method, path) of every write the server's OpenAPI lists, path parameters filled with a plausible id."""
    spec = httpx.get(f"{base_url}/openapi.json", timeout=10).json()
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in WRITES and "requestBody" in operation:
                found.append((method.upper(), re.sub(r"\{[^}]+\}", "x-1", path)))
    return sorted(found)


@pytest.fixture(scope="module")
def servers(shared_ccaas_url: str, shared_crm_url: str, shared_presence_url: str) -> Iterator[dict[str, Any]]:
    urls = {"ccaas": shared_ccaas_url, "crm": shared_crm_url, "presence": shared_presence_url}
    clients = {
        name: httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKENS[name]}"}, timeout=20)
        for name, url in urls.items()
    }
    try:
        yield {"clients": clients, "writes": [(name, *w) for name, url in urls.items() for w in _writes(url)]}
    finally:
        clients["crm"].put("/v1/admin/faults", json={})  # a body drawn by chance may have set the fault switch
        for client in clients.values():
            client.close()


def test_every_server_lists_its_writes(servers: dict[str, Any]) -> None:
    by_server = {name for name, _, _ in servers["writes"]}
    assert by_server == {"ccaas", "crm", "presence"}, servers["writes"]


@settings(max_examples=examples(150))
@given(data=st.data(), body=GARBAGE, content_type=CONTENT_TYPES)
def test_a_write_with_a_broken_body_is_a_precise_4xx(
    servers: dict[str, Any], data: st.DataObject, body: bytes, content_type: str | None
) -> None:
    name, method, path = data.draw(st.sampled_from(servers["writes"]), label="endpoint")
    headers = {"Idempotency-Key": "broken-body"} | ({"Content-Type": content_type} if content_type else {})
    response = servers["clients"][name].request(method, path, content=body, headers=headers)
    if 200 <= response.status_code < 300:  # drawn by chance: a body the endpoint takes (`{}` for the fault switch)
        assert isinstance(json.loads(body), dict), (name, method, path, body[:100])
        return
    assert 400 <= response.status_code < 500, (name, method, path, response.status_code, response.text[:300])
    assert response.json().get("detail"), f"{method} {path} says what is wrong: {response.text[:300]}"


@pytest.mark.parametrize("name", ["ccaas", "crm", "presence"])
def test_json_nested_thousands_deep_is_a_422_that_says_so(servers: dict[str, Any], name: str) -> None:
    method, path = next((m, p) for n, m, p in servers["writes"] if n == name)
    for body in (b"[" * 5000 + b"]" * 5000, b'{"text":' * 5000 + b"1" + b"}" * 5000):
        response = servers["clients"][name].request(
            method, path, content=body, headers={"Idempotency-Key": "deep", "Content-Type": "application/json"}
        )
        assert response.status_code == 422, (name, path, response.status_code, response.text[:200])
        assert "nested deeper" in response.json()["detail"][0]["msg"]

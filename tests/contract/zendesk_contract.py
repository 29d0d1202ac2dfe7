"""Checking HTTP traffic against the Zendesk fragment (docs/vendors/zendesk-support.openapi.yaml) with
openapi-core: a transport that wraps the real one and validates every request the backend sends and every
answer it reads, and refuses keys a request body carries that the fragment does not declare (openapi-core
drops unknown properties without a word, so a misspelt field would pass it and be ignored by Zendesk)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import yaml
from openapi_core import OpenAPI

from tests.support.openapi_check import CheckingTransport, ContractViolation, openapi, operation_in

__all__ = ["SPEC_PATH", "ContractTransport", "ContractViolation", "undeclared_keys"]

SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "vendors" / "zendesk-support.openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
OPENAPI = openapi(SPEC)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = SPEC
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def undeclared_keys(schema: dict[str, Any], value: Any, where: str = "body") -> list[str]:
    """Keys of `value` (recursively) that its schema does not declare."""
    schema = _resolve(schema)
    found: list[str] = []
    if isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key not in schema["properties"]:
                found.append(f"{where}.{key}")
            else:
                found += undeclared_keys(schema["properties"][key], item, f"{where}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += undeclared_keys(schema["items"], item, f"{where}[{index}]")
    return found


class ContractTransport(CheckingTransport):
    """Checks each exchange against the Zendesk fragment (JSON bodies, checked key by key, nested too)."""

    vendor = "the fragment"

    def spec_for(self, request: httpx.Request) -> tuple[OpenAPI, str]:
        return OPENAPI, f"{request.url.scheme}://{request.url.netloc.decode()}"

    def undeclared(self, request: httpx.Request) -> list[str]:
        operation = operation_in(SPEC, request.method, request.url.path)
        if not request.content or operation is None or "requestBody" not in operation:
            return []
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        return undeclared_keys(schema, httpx.Response(200, content=request.content).json())

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
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "vendors" / "zendesk-support.openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
OPENAPI = OpenAPI.from_dict(SPEC)


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


def _request_schema(request: httpx.Request) -> dict[str, Any] | None:
    for template, item in SPEC["paths"].items():
        parts, actual = template.strip("/").split("/"), request.url.path.strip("/").split("/")
        if len(parts) == len(actual) and all(p == a or p.startswith("{") for p, a in zip(parts, actual, strict=True)):
            operation = item.get(request.method.lower())
            if operation and "requestBody" in operation:
                return operation["requestBody"]["content"]["application/json"]["schema"]
    return None


def _werkzeug_request(request: httpx.Request) -> WerkzeugOpenAPIRequest:
    builder = EnvironBuilder(
        path=request.url.path,
        base_url=f"{request.url.scheme}://{request.url.netloc.decode()}",
        method=request.method,
        query_string=request.url.query.decode(),
        headers=list(request.headers.items()),
        data=request.content,
    )
    return WerkzeugOpenAPIRequest(Request(builder.get_environ()))


class ContractViolation(AssertionError):
    pass


class ContractTransport(httpx.AsyncBaseTransport):
    """Validates each exchange against the fragment; `exchanges` keeps (method, path, status) to assert on."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._inner = inner or httpx.AsyncHTTPTransport()
        self.exchanges: list[tuple[str, str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        wrapped = _werkzeug_request(request)
        try:
            OPENAPI.validate_request(wrapped)
        except Exception as error:
            raise ContractViolation(f"{request.method} {request.url.path}: {error!r}") from error
        if request.content:
            schema = _request_schema(request)
            extra = undeclared_keys(schema, httpx.Response(200, content=request.content).json()) if schema else []
            if extra:
                raise ContractViolation(f"{request.method} {request.url.path} sends undeclared keys: {extra}")
        response = await self._inner.handle_async_request(request)
        body = await response.aread()
        answer = Response(body, status=response.status_code, headers=list(response.headers.items()))
        try:
            OPENAPI.validate_response(wrapped, WerkzeugOpenAPIResponse(answer))
        except Exception as error:
            raise ContractViolation(f"answer to {request.method} {request.url.path} ({response.status_code}): {error!r}") from error
        self.exchanges.append((request.method, request.url.path, response.status_code))
        return httpx.Response(response.status_code, headers=response.headers, content=body, request=request)

    async def aclose(self) -> None:
        await self._inner.aclose()

"""Checking HTTP traffic against Twilio's own OpenAPI (TaskRouter v1, pinned: scripts/twilio_spec.py).

The spec is installed from npm at test set-up, never copied here, and loaded once per process (0.5 s; the
`twilio_taskrouter` session fixture in tests/contract/conftest.py). Loading adds what the spec leaves out:
Twilio's error shape (`code`, `message`, `more_info`, `status`) as every operation's `default` answer, or
every 404 would fail validation.

openapi-core validates a form-encoded body's values (enums, booleans, integers, SID patterns), the path and
query parameters and basic auth, but drops a body key the operation does not declare without a word; so the
transport also refuses body and query keys the operation does not declare (a misspelt `ReservationStatuss`
would otherwise pass and be ignored by Twilio). A request is validated as sent to the spec's own server
(`https://taskrouter.twilio.com`), whatever host the test serves it on.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import parse_qsl

import httpx
import yaml
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from scripts.twilio_spec import ensure_spec

TASKROUTER_SERVER = "https://taskrouter.twilio.com"
TWILIO_ERROR = {
    "type": "object",
    "required": ["code", "message", "more_info", "status"],
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "more_info": {"type": "string", "format": "uri"},
        "status": {"type": "integer"},
    },
}


@functools.cache
def taskrouter_spec() -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load((ensure_spec() / "twilio_taskrouter_v1.yaml").read_text(encoding="utf-8"), Loader=loader)
    spec["components"]["schemas"]["twilio.error"] = TWILIO_ERROR
    error = {"description": "Twilio's error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/twilio.error"}}}}
    for item in spec["paths"].values():
        for method, operation in item.items():
            if method in ("get", "post", "delete") and isinstance(operation, dict):
                operation["responses"].setdefault("default", error)
    return spec


@functools.cache
def taskrouter() -> OpenAPI:
    return OpenAPI.from_dict(taskrouter_spec())


def operation_of(method: str, path: str) -> dict[str, Any] | None:
    """The spec's operation for a request path (templates matched segment by segment)."""
    actual = path.strip("/").split("/")
    for template, item in taskrouter_spec()["paths"].items():
        parts = template.strip("/").split("/")
        if len(parts) == len(actual) and all(p == a or p.startswith("{") for p, a in zip(parts, actual, strict=True)):
            return item.get(method.lower())
    return None


def undeclared(method: str, path: str, query: dict[str, str], form: dict[str, str]) -> list[str]:
    """Query and body keys the operation does not declare."""
    operation = operation_of(method, path)
    if operation is None:
        return []  # openapi-core says so, with the path
    names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    found = [f"query.{key}" for key in query if key not in names]
    body = (operation.get("requestBody") or {}).get("content", {}).get("application/x-www-form-urlencoded", {})
    declared = set(body.get("schema", {}).get("properties", {}))
    return found + [f"body.{key}" for key in form if key not in declared]


def _werkzeug_request(request: httpx.Request) -> WerkzeugOpenAPIRequest:
    builder = EnvironBuilder(
        path=request.url.path, base_url=TASKROUTER_SERVER, method=request.method,
        query_string=request.url.query.decode(), data=request.content,
        headers=[(k, v) for k, v in request.headers.items() if k.lower() != "host"],  # the spec's host, not the test's
    )  # fmt: skip
    return WerkzeugOpenAPIRequest(Request(builder.get_environ()))


class ContractViolation(AssertionError):
    pass


class TwilioContractTransport(httpx.AsyncBaseTransport):
    """Validates each exchange against TaskRouter's spec; `exchanges` keeps (method, path, status) to assert on."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._inner = inner or httpx.AsyncHTTPTransport()
        self.exchanges: list[tuple[str, str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        wrapped = _werkzeug_request(request)
        where = f"{request.method} {request.url.path}"
        try:
            taskrouter().validate_request(wrapped)
        except Exception as error:
            raise ContractViolation(f"{where}: {error!r} {error.__cause__!r}") from error
        form = dict(parse_qsl(request.content.decode(), keep_blank_values=True)) if request.content else {}
        query = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
        if extra := undeclared(request.method, request.url.path, query, form):
            raise ContractViolation(f"{where} sends keys TaskRouter does not declare: {extra}")
        response = await self._inner.handle_async_request(request)
        body = await response.aread()
        answer = Response(body, status=response.status_code, headers=list(response.headers.items()))
        try:
            taskrouter().validate_response(wrapped, WerkzeugOpenAPIResponse(answer))
        except Exception as error:
            raise ContractViolation(f"answer to {where} ({response.status_code}): {error!r} {error.__cause__!r}") from error
        self.exchanges.append((request.method, request.url.path, response.status_code))
        return httpx.Response(response.status_code, headers=response.headers, content=body, request=request)

    async def aclose(self) -> None:
        await self._inner.aclose()

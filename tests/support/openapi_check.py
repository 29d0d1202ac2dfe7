"""One way to check HTTP traffic against a vendor's OpenAPI with openapi-core, for every vendor contract.

`CheckingTransport` wraps the real transport and validates every request a backend sends and every answer it
reads; a subclass says which spec a request belongs to (and the server the spec names, so a request served on
a test's loopback port is validated as sent to the vendor) and which keys the request carries that the spec
does not declare — openapi-core drops unknown properties without a word, so a misspelt field would pass it
and be ignored by the vendor. `exchanges` keeps (method, path, status) for tests to assert on.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, cast

import httpx
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response


class ContractViolation(AssertionError):
    pass


def openapi(spec: dict[str, Any]) -> OpenAPI:
    """openapi-core's reader of a parsed spec (its `Mapping[Hashable, Any]` is invariant in the key, so a
    str-keyed spec is one only by a cast)."""
    return OpenAPI.from_dict(cast(Mapping[Hashable, Any], spec))


def operation_in(spec: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    """The spec's operation for a request path (templates matched segment by segment), or None. A concrete
    path wins over a templated one (OpenAPI's rule: `/TaskQueues/Statistics` is not `/TaskQueues/{Sid}`)."""
    actual = path.strip("/").split("/")
    best: tuple[int, dict[str, Any]] | None = None
    for template, item in spec["paths"].items():
        parts = template.strip("/").split("/")
        if len(parts) == len(actual) and all(p == a or p.startswith("{") for p, a in zip(parts, actual, strict=True)):
            literal = sum(not p.startswith("{") for p in parts)
            if best is None or literal > best[0]:
                best = (literal, item)
    return best[1].get(method.lower()) if best is not None else None


def werkzeug_request(request: httpx.Request, base_url: str) -> WerkzeugOpenAPIRequest:
    builder = EnvironBuilder(
        path=request.url.path,
        base_url=base_url,
        method=request.method,
        query_string=request.url.query.decode(),
        data=request.content,
        headers=[(k, v) for k, v in request.headers.items() if k.lower() != "host"],  # the spec's host, not the test's
    )
    return WerkzeugOpenAPIRequest(Request(builder.get_environ()))


class CheckingTransport(httpx.AsyncBaseTransport):
    """Validates each exchange against a spec; `exchanges` keeps (method, path, status) to assert on."""

    vendor = "the spec"  # in the message about undeclared keys: "sends keys {vendor} does not declare"

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._inner = inner or httpx.AsyncHTTPTransport()
        self.exchanges: list[tuple[str, str, int]] = []

    def spec_for(self, request: httpx.Request) -> tuple[OpenAPI, str]:
        """The OpenAPI the request is checked against, and the base URL it is validated as sent to."""
        raise NotImplementedError

    def undeclared(self, request: httpx.Request) -> list[str]:
        """The request's keys (`body.x`, `query.y`) the operation does not declare."""
        raise NotImplementedError

    def missing(self, request: httpx.Request) -> list[str]:
        """Keys the operation requires that the request lacks, where openapi-core does not say so itself (an
        empty form body is not validated against its schema's `required`)."""
        return []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        openapi, base_url = self.spec_for(request)
        wrapped = werkzeug_request(request, base_url)
        where = f"{request.method} {request.url.path}"
        try:
            openapi.validate_request(wrapped)
        except Exception as error:
            raise ContractViolation(f"{where}: {error!r} {error.__cause__!r}") from error
        if extra := self.undeclared(request):
            raise ContractViolation(f"{where} sends keys {self.vendor} does not declare: {extra}")
        if lacking := self.missing(request):
            raise ContractViolation(f"{where} lacks keys {self.vendor} requires: {lacking}")
        response = await self._inner.handle_async_request(request)
        body = await response.aread()
        answer = Response(body, status=response.status_code, headers=list(response.headers.items()))
        try:
            openapi.validate_response(wrapped, WerkzeugOpenAPIResponse(answer))
        except Exception as error:
            raise ContractViolation(
                f"answer to {where} ({response.status_code}): {error!r} {error.__cause__!r}"
            ) from error
        self.exchanges.append((request.method, request.url.path, response.status_code))
        return httpx.Response(response.status_code, headers=response.headers, content=body, request=request)

    async def aclose(self) -> None:
        await self._inner.aclose()

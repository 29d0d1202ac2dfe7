"""Errors in OpenAI's shape (`{"error": {"message", "type", "param", "code"}}`), as its API reference and its client
libraries read them: `invalid_request_error` for a bad request (400, 404 for an unknown model), `authentication_error`
is written `invalid_request_error` with code `invalid_api_key` (401) as OpenAI answers it, `server_error` (500)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class OpenAiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        kind: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.kind, self.param, self.code = status, message, kind, param, code

    def body(self) -> dict[str, object]:
        return {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}}


def error_response(error: OpenAiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status)


def answer_errors_as_openai(app: FastAPI) -> None:
    @app.exception_handler(OpenAiError)
    async def openai_error(request: Request, error: OpenAiError) -> JSONResponse:
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        param = ".".join(str(part) for part in first.get("loc", ())[1:]) or None
        return error_response(OpenAiError(400, f"Invalid request: {first.get('msg', 'malformed body')}", param=param))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        kind = "invalid_request_error" if error.status_code < 500 else "server_error"
        return error_response(OpenAiError(error.status_code, str(error.detail), kind))


class OpenAiShapedRefusals:
    """Pure ASGI middleware, outside the mocks' common request guard: its refusals (`{"detail": ...}`: a body too
    large, a lone surrogate or a NUL, JSON nested too deep) are rewritten in OpenAI's shape, status kept, so every
    answer of `/v1` reads as OpenAI's do. Streams and successes pass untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1"):
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def reshaping(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] >= 400:
                start.update(message)
                return
            if message["type"] == "http.response.body" and start:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                await _send_reshaped(send, start, b"".join(chunks))
                return
            await send(message)

        await self.app(scope, receive, reshaping)


async def _send_reshaped(send: Send, start: dict[str, Any], body: bytes) -> None:
    try:
        found = json.loads(body)
    except (ValueError, RecursionError):
        found = None
    if isinstance(found, dict) and "detail" in found and "error" not in found:
        detail = found["detail"]
        first = detail[0] if isinstance(detail, list) and detail and isinstance(detail[0], dict) else None
        message = str(first.get("msg")) if first else str(detail)
        param = ".".join(str(part) for part in first.get("loc", ())[1:]) or None if first else None
        status = start["status"]
        kind = "invalid_request_error" if status < 500 else "server_error"
        body = json.dumps(OpenAiError(status, message, kind, param).body(), ensure_ascii=True).encode()
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"content-type")]
        start = {
            **start,
            "headers": [*headers, (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})

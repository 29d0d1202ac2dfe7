"""Errors in Zendesk's shape (`{"error", "description", "details"}`), whatever part of the app raises them."""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agent_desktop_mocks.common.http.request_guard import SafeJSONResponse


class ZendeskError(Exception):
    def __init__(
        self,
        status: int,
        error: str,
        description: str,
        details: dict[str, list[dict[str, str]]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.body: dict[str, object] = {"error": error, "description": description}
        if details:
            self.body["details"] = details
        self.headers = headers or {}


def not_found(what: str) -> ZendeskError:
    return ZendeskError(404, "RecordNotFound", f"Not found: {what}")


def invalid(field: str, message: str, code: str = "InvalidValue") -> ZendeskError:
    return ZendeskError(
        422, "RecordInvalid", "Record validation errors", {field: [{"description": message, "error": code}]}
    )


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ZendeskError)
    async def zendesk_error(request: Request, error: ZendeskError) -> JSONResponse:
        return SafeJSONResponse(error.body, status_code=error.status, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        # A bad body is a record Zendesk will not save (422); a bad query or path, a bad request (400).
        in_body = any(item.get("loc", ("",))[0] == "body" for item in error.errors())
        details: dict[str, list[dict[str, str]]] = {}
        for item in error.errors():
            field = ".".join(str(part) for part in item.get("loc", ())[1:]) or "request"
            details.setdefault(field, []).append({"description": str(item.get("msg", "")), "error": "InvalidValue"})
        if in_body:
            return SafeJSONResponse(
                {"error": "RecordInvalid", "description": "Record validation errors", "details": details}, 422
            )
        return SafeJSONResponse(
            {"error": "InvalidParameters", "description": "Invalid parameters", "details": details}, 400
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 404:
            return SafeJSONResponse({"error": "InvalidEndpoint", "description": "Not found"}, 404)
        return SafeJSONResponse({"error": str(error.detail), "description": str(error.detail)}, error.status_code)


class ZendeskShapedRefusals:
    """Outermost middleware: the shared request guard refuses a body before any route (413, or 422 for
    a lone surrogate or NUL) in the mocks' `{"detail": ...}` shape; here it is said in Zendesk's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (413, 422):
                held.append(message)
                return
            if held and message["type"] == "http.response.body":
                body = json.loads(message.get("body") or b"{}")
                if isinstance(body, dict) and "detail" in body and "error" not in body:
                    status = held[0]["status"]
                    error = "RecordInvalid" if status == 422 else "RequestTooLarge"
                    body = {
                        "error": error,
                        "description": "The request cannot be read",
                        "details": {"request": [{"description": str(body["detail"])[:500], "error": "InvalidValue"}]},
                    }
                content = json.dumps(body, ensure_ascii=True).encode()
                headers = [(k, v) for k, v in held[0]["headers"] if k.lower() != b"content-length"]
                await send({**held[0], "headers": [*headers, (b"content-length", str(len(content)).encode())]})
                held.clear()
                await send({"type": "http.response.body", "body": content})
                return
            await send(message)

        await self.app(scope, receive, rewrite)

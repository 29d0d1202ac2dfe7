"""Errors in OpenAI's shape (`{"error": {"message", "type", "param", "code"}}`), as its API reference and its client
libraries read them: `invalid_request_error` for a bad request (400, 404 for an unknown model), `authentication_error`
is written `invalid_request_error` with code `invalid_api_key` (401) as OpenAI answers it, `server_error` (500)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class OpenAiError(Exception):
    def __init__(
        self, status: int, message: str, kind: str = "invalid_request_error", param: str | None = None,
        code: str | None = None,
    ) -> None:  # fmt: skip
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

"""Errors in Twilio's shape (`code`, `message`, `more_info`, `status`), whatever part of the app raises them.

Codes: 20001 invalid parameter (and a transition the resource's status forbids), 20003 authentication,
20404 not found; 412 for an `If-Match` that does not match the task's ETag (the code is this mock's choice).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from agent_desktop_mocks.ccaas.core.errors import Conflict, Invalid, NotFound
from agent_desktop_mocks.common.http.request_guard import SafeJSONResponse


class TwilioError(Exception):
    def __init__(self, status: int, code: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}

    def body(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }


def not_found(path: str) -> TwilioError:
    return TwilioError(404, 20404, f"The requested resource {path} was not found")


def _answer(error: TwilioError) -> JSONResponse:
    return SafeJSONResponse(error.body(), status_code=error.status, headers=error.headers)


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TwilioError)
    async def twilio_error(request: Request, error: TwilioError) -> JSONResponse:
        return _answer(error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        field = str((first.get("loc") or ("", "request"))[-1])
        return _answer(TwilioError(400, 20001, f"Invalid parameter {field}: {first.get('msg', 'invalid')}"))

    @app.exception_handler(NotFound)
    async def engine_not_found(request: Request, error: NotFound) -> JSONResponse:
        return _answer(not_found(request.url.path))

    @app.exception_handler(Conflict)
    async def engine_conflict(request: Request, error: Conflict) -> JSONResponse:
        return _answer(TwilioError(400, 20001, f"{error} (current status: {error.state})"))

    @app.exception_handler(Invalid)
    async def engine_invalid(request: Request, error: Invalid) -> JSONResponse:
        return _answer(TwilioError(400, 20001, f"Invalid parameter {error.field}: {error}"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 404:
            return _answer(not_found(request.url.path))
        return _answer(TwilioError(error.status_code, 20000 + error.status_code, str(error.detail)))

"""The mock model server: `create_app(settings)` builds it (an OpenAI-compatible `/v1`: chat completions, models)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from agent_desktop_mocks.common.http.request_guard import guard_requests
from agent_desktop_mocks.common.http.service_api import add_healthz
from agent_desktop_mocks.model.model_server import ModelServer
from agent_desktop_mocks.model.openai_errors import OpenAiError, OpenAiShapedRefusals, answer_errors_as_openai
from agent_desktop_mocks.model.routers import chat, models
from agent_desktop_mocks.model.settings import ModelMockSettings

DESCRIPTION = """\
A model server for the demo and the tests, speaking the OpenAI-compatible chat-completions API (streamed as
server-sent events, or whole) and answering deterministically from the knowledge passages the request carries.
Everything under `/v1` needs `Authorization: Bearer KEY` when started with a key (`--model-key`); else none.
"""


class KeyCheck(BaseHTTPMiddleware):
    """`/v1` asks for the Bearer key, answering 401 in OpenAI's shape (the key given is never echoed)."""

    def __init__(self, app: object, key: str | None) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.key = key

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if self.key is not None and request.url.path.startswith("/v1"):
            given = request.headers.get("Authorization", "")
            if given != f"Bearer {self.key}":
                error = OpenAiError(401, "Incorrect API key provided.", code="invalid_api_key")
                return JSONResponse(error.body(), status_code=401)
        return await call_next(request)


def create_app(settings: ModelMockSettings | None = None) -> FastAPI:
    settings = settings or ModelMockSettings()
    app = FastAPI(title="Mock model server (OpenAI-compatible)", version="1.0", description=DESCRIPTION)
    app.state.server = ModelServer(settings)
    guard_requests(app)
    answer_errors_as_openai(app)  # after the guard's handlers: the API's errors are OpenAI's shape
    app.add_middleware(KeyCheck, key=settings.api_key)
    app.add_middleware(OpenAiShapedRefusals)  # outermost: the common guard's refusals too
    add_healthz(app)
    app.include_router(chat.router, prefix="/v1")
    app.include_router(models.router, prefix="/v1")
    return app

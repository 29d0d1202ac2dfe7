"""The mock model server in a thread (real uvicorn: it streams, as `httpx.ASGITransport` does not), with the settings a
test asks for; `received` reads the request bodies it was sent, as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from agent_desktop.adapters.openai_compat.chat_completions import ChatCompletionsModel
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.model.app import create_app
from agent_desktop_mocks.model.model_server import ModelServer
from agent_desktop_mocks.model.settings import DEMO_MODEL, DEMO_MODEL_KEY, ModelMockSettings


@dataclass
class RunningModel:
    url: str  # the API's base, .../v1
    server: ModelServer

    def desk_model(self, **options: Any) -> ChatCompletionsModel:
        """The desk's own client for it, as `[assist]` would build it."""
        return ChatCompletionsModel(self.url, DEMO_MODEL, DEMO_MODEL_KEY, **options)

    def received(self) -> list[dict[str, Any]]:
        return [json.loads(body) for body in self.server.received]

    def received_raw(self) -> list[str]:
        return list(self.server.received)


@contextmanager
def model_server(**settings: Any) -> Iterator[RunningModel]:
    app = create_app(ModelMockSettings(**{"api_key": DEMO_MODEL_KEY, **settings}))
    running = serve_in_thread([app])
    try:
        yield RunningModel(f"{running.urls[0]}/v1", app.state.server)
    finally:
        running.stop()

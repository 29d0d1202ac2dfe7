"""`make demo` starts the mock model server beside the other mocks, and the demo desk's `[assist]` points at it: a
suggestion grounded in a knowledge passage streams from it with nothing else installed."""

from __future__ import annotations

from pathlib import Path

import httpx

from agent_desktop.app import demo
from agent_desktop.app.backend_factory import build_assist
from agent_desktop.assist.prompt import Said, SourcePassage
from agent_desktop.assist.suggestion import Assistant, SuggestionState
from agent_desktop.assist.token_ledger import TokenLedger


async def test_the_demo_desk_gets_a_grounded_suggestion_from_the_demos_model_server(tmp_path: Path) -> None:
    with demo.demo_servers(agents=2, queues=2, data_dir=tmp_path / "demo") as servers:
        assert servers.model_url is not None
        assert httpx.get(f"{servers.model_url}/healthz", timeout=5).status_code == 200
        model = build_assist(servers.settings())
        try:
            assistant = Assistant(model, TokenLedger(10_000))
            passage = SourcePassage(
                "kb-1", "Late fees", "We waive one late fee a year on request. Offices open at nine."
            )
            suggestion = assistant.suggest(
                "c-1", [Said("customer", "Can you waive my late fee?")], [passage], "Billing"
            )
            await suggestion.wait()
        finally:
            await model.aclose()
    assert suggestion.state is SuggestionState.DONE, suggestion.error
    assert suggestion.text == "We waive one late fee a year on request."
    assert suggestion.usage is not None
    assert suggestion.usage.completion_tokens > 0

"""The knowledge search typed into in one burst, as the terminal delivers it: every key in one read, queued before the
desk has read the first (tests/support/terminal_burst.py). A low: "`ctrl+u` plus text in one burst in the
knowledge search loses the text". The search box's own editing keys (ctrl+u, backspace) are its bindings, which
Textual runs once the key has bubbled up to the app, turns after the letters behind it were typed: `ctrl+u` then
cleared what was typed after it, and a backspace took the last letter typed instead of the one before it."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from agent_desktop.ui.agent.suggestions.knowledge_search import KnowledgeSearch
from agent_desktop.ui.app import AgentDesktopApp
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, scene_app, wait_until
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import describe
from tests.support.terminal_burst import send_read, terminal_bytes
from tests.ui.wrap_up.test_wrap_up_in_one_read import notifications_said


@pytest.mark.parametrize(
    ("read", "wanted"),
    [
        (
            terminal_bytes("ctrl+l", "ctrl+u", text="refunx") + terminal_bytes("backspace", text="d policy"),
            "refund policy",
        ),
        (terminal_bytes("ctrl+l", "ctrl+u", text="refnd") + terminal_bytes(*["left"] * 2, text="u"), "refund"),
    ],
    ids=["ctrl+u, words, backspace", "ctrl+u, a slip, arrows back"],
)
async def test_a_search_typed_in_one_read_is_what_was_typed(mocks: InProcessMocks, read: str, wanted: str) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        app = of_kind(pilot.app, AgentDesktopApp)
        send_read(app, read)  # the search opened, what it was opened with cleared, the agent's own words typed

        def query() -> str:
            return (
                app.screen.query_one("#knowledge-query", Input).value if isinstance(app.screen, KnowledgeSearch) else ""
            )

        await wait_until(pilot, lambda: query() == wanted, lambda: f"{wanted!r}; the search holds {query()!r}")
        await wait_until(pilot, lambda: not app.key_turns.busy, "every key of the read read")
        await pilot.pause()
        assert query() == wanted, f"{query()!r}; said {notifications_said(app)}\n{describe(pilot)}"
        assert notifications_said(app) == [], "every key went where the cursor was"

"""A chat reply on the agent's own screen: typing draws nothing and lays nothing out again (the count under the
composer is repainted alone), the reply is drawn once (its echo on the stream is known by id), and it costs two
requests (typing, the message) and one event back. The twin, on
the controller with each arrival counted apart, is tests/unit/desk/test_no_echoes.py."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.widget import Widget

from agent_desktop.domain.protocols import ContactCenter
from agent_desktop.services import Backends
from agent_desktop.ui.agent.agent_screen import AgentScreen
from agent_desktop.ui.shared.transcript_view import TranscriptView
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import go_available, screen_text, wait_until


class CountedCenter:
    """The in-process contact center, counting requests and the events its stream brings."""

    def __init__(self, inner: ContactCenter) -> None:
        self._inner = inner
        self.requests: list[str] = []
        self.arrived: list[str] = []

    def __getattr__(self, name: str) -> Any:  # the inner center's attribute, or a counting wrapper of it
        attr = getattr(self._inner, name)
        if name == "events":

            async def events() -> AsyncIterator[object]:
                async for item in attr():
                    self.arrived.append(getattr(item, "type", type(item).__name__))
                    yield item

            return events
        if not inspect.iscoroutinefunction(attr):
            return attr

        async def request(*args: Any, **kwargs: Any) -> Any:
            self.requests.append(name)
            return await attr(*args, **kwargs)

        return request


async def test_a_chat_reply_is_one_redraw_on_the_senders_desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    redraws: list[int] = []
    redraw = AgentScreen.redraw

    def counted_redraw(screen: AgentScreen) -> None:
        redraws.append(1)
        redraw(screen)

    monkeypatch.setattr(AgentScreen, "redraw", counted_redraw)
    laid_out: list[str] = []  # widgets that asked for a layout pass (every widget on the screen is placed again)
    refresh = Widget.refresh

    def counted_refresh(widget: Widget, *regions: Region, **options: bool) -> Widget:
        if options.get("layout"):
            laid_out.append(widget.id or type(widget).__name__)
        return refresh(widget, *regions, **options)

    monkeypatch.setattr(Widget, "refresh", counted_refresh)
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    built = mocks.backends()
    center = CountedCenter(built.contact_center)
    backends = Backends(contact_center=center, crm=built.crm, presence=built.presence, outbox=built.outbox)
    try:
        async with desk_app(backends, clock=mocks.clock.now).run_test(size=(120, 40)) as pilot:

            async def settle() -> tuple[int, int, int]:
                """Run until nothing more is drawn, sent or received for a few turns."""
                counts: tuple[int, int, int] | None = None
                stable = 0
                while stable < 6:
                    await pilot.pause(0.05)
                    now = (len(redraws), len(center.requests), len(center.arrived))
                    stable, counts = (stable + 1, now) if now == counts else (0, now)
                return present(counts)

            await go_available(pilot)
            await mocks.place_call("dana@example.com", channel="chat", subject="Charged twice")
            await wait_until(pilot, lambda: "Charged twice" in screen_text(pilot, "#offer"), "the offer")
            await pilot.press("a")
            await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "connected")
            await wait_until(pilot, lambda: getattr(pilot.app.focused, "id", None) == "composer", "in the composer")
            drawn, sent, arrived = await settle()

            laid_out.clear()
            await pilot.press(*"Hi Dana")
            assert await settle() == (drawn, sent + 1, arrived), "typing: one request, nothing back, nothing drawn"
            assert laid_out == [], f"typing laid the screen out again, asked by {laid_out}"
            assert center.requests[-1] == "set_typing"

            await pilot.press("enter")
            assert await settle() == (drawn + 1, sent + 2, arrived + 1)
            assert center.requests[-1] == "send_message"
            assert center.arrived[-1] == "message"
            assert "Hi Dana" in "\n".join(pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines())
    finally:
        await mocks.aclose()

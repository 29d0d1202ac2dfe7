"""Ask the floor on the supervisor's desk (k), on the in-process backends with the mock model server's own engine as
the model: the key is offered in the footer and the palette where a model is configured; the question's answer
streams in beside the figures the desk sent with it — the table shown is, line for line, the figures block the model
received, and names no agent; a failing model says so in one line and the question stays typed; without a model the
key is not offered and the help says why. At 120×40 and 80×24."""

from __future__ import annotations

import json
import re

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from agent_desktop.staffing.why_service_level import why_service_level_is_low
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.model.settings import ModelMockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.model import InProcessModel
from tests.support.scenes.ask_floor_scene import billing_below_target
from tests.support.scenes.pilot_steps import screen_text, supervisor_screen, wait_until

QUESTION = "Why is billing's service level down?"


def _app(mocks: InProcessMocks, model: InProcessModel | None) -> AgentDesktopApp:
    app = desk_app(mocks.backends(supervisor=True, assist=model), clock=mocks.clock.now, desks=("supervisor",))
    app.bell = lambda: None  # type: ignore[method-assign]
    return app


def _billing_below_target(pilot: Pilot[None], mocks: InProcessMocks) -> list[str]:
    """Billing below target as the contact center's stream would bring it (the screenshot scene's figures): with enough
    agents by Erlang C, and 9 of 60 callers gone before an answer; the causes the desk's rules name for it."""
    billing_below_target(pilot, mocks)
    return [cause.text for cause in why_service_level_is_low(supervisor_screen(pilot).desk.floor, "billing")]


async def _box(pilot: Pilot[None]) -> None:
    screen = supervisor_screen(pilot)
    await wait_until(pilot, lambda: "billing" in screen.desk.floor.queue_ids(), "the floor's queues")
    await pilot.press("k")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AskFloorBox", "the ask box")


def _figures_block(body: str) -> list[str]:
    user = json.loads(body)["messages"][1]["content"]
    (lines,) = re.findall(r"<<<figures ([0-9a-f]{12})>>>\n(.*?)\n<<<end \1>>>", user, re.DOTALL)
    return str(lines[1]).splitlines()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_answer_streams_beside_the_figures_the_desk_sent(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    model = InProcessModel(ModelMockSettings())
    async with _app(mocks, model).run_test(size=size) as pilot:
        screen = supervisor_screen(pilot)
        assert screen.check_action("ask_floor", ()) is True, "offered where a model is configured"
        await wait_until(pilot, lambda: "billing" in screen.desk.floor.queue_ids(), "the floor's queues")
        causes = _billing_below_target(pilot, mocks)
        await _box(pilot)
        await pilot.press(*QUESTION, "enter")
        await wait_until(pilot, lambda: "service level" in screen_text(pilot, "#ask-floor-answer"), "the answer")
        box = pilot.app.screen
        await wait_until(pilot, lambda: not box.streaming, "the whole answer")  # type: ignore[attr-defined]
        answer = screen_text(pilot, "#ask-floor-answer")
        name = screen.desk.floor.queue_name("billing")
        assert answer.startswith(f"{name}'s service level is 61% against 80%"), answer
        figures = {(f.subject, f.name): f.value for f in box.figures}  # type: ignore[attr-defined]
        if causes:  # the cause the rules name, word for word
            assert all(f"{cause} [{name} · cause]" in answer for cause in causes), answer
        else:  # Erlang C says billing is short (few agents signed in): no cause is named, the staffing is
            assert f"Its staffing: {figures[(name, 'staffing')]} [{name} · staffing]" in answer, answer
        (body,) = model.server.received
        sent = _figures_block(body)
        table = box.query_one("#ask-floor-figures", DataTable)
        shown = [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert shown == sent, "the table is the figures the model was sent, line for line"
        assert f"{name} | service level | 61% against 80% in 20 s" in shown, "the figure the answer used"
        names = {a.name for a in screen.desk.floor.agents.values()}
        assert names, "the floor has agents"
        assert not any(agent in body for agent in names), "no agent is named to the model"
        assert box.query_one("#ask-floor-question", Input).value == QUESTION, "the question stays to ask again"
        assert box.query_one("#ask-floor-answer").region.width > 0
        await pilot.press("escape")
        await wait_until(pilot, lambda: pilot.app.screen is screen, "closed")
        await _box(pilot)  # opened again: the last question is there to ask again or change
        assert pilot.app.screen.query_one("#ask-floor-question", Input).value == QUESTION


async def test_a_failing_model_says_so_in_one_line_and_keeps_the_question(mocks: InProcessMocks) -> None:
    model = InProcessModel(ModelMockSettings(failure_rate=1.0))
    async with _app(mocks, model).run_test(size=(120, 40)) as pilot:
        await _box(pilot)
        await pilot.press(*QUESTION, "enter")
        await wait_until(pilot, lambda: "No answer:" in screen_text(pilot, "#ask-floor-answer"), "the failure")
        said = screen_text(pilot, "#ask-floor-answer")
        assert "\n" not in said, said
        assert "500" in said, said
        assert pilot.app.screen.query_one("#ask-floor-question", Input).value == QUESTION
        assert "Your question is kept" in screen_text(pilot, "#ask-floor-hint")
        await wait_until(pilot, lambda: any(n.title == "Assistant" for n in notifications(pilot.app)), "told once")
        await pilot.press("enter")  # asked again: failing again is not told again
        box = pilot.app.screen
        await wait_until(pilot, lambda: len(model.server.received) == 2, "asked again")
        await wait_until(pilot, lambda: not box.streaming, "failed again")  # type: ignore[attr-defined]
        await pilot.pause()
        assert "No answer:" in screen_text(pilot, "#ask-floor-answer")
        assert sum(n.title == "Assistant" for n in notifications(pilot.app)) == 1


async def test_without_a_model_the_key_is_not_offered_and_the_help_says_why(mocks: InProcessMocks) -> None:
    async with _app(mocks, None).run_test(size=(120, 40)) as pilot:
        screen = supervisor_screen(pilot)
        await wait_until(pilot, lambda: screen.desk.floor.queue_ids(), "the floor's queues")
        assert screen.check_action("ask_floor", ()) is False
        assert "assistant's model is configured" in (screen.why_not("ask_floor") or "")
        await pilot.press("k")
        await pilot.pause()
        assert pilot.app.screen is screen, "nothing opens"


async def test_a_question_typed_and_never_asked_is_there_when_the_box_opens_again(mocks: InProcessMocks) -> None:
    model = InProcessModel(ModelMockSettings())
    async with _app(mocks, model).run_test(size=(120, 40)) as pilot:
        screen = supervisor_screen(pilot)
        await _box(pilot)
        await pilot.press(*"why is sales short")
        await pilot.press("escape")
        await wait_until(pilot, lambda: pilot.app.screen is screen, "closed without asking")
        await _box(pilot)
        assert pilot.app.screen.query_one("#ask-floor-question", Input).value == "why is sales short"
        assert not model.server.received, "nothing was asked"

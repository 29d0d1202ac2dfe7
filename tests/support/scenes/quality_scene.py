"""Quality evaluation, by keys on the in-process mocks (the demo's two desks in one app): the demo agent
takes a call and wraps it up; the supervisor (f2) presses e, picks the finished call, answers the voice form's
questions (one per line with their scale), writes a comment; `supervisor-evaluation` is that dialog before it is
sent. `send_evaluation` sends it (ctrl+s). On the in-process mocks, whose clock the scene steps."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import accept, caller, go_available, loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import screen_text, steady_cursors

SIZE = (120, 40)
# The voice form's answers, question by question, typed as shown (1 the first answer): the top answers but
# Resolution: Fair, 2 of 3; a score of 75.
VOICE_ANSWERS = ("2", "2", "4", "2", "2", "3")
COMMENT = "Good greeting; resolve on the call next time"


def _screen(pilot: Pilot[None]) -> str:
    return type(pilot.app.screen).__name__


async def call_handled(pilot: Pilot[None], mocks: InProcessMocks) -> str:
    """A call taken, ended and wrapped up on the agent's desk; its contact id."""
    await loaded(pilot)
    await go_available(pilot)
    contact = await mocks.place_call(caller(mocks, 4).phone_e164, subject="Evaluated call")
    await wait_until(pilot, lambda: "Evaluated call" in screen_text(pilot, "#offer"), "the offer")
    await accept(pilot)
    mocks.time.advance(40)
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    mocks.time.advance(15)
    await pilot.press("w", "enter", "down", "enter", "tab", *"Sorted.", "ctrl+s")
    await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "completed")
    return contact.id


async def evaluation_scene(pilot: Pilot[None], mocks: InProcessMocks) -> str:
    contact_id = await call_handled(pilot, mocks)
    mocks.time.advance(60)
    await pilot.press("f2")
    await wait_until(pilot, lambda: _screen(pilot) == "SupervisorScreen", "the supervisor's screen")
    await pilot.press("e")
    await wait_until(pilot, lambda: _screen(pilot) == "EvaluationDialog", "the evaluation dialog")
    steady_cursors(pilot)
    await pilot.press("enter")
    dialog = pilot.app.screen
    await wait_until(pilot, lambda: dialog.draft is not None, "the interaction chosen")  # type: ignore[attr-defined]
    for answer in VOICE_ANSWERS:
        await pilot.press(answer, "down")
    await pilot.press("tab", *COMMENT)
    await wait_until(pilot, lambda: "Score 75" in screen_text(pilot, "#evaluation-score"), "the score preview")
    return contact_id


async def send_evaluation(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: _screen(pilot) == "SupervisorScreen", "sent, the dialog closed")


async def capture_evaluation(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks, desks=("agent", "supervisor"))
            app.bell = lambda: None  # type: ignore[method-assign]
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await evaluation_scene(pilot, mocks)
                pilot.app.clear_notifications()
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()


async def capture_evaluation_result(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    """The agent's side (`agent-evaluation-result`): the call the supervisor scored, released to the agent, in my
    day (d) with its score and the supervisor's comment, not yet acknowledged."""
    from agent_desktop.ui.agent.my_day.my_day_view import MyDayView

    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks, desks=("agent", "supervisor"))
            app.bell = lambda: None  # type: ignore[method-assign]
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await evaluation_scene(pilot, mocks)
                await send_evaluation(pilot)
                await pilot.press("f2")
                await wait_until(pilot, lambda: _screen(pilot) == "AgentScreen", "the agent's desk")
                await pilot.press("d")
                await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyDayView), "my day")
                await wait_until(pilot, lambda: COMMENT in screen_text(pilot, "#my-day-evaluation-comments"), "result")
                pilot.app.clear_notifications()
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()


async def capture_auto_evaluation(name: str, folder: Path, size: tuple[int, int] = SIZE, agent: bool = False) -> Path:
    """`supervisor-auto-evaluation`: the finished call chosen for evaluation, answered by the mock model from its
    recognised lines, each answer with its passage or "no passage", the first overridden by the supervisor; with
    `agent` (`agent-auto-evaluation-result`), that evaluation sent and shown in the agent's my day, its comments saying
    the assistant answered it."""
    from agent_desktop.ui.agent.my_day.my_day_view import MyDayView
    from agent_desktop_mocks.model.settings import ModelMockSettings
    from tests.support.desk_app import desk_app
    from tests.support.in_process.model import InProcessModel

    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            backends = mocks.backends(supervisor=True, assist=InProcessModel(ModelMockSettings()))
            app = desk_app(backends, clock=mocks.clock.now, desks=("agent", "supervisor"))
            app.bell = lambda: None  # type: ignore[method-assign]
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await call_handled(pilot, mocks)
                mocks.time.advance(60)
                await pilot.press("f2")
                await wait_until(pilot, lambda: _screen(pilot) == "SupervisorScreen", "the supervisor's screen")
                await pilot.press("e")
                await wait_until(pilot, lambda: _screen(pilot) == "EvaluationDialog", "the evaluation dialog")
                steady_cursors(pilot)
                await pilot.press("enter")
                await wait_until(
                    pilot, lambda: "Evaluated by" in screen_text(pilot, "#evaluation-auto"), "the model's answers"
                )
                await pilot.press("1")
                await wait_until(pilot, lambda: "you changed it" in screen_text(pilot, "#evaluation-questions"), "1")
                if agent:
                    await send_evaluation(pilot)
                    await pilot.press("f2")
                    await wait_until(pilot, lambda: _screen(pilot) == "AgentScreen", "the agent's desk")
                    await pilot.press("d")
                    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyDayView), "my day")
                    await wait_until(
                        pilot,
                        lambda: "Answered by the assistant" in screen_text(pilot, "#my-day-evaluation-comments"),
                        "the result",
                    )
                pilot.app.clear_notifications()
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()

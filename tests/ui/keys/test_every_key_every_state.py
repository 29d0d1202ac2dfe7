"""Every command of the palette and every key, in every state of the desk: none ends the desktop.

The desk is brought into each state by keys, as the scenes do (tests/support/in_process/scenes.py, the
in-process twin of tests/support/scenes/scenes.py and its siblings), in an app with both desks as the demo has, on the
in-process mocks (the mocks' own code, no socket; tests/contract proves they answer as the servers do).
There every command the palette offers is run as the palette runs it (Textual's and the app's typed into the
palette, then enter; the desk's by the callback the palette's provider gives it), then every key that
state binds (the focused widget's, the screen's, the app's, and every key of the desk's command table) is
pressed, then two keys nothing uses; after each, escape leads back to the desk. A command that changes the
state (accept, hold, end…) runs in it, and the state is reached afresh for the next one. The
palette's "Keys" ended the app (TypeError in Textual's key panel).

The contact center's time stands still during a sweep (it moves only to reach a state: a consult leg
answered), so an offer does not expire under it and a state is left only by a key that changes it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, TextArea

from agent_desktop.agent_desk.attention import TYPING_RUN_S
from agent_desktop.agent_desk.commands import COMMANDS
from agent_desktop.ui.agent.agent_screen import AgentScreen
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.palette import palette_commands
from agent_desktop.ui.supervisor.supervisor_screen import SupervisorScreen
from agent_desktop.ui.textual_compat import app_exception, modal_binding_chain
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import (
    SIZE,
    agent_flow_until,
    caller,
    go_available,
    loaded,
    scene_app,
    scene_mocks,
    take,
    wait_until,
)
from tests.support.palette import palette_titles as all_palette_titles
from tests.support.scenes.conversation_scenes import CHAT_CALLER, EMAIL_CALLER, SPEED
from tests.support.scenes.pilot_steps import offer_in_front
from tests.support.scenes.supervisor_scene import rows

pytestmark = pytest.mark.exhaustive  # ~4 min of CPU: make test runs it, make test-fast leaves it out

QUIT_KEYS = ("ctrl+q",)  # last: without contacts in hand they end the app (as they should)
UNUSED_KEYS = ("z", "Z")


async def _offline(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await loaded(pilot)


def _agent_step(step: str) -> Callable[[Pilot[None], InProcessMocks], Awaitable[None]]:
    async def reach(pilot: Pilot[None], mocks: InProcessMocks) -> None:
        await agent_flow_until(pilot, mocks, step)

    return reach


def _conversation(channel: str) -> Callable[[Pilot[None], InProcessMocks], Awaitable[None]]:
    """A chat or an email in hand, its customer's first message in (the conversation scenes' way to take one)."""

    async def reach(pilot: Pilot[None], mocks: InProcessMocks) -> None:
        await loaded(pilot)
        await go_available(pilot)
        who = caller(mocks, CHAT_CALLER if channel == "chat" else EMAIL_CALLER)
        await take(pilot, mocks, who.email, channel, "Charged twice this month")

    return reach


async def _supervisor(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await wait_until(pilot, lambda: len(rows(pilot, "#agents")) > 0 and len(rows(pilot, "#queues")) > 0, "the floor")


@dataclass(frozen=True)
class State:
    name: str
    reach: Callable[[Pilot[None], InProcessMocks], Awaitable[None]]
    focus: str = "#contacts"  # where the keyboard is when each command runs
    speed: float = 1.0  # the simulated customers' speed (chat and email answer)
    supervisor_first: bool = False


STATES = [
    State("offline", _offline),
    State("idle", _agent_step("available")),
    State("offered", _agent_step("offer")),
    State("voice", _agent_step("connected")),
    State("on-hold", _agent_step("on-hold")),
    State("consulting", _agent_step("consult")),
    State("chat", _conversation("chat"), speed=SPEED),
    State("chat-writing", _conversation("chat"), focus="#composer", speed=SPEED),
    State("email", _conversation("email"), speed=SPEED),
    State("wrap-up", _agent_step("wrap-up")),
    State("supervisor-queues", _supervisor, focus="#queues", supervisor_first=True),
    State("supervisor-agents", _supervisor, focus="#agents", supervisor_first=True),
]


def demo_like_app(mocks: InProcessMocks, supervisor_first: bool) -> AgentDesktopApp:
    """Both desks, as `agent-desktop demo` opens them, on the mocks' clock (standing at the scenes' instant)."""
    return scene_app(mocks, desks=("supervisor", "agent") if supervisor_first else ("agent", "supervisor"))


def signature(app: AgentDesktopApp) -> tuple[object, ...]:
    """What the contact center says of the agent: a command that changes it ends the state being swept."""
    desk = app.get_screen("agent").desk  # type: ignore[attr-defined]
    held = sorted(
        (h.id, h.contact.state, h.contact.consult.state if h.contact.consult else None, h.phase)
        for h in desk.held.values()
    )
    return (desk.agent.state if desk.agent else None, desk.offer.id if desk.offer else None, tuple(held))


async def settle(pilot: Pilot[None]) -> None:
    """Until the desk stays the same over an idle turn of the app: a backend's answer comes back over the
    event stream (in-process: as soon as the app lets the stream's worker run, no socket in between)."""
    desk = pilot.app.get_screen("agent").desk  # type: ignore[attr-defined]
    for _ in range(40):
        seen = desk.version
        await pilot.pause()
        if desk.version == seen:
            return


def home_screen(app: App[Any], state: State) -> Screen[Any]:
    return app.get_screen("supervisor" if state.supervisor_first else "agent")


async def back_to_desk(pilot: Pilot[None], state: State) -> None:
    """Escape out of whatever the command opened (a dialog, the palette, help), back to the state's desk and
    focus."""
    app = pilot.app
    for _ in range(8):
        if isinstance(app.screen, (AgentScreen, SupervisorScreen)) or app.return_code is not None:
            break
        await pilot.press("escape")
    if app.return_code is not None:
        return
    assert isinstance(app.screen, (AgentScreen, SupervisorScreen)), f"escape does not leave {app.screen!r}"
    home = home_screen(app, state)
    if app.screen is not home:
        await app.switch_screen(home)
    home.set_focus(home.query_one(state.focus))  # settle() lets it take effect


def palette_titles(app: AgentDesktopApp) -> list[str]:
    return sorted(all_palette_titles(app), key=lambda t: t == "Quit")  # Quit last


def binding_keys(app: AgentDesktopApp) -> list[str]:
    """Every key bound where the keyboard is (widget, screen, app), and every key of the desk's table."""
    keys: dict[str, None] = {}
    for _, bindings in modal_binding_chain(app.screen):
        for key, binding in bindings:
            if not binding.system:
                keys[key] = None
    for command in COMMANDS:
        keys[command.key] = None
    keys.update(dict.fromkeys(["question_mark", "f1", "f2"]))
    ordered = [k for k in keys if k not in QUIT_KEYS]
    return [*ordered, *UNUSED_KEYS, *QUIT_KEYS]


async def run_in_palette(pilot: Pilot[None], title: str) -> None:
    await pilot.press("ctrl+p")
    desk = pilot.app.get_screen("agent")
    offer = desk.desk.offer  # type: ignore[attr-defined]
    if offer is not None and desk.front.look().offer_sent_back != offer.id:  # type: ignore[attr-defined]
        # an offer pending comes over the palette (attention rule 1): escape sends it back to its card
        await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over the palette")
        await pilot.pause(TYPING_RUN_S)
        await pilot.press("escape")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette")
    pilot.app.screen.query_one(CommandInput).value = title  # as typed (one key at a time is slower, the same)
    command_list = pilot.app.screen.query_one(CommandList)

    def highlighted() -> str:
        option = command_list.highlighted_option
        text = getattr(option, "hit", None) and option.hit.text  # type: ignore[union-attr]
        return str(getattr(text, "plain", text))

    await wait_until(pilot, lambda: highlighted() == title, f"the palette to offer {title!r} first")
    await pilot.press("enter")


@dataclass
class Step:
    what: str  # "palette: Keys" or "key: a"
    run: Callable[[Pilot[None]], Awaitable[None]]


async def run_desk_command(pilot: Pilot[None], title: str) -> None:
    """A desk command as the palette runs it: the callback its provider gives the palette (`DeskCommands`,
    over `palette_commands`), called with the desk in front, as the palette calls it once it has closed.
    Typing it into the palette costs ~0.5 s of CPU a command; what typing and enter do with a hit is Textual's
    and the same for every command, and runs here for Textual's and the app's own commands."""
    [command] = [c for c in palette_commands(pilot.app.screen) if c.title == title]
    pilot.app.call_later(command.run)  # as CommandPalette runs the hit chosen (run_action is a coroutine)
    await pilot.pause()


async def run_system_command(pilot: Pilot[None], title: str) -> None:
    """One of Textual's or the app's own commands (`App.get_system_commands`) as the palette runs the hit
    chosen: its callback, once the palette has closed."""
    screen = pilot.app.screen
    [command] = [c for c in pilot.app.get_system_commands(screen) if str(getattr(c.title, "plain", c.title)) == title]
    pilot.app.call_later(command.callback)
    await pilot.pause()


# Typed into the palette and chosen with enter in every state; the other commands are run by the callback the
# palette would run, which is what differs between them (typing a title, the hits and enter are Textual's,
# the same for every command: ~0.5 s of CPU each, a fifth of the sweep). Keys that once ended the app.
TYPED = ("Keys", "Quit")


def actions_keys_run(screen: Screen[Any]) -> set[str]:
    """The screen's actions that a key runs as it is in this state: the key's binding is the screen's and enabled,
    and the focused widget is not one that takes typed keys first (the composer, a search box)."""
    if isinstance(screen.focused, Input | TextArea):
        return set()
    return {b.binding.action for b in screen.active_bindings.values() if b.node is screen and b.enabled}


def steps_for(app: AgentDesktopApp) -> list[Step]:
    """Every palette command and every key. A desk command the palette offers runs `screen.run_action(action)`
    (ui/palette.py), the very call its key's binding makes: where that key reaches the screen's binding in this
    state, the key's step runs it and the palette's would only run it again (a third of the sweep's steps)."""
    by_key = actions_keys_run(app.screen)
    commands = {c.title: c for c in palette_commands(app.screen)}
    desk = set(commands)

    def runner(title: str) -> Callable[[Pilot[None], str], Awaitable[None]]:
        if title in TYPED:
            return run_in_palette
        return run_desk_command if title in desk else run_system_command

    def run_by_key(title: str) -> bool:
        command = commands.get(title)
        action = getattr(command.run, "args", (None,))[0] if command is not None else None
        return title not in TYPED and action in by_key

    titles = [t for t in palette_titles(app) if not run_by_key(t)]

    def palette_step(title: str) -> Step:
        async def run(pilot: Pilot[None]) -> None:
            await runner(title)(pilot, title)

        return Step(f"palette: {title}", run)

    def key_step(key: str) -> Step:
        async def run(pilot: Pilot[None]) -> None:
            await pilot.press(key)

        return Step(f"key: {key}", run)

    palette = [palette_step(t) for t in titles]
    keys = [key_step(k) for k in binding_keys(app)]
    quit_ = [s for s in palette if s.what == "palette: Quit"]
    return [s for s in palette if s not in quit_] + keys + quit_


async def sweep(state: State, tmp_path: Path) -> list[str]:
    """Runs every step in `state`, reaching it afresh after a step that changed it; returns what ran."""
    done: list[str] = []
    pending: list[Step] | None = None
    for attempt in range(40):
        mocks = scene_mocks(tmp_path / f"run-{attempt}", speed=state.speed)
        try:
            app = demo_like_app(mocks, state.supervisor_first)
            async with app.run_test(size=SIZE) as pilot:
                await state.reach(pilot, mocks)
                await back_to_desk(pilot, state)
                await settle(pilot)
                if pending is None:
                    pending = steps_for(app)
                before = signature(app)
                while pending:
                    step = pending.pop(0)
                    await step.run(pilot)  # a key press returns once the app is idle again
                    assert app_exception(app) is None, (
                        f"{state.name}, {step.what}: the app crashed: {app_exception(app)!r}"
                    )
                    done.append(step.what)
                    if app.return_code is not None:
                        assert step.what in ("palette: Quit", "key: ctrl+q"), f"{state.name}, {step.what} ended the app"
                        assert app.return_code == 0
                        break
                    await back_to_desk(pilot, state)
                    await settle(pilot)
                    assert app_exception(app) is None, (
                        f"{state.name}, {step.what}: the app crashed: {app_exception(app)!r}"
                    )
                    if signature(app) != before:
                        break  # the step changed the state: the next steps need it reached again
            assert app_exception(app) is None, f"{state.name}: the app crashed: {app_exception(app)!r}"
        finally:
            await mocks.aclose()
        if not pending:
            return done
    raise AssertionError(f"{state.name}: still {len(pending or [])} steps to run after 40 runs")


@pytest.mark.parametrize("state", STATES, ids=[s.name for s in STATES])
async def test_every_palette_command_and_every_key_leaves_the_desk_running(
    state: State, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # the palette's Screenshot saves to ~/Downloads
    done = await asyncio.wait_for(sweep(state, tmp_path), timeout=600)
    assert "palette: Keys" in done
    assert "key: question_mark" in done
    assert "key: f1" in done

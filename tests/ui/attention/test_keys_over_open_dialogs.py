"""Keys the agent types while a dialog of theirs is open, and an offer comes over it or was just answered: each
goes where the agent meant it, as it does with nothing open.

Reproductions of what a user saw (bugs 3-6): a greeting typed after `a` on a chat offered over the Callback or
Follow-up dialog went into that dialog; tabs typed fast in the Callback dialog were lost; ctrl+s, `n`, an offer,
enter, enter crashed the desk; `r` and `n` in one burst refused the `n`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.ui.agent.agent_screen import AgentScreen
from agent_desktop.ui.agent.callbacks.callback_dialog import CallbackDialog
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.agent.follow_ups.follow_up_dialog import FollowUpDialog
from agent_desktop.ui.textual_compat import notifications
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import (
    SIZE,
    accept,
    agent_flow_until,
    caller,
    go_available,
    loaded,
    scene_app,
    take,
    wait_until,
)
from tests.support.narrowing import of_kind, present
from tests.support.scenes.follow_up_scene import open_follow_up, wrapped_call
from tests.support.scenes.pilot_steps import agent_screen, in_front, offer_in_front, screen_text
from tests.support.typist import Typist


def screen_name(pilot: Pilot[None]) -> str:
    return type(pilot.app.screen).__name__


def said(pilot: Pilot[None]) -> list[str]:
    return [str(n.message) for n in notifications(pilot.app)]


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], object], what: str, saw: Callable[[], str], *, timeout_s: float = 3.0
) -> None:
    """`wait_until`, failing with what the agent saw instead (`saw()`, read when it fails)."""
    try:
        await wait_until(pilot, condition, what, timeout_s=timeout_s)
    except AssertionError:
        raise AssertionError(f"expected {what}; {saw()}") from None


# --- bug 3: the greeting after `a` on a chat offered over an open dialog --------------------------------------


async def callback_open_on_a_chat(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await loaded(pilot)
    await go_available(pilot)
    await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
    await pilot.press("b")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CallbackDialog), "the callback dialog")


async def follow_up_open_on_a_chat(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await wrapped_call(pilot, mocks, caller(mocks, 4).phone_e164)
    await go_available(pilot)
    await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
    await open_follow_up(pilot)


def what_the_dialog_holds(dialog: Screen[object]) -> str:
    if isinstance(dialog, CallbackDialog):
        return repr(dialog.typed())
    if isinstance(dialog, FollowUpDialog):
        return f"channel {dialog.channel.value}, template {dialog.template.label!r}"
    return type(dialog).__name__


@pytest.mark.parametrize("opened", [callback_open_on_a_chat, follow_up_open_on_a_chat], ids=["b", "u"])
async def test_a_greeting_typed_after_accepting_over_a_dialog_goes_into_the_new_chats_composer(
    mocks: InProcessMocks, opened: Callable[[Pilot[None], InProcessMocks], Awaitable[None]]
) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await opened(pilot, mocks)
        underneath = pilot.app.screen
        desk = of_kind(pilot.app.screen_stack[0], AgentScreen).desk
        await mocks.place_call("erin@example.com", channel="chat", subject="Second in line")
        await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over the dialog")
        offered = present(desk.offer).contact.id
        typist = Typist(pilot)
        await typist.sees(offer_in_front(pilot.app))  # the agent reads the offer, then answers it
        typist.press("a")
        typist.type("Hello there")  # at once, as they would greet a customer
        await wait_until(pilot, lambda: offered in desk.held, "the second chat in hand")
        composer = pilot.app.screen_stack[0].query_one("#composer", Composer)
        await wait_for(
            pilot,
            lambda: composer.text == "Hello there",
            "'Hello there' in the new chat's composer",
            lambda: (
                f"it holds {composer.text!r}; in front: {screen_name(pilot)} (was under the offer), with "
                f"{what_the_dialog_holds(underneath)}, focused {pilot.app.focused!r} (the desk's focus: "
                f"{pilot.app.screen_stack[0].focused!r}); notices {said(pilot)}"
            ),
        )
        assert desk.selected_id == offered


# --- bug 4: tabs typed fast in the Callback dialog ---------------------------------------------------------


async def test_tabs_typed_fast_in_the_callback_dialog_move_to_the_next_field(mocks: InProcessMocks) -> None:
    """tab, then `23:50`, tab, tab, `fast note`, enter as one burst: the time, then the note."""
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await mocks.place_call(caller(mocks, 4).phone_e164, subject="Refund call")
        await wait_until(pilot, lambda: "Refund call" in screen_text(pilot, "#offer"), "the offer")
        await accept(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CallbackDialog), "the callback dialog")
        dialog = in_front(pilot, CallbackDialog)
        await pilot.press("tab")  # date → time
        assert present(pilot.app.focused).id == "callback-at"
        typist = Typist(pilot)  # one burst, as a terminal sends it: no wait for the desk between keys
        typist.type("23:50")
        typist.press("tab", "tab")
        typist.type("fast note")
        typist.press("enter")

        def error() -> str:
            return str(dialog.error.render())

        await wait_until(pilot, lambda: error() or not dialog.is_attached, "the callback saved or refused")
        typed = dialog.typed()
        assert (typed.at, typed.note) == ("23:50", "fast note"), f"the tabs were lost: {typed}; it said {error()!r}"


# --- bug 5: ctrl+s, n, an offer, enter, enter -------------------------------------------------------------------


async def test_enter_on_the_reasons_under_an_offer_then_enter_again_does_not_crash_the_desk(
    mocks: InProcessMocks,
) -> None:
    """The wrap-up saved (ctrl+s), `n` for the reasons; a chat offered over them as the agent presses enter to
    pick the first reason (the same run of keys as the `n`: it goes to the reasons under the offer), and enter
    again two seconds later (the offer's)."""
    app = scene_app(mocks)
    crashed: BaseException | None = None
    try:
        async with app.run_test(size=SIZE) as pilot:  # (re-raises what stopped the app)
            await agent_flow_until(pilot, mocks, "wrap-up")
            desk = agent_screen(pilot).desk
            await pilot.press("ctrl+s")
            available = lambda: not desk.held and desk.agent_state() is AgentState.AVAILABLE  # noqa: E731
            await wait_until(pilot, available, "the contact done, the agent Available")
            typist = Typist(pilot)
            typist.press("n")
            await wait_until(pilot, lambda: screen_name(pilot) == "ReasonPicker", "the reasons, for `n`")
            await mocks.place_call("erin@example.com", channel="chat", subject="Second in line")
            await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over the reasons")
            typist.press("enter")
            picked = lambda: not any(type(s).__name__ == "ReasonPicker" for s in pilot.app.screen_stack)  # noqa: E731
            await wait_until(pilot, picked, "the reason picked under the offer")
            await pilot.pause(2.0)  # the agent, two seconds later
            typist.pause()
            typist.press("enter")
            await pilot.pause()
            assert desk.offer is None or offer_in_front(pilot.app) is not None, "an offer pending is in front"
    except Exception as error:  # noqa: BLE001 (what the agent saw: the desk gone)
        crashed = error
    if crashed is not None:
        log = app.runtime.log_path
        raise AssertionError(
            f"the desk stopped on {type(crashed).__name__}; its message sent the agent to {log} "
            f"({'there' if log.exists() else 'no such file'})"
        ) from crashed


# --- bug 6: r and n in one burst ---------------------------------------------------------------------------------


async def test_r_then_n_in_one_burst_rejects_then_asks_for_the_break(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "offer")
        desk = agent_screen(pilot).desk
        assert desk.offer is not None
        typist = Typist(pilot)
        await typist.sees(pilot.app.screen)
        typist.press("r", "n")  # one burst
        await wait_until(pilot, lambda: desk.offer is None, "the offer rejected")
        await wait_for(
            pilot,
            lambda: screen_name(pilot) == "ReasonPicker" or desk.agent_state() is AgentState.NOT_READY,
            "the reasons for `n` (or Not ready)",
            lambda: f"in front: {screen_name(pilot)}, {desk.agent_state()}; notices {said(pilot)}",
        )

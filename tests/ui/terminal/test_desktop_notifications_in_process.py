"""Desktop notifications on screen, on the in-process backends: with the terminal behind (the app blurred,
as Textual's `AppBlur` from the terminal's focus reporting) an offer writes the configured escape sequence (inside
tmux through its passthrough), with the caller's text cleaned; with the terminal in front only the bell, as before;
a kind switched off raises nothing but the bell; an SLA breach is told once; `notify_desktop` serves the other
desks' kinds (a flag's answer, a broadcast)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot

from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.notices.desktop_notifier import DesktopNotifier, NoticeSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import go_available, screen_text, wait_until
from tests.ui.wrap_up.test_acw_timeout_in_process import SIZE, scene_settings

HOSTILE_SUBJECT = "Refund \x1b]9;pwned\x07 card 4111 1111 1111 1111"


def capture(app: AgentDesktopApp, settings: NoticeSettings, environ: dict[str, str]) -> list[str]:
    written: list[str] = []
    app.desktop_notifier = DesktopNotifier(app, settings, environ=environ, write=written.append)
    app.bell = lambda: written.append("\x07")  # type: ignore[method-assign]  # the terminal's bell, as Textual rings it
    return written


async def offer_once(pilot: Pilot[None], mocks: InProcessMocks, subject: str) -> None:
    await mocks.place_call("(512) 555-0100", subject=subject)
    await wait_until(pilot, lambda: "s left" in screen_text(pilot, "#offer"), "the offer")


async def blur(pilot: Pilot[None]) -> None:
    pilot.app.post_message(events.AppBlur())
    await wait_until(pilot, lambda: not pilot.app.app_focus, "the terminal behind")


async def test_an_offer_behind_the_terminal_raises_the_notification_and_in_front_the_bell(tmp_path: Path) -> None:
    mocks = InProcessMocks(scene_settings(tmp_path))
    try:
        app = desk_app(mocks.backends(), clock=mocks.clock.now)
        async with app.run_test(size=SIZE) as pilot:
            written = capture(app, NoticeSettings(style="osc777"), {"TERM": "xterm-256color"})
            await go_available(pilot)
            await offer_once(pilot, mocks, "In front")
            assert written == ["\x07"], "in front: the bell, as before; no notification"
            await pilot.press("r")
            await wait_until(pilot, lambda: "s left" not in screen_text(pilot, "#offer"), "rejected")
            await pilot.press("v")
            written.clear()
            await blur(pilot)
            await offer_once(pilot, mocks, HOSTILE_SUBJECT)
            assert len(written) == 1
            assert written[0].startswith("\x1b]777;notify;Offer: voice · Billing;(512) 555-0100")
            said = written[0]
            assert said.count("\x1b") == 1, "the subject's escape is not passed on"
            assert said.count("\x07") == 1, "the subject's escape is not passed on"
            assert "4111 1111 1111 1111" not in said
            assert "pwned" in said
    finally:
        await mocks.aclose()


async def test_in_tmux_through_its_passthrough_and_a_kind_switched_off_rings_only(tmp_path: Path) -> None:
    mocks = InProcessMocks(scene_settings(tmp_path))
    try:
        app = desk_app(mocks.backends(), clock=mocks.clock.now)
        async with app.run_test(size=SIZE) as pilot:
            written = capture(
                app,
                NoticeSettings(style="auto"),
                {"TERM_PROGRAM": "tmux", "TMUX": "/tmp/s,1,0", "LC_TERMINAL": "iTerm2"},
            )
            await go_available(pilot)
            await blur(pilot)
            await offer_once(pilot, mocks, "Through tmux")
            assert written == ["\x1bPtmux;\x1b\x1b]9;Offer: voice · Billing: (512) 555-0100 · Through tmux\x07\x1b\\"]
            notifier = app.desktop_notifier
            assert notifier.notify_desktop("flag-answer", "Flag answered", "Supervisor: take the refund")
            assert notifier.notify_desktop("broadcast", "Broadcast", "Outage on billing until 3 pm")
            assert len(written) == 3
            assert "Outage on billing" in written[-1]
            off: list[str] = []
            app.desktop_notifier = DesktopNotifier(
                app,
                NoticeSettings(style="osc9", offer=False, broadcast=False),
                environ={},
                write=off.append,
            )
            app.bell = lambda: off.append("\x07")  # type: ignore[method-assign]  # the bell heard as a write
            assert not app.desktop_notifier.notify_desktop("broadcast", "Broadcast", "x")
            await pilot.press("r")
            await wait_until(pilot, lambda: "s left" not in screen_text(pilot, "#offer"), "rejected")
            await pilot.press("v")
            await offer_once(pilot, mocks, "Switched off")
            assert off == ["\x07"], "offers switched off: the bell only"
    finally:
        await mocks.aclose()

"""A voicemail offered, for `make screenshots`: a caller of the seed left a message in billing; the agent goes
Available and the offer card shows its length, its first words and which offer this is. And a voicemail in hand,
played: accepted, its words on the call's area, `L` playing it through the softphone (the desk's own baresip says it
plays as `play` answers: tests/e2e/voicemail/ proves the sound on real processes; here the desk is told so). On the
in-process mocks: every run the same."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from tests.support.in_process.scenes import accept, caller, loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import screen_text

SIZE = (120, 40)
MESSAGE = [
    "Hi, this is about my last invoice, I was charged twice for the same order",
    "please call me back this afternoon",
]


async def capture_voicemail(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                await loaded(pilot)
                who = caller(mocks, 3)
                contact = mocks.engine.arrivals.create_contact("billing", Channel.VOICE, who.phone_e164, "Invoice")
                mocks.engine.voicemails.leave(contact.id, MESSAGE)
                await pilot.press("v")
                await wait_until(pilot, lambda: "Voicemail" in str(app.screen.query_one("#offer").render()), "offer")
                await wait_until(pilot, lambda: who.name in str(app.screen.query_one("#offer").render()), "the card")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()


async def capture_voicemail_playing(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                await loaded(pilot)
                desk = pilot.app.screen.desk  # type: ignore[attr-defined]
                desk.softphone_capabilities = replace(desk.softphone_capabilities, play=True)  # the desk's own
                desk.softphone.link_up()
                who = caller(mocks, 3)
                contact = mocks.engine.arrivals.create_contact("billing", Channel.VOICE, who.phone_e164, "Invoice")
                mocks.engine.voicemails.leave(contact.id, MESSAGE)
                await pilot.press("v")
                await wait_until(pilot, lambda: "Voicemail" in screen_text(pilot, "#offer"), "offer")
                await accept(pilot)
                await wait_until(pilot, lambda: who.name in screen_text(pilot, "#customer-summary"), "the card")
                desk.message_playing[contact.id] = True  # what `L` leaves once the softphone took the WAV
                desk.changed().contacts.add(contact.id)
                app.screen.redraw()  # type: ignore[attr-defined]
                await wait_until(pilot, lambda: "message playing" in screen_text(pilot, "#contact-detail"), "playing")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()

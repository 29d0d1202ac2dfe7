"""Screen for `make screenshots`: a call with its sound, as the desk's softphone and the contact center tell
it: connected, the codec, the caller's display name, and each side's live level (the caller speaking, the agent
quiet). On the in-process mocks; the softphone's events and the contact center's `call_level` are fed to the desk as
they arrive from baresip and the mock's relay (tests/e2e/voice/ proves those on real processes): every run the same."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind
from agent_desktop.domain.models import CallLevelEvent
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import accept, caller, go_available, loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import screen_text

SIZE = (120, 40)


async def call_with_sound(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await loaded(pilot)
    await go_available(pilot)
    number = caller(mocks, 4).phone_e164
    contact = await mocks.place_call(number)
    await wait_until(pilot, lambda: "Billing" in screen_text(pilot, "#offer"), "the offer")
    await accept(pilot)
    desk = pilot.app.screen.desk  # type: ignore[attr-defined]
    desk.softphone.link_up()
    held = [held.contact for held in desk.held.values()]
    peer = f"sip:{number.lstrip('+')}@127.0.0.1:5062"
    desk.softphone.apply(CallEvent(CallEventKind.INCOMING, "call-1", peer=peer, peer_name=number), held)
    desk.softphone.apply(CallEvent(CallEventKind.ESTABLISHED, "call-1"), held)
    desk.softphone.update(contact.id, codec="PCMU 8 kHz")
    desk.apply(CallLevelEvent(contact_id=contact.id, customer=6, agent=1))
    await wait_until(pilot, lambda: "caller ███░" in screen_text(pilot, "#contact-detail"), "the call's levels")


async def capture_call_sound(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                await call_with_sound(pilot, mocks)
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()

"""A desk with no softphone configured (docs/voice.md): it works as before, offers no key that needs one, and its
status line says once how to get sound."""

from __future__ import annotations

from agent_desktop.agent_desk.commands import Where, enabled, why_not
from agent_desktop.ui.agent.agent_status import NO_SOUND
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import accept, go_available, loaded, receive_offer, scene_app
from tests.support.scenes.pilot_steps import agent_screen, screen_text


async def test_a_desk_without_a_softphone_says_how_to_get_sound_and_offers_no_call_keys(
    mocks: InProcessMocks,
) -> None:
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        status = screen_text(pilot, "#agent-status")
        assert status.count(NO_SOUND) == 1, status
        await go_available(pilot)
        await receive_offer(pilot, mocks)
        await accept(pilot)  # a voice call is taken as before
        desk = agent_screen(pilot).desk
        keys = enabled(desk, Where())
        assert not keys["toggle_mute"]
        assert not keys["keypad"]
        assert not keys["reconnect_softphone"]
        assert "[softphone]" in (why_not("toggle_mute", desk) or "")
        assert screen_text(pilot, "#agent-status").count(NO_SOUND) == 1
        assert "☎ " not in screen_text(pilot, "#contact-detail").split("\n", 1)[1]  # no sound state drawn

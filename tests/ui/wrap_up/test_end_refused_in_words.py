"""`e` on a contact the contact center already has in wrap-up says so in the agent's words, with what to do next
: a new agent read "End contact: 409 contact is after_contact_work". Here the call ended a moment
before the agent's `e` reached the contact center (the caller hung up as the agent pressed it), so the real mock's
route refuses the end with its 409; the notice says what that means, never the status or the state's wire name."""

from __future__ import annotations

from dataclasses import replace

from agent_desktop.domain.models import Contact
from agent_desktop.ui.textual_compat import notifications
from tests.support.desk_app import desk_app
from tests.support.in_process.contact_center import InProcessContactCenter
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, wait_until
from tests.support.scenes.pilot_steps import agent_screen, describe


class EndedAMomentBefore(InProcessContactCenter):
    """The mock's contact center, where the contact's call ends (on the same mock, by its own route) just before
    the agent's end arrives: what a caller hanging up as the agent presses `e` does."""

    def __init__(self, mocks: InProcessMocks) -> None:
        super().__init__(mocks.ccaas_app, "agent-001")
        self.elsewhere = mocks.contact_center()

    async def end_contact(self, contact_id: str) -> Contact:
        await self.elsewhere.end_contact(contact_id)
        return await super().end_contact(contact_id)


async def test_e_on_a_contact_already_in_wrap_up_says_so_in_words(mocks: InProcessMocks) -> None:
    backends = replace(mocks.backends(), contact_center=EndedAMomentBefore(mocks))
    async with desk_app(backends, clock=mocks.clock.now).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        await pilot.press("e")

        def said() -> list[tuple[str, str]]:
            return [(str(n.title), str(n.message)) for n in notifications(pilot.app)]

        await wait_until(pilot, lambda: any(title == "End contact" for title, _ in said()), "the end refused")
        assert ("End contact", "This contact is already in wrap-up: finish it with ctrl+s.") in said(), said()
        assert not any("409" in message or "after_contact_work" in message for _, message in said()), said()
        form = agent_screen(pilot).wrap_up_form
        assert form.display, f"the wrap-up stays in front, to finish with ctrl+s\n{describe(pilot)}"

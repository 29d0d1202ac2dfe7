"""Follow-up on the agent's desk, by keys on the in-process backends: after a call's wrap-up, u opens the
follow-up; a customer without SMS consent gets nothing and the agent is told why (the channel named), and nothing
reaches the outbox or the messaging; one with consent gets the SMS through the contact center's messaging, and its
outcome is written to their CRM record once."""

from __future__ import annotations

from textual.pilot import Pilot

from agent_desktop.domain.models import Customer, Interaction
from agent_desktop.ui.agent.agent_screen import AgentScreen
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.demo_people import Caller
from tests.support.in_process.contact_center import InProcessContactCenter
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import accept, caller, go_available, loaded, scene_app, wait_until
from tests.support.narrowing import of_kind
from tests.support.scenes.follow_up_scene import caller_with_sms_consent, open_follow_up, wrapped_call
from tests.support.scenes.pilot_steps import agent_screen, customer_text, screen_text


def told(pilot: Pilot[None]) -> list[str]:
    return [n.message for n in notifications(pilot.app) if n.title == "Follow-up"]


async def test_a_customer_without_sms_consent_gets_nothing_and_the_agent_is_told(mocks: InProcessMocks) -> None:
    person, customer = await caller_with_sms_consent(mocks, False)
    app = scene_app(mocks)
    async with app.run_test() as pilot:
        await wrapped_call(pilot, mocks, person.phone_e164)
        await open_follow_up(pilot)
        assert "SMS consent" in screen_text(pilot, "#follow-up-error"), "the dialog says it before the send too"
        await pilot.press("s", "ctrl+s")
        await wait_until(pilot, lambda: told(pilot), "the agent told")
        assert "No SMS follow-up" in told(pilot)[-1]
        assert "consent" in told(pilot)[-1]
        controller = (
            of_kind(pilot.app.screen_stack[-2], AgentScreen).controller if len(pilot.app.screen_stack) > 1 else None
        )
        assert controller is not None
        assert of_kind(controller.contact_center, InProcessContactCenter).messaging.sent == [], (
            "nothing went to the messaging"
        )
        entries = controller.outbox.recent()
        assert not [e for e in entries if e.kind.value == "follow_up"], "nothing in the outbox"


async def test_a_customer_with_sms_consent_gets_it_and_the_crm_keeps_it_once(mocks: InProcessMocks) -> None:
    person, customer = await caller_with_sms_consent(mocks, True)
    app = scene_app(mocks)
    async with app.run_test() as pilot:
        await wrapped_call(pilot, mocks, person.phone_e164)
        await open_follow_up(pilot)
        assert customer.name.split()[0] in screen_text(pilot, "#follow-up-preview")
        digits = person.phone_e164[2:]  # "SMS to (312) 555-0100", as the card reads it, not "+13125550100"
        choice = screen_text(pilot, "#follow-up-choice")
        assert f"SMS to ({digits[:3]}) {digits[3:6]}-{digits[6:]}" in choice, choice
        await pilot.press("s", "ctrl+s")
        await wait_until(pilot, lambda: told(pilot), "queued")
        controller = agent_screen(pilot).controller
        assert len(of_kind(controller.contact_center, InProcessContactCenter).messaging.sent) == 1
        crm = mocks.crm()

        async def follow_ups() -> list[Interaction]:
            return [
                i
                for i in await crm.list_interactions(customer.id)
                if (i.disposition or "").startswith("Follow-up ") and i.direction == "outbound"
            ]

        for _ in range(40):  # the delivery read on each retry of the outbox's; time is the mocks' clock
            mocks.time.advance(5)
            await pilot.pause(0.05)
            if await follow_ups():
                break
        written = await follow_ups()
        assert len(written) == 1
        assert written[0].channel.value == "sms"
        assert written[0].direction == "outbound"
        assert written[0].disposition == "Follow-up delivered"
        assert "Refunded" not in (written[0].notes or "")
        assert customer.name.split()[0] in (written[0].notes or "")


async def caller_with_email_consent(mocks: InProcessMocks) -> tuple[Caller, Customer]:
    crm = mocks.crm()
    for index in range(mocks.settings.customers):
        found = (await crm.lookup(caller(mocks, index).phone_e164)).customers
        if len(found) == 1 and found[0].consent_marketing is True and found[0].consent_sms is False and found[0].emails:
            return caller(mocks, index), found[0]
    raise AssertionError("no seeded customer with email but no SMS consent")


async def test_the_card_shows_both_channels_consent(mocks: InProcessMocks) -> None:
    person, _ = await caller_with_email_consent(mocks)
    async with scene_app(mocks).run_test() as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await mocks.place_call(person.phone_e164, subject="Consent call")
        await wait_until(pilot, lambda: "Consent call" in screen_text(pilot, "#offer"), "the offer")
        await accept(pilot)
        await wait_until(pilot, lambda: "Consent" in customer_text(pilot), "the card")
        assert "SMS no · email/marketing yes" in customer_text(pilot)


async def test_an_email_follow_up_is_sent_by_its_first_ctrl_s_or_says_why(mocks: InProcessMocks) -> None:
    """e then ctrl+s: the email is queued and said (a customer without SMS consent, so SMS would be refused)."""
    person, customer = await caller_with_email_consent(mocks)
    async with scene_app(mocks).run_test() as pilot:
        await wrapped_call(pilot, mocks, person.phone_e164)
        pilot.app.clear_notifications()
        await open_follow_up(pilot)
        await pilot.press("e", "ctrl+s")
        await wait_until(pilot, lambda: told(pilot), "the first ctrl+s answered")
        assert told(pilot)[-1].startswith(f"email follow-up to {customer.emails[0]} queued")
        assert type(pilot.app.screen).__name__ != "FollowUpDialog"

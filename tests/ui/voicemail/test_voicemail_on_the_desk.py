"""A voicemail on the desk (docs/voice.md "Voicemail as routed work"), on the in-process backends: the message a caller
left is offered with its length, the first words of its transcript (drawn literally) and which offer this is; taken,
its transcript is on the call's area; `B` calls its caller back from the queue's caller ID (a second contact in hand,
the voicemail no call on the line); wrapped up, the CRM gets the message's transcript with the disposition."""

from __future__ import annotations

from textual.pilot import Pilot

from agent_desktop.agent_desk.commands import Where, enabled
from agent_desktop.ui.agent.conversations.desk_call import DeskCall
from agent_desktop.ui.shared.call_transcript_view import CallTranscriptView
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import caller, loaded, scene_app, wait_until
from tests.support.scenes.pilot_steps import agent_screen, customer_text, go_available, screen_text

CUSTOMER = 3  # a seeded caller with a record in the CRM: the card pops from the message's number
MESSAGE = ["[b]Hello[/b] I was charged twice for my order", "please call me back this afternoon"]


def left_a_message(mocks: InProcessMocks, phone: str) -> str:
    engine = mocks.engine
    contact = engine.arrivals.create_contact("billing", Channel.VOICE, phone, "Charged twice")
    engine.voicemails.leave(contact.id, MESSAGE)
    return str(contact.id)


def heard(pilot: Pilot[None]) -> str:
    lines = pilot.app.screen.query_one(DeskCall).query_one(CallTranscriptView).plain_lines()
    return " ".join(line.strip() for line in lines if line.strip())


async def test_a_voicemail_is_offered_heard_on_screen_called_back_and_written_to_the_crm(
    mocks: InProcessMocks,
) -> None:
    who = caller(mocks, CUSTOMER)
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        contact_id = left_a_message(mocks, who.phone_e164)
        await go_available(pilot)
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: desk.offer is not None, "the voicemail offered")
        offer = screen_text(pilot, "#offer")
        assert "✉ Voicemail" in offer, offer
        assert "0:0" in offer, f"its length: {offer}"
        assert "“[b]Hello[/b] I was charged" in offer, f"its first words, literally: {offer}"
        assert "offer 1" in offer, offer
        await pilot.press("a")
        await wait_until(pilot, lambda: contact_id in desk.held, "the voicemail in hand")
        await wait_until(pilot, lambda: "please call me back" in heard(pilot), "the message's words on screen")
        assert "[b]Hello[/b] I was charged twice for my order" in heard(pilot)
        await wait_until(pilot, lambda: who.name in customer_text(pilot), "the card popped from its number")
        assert not enabled(desk, Where())["toggle_recording"], "a message has no call to pause the recording of"

        await wait_until(pilot, lambda: enabled(desk, Where())["call_back"], "the call-back key")
        await pilot.press("B")
        await wait_until(pilot, lambda: len(desk.held) == 2, "the call back placed")
        (back,) = [held.contact for held in desk.held.values() if held.contact.id != contact_id]
        assert (back.from_address, back.direction, back.caller_id) == (who.phone_e164, "outbound", "+15125550100")

        desk.select(contact_id)
        agent_screen(pilot).redraw()
        await pilot.press("e")
        await wait_until(pilot, lambda: desk.held[contact_id].phase.wrapping_up, "the voicemail in wrap-up")
        await pilot.press("w", "enter", "down", "enter", "ctrl+s")
        await wait_until(pilot, lambda: contact_id not in desk.held, "the voicemail wrapped up")
        crm = mocks.crm()
        customer_id = (await crm.search_customers(who.phone_e164))[0].id
        written = []
        for _ in range(200):  # the outbox sends it in the background: bounded
            written = [i for i in await crm.list_interactions(customer_id) if i.contact_id == contact_id]
            if written:
                break
            await pilot.pause(0.05)
        (record,) = written
        full = await crm.interaction(record.id)
        assert [line.text for line in full.transcript] == MESSAGE, "the message's transcript, written back"
        assert full.disposition, "with the disposition chosen"

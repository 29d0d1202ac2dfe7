"""The customer's mood on the conversation's title, in words and an arrow (never by colour alone): a customer who
begins calm and gets angry reads "mood negative ↓ worse" on the agent's pane as their message arrives, and under the
customer's card the same words after a bar for each message, the last the lowest. Scored on the desk (VADER), so it
is there with no model configured. In-process mocks."""

from __future__ import annotations

from textual.pilot import Pilot

from agent_desktop.ui.agent.contacts.desk_contacts import DeskContacts
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, take, wait_until


def pane_title(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("ConversationPane").border_title or "")


def under_the_card(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#customer").border_subtitle or "")


async def test_a_customer_getting_angry_shows_on_the_conversation_title(mocks: InProcessMocks) -> None:
    async with desk_app(mocks.backends(), clock=mocks.clock.now).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact_id = await take(pilot, mocks, "ivy@example.com", "chat", "Charged twice")
        await mocks.customer_says(contact_id, "Thank you so much, you are always a great help")
        await wait_until(pilot, lambda: "mood positive" in pane_title(pilot), "a calm customer's mood")
        calm = under_the_card(pilot).split()
        assert (calm[0], calm[2]) == ("mood", "positive"), calm
        assert calm[1][-1] in "▇█", calm  # the thanks: a tall bar
        await mocks.customer_says(contact_id, "This is ridiculous, I was charged twice and nobody answers. Terrible!")
        await wait_until(pilot, lambda: "mood negative ↓ worse" in pane_title(pilot), "the customer getting angry")
        assert pane_title(pilot).startswith("Chat · "), pane_title(pilot)
        await wait_until(pilot, lambda: "negative ↓ worse" in under_the_card(pilot), "the trend under the card")
        bars = under_the_card(pilot).split()[1]
        assert bars[:-1] == calm[1], under_the_card(pilot)
        assert bars[-1] < bars[-2], under_the_card(pilot)  # one more, lower than the thanks


def contacts_text(pilot: Pilot[None]) -> str:
    table = pilot.app.screen.query_one("#contacts", DeskContacts)
    return "\n".join(str(table.get_row_at(row)[0]) for row in range(table.row_count))


async def test_the_upset_customer_is_marked_in_the_contacts_list_among_several(mocks: InProcessMocks) -> None:
    """Two chats in hand: the one whose customer got angry says "upset ↓" in the list, the calm one nothing."""
    async with desk_app(mocks.backends(), clock=mocks.clock.now).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        angry = await take(pilot, mocks, "ivy@example.com", "chat", "Charged twice")
        calm = await take(pilot, mocks, "lee@example.com", "chat", "Address change")
        await mocks.customer_says(calm, "Thanks, that is great")
        await mocks.customer_says(angry, "Thank you so much, you are always a great help")
        await mocks.customer_says(angry, "This is ridiculous, I was charged twice and nobody answers. Terrible!")
        await wait_until(pilot, lambda: "upset ↓" in contacts_text(pilot), "the angry customer marked")
        rows = contacts_text(pilot).splitlines()
        assert [("upset" in row) for row in rows].count(True) == 1, rows

"""Articles found for the customer's message repaint the area above the composer, nothing else: Textual renders, in a
frame, every widget inside the box around what was asked to repaint, so an answer that also repainted the contact's
row, its detail or its transcript (it once marked the whole conversation changed) made each customer's message cost
two whole-screen frames, the message's and its articles'. Counted by `Widget.refresh` calls, as the call's lines are
(tests/ui/transcripts/test_call_line_repaints.py); the desk's clock held still. In-process mocks."""

from __future__ import annotations

from agent_desktop.domain.knowledge.models import ArticleHints
from agent_desktop.domain.knowledge.query import search_words
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import wait_until
from tests.support.scenes.pilot_steps import agent_screen
from tests.ui.assist.test_suggested_articles_in_process import REFUND, ROUTER, chat_without_a_model, shown_area
from tests.ui.transcripts.test_call_line_repaints import repainted


async def test_articles_for_a_message_repaint_their_area_alone(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now, status_clock_s=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        contact_id = await chat_without_a_model(pilot, mocks, "gil@example.com")
        await mocks.customer_says(contact_id, ROUTER)
        router = await mocks.crm().search_articles(" ".join(search_words(ROUTER)), limit=2)
        await wait_until(pilot, lambda: router[0].title[:40] in shown_area(pilot), "the message's articles")
        await pilot.pause(0.2)
        refund = await mocks.crm().search_articles(" ".join(search_words(REFUND)), limit=2)
        assert refund[0].title != router[0].title, "two searches that find different articles"
        desk = agent_screen(pilot).desk
        with repainted() as seen:
            # What the use case does with a newer search's answer (agent_desk/suggestions/article_hints.py).
            desk.conversations.show_articles(ArticleHints(contact_id, "refund", tuple(refund)))
            await wait_until(pilot, lambda: refund[0].title[:40] in shown_area(pilot), "the newer articles")
            await pilot.pause(0.2)
    assert seen, "the articles were painted"
    assert set(seen) == {"SuggestionArea#suggestion"}, f"repainted besides the articles' area: {seen}"

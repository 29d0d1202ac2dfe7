"""Without an assistant model, the knowledge base suggests articles by itself: after the customer writes in a chat,
the best two articles for their message (searched as ctrl+l would) show above the composer, each with the passage
that matched; keys typed meanwhile stay in the composer; a newer message replaces them; f8 dismisses them; ctrl+l
opens the search on the same words. A knowledge base that refuses says so there. In-process mocks, the mock CRM's
FTS5 knowledge base."""

from __future__ import annotations

from textual.pilot import Pilot

from agent_desktop.domain.knowledge.query import search_words
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop_mocks.crm.faults import NO_FAULTS, Faults
from tests.support.desk_app import desk_app
from tests.support.hostile_screen import screen_lines
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, take, wait_until
from tests.support.scenes.pilot_steps import agent_screen, screen_text, type_burst

ROUTER = "My router keeps dropping the wifi connection every evening"
REFUND = "I want a refund for the duplicate charge on my invoice"


def shown_area(pilot: Pilot[None]) -> str:
    area = pilot.app.screen.query("#suggestion")
    return screen_text(pilot, "#suggestion") if area and area.first().display else ""


async def best_titles(mocks: InProcessMocks, said: str) -> list[str]:
    """What the knowledge base finds first for `said`, asked directly (as ctrl+l asks)."""
    hits = await mocks.crm().search_articles(" ".join(search_words(said)), limit=2)
    return [hit.title[:40] for hit in hits]  # as far as the area's width shows it whole at 120 columns


async def chat_without_a_model(pilot: Pilot[None], mocks: InProcessMocks, address: str) -> str:
    await loaded(pilot)
    await go_available(pilot)
    return await take(pilot, mocks, address, "chat", "Internet problem")


async def test_articles_for_the_customers_message_show_by_themselves_and_f8_dismisses_them(
    mocks: InProcessMocks,
) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await chat_without_a_model(pilot, mocks, "gil@example.com")
        desk = agent_screen(pilot).desk
        await pilot.press("i")
        await mocks.customer_says(contact_id, ROUTER)
        await type_burst(pilot, "Let me check ")  # typed while the search runs
        router_titles = await best_titles(mocks, ROUTER)
        assert router_titles, "the demo's knowledge base has articles on a dropping router"
        await wait_until(pilot, lambda: router_titles[0] in shown_area(pilot), "the best article, by itself")
        shown = shown_area(pilot)
        assert "Articles for this message" in shown, shown
        assert "^l open" in shown, shown
        assert "f8 dismiss" in shown, shown
        assert "Suggested reply" not in shown, "no model: no suggested reply"
        composer = pilot.app.screen.query_one("#composer", Composer)
        assert composer.text == "Let me check ", "the keys stayed in the composer"
        assert pilot.app.focused is composer, "the keys stayed in the composer"

        await mocks.customer_says(contact_id, REFUND)  # a newer message: its own articles
        refund_titles = await best_titles(mocks, REFUND)
        await wait_until(pilot, lambda: refund_titles[0] in shown_area(pilot), "the newer message's articles")
        assert router_titles[0] not in refund_titles, shown_area(pilot)
        assert router_titles[0] not in shown_area(pilot), shown_area(pilot)

        await pilot.press("f8")
        await wait_until(pilot, lambda: not shown_area(pilot), "dismissed")
        assert contact_id not in desk.conversations.articles
        assert composer.text == "Let me check ", "f8 typed nothing"
        assert "suggestions" not in agent_screen(pilot).controller.__dict__, "nothing of the assistant was built"

        await pilot.press("ctrl+l")  # the same words, searched in the dialog: passages to insert
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "KnowledgeSearch", "the knowledge search")
        await wait_until(pilot, lambda: refund_titles[0] in screen_lines(pilot), "the same articles")


async def test_a_knowledge_base_that_refuses_says_so_where_the_articles_would_be(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await chat_without_a_model(pilot, mocks, "hal@example.com")
        faults = mocks.crm_app.state.crm.faults
        faults.set(Faults(fail_status=503, methods=["GET"], path_prefix="/v1/knowledge"))
        try:
            await mocks.customer_says(contact_id, ROUTER)
            await wait_until(pilot, lambda: "did not answer" in shown_area(pilot), "the refusal said")
        finally:
            faults.set(NO_FAULTS)
        await pilot.press("i")
        await type_burst(pilot, "Hello")
        assert pilot.app.screen.query_one("#composer", Composer).text == "Hello", "the desk keeps working"

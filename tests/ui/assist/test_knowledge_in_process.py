"""The knowledge base at the agent's hand (ctrl+l), on the mock CRM's own search (FTS5, BM25) in-process: opened
on a chat, it has searched already with the words of what the customer last wrote; enter puts the matching passage
in the reply to edit, and nothing is sent; on a call, enter shows the article whole. The key works from inside the
composer, and an article's text is drawn as written."""

from __future__ import annotations

from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from agent_desktop.domain.models import ParticipantRole, TranscriptItem
from agent_desktop.ui.agent.agent_screen import AgentScreen
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.agent.suggestions.knowledge_search import KnowledgeSearch
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, agent_flow_until, go_available, loaded, scene_app, take, wait_until
from tests.support.narrowing import of_kind, present
from tests.support.scenes.pilot_steps import agent_screen, screen_text, type_burst
from tests.support.typist import Typist


def dialog(pilot: Pilot[None]) -> KnowledgeSearch | None:
    return next((s for s in pilot.app.screen_stack if isinstance(s, KnowledgeSearch)), None)


async def test_on_a_chat_the_articles_for_the_customers_words_are_there_and_enter_puts_a_passage_in_the_reply(
    mocks: InProcessMocks,
) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact_id = await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
        await mocks.customer_says(contact_id, "Hi! I was charged twice on my card, can I get a refund please")
        desk = agent_screen(pilot).desk

        def customer() -> list[TranscriptItem]:
            return [i for i in desk.conversations[contact_id].items if i.role is ParticipantRole.CUSTOMER]

        await wait_until(pilot, lambda: "charged twice" in customer()[-1].text, "the customer's message")
        await pilot.press("i")
        await type_burst(pilot, "Let me check. ")
        await pilot.press("ctrl+l")  # from inside the composer
        await wait_until(pilot, lambda: dialog(pilot) is not None, "the knowledge search")
        box = dialog(pilot)
        query = present(box).query_one("#knowledge-query", Input).value
        assert "refund" in query, query
        assert "charged" in query, query
        assert "please" not in query, query
        assert "Hi" not in query, query
        await wait_until(pilot, lambda: bool(present(box).hits), "the articles found at once")
        first = of_kind(
            present(box).query_one("#knowledge-results", OptionList).get_option_at_index(0).prompt, Content
        ).plain
        assert present(box).hits[0].title in first, first
        assert present(box).hits[0].snippet.text in first, first
        assert any(w.lower() in ("refund", "charged", "twice") for w in present(box).hits[0].snippet.matched())
        assert present(box).hits[0].audience == "customer", "a page written for customers: it may go in the reply"
        sent_before = len(desk.conversations[contact_id].items)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: dialog(pilot) is None, "the passage chosen")
        composer = pilot.app.screen.query_one("#composer", Composer)
        passage = present(box).hits[0].snippet.text.strip().strip("…").strip()
        assert composer.text.startswith("Let me check. "), composer.text
        assert passage in composer.text, composer.text
        assert pilot.app.focused is composer, "back in the reply, to edit it"
        await pilot.pause(0.2)
        assert len(desk.conversations[contact_id].items) == sent_before, "nothing is sent by itself"


async def test_on_a_call_the_agent_searches_and_reads_an_article_whole(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: dialog(pilot) is not None, "the knowledge search")
        box = dialog(pilot)
        subject = present(present(of_kind(pilot.app.screen_stack[0], AgentScreen).desk.selected_contact()).subject)
        assert present(box).query_one("#knowledge-query", Input).value.split()[:2] == subject.lower().split()[:2], (
            "from its subject"
        )
        present(box).query_one("#knowledge-query", Input).value = ""
        await type_burst(pilot, "reset password")
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(present(box).hits), "the articles")
        await pilot.press("down", "enter")
        article = present(box).query_one("#knowledge-article-text")
        await wait_until(
            pilot, lambda: present(box).hits[0].title in screen_text(pilot, "#knowledge-article-text"), "shown"
        )
        assert present(box).hits[0].url in screen_text(pilot, "#knowledge-article-text")
        assert present(article.parent).display
        await pilot.press("escape")
        await wait_until(pilot, lambda: dialog(pilot) is None, "closed")


async def test_words_and_enter_typed_at_once_search_for_the_words(mocks: InProcessMocks) -> None:
    """Seen in tmux: `password` then enter in one burst searched for nothing ("Type what the customer asks about")
    and a second enter found the articles: the Input's own enter ran before the letters on their way to it
    (agent_desktop/ui/keys/key_turn.py). Its own keys now go after them, in the order typed."""
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await agent_flow_until(pilot, mocks, "connected")
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: dialog(pilot) is not None, "the knowledge search")
        box = dialog(pilot)
        await wait_until(pilot, lambda: bool(present(box).hits), "the articles for the call's subject")
        present(box).query_one("#knowledge-query", Input).value = ""
        present(box).hits = []
        typist = Typist(pilot)
        typist.type("password")
        typist.press("backspace", "d", "enter")
        await wait_until(pilot, lambda: bool(present(box).hits), "the articles for the words typed")
        assert present(box).query_one("#knowledge-query", Input).value == "password"
        assert any("password" in " ".join(hit.snippet.matched() + [hit.title]).lower() for hit in present(box).hits), (
            present(box).hits
        )

"""Who an article is written for: `enter` on an article in the knowledge search put an internal
procedure's fragment ("4. With the customer's agreement, change the plan (Plan") into a customer's email. An
article written for customers still goes into the reply; an internal one opens to read, saying why it is not put
in the reply, and neither `enter` nor `l` (its link) puts anything of it there."""

from __future__ import annotations

from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from agent_desktop.domain.knowledge.models import INTERNAL_NOT_INSERTED
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.agent.suggestions.knowledge_search import KnowledgeSearch
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, scene_app, take, wait_until
from tests.support.narrowing import of_kind, present
from tests.support.scenes.pilot_steps import screen_text, type_burst


def dialog(pilot: Pilot[None]) -> KnowledgeSearch | None:
    return next((s for s in pilot.app.screen_stack if isinstance(s, KnowledgeSearch)), None)


async def search(pilot: Pilot[None], words: str) -> KnowledgeSearch:
    """The knowledge search opened from the reply, searching `words`, its articles listed and the cursor on them."""
    await pilot.press("ctrl+l")
    await wait_until(pilot, lambda: dialog(pilot) is not None, "the knowledge search")
    box = present(dialog(pilot))
    box.query_one("#knowledge-query", Input).value = ""
    await type_burst(pilot, words)
    await pilot.press("enter")
    await wait_until(pilot, lambda: bool(box.hits) and box.hits[0].title in _first_label(box), "the articles")
    await pilot.press("down")
    return box


def _first_label(box: KnowledgeSearch) -> str:
    options = box.query_one("#knowledge-results", OptionList)
    return of_kind(options.get_option_at_index(0).prompt, Content).plain if options.option_count else ""


async def test_an_internal_article_opens_to_read_and_never_reaches_the_reply(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await take(pilot, mocks, "dana@example.com", "chat", "Upgrade my plan")
        await pilot.press("i")
        await type_burst(pilot, "Here is how: ")
        box = await search(pilot, "change the plan agreement pro-rated")
        internal = box.hits[0]
        assert internal.audience == "internal", f"an agents' procedure first: {internal.title}"
        assert "internal" in _first_label(box), "the list says who the article is for"
        for key in ("enter", "l"):
            await pilot.press(key)
            await wait_until(
                pilot, lambda: internal.title in screen_text(pilot, "#knowledge-article-text"), "the article whole"
            )
            assert dialog(pilot) is box, f"{key}: the dialog stays, the article open to read"
            assert INTERNAL_NOT_INSERTED in screen_text(pilot, "#knowledge-hint"), screen_text(pilot, "#knowledge-hint")
            await pilot.press("up")  # back to the articles
            await pilot.press("down")
        await pilot.press("escape")
        await wait_until(pilot, lambda: dialog(pilot) is None, "closed")
        composer = pilot.app.screen.query_one("#composer", Composer)
        assert composer.text == "Here is how: ", f"nothing of the procedure in the reply: {composer.text!r}"


async def test_an_article_written_for_customers_goes_into_the_reply(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await take(pilot, mocks, "dana@example.com", "chat", "Upgrade my plan")
        await pilot.press("i")
        box = await search(pilot, "upgrade plan prices")
        page = box.hits[0]
        assert page.audience == "customer", f"the Help Center page first: {page.title}"
        assert "for customers" in _first_label(box)
        await pilot.press("enter")
        await wait_until(pilot, lambda: dialog(pilot) is None, "the passage chosen")
        composer = pilot.app.screen.query_one("#composer", Composer)
        assert page.snippet.text.strip().strip("…").strip() in composer.text, composer.text

"""The assistant's suggested reply on a chat, on the in-process mocks and the mock model server's own engine: after
the customer writes, a reply grounded in the knowledge base's passages streams in above the composer with its
sources; keys typed meanwhile stay in the composer; ctrl+n puts it there after what was typed, to edit, and nothing is
sent by itself; f8 discards it, f9 asks again. A card number the customer wrote never reaches the model."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Select, TextArea

from agent_desktop.assist.prompt import SourcePassage
from agent_desktop.domain.models import ParticipantRole
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop_mocks.model.settings import ModelMockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.model import InProcessModel
from tests.support.in_process.scenes import SIZE, go_available, loaded, take, wait_until
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen, screen_text, type_burst

CARD = "4111 1111 1111 1111"


def assisted(mocks: InProcessMocks, **model_settings: Any) -> tuple[AgentDesktopApp, InProcessModel]:
    """The desk on `mocks` with the mock model's engine as its assistant."""
    model = InProcessModel(ModelMockSettings(**model_settings))
    return desk_app(mocks.backends(assist=model), clock=mocks.clock.now), model


async def chat_in_hand(
    pilot: Pilot[None], mocks: InProcessMocks, address: str, subject: str = "Charged twice this month"
) -> str:
    await loaded(pilot)
    await go_available(pilot)
    return await take(pilot, mocks, address, "chat", subject)


def shown_suggestion(pilot: Pilot[None]) -> str:
    area = pilot.app.screen.query("#suggestion")
    return screen_text(pilot, "#suggestion") if area and area.first().display else ""


async def test_a_grounded_suggestion_streams_in_and_ctrl_n_puts_it_in_the_reply_to_edit(mocks: InProcessMocks) -> None:
    app, model = assisted(mocks, first_token_s=0.05, token_s=0.01)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await chat_in_hand(pilot, mocks, "dana@example.com", "Charged twice this month")
        desk = agent_screen(pilot).desk
        await pilot.press("i")
        await mocks.customer_says(contact_id, f"I want a refund for a duplicate charge on my card {CARD}")
        await type_burst(pilot, "One moment ")  # typed while the suggestion streams in
        await wait_until(pilot, lambda: "from " in shown_suggestion(pilot), "the suggestion's sources")
        await wait_until(pilot, lambda: "use · " in shown_suggestion(pilot), "the whole suggestion")
        composer = pilot.app.screen.query_one("#composer", Composer)
        assert composer.text == "One moment ", "keys typed while it streamed stay in the composer"
        assert pilot.app.focused is composer
        suggestion = desk.conversations.suggestions[contact_id]
        assert suggestion.text, suggestion.text
        assert suggestion.sources, suggestion.text
        assert re.search(r"refund|charge", suggestion.text, re.I), suggestion.text
        assert all(CARD not in body and "4111111111111111" not in body for body in model.bodies())
        assert model.bodies(), "the model was asked"
        sent_before = len(desk.conversations[contact_id].items)
        await wait_until(pilot, lambda: desk.assistant is not None, "the assistant's figures")
        figures = desk.assistant
        assert present(figures).spent_on(contact_id) >= present(suggestion.usage).total_tokens > 0
        shown = f"assistant ● {present(figures).spent_on(contact_id):,}/{present(figures).spent_today:,} tokens"
        await wait_until(pilot, lambda: shown in screen_text(pilot, "#agent-status"), "its tokens on the status line")

        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: suggestion.text in composer.text, "the suggestion in the composer")
        assert composer.text.startswith("One moment "), composer.text
        assert pilot.app.focused is composer, "used: taken off"
        assert not shown_suggestion(pilot), "used: taken off"
        await pilot.pause(0.2)
        agent_items = [
            i for i in desk.conversations[contact_id].items if i.role is ParticipantRole.AGENT and i.kind == "message"
        ]
        assert len(desk.conversations[contact_id].items) == sent_before, "nothing sent by itself"
        assert not agent_items, "nothing sent by itself"

        await pilot.press("f9")  # asked again, from the conversation as it is
        await wait_until(pilot, lambda: "use · " in shown_suggestion(pilot), "a new suggestion")
        await pilot.press("f8")
        await wait_until(pilot, lambda: not shown_suggestion(pilot), "discarded")
        assert contact_id not in desk.conversations.suggestions


async def test_a_model_that_fails_says_so_in_the_area_and_the_desk_keeps_working(mocks: InProcessMocks) -> None:
    app, model = assisted(mocks, failure_rate=1.0)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await chat_in_hand(pilot, mocks, "eve@example.com", "Router keeps dropping")
        await mocks.customer_says(contact_id, "My router keeps dropping the wifi connection")
        await wait_until(pilot, lambda: "No suggestion" in shown_suggestion(pilot), "the failure said")
        assert "failed" in shown_suggestion(pilot)
        await wait_until(pilot, lambda: "assistant ✕ not answering" in screen_text(pilot, "#agent-status"), "once")
        await pilot.press("i")
        await type_burst(pilot, "Let me look")
        assert pilot.app.screen.query_one("#composer", Composer).text == "Let me look"


async def test_without_a_model_there_is_no_suggested_reply_and_ctrl_n_types_nothing(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await chat_in_hand(pilot, mocks, "fay@example.com", "Charged twice this month")
        await mocks.customer_says(contact_id, "I want a refund for a duplicate charge")
        await pilot.press("i")
        await type_burst(pilot, "Hello")
        await pilot.press("ctrl+n")
        await pilot.pause(0.2)
        assert "Suggested reply" not in shown_suggestion(pilot)  # (articles are: test_suggested_articles_in_process)
        assert pilot.app.screen.query_one("#composer", Composer).text == "Hello"
        assert "suggestions" not in agent_screen(pilot).controller.__dict__, "nothing of the assistant was built"


async def _chat_answered_then_ended(pilot: Pilot[None], mocks: InProcessMocks, address: str) -> str:
    contact_id = await chat_in_hand(pilot, mocks, address)
    await mocks.customer_says(contact_id, "I was charged twice, please refund the duplicate charge")
    desk = agent_screen(pilot).desk
    await wait_until(pilot, lambda: "refund the duplicate" in desk.conversations[contact_id].items[-1].text, "it")
    await pilot.press("i")
    await type_burst(pilot, "I have refunded the duplicate charge today.")
    await pilot.press("enter", "escape")
    agent_wrote = lambda: desk.conversations[contact_id].items[-1].role is ParticipantRole.AGENT  # noqa: E731
    await wait_until(pilot, agent_wrote, "the reply sent")
    await pilot.press("e")
    return contact_id


async def test_the_ai_wrap_up_replaces_the_rules_draft_and_says_whose_it_is(mocks: InProcessMocks) -> None:
    app, model = assisted(mocks, first_token_s=0.05, token_s=0.01)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await _chat_answered_then_ended(pilot, mocks, "gus@example.com")
        desk = agent_screen(pilot).desk
        notes = pilot.app.screen.query_one("#notes", TextArea)

        def status() -> str:
            return screen_text(pilot, "#wrap-up-status")

        await wait_until(pilot, lambda: "Drafted by mock-grounded" in status(), "the model's draft said", timeout_s=15)
        assert notes.text.startswith("The customer wrote:"), notes.text
        assert "refunded the duplicate" in notes.text, notes.text
        disposition = pilot.app.screen.query_one("#disposition", Select).value
        queue = desk.queues[desk.held[contact_id].contact.queue_id]
        assert disposition in queue.dispositions, disposition
        assert desk.wrap_ups[contact_id].notes == notes.text, "the desk keeps what the form shows"
        assert contact_id not in desk.conversations.suggestions, "no suggestion in a conversation that ended"
        wrap_up_asks = [b for b in model.bodies() if "Write the wrap-up's two lines" in b]
        assert len(wrap_up_asks) == 1, "asked once"


async def test_notes_typed_before_the_model_answers_are_kept(mocks: InProcessMocks) -> None:
    app, model = assisted(mocks, first_token_s=5.0, token_s=0.01)  # slower than any typing of "Mine: "
    async with app.run_test(size=SIZE) as pilot:
        await _chat_answered_then_ended(pilot, mocks, "hal@example.com")
        notes = pilot.app.screen.query_one("#notes", TextArea)
        await wait_until(pilot, lambda: notes.text.startswith("Intent:"), "the rules' draft at once")
        await pilot.press("tab")  # from the disposition to the notes
        await wait_until(pilot, lambda: pilot.app.focused is notes, "in the notes")
        await type_burst(pilot, "Mine: ")
        typed = notes.text

        def status() -> str:
            return screen_text(pilot, "#wrap-up-status")

        await wait_until(pilot, lambda: "Your notes are kept" in status(), "the model's draft declined", timeout_s=30)
        assert notes.text == typed
        assert "Mine: " in notes.text


async def test_a_slower_search_for_an_older_message_never_overtakes_the_newer_one(mocks: InProcessMocks) -> None:
    app, model = assisted(mocks, first_token_s=0.01, token_s=0.001)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await chat_in_hand(pilot, mocks, "ida@example.com", "Late fee")
        desk, suggestions = agent_screen(pilot).desk, agent_screen(pilot).controller.suggestions
        await wait_until(pilot, lambda: contact_id in desk.conversations.suggestions, "the opening's suggestion")
        await wait_until(pilot, lambda: desk.conversations.suggestions[contact_id].finished, "done")
        searched = suggestions._passages

        async def first_slow(words: str) -> list[SourcePassage]:
            slow = not hasattr(first_slow, "called")
            first_slow.called = True  # type: ignore[attr-defined]
            if slow:
                await asyncio.sleep(0.5)  # the search for the older message answers last
            return await searched(words)

        suggestions._passages = first_slow  # type: ignore[method-assign]  # the older search answers last
        asked_before = len(model.bodies())
        older = asyncio.create_task(suggestions.suggest(contact_id))
        await pilot.pause(0.05)
        await mocks.customer_says(contact_id, "Also my router keeps dropping the wifi")
        await wait_until(pilot, lambda: older.done(), "the older search answered")
        await wait_until(pilot, lambda: desk.conversations.suggestions[contact_id].finished, "the newer one done")
        asked = model.bodies()[asked_before:]
        assert len(asked) == 1, "only the newer message was answered"
        assert "router keeps dropping" in asked[0], "only the newer message was answered"


async def test_a_runaway_answer_is_cut_at_4096_characters_said_so_and_ctrl_n_puts_no_more(
    mocks: InProcessMocks,
) -> None:
    app, _ = assisted(mocks, runaway_characters=20_000)  # a model that writes on past max_tokens
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await chat_in_hand(pilot, mocks, "jo@example.com", "Charged twice this month")
        desk = agent_screen(pilot).desk
        suggestions = agent_screen(pilot).controller.suggestions
        # The chat came with the customer's message: a first suggestion runs away too. The one to take is the reply to
        # the message below, once it is cut (under load the first one's cut could be read as the second's).
        await wait_until(pilot, lambda: suggestions.current(contact_id) is not None, "the first suggestion")
        first = suggestions.current(contact_id)
        await mocks.customer_says(contact_id, "I want a refund for a duplicate charge")

        def second_cut() -> bool:
            current = suggestions.current(contact_id)
            return current is not None and current is not first and current.cut is not None

        # Bounded well past the default: each piece of a runaway answer is masked whole as it grows (4,096 characters,
        # about a thousand pieces, twice over), which a loaded suite's worker took longer than 10 s to do.
        await wait_until(pilot, second_cut, "the reply to the new message cut", timeout_s=90)
        await wait_until(pilot, lambda: "Cut at 4,096 characters" in shown_suggestion(pilot), "the cut said")
        assert "the model's answer was longer" in shown_suggestion(pilot)
        await pilot.press("i", "ctrl+n")
        composer = pilot.app.screen.query_one("#composer", Composer)
        await wait_until(pilot, lambda: composer.text, "the suggestion in the composer")
        assert 4_000 < len(composer.text) <= 4_096, len(composer.text)
        assert desk.conversations[contact_id].items[-1].role is ParticipantRole.CUSTOMER, "nothing sent by itself"


async def test_an_answer_whose_stream_stopped_before_its_end_is_said_incomplete(mocks: InProcessMocks) -> None:
    app, _ = assisted(mocks, cut_after_pieces=4)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await chat_in_hand(pilot, mocks, "kim@example.com", "Charged twice this month")
        await mocks.customer_says(contact_id, "I want a refund for a duplicate charge")
        await wait_until(pilot, lambda: "Incomplete:" in shown_suggestion(pilot), "the cut said")
        shown = shown_suggestion(pilot)
        assert "answer stopped before its end" in shown, shown
        assert "use · " in shown, "what came can still be used, to edit"
        suggestion = agent_screen(pilot).desk.conversations.suggestions[contact_id]
        assert len(suggestion.text.split()) == 4, suggestion.text

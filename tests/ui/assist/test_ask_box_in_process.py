"""The ask box (f7) on the in-process mocks and the mock model's own engine, at 120×40 and 80×24: the agent's question
about the chat in hand is answered from the knowledge base, streaming, each article it used cited by its title; enter
on a cited article puts its passage in the reply (nothing sent); escape stops an answer still streaming, its request
closed and the question kept; a model that fails says so in the box, keeps the question, and is said once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from agent_desktop.domain.models import ParticipantRole
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.agent.suggestions.ask_box import AskBox
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.model.settings import ModelMockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.model import InProcessModel
from tests.support.in_process.scenes import go_available, loaded, take, wait_until
from tests.support.scenes.pilot_steps import agent_screen, in_front, screen_text, type_burst

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]
QUESTION = "How do I refund a duplicate charge?"
CARD = "4111 1111 1111 1111"


def assisted(mocks: InProcessMocks, **model_settings: Any) -> tuple[AgentDesktopApp, InProcessModel]:
    model = InProcessModel(ModelMockSettings(**model_settings))
    return desk_app(mocks.backends(assist=model), clock=mocks.clock.now), model


async def chat_in_hand(pilot: Pilot[None], mocks: InProcessMocks, address: str) -> str:
    await loaded(pilot)
    await go_available(pilot)
    return await take(pilot, mocks, address, "chat", "Charged twice this month")


def articles_shown(box: AskBox) -> str:
    return "\n".join(str(box.results.get_option_at_index(i).prompt) for i in range(box.results.option_count))


def asks(model: InProcessModel) -> list[str]:
    return [body for body in model.bodies() if "Answer the agent's question." in body]


async def ask(pilot: Pilot[None], question: str) -> AskBox:
    await pilot.press("f7")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AskBox), "the ask box open")
    box = in_front(pilot, AskBox)
    await type_burst(pilot, question)
    await pilot.press("enter")
    return box


@pytest.mark.parametrize("size", SIZES)
async def test_the_answer_streams_cites_its_articles_and_enter_puts_a_passage_in_the_reply(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    app, model = assisted(mocks, first_token_s=0.05, token_s=0.02)
    async with app.run_test(size=size) as pilot:
        contact_id = await chat_in_hand(pilot, mocks, "ask@example.com")
        desk = agent_screen(pilot).desk
        await mocks.customer_says(contact_id, f"I was charged twice, my card is {CARD}")
        box = await ask(pilot, QUESTION)
        await wait_until(pilot, lambda: box.answer is not None and box.answer.finished, "the whole answer")
        answer = box.answer
        assert answer is not None
        assert answer.state == "done", answer.error
        cited = [source for source in answer.sources if source.cited_in(answer.text)]
        assert cited, answer.text
        assert re.search(r"refund|charge", answer.text, re.I), answer.text
        assert f"[{cited[0].title}]" in screen_text(pilot, "#ask-answer")
        assert box.results.display, "the articles under the answer"
        assert "cited · " in articles_shown(box)
        assert cited[0].title in articles_shown(box)
        (sent,) = asks(model)
        assert QUESTION in sent, "the question went with the contact"
        assert "charged twice" in sent, "the conversation so far went with it"
        assert "4111111111111111" not in re.sub(r"\D", "", sent), "no card number reached the model"

        await pilot.press("down")
        await wait_until(pilot, lambda: pilot.app.screen.focused is box.query_one(OptionList), "on the articles")
        shown = [source for source, _ in box.sources]
        if not shown[0].for_reply:  # an internal procedure first (a refund's steps): read, never put in a reply
            await pilot.press("enter")
            await wait_until(pilot, lambda: "for agents only" in screen_text(pilot, "#ask-hint"), "why not said")
            assert isinstance(pilot.app.screen, AskBox), "the box stays, the reply untouched"
        usable = next(source for source in shown if source.for_reply)
        await pilot.press(*["down"] * shown.index(usable), "enter")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, AskBox), "the box closed")
        composer = pilot.app.screen.query_one("#composer", Composer)
        await wait_until(pilot, lambda: usable.text[:40] in composer.text, "a customer's passage in the reply")
        assert pilot.app.focused is composer, "in the composer, to edit"
        items = desk.conversations[contact_id].items
        assert items[-1].role is ParticipantRole.CUSTOMER, "nothing sent by itself"


@pytest.mark.parametrize("size", SIZES)
async def test_escape_stops_a_streaming_answer_and_keeps_the_question(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    app, model = assisted(mocks, first_token_s=0.05, token_s=0.5)  # a slow writer: escape comes mid-answer
    async with app.run_test(size=size) as pilot:
        await chat_in_hand(pilot, mocks, "esc@example.com")
        box = await ask(pilot, QUESTION)
        await wait_until(pilot, lambda: box.answer is not None and box.answer.text, "the answer begun")
        answer = box.answer
        assert answer is not None
        await wait_until(pilot, lambda: answer.text in screen_text(pilot, "#ask-answer"), "drawn as it streams")
        assert "…" in screen_text(pilot, "#ask-answer"), "shown as still being written"
        await pilot.press("escape")
        await wait_until(pilot, lambda: answer.state == "cancelled", "the answer stopped")
        task = answer._task
        assert task is not None
        await wait_until(pilot, task.done, "its request closed")
        stopped_at = answer.text
        await pilot.pause(0.6)  # longer than a piece: none comes
        assert answer.text == stopped_at
        assert isinstance(pilot.app.screen, AskBox), "escape stopped the answer, it did not close the box"
        assert box.query_one("#ask-question", Input).value == QUESTION
        assert "Stopped" in screen_text(pilot, "#ask-answer")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, AskBox), "the second escape closes")
        assert len(asks(model)) == 1


@pytest.mark.parametrize("size", SIZES)
async def test_a_model_that_fails_is_said_in_the_box_once_on_the_desk_and_the_question_kept(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    app, _ = assisted(mocks, failure_rate=1.0)
    async with app.run_test(size=size) as pilot:
        await chat_in_hand(pilot, mocks, "down@example.com")
        box = await ask(pilot, QUESTION)
        await wait_until(pilot, lambda: "No answer:" in screen_text(pilot, "#ask-answer"), "the failure said")
        assert box.query_one("#ask-question", Input).value == QUESTION, "the question kept to ask again"
        assert pilot.app.focused is box.query_one("#ask-question", Input)
        first = box.answer
        await pilot.press("enter")  # asked again: fails again
        await wait_until(pilot, lambda: box.answer is not first and box.answer is not None, "asked again")
        await wait_until(pilot, lambda: "No answer:" in screen_text(pilot, "#ask-answer"), "the failure said again")
        await type_burst(pilot, " Also")  # the keys still answer
        assert box.query_one("#ask-question", Input).value == QUESTION + " Also"
        said = [n for n in notifications(pilot.app) if "stopped answering" in str(n.message)]
        assert len(said) == 1, [str(n.message) for n in said]


async def test_without_a_model_f7_asks_nothing(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        await chat_in_hand(pilot, mocks, "nomodel@example.com")
        await pilot.press("f7")
        await pilot.pause(0.2)
        assert not isinstance(pilot.app.screen, AskBox)
        assert "ask_box" not in agent_screen(pilot).controller.__dict__, "nothing of the assistant was built"

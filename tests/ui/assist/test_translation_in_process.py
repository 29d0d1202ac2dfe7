"""Translation both ways on a chat, on the in-process mocks and the mock model server's own engine: a
customer writing in Spanish is read in English, the Spanish one key away (f4); the agent's English reply is shown in
Spanish under the composer before it goes, and the second enter sends the Spanish, the English kept with it for the
transcript and the CRM; a model that fails never keeps the agent from sending their reply as written."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from textual.pilot import Pilot

from agent_desktop.domain.assist.protocol import AnswerSchema, ChatMessage, Usage
from agent_desktop.domain.models import ParticipantRole
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.transcript_view import TranscriptView
from agent_desktop_mocks.model.settings import ModelMockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.model import InProcessModel
from tests.support.in_process.scenes import SIZE, go_available, loaded, take, wait_until
from tests.support.scenes.pilot_steps import agent_screen, screen_text, type_burst

SPANISH_SUBJECT = "Me cobraron dos veces este mes."
SPANISH = "Quiero un reembolso del cargo duplicado."
ENGLISH = "I want a refund for the duplicate charge."
REPLY = "I have refunded the duplicate charge today."
REPLY_IN_SPANISH = "Hoy he reembolsado el cargo duplicado."


def assisted(mocks: InProcessMocks, **model_settings: Any) -> AgentDesktopApp:
    model = InProcessModel(ModelMockSettings(**{"first_token_s": 0.0, "token_s": 0.0, **model_settings}))
    return desk_app(mocks.backends(assist=model), clock=mocks.clock.now)


async def spanish_chat(pilot: Pilot[None], mocks: InProcessMocks, address: str, *, ivr: bool = True) -> str:
    """A chat whose customer writes in Spanish: the IVR's language on the contact (`ivr`), else only their words."""
    await loaded(pilot)
    await go_available(pilot)
    attached = {"language": "es"} if ivr else None
    contact_id = await take(pilot, mocks, address, "chat", SPANISH_SUBJECT, attached)
    await mocks.customer_says(contact_id, SPANISH_SUBJECT)
    await mocks.customer_says(contact_id, SPANISH)
    return contact_id


def transcript(pilot: Pilot[None]) -> str:
    return "\n".join(pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines())


def footer_keys(pilot: Pilot[None]) -> list[str]:
    return [entry.key for entry in pilot.app.screen.query_one(KeyFooter).shown()]


def agent_messages(pilot: Pilot[None], contact_id: str) -> list[str]:
    items = agent_screen(pilot).desk.conversations[contact_id].items
    return [i.text for i in items if i.role is ParticipantRole.AGENT and i.kind == "message"]


async def test_a_spanish_message_is_read_in_english_and_f4_shows_it_as_written(mocks: InProcessMocks) -> None:
    app = assisted(mocks)
    async with app.run_test(size=SIZE) as pilot:
        await spanish_chat(pilot, mocks, "lucia@example.com")
        await wait_until(pilot, lambda: ENGLISH in transcript(pilot), "the customer's message in English")
        shown = transcript(pilot)
        assert "I was charged twice this month." in shown, shown
        assert "translated from Spanish" in shown, shown
        assert SPANISH not in shown, "the agent reads the translation"
        await pilot.press("i")  # writing: the key works from the composer, and its footer shows it
        await wait_until(pilot, lambda: "f4" in footer_keys(pilot), "the key in the footer")

        await pilot.press("f4")
        await wait_until(pilot, lambda: SPANISH in transcript(pilot), "the original on the key")
        shown = transcript(pilot)
        assert "as written, in Spanish" in shown, shown
        assert ENGLISH not in shown, shown

        await pilot.press("f4")
        await wait_until(pilot, lambda: ENGLISH in transcript(pilot), "translated again")


async def test_the_reply_is_shown_in_both_languages_and_the_second_enter_sends_the_spanish(
    mocks: InProcessMocks,
) -> None:
    app = assisted(mocks)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await spanish_chat(pilot, mocks, "mateo@example.com")
        await wait_until(pilot, lambda: ENGLISH in transcript(pilot), "the customer's message in English")
        await pilot.press("i")
        await type_burst(pilot, REPLY)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: REPLY_IN_SPANISH in screen_text(pilot, "#reply-translation"), "the reply in Spanish"
        )
        composer = pilot.app.screen.query_one("#composer", Composer)
        assert composer.text == REPLY, "the agent's English stays in the composer: both languages shown"
        assert agent_messages(pilot, contact_id) == [], "nothing sent before the second enter"

        await pilot.press("enter")
        await wait_until(pilot, lambda: agent_messages(pilot, contact_id) == [REPLY_IN_SPANISH], "sent in Spanish")
        assert composer.text == ""
        await wait_until(pilot, lambda: "sent in Spanish" in transcript(pilot), "the agent reads their English")
        assert REPLY in transcript(pilot)
        lines, _ = agent_screen(pilot).desk.conversations.for_the_crm(contact_id)
        crm = "\n".join(line.text for line in lines)
        assert SPANISH in crm, "the CRM keeps the customer's words"
        assert ENGLISH in crm, "and their translation"
        assert REPLY_IN_SPANISH in crm, "and the reply as sent"
        assert REPLY in crm, "and as the agent wrote it"


async def test_a_failing_model_never_keeps_the_agent_from_sending_the_reply_as_written(mocks: InProcessMocks) -> None:
    app = assisted(mocks, failure_rate=1.0)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await spanish_chat(pilot, mocks, "sofia@example.com", ivr=False)  # told by their words
        await wait_until(pilot, lambda: "not translated" in transcript(pilot), "the message shown as written")
        assert SPANISH in transcript(pilot)
        await pilot.press("i")
        await type_burst(pilot, REPLY)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: "Enter sends your reply as written" in screen_text(pilot, "#reply-translation"), "said"
        )
        assert agent_messages(pilot, contact_id) == []
        await pilot.press("enter")
        await wait_until(pilot, lambda: agent_messages(pilot, contact_id) == [REPLY], "sent as written")


class TalliedModel(InProcessModel):
    """The in-process model, adding up the tokens its answers say they used (each answer's usage, as the wire's last
    event says it), the translations' apart: what the agent's status line should count."""

    def __init__(self, settings: ModelMockSettings) -> None:
        super().__init__(settings)
        self.tokens = self.translation_tokens = self.open = 0

    async def reply(
        self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None, schema: AnswerSchema | None = None
    ) -> AsyncIterator[str | Usage]:
        self.open += 1
        try:
            async for piece in super().reply(messages, max_tokens=max_tokens, schema=schema):
                if isinstance(piece, Usage):
                    self.tokens += piece.total_tokens
                    if "<<<translate " in messages[-1].content:
                        self.translation_tokens += piece.total_tokens
                yield piece
        finally:
            self.open -= 1


async def test_the_translations_tokens_are_counted_on_the_status_line(mocks: InProcessMocks) -> None:
    model = TalliedModel(ModelMockSettings(first_token_s=0.0, token_s=0.0))
    app = desk_app(mocks.backends(assist=model), clock=mocks.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await spanish_chat(pilot, mocks, "valentina@example.com")
        await wait_until(pilot, lambda: ENGLISH in transcript(pilot), "the customer's message in English")
        await pilot.press("i")
        await type_burst(pilot, REPLY)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: REPLY_IN_SPANISH in screen_text(pilot, "#reply-translation"), "the reply in Spanish"
        )
        await wait_until(pilot, lambda: model.translation_tokens > 0 and model.open == 0, "the model's answers read")

        def counted() -> bool:  # the contact's and the day's: every answer was on this one (a summary's too)
            return model.open == 0 and f"{model.tokens:,}/{model.tokens:,} tokens" in screen_text(
                pilot, "#agent-status"
            )

        await wait_until(pilot, counted, "every answer's tokens on the status line, the translations' too")

"""The virtual agent as the settings build it: its queues, the CRM's knowledge search and the contact center's model
over HTTP (a test hands in its own clients instead); and one of its calls as a real call drives it (`BotOnCall`)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

import httpx

from agent_desktop_mocks.ccaas.core.errors import REFUSALS
from agent_desktop_mocks.ccaas.core.wire.schemas import AttachedData
from agent_desktop_mocks.ccaas.figures.sla_breaches import QueueConversations
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, MockSettings
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.virtual_agent.ports import CrmKnowledge, ModelFailed, NoKnowledge, OpenAiModel
from agent_desktop_mocks.ccaas.virtual_agent.schemas import VirtualChat
from agent_desktop_mocks.ccaas.virtual_agent.service import BotChat, VirtualAgent
from agent_desktop_mocks.ccaas.voice.bot_calls import BotCalls, BotTurn

TIMEOUT_S = 15.0  # the longest the bot waits on the model or the knowledge base before it hands over


class NoModel:
    """No model configured: the bot cannot answer, and hands the customer to a person (failed)."""

    async def answer(self, messages: list[dict[str, str]]) -> str:
        raise ModelFailed("no model is configured for the virtual agent")


def _client(url: str, token: str | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=url,
        headers={"Authorization": f"Bearer {token}"} if token else {},
        timeout=TIMEOUT_S,
        verify=not url.lower().startswith("http:"),  # plain http on loopback: no CA bundle to load
    )


def virtual_agent_for(engine: Engine, settings: MockSettings) -> VirtualAgent:
    knowledge = CrmKnowledge(_client(settings.crm_url, DEMO_CRM_TOKEN)) if settings.crm_url else NoKnowledge()
    model = (
        OpenAiModel(_client(settings.model_url, settings.model_key), settings.model_name)
        if settings.model_url
        else NoModel()
    )
    return VirtualAgent(
        engine,
        settings.intents,
        settings.virtual_agent_queues,
        knowledge,
        model,
        call_queues=settings.virtual_agent_call_queues,
    )


def count_with_conversations(engine: Engine, bot: Callable[[], VirtualAgent]) -> None:
    """The queues' figures carry the virtual agent's chats beside the conversations' counts (the engine looks at
    them with its SLA breaches, and pushes the figures when they change). `bot`: the app's, as a test replaces it."""
    conversations = engine.conversation_counts

    def counts() -> QueueConversations:
        merged = {queue_id: dict(row) for queue_id, row in conversations().items()}
        for row in bot().counts():
            merged.setdefault(row.queue_id, {}).update(
                virtual_agent_contained=row.contained,
                virtual_agent_escalated=row.escalated,
                virtual_agent_failed=row.failed,
            )
        return merged

    engine.conversation_counts = counts


async def close_virtual_agent(bot: VirtualAgent) -> None:
    for port in (bot.knowledge, bot.model):
        if isinstance(port, CrmKnowledge | OpenAiModel):
            await port.aclose()


class BotOnCall:
    """The virtual agent's chat of one call, as the real call drives it (voice/bot_calls.py's `CallBot`)."""

    def __init__(self, bot: VirtualAgent, chat: BotChat) -> None:
        self.bot = bot
        self.chat = chat

    @property
    def id(self) -> str:
        return self.chat.id

    @property
    def from_address(self) -> str:
        return self.chat.from_address

    @property
    def talking(self) -> bool:
        return self.chat.outcome == "talking"

    @property
    def heard_anything(self) -> bool:
        return bool(self.chat.said)

    async def hears(self, text: str) -> BotTurn | None:
        try:
            view = await self.bot.customer_says(self.chat.id, text)
        except REFUSALS:
            return None
        answers: list[str] = []
        for line in reversed(view.transcript):  # the bot's lines after the caller's last
            if line.role == "customer":
                break
            answers.insert(0, line.text)
        return BotTurn(answers, view.contact.id if view.contact is not None else None)

    async def hears_as_text(self, lines: list[str]) -> None:
        await self.bot.hears(self.chat, lines)

    def hung_up(self) -> None:
        if self.talking:
            with contextlib.suppress(*REFUSALS):
                self.bot.leave(self.chat.id)


async def bot_answers_call(
    bot: VirtualAgent,
    calls: BotCalls | None,
    queue_id: str,
    from_address: str,
    subject: str | None = None,
    said: Sequence[str] | None = None,
    attached: AttachedData | None = None,
) -> VirtualChat:
    """A call on a queue whose calls the bot answers first: a real call on the real voice path (a softphone
    registered, `said` not given: the caller's softphone speaks to the bot, which answers aloud; `talking` at once),
    else heard as text (`said`, or the caller's script's lines) and answered to its end."""
    if not said and calls is not None and calls.real():
        chat = bot.start_call(queue_id, from_address, attached)
        calls.answer(BotOnCall(bot, chat), bot.script_for(queue_id, subject))
        return bot.view(chat)
    return await bot.answer_call(queue_id, from_address, subject, said, attached)

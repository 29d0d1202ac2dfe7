"""The virtual agent's chats: each customer message searched in the knowledge base, answered through the contact
center's model (masked before it leaves: prompt.py), or handed to a person on a rule (rules.py) as a chat contact in
the queue carrying the bot's transcript, reason, intent and mood; contained, escalated and failed chats counted per
queue. Kept in memory: a restart forgets the chats still with the bot (a mock's; a real bot keeps its sessions).

The voice entry is the same bot: a call on a queue configured for it is answered by the bot first, the caller's lines
(their script's, as the mock hears a simulated call) its customer's messages; escalated, the call enters the queue as
a voice contact carrying the same handoff, and its calls are counted with the chats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from agent_desktop_mocks.ccaas.core.bot_handoff import BotHandoff, BotLine, EscalationReason
from agent_desktop_mocks.ccaas.core.errors import Conflict, Invalid, NotFound
from agent_desktop_mocks.ccaas.core.wire.schemas import AttachedData, Channel
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.tables.call_scripts import CallScript, CallScripts
from agent_desktop_mocks.ccaas.tables.call_scripts import shipped as shipped_scripts
from agent_desktop_mocks.ccaas.tables.intents import Intent, IntentTable
from agent_desktop_mocks.ccaas.virtual_agent.ports import ChatModel, KnowledgeBase, ModelFailed
from agent_desktop_mocks.ccaas.virtual_agent.prompt import masked_answer, request_messages, with_next_message
from agent_desktop_mocks.ccaas.virtual_agent.rules import Turn, escalation, mood_of, mood_score
from agent_desktop_mocks.ccaas.virtual_agent.schemas import ChatOutcome, VirtualAgentCounts, VirtualChat

HANDING_OVER = "I'm handing you to a colleague now, with everything we said. Please stay in the chat."
HANDING_OVER_CALL = "I'm putting you through to a colleague now, with everything we said. Please stay on the line."


@dataclass
class BotChat:
    id: str
    queue_id: str
    from_address: str
    started_at: datetime
    said: list[str] = field(default_factory=list)  # the customer's messages, masked as they came (never as written)
    answers: list[tuple[int, str, datetime]] = field(default_factory=list)  # after which customer message, when
    said_at: list[datetime] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    outcome: ChatOutcome = "talking"
    reason: EscalationReason | None = None
    intent: Intent | None = None
    contact_id: str | None = None
    channel: Channel = Channel.CHAT  # the entry it came by: a chat, or a call the bot answered
    attached: AttachedData | None = None  # what the IVR learnt before the bot answered (a call's): kept on handoff

    def lines(self) -> list[BotLine]:
        """The transcript, oldest first."""
        out: list[BotLine] = []
        for index, text in enumerate(self.said):
            out.append(BotLine(role="customer", text=text, at=self.said_at[index]))
            out += [BotLine(role="virtual_agent", text=a, at=at) for after, a, at in self.answers if after == index]
        return out


class VirtualAgent:
    def __init__(
        self,
        engine: Engine,
        intents: IntentTable,
        queues: Iterable[str],
        knowledge: KnowledgeBase,
        model: ChatModel,
        call_queues: Iterable[str] = (),
        scripts: CallScripts | None = None,
    ) -> None:
        """`queues`: the queues whose chat entry has the bot, `call_queues` those whose calls it answers first (none:
        it is off). `scripts`: what a simulated caller says (the call transcripts' table)."""
        self.engine = engine
        self.intents = intents
        self.queues = frozenset(queues)
        self.call_queues = frozenset(call_queues)
        self.scripts = scripts or shipped_scripts()
        self.knowledge = knowledge
        self.model = model
        self.chats: dict[str, BotChat] = {}
        self._numbers = 0
        self._counts: dict[str, Counter[str]] = {}

    async def open(self, queue_id: str, from_address: str, text: str) -> VirtualChat:
        if queue_id not in self.queues:
            raise Invalid(
                "queue_id", f"no virtual agent on this queue's chat entry: one of {sorted(self.queues)}", queue_id
            )
        return await self.customer_says(self._start(queue_id, from_address, Channel.CHAT).id, text)

    async def answer_call(
        self,
        queue_id: str,
        from_address: str,
        subject: str | None = None,
        said: Sequence[str] | None = None,
        attached: AttachedData | None = None,
    ) -> VirtualChat:
        """A call on a queue whose calls the bot answers first: each line the caller says goes to the bot as the
        customer's message, until it hands the call to a person; a caller whose lines are all answered hangs up
        served (contained). The lines are `said` (as recognised), else the caller's script's (by `subject`, as the
        IVR hears it), as the mock hears a simulated call; the bot's answers are its lines of the call."""
        lines = list(said) if said else self._script_lines(queue_id, subject)
        return await self.hears(self.start_call(queue_id, from_address, attached), lines)

    def start_call(self, queue_id: str, from_address: str, attached: AttachedData | None = None) -> BotChat:
        """A call the bot answers on `queue_id` (422 for a queue whose calls it does not answer), talking;
        `attached`: what the IVR learnt of the caller, on the contact if it is handed over."""
        if queue_id not in self.call_queues:
            raise Invalid(
                "queue_id", f"no virtual agent on this queue's calls: one of {sorted(self.call_queues)}", queue_id
            )
        call = self._start(queue_id, from_address, Channel.VOICE)
        call.attached = attached
        return call

    async def hears(self, call: BotChat, lines: Sequence[str]) -> VirtualChat:
        """The caller's `lines`, each the customer's message, until the bot hands the call over; a caller whose
        lines are all answered hangs up served (contained)."""
        for line in lines:
            if call.outcome != "talking":
                break
            await self.customer_says(call.id, line)
        if call.outcome == "talking":
            self._end(call, "contained")
        return self.view(call)

    def script_for(self, queue_id: str, subject: str | None) -> CallScript:
        """The script of a simulated caller with `subject` on `queue_id`."""
        intent = next((s.intent for s in self.scripts.scripts if subject and s.subject == subject), None)
        return self.scripts.for_call(intent, queue_id, subject=subject)

    def _script_lines(self, queue_id: str, subject: str | None) -> list[str]:
        """What a simulated caller with `subject` says on `queue_id`: their script's caller lines."""
        return [str(line[1]) for line in self.script_for(queue_id, subject).lines if line[0] == "customer"]

    def _start(self, queue_id: str, from_address: str, channel: Channel) -> BotChat:
        self._numbers += 1
        chat = BotChat(f"va-{self._numbers:06d}", queue_id, from_address, self.engine.read.now(), channel=channel)
        self.chats[chat.id] = chat
        return chat

    async def customer_says(self, chat_id: str, text: str) -> VirtualChat:
        """The customer's message: answered from the knowledge base through the model, or handed to a person."""
        chat = self._talking(chat_id)
        chat.said = with_next_message(chat.said, text)
        chat.said_at.append(self.engine.read.now())
        chat.intent = chat.intent or self._intent(chat.queue_id, " ".join(chat.said))
        queue_name = self.engine.read.queue(chat.queue_id).name
        passages = await self.knowledge.search(
            chat.said[-1], chat.queue_id
        )  # (the search is a request that leaves too)
        answer: str | None = None
        try:
            answer = masked_answer(await self.model.answer(request_messages(queue_name, chat.said, passages)))
        except ModelFailed:
            answer = None
        chat.turns.append(Turn(chat.said[-1], article_found=bool(passages), model_failed=answer is None))
        reason = escalation(chat.turns)
        if chat.outcome != "talking":  # the customer left while the model answered
            return self.view(chat)
        if reason is None and answer is not None:
            chat.answers.append((len(chat.said) - 1, answer, self.engine.read.now()))
            return self.view(chat)
        handing_over = HANDING_OVER_CALL if chat.channel == Channel.VOICE else HANDING_OVER
        chat.answers.append((len(chat.said) - 1, handing_over, self.engine.read.now()))
        return self._hand_over(chat, reason or "model_failed")

    def leave(self, chat_id: str) -> VirtualChat:
        """The customer closes the chat while with the bot: served without a person (contained)."""
        chat = self._talking(chat_id)
        self._end(chat, "contained")
        return self.view(chat)

    def counts(self) -> list[VirtualAgentCounts]:
        """Per queue with the bot (on its chats, its calls or both): its chats and calls contained, escalated and failed since the start, and those talking now."""
        talking = Counter(chat.queue_id for chat in self.chats.values() if chat.outcome == "talking")
        return [
            VirtualAgentCounts(
                queue_id=queue_id,
                contained=self._counts.get(queue_id, Counter())["contained"],
                escalated=self._counts.get(queue_id, Counter())["escalated"],
                failed=self._counts.get(queue_id, Counter())["failed"],
                talking=talking[queue_id],
            )
            for queue_id in sorted(self.queues | self.call_queues)
        ]

    def view(self, chat: BotChat) -> VirtualChat:
        contact = self.engine.read.contact(chat.contact_id) if chat.contact_id else None
        return VirtualChat(
            id=chat.id,
            queue_id=chat.queue_id,
            channel=chat.channel,
            outcome=chat.outcome,
            transcript=chat.lines(),
            intent=chat.intent.id if chat.intent else None,
            mood=mood_of(mood_score(chat.said[-1])) if chat.said else "neutral",
            reason=chat.reason,
            contact=contact,
            started_at=chat.started_at,
        )

    def chat(self, chat_id: str) -> BotChat:
        found = self.chats.get(chat_id)
        if found is None:
            raise NotFound("chat", chat_id)
        return found

    def _talking(self, chat_id: str) -> BotChat:
        chat = self.chat(chat_id)
        if chat.outcome != "talking":
            raise Conflict(f"the chat is {chat.outcome}: the virtual agent no longer has it", chat.outcome)
        return chat

    def _hand_over(self, chat: BotChat, reason: EscalationReason) -> VirtualChat:
        view = self.view(chat)
        handoff = BotHandoff(reason=reason, intent=view.intent, mood=view.mood, transcript=view.transcript)
        subject = chat.intent.subject if chat.intent else None  # the conversation's customer keeps the bot's intent
        contact = self.engine.arrivals.create_contact(
            chat.queue_id, chat.channel, chat.from_address, subject, handoff=handoff, attached=chat.attached
        )
        chat.contact_id, chat.reason = contact.id, reason
        self._end(chat, "failed" if reason == "model_failed" else "escalated")
        self.chats.pop(chat.id, None)  # handed over: the contact keeps what was said
        return self.view(chat)

    def _end(self, chat: BotChat, outcome: ChatOutcome) -> None:
        chat.outcome = outcome
        self._counts.setdefault(chat.queue_id, Counter())[outcome] += 1
        if outcome == "contained":
            self.chats.pop(chat.id, None)

    def _intent(self, queue_id: str, said: str) -> Intent | None:
        """The queue's intent whose subject words the customer used, if any."""
        words = said.lower()
        line = queue_id.split("_", 1)[0]
        for intent in self.intents.intents:
            if (intent.queue == queue_id or intent.queue.split("_", 1)[0] == line) and any(
                w in words for w in intent.subject_words
            ):
                return intent
        return None

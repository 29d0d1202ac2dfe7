"""A simulated customer: who they are, why they write, and what they answer (pure, deterministic for a seed).

Everything about a customer is drawn from `random.Random(f"{seed}:{contact_id}")` when the
contact arrives, and each answer from `random.Random(f"{seed}:{contact_id}:{turn}")`, so the
same agent messages get the same answers whenever they are sent. Timing (typing delays) is the
service's business, not this module's.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from agent_desktop_mocks.ccaas.conversations import customer_in_spanish as spanish
from agent_desktop_mocks.ccaas.conversations.records import CustomerState
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_mocks.ccaas.tables import intents as scripts
from agent_desktop_mocks.ccaas.tables.intents import Intent, IntentTable
from agent_desktop_mocks.demo_people import Caller, caller_at, phone_of

IDLE_SHARE = 0.12  # customers who go quiet at some point (the inactivity timeout ends them)
SECOND_QUESTION_SHARE = 0.35
CARD_SHARE = 0.3  # customers who write a whole card number rather than its last digits
VOLUNTEER_SHARE = 0.4  # of those, in a billing matter: they write it in their first message
TEST_CARDS = ("4111 1111 1111 1111", "5555555555554444", "4012-8888-8888-1881", "3782 822463 10005")
PLANS = ("Basic 100", "Plus 300", "Family 500", "Starter")
CARD_INTENTS = ("billing_dispute", "payment_method", "refund_request")
DEVICES = ("smart speaker", "doorbell camera", "streaming box", "mesh router")


def customer_rng(seed: int, contact_id: str, turn: int | None = None) -> random.Random:
    return random.Random(f"{seed}:{contact_id}" if turn is None else f"{seed}:{contact_id}:{turn}")


def choose_intent(
    seed: int, contact_id: str, queue_id: str, subject: str | None, table: IntentTable | None = None
) -> Intent:
    """The intent whose subject words the contact's subject has, else one of the queue's (seeded), from `table`
    (the shipped intents.toml by default).

    A generated queue of a bigger floor ("billing_north", floor_plan.py) uses its line's intents."""
    intents = (table or scripts.shipped()).intents
    words = (subject or "").lower()
    line = queue_id.split("_", 1)[0]
    ours = [i for i in intents if i.queue == queue_id or i.queue.split("_", 1)[0] == line]
    for intent in ours:
        if any(w in words for w in intent.subject_words):
            return intent
    mine = ours or list(intents)
    return customer_rng(seed, contact_id).choice(mine)


def known_caller(seed: int, customers: int, address: str) -> Caller | None:
    """The demo caller behind an address (demo_people's seeded callers, whom the CRM knows), if it is one."""
    match = re.fullmatch(r"[a-z.' -]+?(\d+)@example\.com", address.strip().lower())
    if match:
        index = int(match.group(1))
        if index < customers and caller_at(seed, index).email == address.strip().lower():
            return caller_at(seed, index)
        return None
    digits = re.sub(r"\D", "", address)
    if len(digits) == 10:
        digits = "1" + digits
    if len(digits) != 11 or not digits.startswith("1"):
        return None
    for slot, area in enumerate(("212", "312", "415", "512", "617", "702", "808", "919")):
        if digits[1:4] == area and digits[4:7] == "555" and int(digits[7:]) >= 100:
            index = (int(digits[7:]) - 100) * 8 + slot
            if index < customers and phone_of(index) == f"+{digits}":
                return caller_at(seed, index)
    return None


def new_customer(
    seed: int,
    contact_id: str,
    intent: Intent,
    caller: Caller | None,
    address: str,
    now: datetime,
    channel: Channel | None = None,
) -> CustomerState:
    """Who writes (`channel`: a chat from a Spanish-speaking caller about some matters is written in Spanish,
    customer_in_spanish.py) and the facts of their matter, drawn for the contact."""
    rng = customer_rng(seed, contact_id)
    first_name = caller.name.split()[0] if caller else "there"
    writes_card = rng.random() < CARD_SHARE
    day = now - timedelta(days=rng.randint(2, 9))
    facts = {
        "first_name": first_name if caller else "",
        "email": caller.email if caller else address if "@" in address else f"guest{rng.randint(100, 999)}@example.net",
        "order": f"#{rng.randint(100000, 999999)}",
        "amount": f"${rng.uniform(19, 240):.2f}",
        "date": f"{day:%a %b} {day.day}",
        "card": rng.choice(TEST_CARDS) if writes_card else f"ending in {rng.randint(1000, 9999)}",
        "plan": rng.choice(PLANS),
        "device": rng.choice(DEVICES),
    }
    idle = rng.random() < IDLE_SHARE
    idle_after = rng.randint(0, 2) if idle else None
    second_question = rng.random() < SECOND_QUESTION_SHARE
    return CustomerState(
        intent=intent.id,
        first_name=first_name,
        facts=facts,
        idle_after=idle_after,
        second_question=second_question,
        writes_card=writes_card,
        volunteers_card=writes_card and rng.random() < VOLUNTEER_SHARE,
        language=spanish.SPANISH if spanish.writes_in_spanish(caller, intent.id, channel) else "en",
    )


def fill(template: str, state: CustomerState) -> str:
    return template.format(**state.facts)


@dataclass(frozen=True)
class OpeningItem:
    role: str  # customer or agent (an earlier reply in an email thread)
    text: str
    subject: str | None = None
    quoted: str | None = None
    days_ago: float = 0.0


def opening(intent: Intent, state: CustomerState, channel: Channel, subject: str | None) -> list[OpeningItem]:
    """What the customer has written when the contact arrives; an email comes as a thread."""
    # Some customers volunteer their card number at once (the desktop must mask it before anything else).
    volunteered = state.volunteers_card and intent.id in CARD_INTENTS
    if channel == Channel.CHAT and state.language == spanish.SPANISH:
        return [OpeningItem("customer", spanish.opening(intent.id))]
    if channel == Channel.CHAT:
        card = f" My card is {state.facts['card']}." if volunteered else ""
        return [OpeningItem("customer", fill(intent.opening, state) + card)]
    if channel == Channel.SMS:
        card = f" card {state.facts['card']}" if volunteered else ""
        return [OpeningItem("customer", fill(intent.opening_sms, state) + card)]
    topic = subject or intent.subject
    first = fill(intent.email_first, state)
    ack = "Thank you for contacting us. We have received your message and will get back to you shortly.\n\nSupport team"
    follow_up = fill(intent.email_follow_up, state)
    return [
        OpeningItem("customer", first, subject=topic, days_ago=3.0),
        OpeningItem("agent", ack, subject=f"Re: {topic}", quoted=quote("you", first), days_ago=2.9),
        OpeningItem("customer", follow_up, subject=f"Re: {topic}", quoted=quote("Support team", ack), days_ago=0.0),
    ]


def quote(who: str, text: str) -> str:
    """An email's quoted earlier message."""
    lines = "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
    return f"{who} wrote:\n{lines}"


@dataclass(frozen=True)
class Answer:
    text: str
    leaves: bool = False  # the customer says goodbye and leaves the chat


def answer(
    seed: int,
    contact_id: str,
    intent: Intent,
    state: CustomerState,
    agent_text: str,
    channel: Channel,
    table: IntentTable | None = None,
) -> Answer | None:
    """The customer's answer to what the agent wrote since their last message (None: they stay quiet).

    Updates `state` (turn, rules used). Intent rules are tried first (each answers once), then
    the closing phrases (anything else? goodbye) of `table` (the shipped intents.toml by default),
    then the intent's fallbacks.
    """
    shared = (table or scripts.shipped()).shared
    if state.idle_after is not None and state.turn >= state.idle_after:
        return None
    if state.language == spanish.SPANISH:
        text, leaves = spanish.answer(state, agent_text, shared)
        return Answer(text, leaves=leaves and channel == Channel.CHAT)
    rng = customer_rng(seed, contact_id, state.turn)
    sms = channel == Channel.SMS
    said = agent_text.lower()
    state.turn += 1
    for rule in intent.rules:
        if rule.name not in state.used and any(keyword in said for keyword in rule.keywords):
            state.used.append(rule.name)
            text = fill(rule.sms if sms else rule.text, state)
            if rule.resolves and state.second_question and not state.asked_second:
                state.asked_second = True
                extra = intent.second_question_sms if sms else intent.second_question
                text = f"{text} {extra}"
            return Answer(text)
    if any(phrase in said for phrase in shared.goodbye) and channel == Channel.CHAT:
        return Answer(shared.farewell, leaves=True)
    if any(phrase in said for phrase in shared.anything_else):
        if state.second_question and not state.asked_second:
            state.asked_second = True
            return Answer(intent.second_question_sms if sms else intent.second_question)
        state.closing = True
        return Answer(shared.done_sms if sms else shared.done)
    if state.asked_second and "second" not in state.used:
        state.used.append("second")
        return Answer(shared.second_answered_sms if sms else shared.second_answered)
    if state.closing:
        return Answer(shared.farewell_sms if sms else shared.thanks_again, leaves=channel == Channel.CHAT)
    return Answer(fill(rng.choice(intent.fallbacks_sms if sms else intent.fallbacks), state))


def typing_s(rng: random.Random, text: str, channel: Channel) -> tuple[float, float]:
    """(thinking, typing) seconds of a human writing `text`: a pause, then 6-12 characters a second."""
    if channel == Channel.EMAIL:
        return rng.uniform(8.0, 20.0), 0.0
    think = rng.uniform(0.8, 2.5)
    typing = min(len(text) / rng.uniform(6.0, 12.0), 8.0)
    return think, max(typing, 0.6)

"""The demo's customers who write in Spanish: a chat from a caller the CRM says speaks Spanish, about a matter this
module has their words for, is written in Spanish from its first line to its last. Every line is one the mock model's
phrase table translates (agent_desktop_mocks/model/translation.py), so the demo shows translation both ways with the
mock model; the agent's lines are read in Spanish (as the desk sends a translated reply) or in English (a desk without
a model). Deterministic: the answers follow the turn and what the agent wrote, never a draw."""

from __future__ import annotations

import unicodedata

from agent_desktop_mocks.ccaas.conversations.records import CustomerState
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_mocks.ccaas.tables.intents import Shared
from agent_desktop_mocks.demo_people import Caller

SPANISH = "es"
# What they write first, by intent: the matters a Spanish-speaking customer of the demo writes about in Spanish.
OPENINGS = {
    "billing_dispute": "Hola. Me cobraron dos veces este mes. Quiero un reembolso del cargo duplicado.",
    "refund_request": "Hola. Cancelé un servicio adicional y me lo cobraron igual. Quiero un reembolso.",
    "internet_dropping": "Hola. Mi internet no funciona. Se corta cada pocos minutos.",
}
SOLVED = {"internet_dropping": "Ahora funciona. Gracias."}  # their answer once helped (else: GRACIAS)
YES = "Sí, por favor."
GRACIAS = "Muchas gracias."
THAT_IS_ALL = "No, eso es todo."
GOODBYE = "Muchas gracias. Adiós."
ANYTHING_ELSE = ("algo mas", "otra cosa")  # the agent asks whether there is anything else, in Spanish (folded)
ADIOS = ("adios", "buen dia", "que tenga")  # the agent says goodbye, in Spanish (folded)


def writes_in_spanish(caller: Caller | None, intent_id: str, channel: Channel | None) -> bool:
    """A chat from a caller the CRM says speaks Spanish, about a matter with Spanish words here."""
    return channel == Channel.CHAT and caller is not None and caller.language == SPANISH and intent_id in OPENINGS


def opening(intent_id: str) -> str:
    return OPENINGS[intent_id]


def _folded(text: str) -> str:
    flat = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in flat if not unicodedata.combining(c))


def answer(state: CustomerState, agent_text: str, shared: Shared) -> tuple[str, bool]:
    """Their answer (and whether they leave the chat) to what the agent wrote since their last message; updates
    `state` (the turn, whether they said they are done)."""
    said = _folded(agent_text)
    state.turn += 1
    if any(phrase in said for phrase in (*ADIOS, *shared.goodbye)) or state.closing:
        return GOODBYE, True
    if any(phrase in said for phrase in (*ANYTHING_ELSE, *shared.anything_else)):
        state.closing = True
        return THAT_IS_ALL, False
    if state.turn == 1:
        return YES, False
    return SOLVED.get(state.intent, GRACIAS), False

"""Which of the documented attention rules (docs/architecture.md, "The agent's attention") an event told to the model
exercised, read from the event, what the model answered and the model as it was before: the stateful harness counts
them per step (tests/ui/attention/test_attention_harness.py), so that a run says how often each rule was put to the
test, not only that nothing went wrong.

Rule 7 (a key read once the one before it is done) is exercised by every key of a burst or of one read of the
terminal: the harness counts it from the pace of a step's keys, which the model does not see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from agent_desktop.agent_desk.attention import (
    AgentEnded,
    Attention,
    BringBack,
    Close,
    Closed,
    CursorToWrapUp,
    Dismiss,
    Effect,
    Event,
    KeyArrived,
    LeftComposer,
    OfferSentBack,
    OfferUp,
    Overlay,
    ShowOffer,
    StepAside,
)

RULES = {
    "1": "an offer pending comes over what is open",
    "2": "a key while the offer is on top goes where it was meant",
    "3": "the offer answered or sent back: what was under it is in front",
    "4": "a conversation accepted: what was open steps aside, and comes back",
    "4e": "the wrap-up of the agent's e stays in front of what stepped aside",
    "5": "an overlay whose contact is gone closes",
    "6": "an overlay closes under another, the rest as they were",
    "7": "keys of one burst or read, each once the last is done",
    "8": "e decided in its turn: the wrap-up in front",
}


@dataclass(frozen=True)
class Before:
    """What of the model a rule's exercise is read from, as it was before the event."""

    open: tuple[Overlay, ...]
    offer_up: bool
    wrap_up_in_front: str | None


def rules_exercised(event: Event, effects: list[Effect], before: Before) -> set[str]:
    """The rules (RULES' keys) `event`, answered with `effects`, put to the test."""
    rules: set[str] = set()
    if any(isinstance(e, ShowOffer) for e in effects):
        rules.add("1")
    if isinstance(event, KeyArrived) and event.offer_shown_at is not None:
        rules.add("2")
    if isinstance(event, OfferSentBack) or (isinstance(event, OfferUp) and before.offer_up and not event.up):
        rules.add("3")
    if any(isinstance(e, StepAside | BringBack) for e in effects):
        rules.add("4")
    held_back = isinstance(event, LeftComposer) and before.wrap_up_in_front is not None
    if held_back or (before.wrap_up_in_front is not None and any(isinstance(e, BringBack) for e in effects)):
        rules.add("4e")
    if any(isinstance(e, Close) for e in effects):
        rules.add("5")
    under = {o.key for o in before.open[:-1]} | ({o.key for o in before.open} if before.offer_up else set())
    closed = {event.key} if isinstance(event, Closed) else {e.overlay.key for e in effects if isinstance(e, Close)}
    if closed & under or any(isinstance(e, Dismiss) and not e.on_top for e in effects):  # under another, or the offer
        rules.add("6")
    if isinstance(event, AgentEnded) or any(isinstance(e, CursorToWrapUp) for e in effects):
        rules.add("8")
    return rules


def count_rules(attention: Attention, seen: Callable[[set[str]], None]) -> None:
    """From now on, each event told to `attention` has `seen` told the rules it exercised."""
    apply = attention.apply

    def counted(event: Event) -> list[Effect]:
        before = Before(attention.open, attention.offer_up, attention.wrap_up_in_front)
        effects = apply(event)
        if rules := rules_exercised(event, effects, before):
            seen(rules)
        return effects

    attention.apply = counted  # type: ignore[method-assign]  # (this instance's: the harness reads it as it runs)

"""The desk's two focus rules, and the short pop: whose caller the customer card shows (the card follows the
selection), which contact the experts are suggested for (the experts follow the offer), and the one line about an
offer's caller on the offer card until it is accepted. Pure rules, no screen."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from agent_desktop.domain.models import Contact, CustomerRecord


def card_follows_selection(selected_id: str | None, in_hand_ids: Collection[str], offered_id: str | None) -> str | None:
    """The contact whose caller the customer card shows (and `p`, `c`, `1`-`5` act on): the selected
    contact in hand; with none in hand, the one offered (so the card is there before the agent answers).
    A second offer while a contact is in hand never takes the card away from it."""
    if selected_id is not None and selected_id in in_hand_ids:
        return selected_id
    return offered_id


def experts_follow_offer(offered: Contact | None, selected: Contact | None) -> Contact | None:
    """The contact the experts panel suggests experts for, and an escalation is about: the one offered (the agent
    may want a colleague before answering), else the selected one."""
    return offered if offered is not None else selected


@dataclass(frozen=True)
class ShortPop:
    """One line about an offered contact's caller: who (name, tier, open cases) or why not (`note`)."""

    name: str | None = None
    tier: str | None = None
    open_cases: int = 0
    note: str = ""


def short_pop(
    *, record: CustomerRecord | None, candidates: int, done: bool, error: str | None, withheld: bool = False
) -> ShortPop:
    if record is not None:
        open_cases = sum(case.is_open for case in record.cases)
        return ShortPop(name=record.customer.name, tier=record.customer.tier, open_cases=open_cases)
    if withheld:
        return ShortPop(note="Caller withheld — no number to look up")
    if error:
        return ShortPop(note="CRM lookup failed")
    if candidates:
        return ShortPop(note=f"{candidates} customers match — p picks one")
    if done:
        return ShortPop(note="New caller — no CRM record")
    return ShortPop(note="Looking up the caller…")

"""The desk's rules for the agent's state and the offers on its stream: an offer that replaces another, one that
closes unanswered, one missed while the stream could not be read (said once, until the state moves on), and the
agent's own reject. What they decide is the desk's (`offer`, `missed_offer`, `replaced_offer`); what they remember
to decide it (the offers shown here, the last one, what was said) is kept here."""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.changes import DeskChanges, Effect, SearchExperts
from agent_desktop.agent_desk.desk.next_state import NextStateKeeper
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import Agent, AgentStateEvent, Offer
from agent_desktop.domain.vocabulary import AgentState, OfferState

if TYPE_CHECKING:
    from agent_desktop.agent_desk.callers.lookups import CallerLookups
    from agent_desktop.agent_desk.contacts import HeldContact
    from agent_desktop.agent_desk.experts.directory import ExpertDirectory
    from agent_desktop.domain.changes import Severity

log = logging.getLogger(__package__)  # the desk's log, as when its rules were one module

SHOWN_MEMORY = 200  # offers remembered as shown, so one that expired unseen can be told from one seen
UNSEEN_MISS = (
    "while the contact center was unreachable: it was never shown here. No more offers until you press v (Available)."
)


class OfferDesk(Protocol):
    """The desk as its offer rules see it (model.py's Desk, which builds them): the agent's state and the offers they
    set, the contacts in hand, the callers' lookups and the experts an offer starts, the next state kept, and its
    notices. The desk builds its rules; they never import it."""

    agent: Agent | None
    offer: Offer | None
    missed_offer: Offer | None
    replaced_offer: Offer | None

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def lookups(self) -> CallerLookups: ...

    @property
    def directory(self) -> ExpertDirectory: ...

    @property
    def next_state(self) -> NextStateKeeper: ...

    def finished(self, contact_id: str) -> bool: ...

    def has_contacts_in_hand(self) -> bool: ...

    def suggest_experts(self) -> None: ...

    def changed(self) -> DeskChanges: ...

    def notice(
        self, text: str, title: str, severity: Severity = "information", timeout: float | None = None
    ) -> None: ...


class OfferRules:
    def __init__(self, desk: OfferDesk) -> None:
        self.desk = desk
        self._last_offer_id: str | None = None
        # Offers drawn on this desk (the latest SHOWN_MEMORY): one that expires unseen is said as such.
        self._shown_offers: OrderedDict[str, None] = OrderedDict()
        self._said_unseen_miss = False  # the agent was told of an offer missed unseen, until the state moves on
        self._rejected_here = False  # `r` on the last offer: the Missed state that follows is the agent's doing

    def apply_agent_state(self, event: AgentStateEvent) -> list[Effect]:
        desk = self.desk
        agent = desk.next_state.with_kept(event.agent)
        if agent == desk.agent:
            return []  # the state as the desk has it already (a snapshot after a reconnect)
        missed_unseen = (
            agent.state is AgentState.MISSED
            and desk.agent is not None
            and desk.agent.state is not AgentState.MISSED
            and desk.offer is None
            and desk.missed_offer is None
            and not self._said_unseen_miss
            and not self._rejected_here
        )
        if agent.state is not AgentState.OFFERED:
            self._rejected_here = False  # the state after the rejected offer has come
        if desk.agent is None or (agent.state, agent.reason) != (desk.agent.state, desk.agent.reason):
            log.info("agent %s: %s%s", agent.id, agent.state.value, f" ({agent.reason})" if agent.reason else "")
        desk.agent = agent
        changes = desk.changed()
        changes.agent = True
        if agent.state is not AgentState.MISSED:
            self._said_unseen_miss = False
        elif missed_unseen:
            # An offer came and went while its events could not be read (a 429 storm, a link down): the state
            # alone would say Missed with nothing to say why.
            self._said_unseen_miss = True
            desk.notice(f"You missed an offer {UNSEEN_MISS}", "Offer missed", "warning", timeout=30)
        if event.agent.state is AgentState.AVAILABLE and desk.missed_offer is not None:
            desk.missed_offer = None  # the agent said so: routable again
            changes.offer = True
        return []

    def apply_offer(self, offer: Offer) -> list[Effect]:
        desk = self.desk
        contact_id = offer.contact.id
        if offer.state is not OfferState.PENDING or (desk.offer is not None and desk.offer.id == offer.id):
            return []
        if contact_id in desk.held or desk.finished(contact_id):
            return []  # stale: that contact is already past its offer
        replaced = desk.offer if desk.offer is not None and desk.offer.contact.id != contact_id else None
        if desk.offer is not None:
            self.drop()
        desk.replaced_offer = replaced
        if replaced is not None:
            desk.notice(
                f"The offer from {shown_phone(replaced.contact.from_address)} was withdrawn (the caller hung up, or it went to "
                f"someone else). Now offered: {shown_phone(offer.contact.from_address)}.",
                "Offer changed",
                "warning",
            )
        log.info(
            "offer %s: %s contact %s from queue %s, until %s",
            offer.id,
            offer.contact.channel.value,
            contact_id,
            offer.contact.queue_id,
            offer.expires_at.isoformat(timespec="seconds"),
        )
        desk.offer = offer
        desk.missed_offer = None
        self._last_offer_id = offer.id
        self._shown_offers[offer.id] = None
        while len(self._shown_offers) > SHOWN_MEMORY:
            self._shown_offers.popitem(last=False)
        changes = desk.changed()
        changes.offer = changes.card = changes.ring = True
        desk.suggest_experts()
        # The last contact's expert search does not stay for this one: the whole directory, suggestions first.
        fresh = [SearchExperts("", None)] if desk.directory.reset_search() else []
        return [*desk.lookups.begin(offer.contact), *fresh]

    def apply_offer_closed(self, offer: Offer) -> None:
        desk = self.desk
        log.info("offer %s: %s", offer.id, offer.state.value)
        unseen = offer.id not in self._shown_offers and offer.contact.id not in desk.held
        if offer.state is OfferState.EXPIRED and unseen and not self._said_unseen_miss:
            self._said_unseen_miss = True
            desk.notice(
                f"You missed an offer from {shown_phone(offer.contact.from_address)} {UNSEEN_MISS}",
                "Offer missed",
                "warning",
                timeout=30,
            )
            return
        # (Its contact's "queued" event may have taken the offer off the desk already.)
        if offer.state is OfferState.EXPIRED and offer.id == self._last_offer_id and offer.contact.id not in desk.held:
            desk.missed_offer = offer  # said where the agent is looking: the offer card, or over a dialog
            desk.changed().offer = True
        if desk.offer is None or desk.offer.id != offer.id:
            return
        self.drop()
        # A missed offer makes the agent not routable; on a contact, the state line still says Busy.
        missed = offer.state in (OfferState.EXPIRED, OfferState.REJECTED) and desk.has_contacts_in_hand()
        hint = " No more offers until you press v (Available)." if missed else ""
        desk.notice(
            f"The offer from {shown_phone(offer.contact.from_address)} was {offer.state.value}.{hint}",
            "Offer closed",
            "warning",
        )

    def reject(self) -> Offer | None:
        """The agent rejected the offer: it leaves the screen at once."""
        offer = self.desk.offer
        if offer is not None:
            self.drop()
            self._rejected_here = True
        return offer

    def drop(self) -> None:
        desk = self.desk
        assert desk.offer is not None
        contact_id = desk.offer.contact.id
        if contact_id not in desk.held:
            desk.lookups.pop(contact_id, None)
        desk.offer = None
        changes = desk.changed()
        changes.offer = changes.card = True
        desk.suggest_experts()

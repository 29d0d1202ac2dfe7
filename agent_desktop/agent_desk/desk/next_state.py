"""The next state, kept by the desk for a contact center that keeps none (`capabilities.native_next_state` is
false): the state the agent asked for after their contacts, set once none is left in hand; and the states the
agent may choose, as the contact center lists them."""

from __future__ import annotations

from typing import Protocol

from agent_desktop.agent_desk.changes import DeskChanges, Effect, TakeNextState
from agent_desktop.domain.capabilities import ContactCenterCapabilities, StateOption
from agent_desktop.domain.models import Agent, NextState
from agent_desktop.domain.vocabulary import AgentState


class NextStateDesk(Protocol):
    """The desk as the next state's keeper sees it (model.py's Desk, which builds it): the agent's state it sets, what
    the contact center keeps itself, whether a contact is in hand. The desk builds its rules; they never import it."""

    agent: Agent | None

    @property
    def capabilities(self) -> ContactCenterCapabilities: ...

    def has_contacts_in_hand(self) -> bool: ...

    def changed(self) -> DeskChanges: ...


class NextStateKeeper:
    def __init__(self, desk: NextStateDesk) -> None:
        self.desk = desk
        self.catalog: list[StateOption] = []  # the states the agent may choose, from the contact center
        # A next state the desk keeps for a contact center that has none of its own (applied at the last contact).
        self.kept: NextState | None = None

    def keep(self, next_state: NextState | None) -> None:
        """The agent asked for a state after their contacts (None: they no longer do); the contact center
        keeps no such request (`capabilities.native_next_state` is false), so the desk does."""
        desk = self.desk
        self.kept = next_state
        if desk.agent is not None:
            desk.agent = desk.agent.model_copy(update={"next_state": next_state})
            desk.changed().agent = True

    def with_kept(self, agent: Agent) -> Agent:
        if self.desk.capabilities.native_next_state:
            return agent
        return agent.model_copy(update={"next_state": self.kept})

    def due(self) -> list[Effect]:
        """The kept next state, once no contact is left in hand: the desk sets it (once)."""
        kept = self.kept
        if kept is None or self.desk.has_contacts_in_hand():
            return []
        self.keep(None)
        return [TakeNextState(kept.state, kept.reason)]

    def set_catalog(self, options: list[StateOption]) -> None:
        self.catalog = list(options)
        self.desk.changed()  # the state picker reads it when it opens

    def not_ready_options(self) -> list[StateOption]:
        """The not-ready states the agent may choose, as the contact center lists them."""
        return [option for option in self.catalog if option.kind is AgentState.NOT_READY]

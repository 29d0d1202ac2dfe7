"""The supervisor's pickers, from the floor and from an agent's day alike: an agent's state (now, or after the
contact in hand), and which of an agent's contacts to monitor. The options and the rules are the supervisor's
desk's (agent_desktop/supervisor_desk/desk.py); the choice is handed to its controller, run as a worker of the app so
that closing a drill-down does not cancel it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.ui.plain_text import plain, toast
from agent_desktop.ui.shared.channel_symbols import CHANNEL_SYMBOLS
from agent_desktop.ui.shared.choice_picker import ChoicePicker


def _state_of(choice: str) -> tuple[AgentState, str | None]:
    state, _, reason = choice.partition(":")
    return AgentState(state), reason or None


def choose_agent_state(screen: Screen[Any], controller: SupervisorController, agent_id: str) -> None:
    """`t`: the states a supervisor may set now, or those for after the agent's contact in hand."""
    desk = controller.desk
    if agent_id not in desk.floor.agents:
        return
    if desk.holding(agent_id):
        choose_next_state(screen, controller, agent_id)
        return

    def chosen(choice: str | None) -> None:
        if choice is not None:
            set_agent_state(screen, controller, agent_id, *_state_of(choice))

    title = f"Set {desk.agent_name(agent_id)}'s state"
    screen.app.push_screen(ChoicePicker(title, desk.state_choices(agent_id)), chosen)


def set_agent_state(
    screen: Screen[Any], controller: SupervisorController, agent_id: str, state: AgentState, reason: str | None = None
) -> None:
    """A 409 because the agent took a contact meanwhile becomes the offer of a next state, not a refusal."""

    async def set_now() -> None:
        if not await controller.set_agent_state(agent_id, state, reason):
            choose_next_state(screen, controller, agent_id)

    screen.app.run_worker(set_now(), group="supervisor-actions")


def choose_next_state(screen: Screen[Any], controller: SupervisorController, agent_id: str) -> None:
    """What a supervisor can do for an agent with a contact in hand: the state they take after it."""
    desk = controller.desk
    if agent_id not in desk.floor.agents:
        return

    def chosen(choice: str | None) -> None:
        if choice is None:
            return
        state, reason = (None, None) if choice == "clear" else _state_of(choice)
        screen.app.run_worker(controller.set_agent_next_state(agent_id, state, reason), group="supervisor-actions")

    title = f"{desk.agent_name(agent_id)}: after this contact"  # the picker is narrow: a long title is cut
    screen.app.push_screen(ChoicePicker(title, desk.next_state_choices(agent_id)), chosen)


def choose_contact_to_monitor(
    screen: Screen[Any], controller: SupervisorController, agent_id: str, join: Callable[[str], object]
) -> None:
    """`j` on an agent: their contact in progress joined at once, a picker when they have several."""
    desk = controller.desk
    contacts, name = desk.monitorable(agent_id), desk.agent_name(agent_id)
    if not contacts:
        toast(screen, plain(f"{name} has no contact in progress."), title="Monitor")
    elif len(contacts) == 1:
        join(contacts[0].id)
    else:
        options = [
            (c.id, f"{CHANNEL_SYMBOLS[c.channel]} {c.id} · {shown_phone(c.from_address)} · {c.queue_name}")
            for c in contacts
        ]

        def chosen(contact_id: str | None) -> None:
            if contact_id:
                join(contact_id)

        screen.app.push_screen(ChoicePicker(f"Monitor which of {name}'s contacts?", options), chosen)


def join_chosen(join: Callable[[str], object]) -> Callable[[str | None], None]:
    """A drill-down's answer: the contact it chose to monitor is joined; none chosen, nothing."""

    def chosen(contact_id: str | None) -> None:
        if contact_id:
            join(contact_id)

    return chosen

"""Every model a screen draws from says what changed the same way (agent_desktop/domain/changes.py): a named
record, false when nothing changed, true after a change, and taken once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.experts.directory import ExpertDirectory
from agent_desktop.domain.changes import Changes
from agent_desktop.domain.models import AgentState, Availability, TranscriptPage
from agent_desktop.staffing.floor import Floor
from agent_desktop.supervisor_desk.desk import SupervisorDesk
from agent_desktop.supervisor_desk.monitoring.monitored import MonitoredContacts
from tests.support.desk_events import AGENT_ID, T0, agent_event, offer_event
from tests.support.experts_panel_host import expert
from tests.unit.conversations.test_conversations import item
from tests.unit.monitoring.test_supervision import monitoring

# Each model, a change to it, and how its changes are taken.
Model = tuple[object, Callable[[], object], Callable[[], object]]


def agent_desk() -> Model:
    desk = Desk(AGENT_ID)
    return desk, lambda: desk.apply(offer_event("c-1", 1)), desk.take_changes


def directory() -> Model:
    model = ExpertDirectory()
    return (
        model,
        lambda: model.show([expert("p-1", "Sam Expert", ["billing"], Availability.AVAILABLE)]),
        model.take_changes,
    )


def floor() -> Model:
    model = Floor()
    return model, lambda: model.apply(agent_event(AgentState.AVAILABLE, 1)), model.take_changes


def monitored() -> Model:
    model = MonitoredContacts()
    return model, lambda: model.joined(monitoring()), model.take_changes


def supervisor_desk() -> Model:
    desk = SupervisorDesk(Floor())
    step = iter(range(1, 1000))

    def take() -> object:
        return desk.take_floor_changes(T0 + timedelta(seconds=next(step)), float(next(step)))

    return desk, lambda: desk.floor.apply(agent_event(AgentState.AVAILABLE, 1)), take


@pytest.mark.parametrize("model", [agent_desk, directory, floor, monitored, supervisor_desk])
def test_each_model_hands_over_a_record_of_what_changed_taken_once(model: Callable[[], Model]) -> None:
    _, change, take = model()
    first = take()
    assert isinstance(first, Changes), "a named record, not a bare tuple"
    assert not isinstance(first, tuple), "a named record, not a bare tuple"
    assert not take(), "nothing changed"
    change()
    changed = take()
    assert changed, f"{changed!r} says nothing changed after a change"
    assert not take(), "taken once"


def test_a_monitored_card_changed_is_named() -> None:
    model = MonitoredContacts()
    model.joined(monitoring())
    model.take_changes()
    model.page(monitoring().contact_id, TranscriptPage(items=[item(0)], has_more=False))
    changes = model.take_changes()
    assert changes.contacts == {monitoring().contact_id}
    assert not changes.order

"""The supervisor's session, set up by the app: the desk over the floor, and its controller over the console.
The screen is given the controller and only draws."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from agent_desktop.domain.models import SupervisionRecord
from agent_desktop.domain.quality.forms import EvaluationRecord
from agent_desktop.services import Backends
from agent_desktop.staffing.floor import SERVICE_LEVEL_ALERT_MIN_CONTACTS, Floor
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.supervisor_desk.desk import SupervisorDesk
from agent_desktop.supervisor_desk.ports import SupervisorPorts, kept_nowhere


class SupervisorSession:
    def __init__(
        self,
        backends: Backends,
        ports: SupervisorPorts,
        now: Callable[[], datetime],
        *,
        longest_wait_alert_s: float = 60.0,
        max_occupancy_pct: float | None = None,
        service_level_alert_min_contacts: int = SERVICE_LEVEL_ALERT_MIN_CONTACTS,
        record_supervision: Callable[[list[SupervisionRecord]], object] = kept_nowhere,
        record_evaluation: Callable[[EvaluationRecord], object] = kept_nowhere,
    ) -> None:
        """`ports`: the console's optional features as the runtime resolved them; the alert thresholds are the
        configuration's (`[supervisor]`); `record_supervision` and `record_evaluation`: the app's outbox takes the
        supervisor's joins, mode changes and leaves, and the evaluations released, for the CRM (`kept_nowhere` where
        the CRM keeps none)."""
        console = backends.supervisor
        if console is None:
            raise ValueError("supervisor mode needs a supervisor backend")
        floor = Floor(longest_wait_alert_s, max_occupancy_pct, service_level_alert_min_contacts)
        self.desk = SupervisorDesk(floor, ports.capabilities, record_supervision=record_supervision)
        self.controller = SupervisorController(
            self.desk,
            console,
            ports,
            now,
            record_evaluation=record_evaluation,
            lookup_caller=backends.crm.lookup if backends.crm is not None else None,  # (a desk made without one)
            softphone=backends.supervisor_softphone,
        )

    async def aclose(self) -> None:
        await self.controller.aclose()

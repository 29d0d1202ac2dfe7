"""What the supervisor's desk tells its screen: the toasts to show and what to redraw of the floor."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent_desktop.staffing.floor import Alert


@dataclass
class FloorChanges:
    """What the screen must draw again of the floor since it last drew (it reads the desk for the values): the
    supervisor desk's `Changes` (agent_desktop/domain/changes.py)."""

    agents: set[str] = field(default_factory=set)  # agent ids whose row changed
    queues: bool = False  # the queues' figures (and so the alerts)
    reset: bool = False  # a snapshot: every row again
    staffing: bool = False  # the staffing advice and its causes, worked out again
    link: bool = False  # the link to the contact center came or went
    flags: bool = False  # the queue of raised flags
    said: bool = False  # the alerts from what customers said (the alerts table)
    adherence: set[str] = field(default_factory=set)  # agents whose adherence changed
    adherence_reset: bool = False  # a snapshot of adherence: every row again
    told: list[Alert] = field(default_factory=list)  # alerts new enough to be told in one notification

    def __bool__(self) -> bool:
        return (
            bool(self.agents)
            or self.queues
            or self.reset
            or self.staffing
            or self.link
            or bool(self.told)
            or bool(self.adherence)
            or self.adherence_reset
        )

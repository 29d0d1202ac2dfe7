"""What every use case of the desk reads of the controller it belongs to: the desk, the backends, the outbox,
the clock, what is kept on disk, and the controller's redraw, spawn and carry_out."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.desk.controller import DeskController


class DeskUseCase:
    """A part of the controller (conversations, wrap-up, the caller, experts): no forwarders, the controller
    holds it and the screen calls it."""

    def __init__(self, controller: DeskController) -> None:
        self.controller = controller
        self.desk = controller.desk
        self.contact_center = controller.contact_center
        self.crm = controller.crm
        self.presence = controller.presence
        self.outbox = controller.outbox
        self.kept = controller.kept
        self.now = controller.now
        self.outbox_written = controller.outbox_written
        self._redraw = controller.redraw
        self._spawn = controller.spawn
        self._carry_out = controller.carry_out

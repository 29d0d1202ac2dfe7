"""The supervisor's side of flags and broadcasts: answer a flag in its thread, close it, broadcast a
short message to a queue's agents or the team. Card data is masked before the text leaves the desk; a refusal is
told as a notice (refusals.py). Monitoring the flagged contact is the monitoring use cases' `join`."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol, TypeVar

from agent_desktop.domain.flags.protocol import SupervisorFlags
from agent_desktop.domain.models import Flag
from agent_desktop.domain.pci import mask_pci
from agent_desktop.staffing.floor import Floor

T = TypeVar("T")


class FlagDesk(Protocol):
    """The supervisor's desk as these use cases see it (desk.py's SupervisorDesk, which imports this package): where
    a flag as answered goes, and the floor (a queue's name)."""

    @property
    def floor(self) -> Floor: ...

    def take_flag(self, flag: Flag) -> None: ...


class FlagHost(Protocol):
    """The supervisor's controller as these use cases see it (controller.py's SupervisorController), so that they
    do not import it back."""

    @property
    def desk(self) -> FlagDesk: ...

    async def act(self, call: Awaitable[T], title: str) -> T | None: ...

    def told(self, text: str, title: str) -> None: ...


class FlagsAndBroadcasts:
    """The supervisor answering and closing flags, and broadcasting (the agent raises them: FlagRaising)."""

    def __init__(self, controller: FlagHost, console: SupervisorFlags) -> None:
        """`console`: the console's flags and broadcasts (a stand-in that refuses in words where the contact center
        keeps neither, whose keys are never offered)."""
        self.controller = controller
        self.desk = controller.desk
        self.console = console

    async def answer(self, flag_id: str, text: str) -> bool:
        text = mask_pci(text.strip())
        if not text:
            return False
        flag = await self.controller.act(self.console.add_flag_line(flag_id, text), "Flag")
        if flag is None:
            return False
        self.desk.take_flag(flag)
        return True

    async def close(self, flag_id: str) -> None:
        flag = await self.controller.act(self.console.close_flag(flag_id), "Flag")
        if flag is not None:
            self.desk.take_flag(flag)
            self.controller.told(
                f"The flag of {flag.agent_name or flag.agent_id} on {flag.contact_id} is closed.", "Flag"
            )

    async def broadcast(self, text: str, minutes: float, queue_id: str | None) -> None:
        text = mask_pci(text.strip())
        if not text:
            return
        sent = await self.controller.act(self.console.broadcast(text, minutes, queue_id), "Broadcast")
        if sent is not None:
            to = self.desk.floor.queue_name(queue_id) if queue_id else "your team"
            self.controller.told(f"Sent to {len(sent.agent_ids)} agents of {to} for {minutes:g} min.", "Broadcast")

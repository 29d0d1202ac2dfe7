"""The agent's flag to the supervisor: raise one on a contact in hand with a line of text, or add a line
to its open thread. Card data is masked before the text leaves the desk; a refusal is told as a notice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.refusals import logged_refusal
from agent_desktop.agent_desk.retry_keys import RetryKeys
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.pci import mask_pci

if TYPE_CHECKING:
    from agent_desktop.agent_desk.flags.supervisor_help import SupervisorHelp


class FlagDesk(DeskNotices, Protocol):
    """The desk as raising a flag reads it (desk/model.py's Desk): the flags raised and their threads."""

    @property
    def help(self) -> SupervisorHelp: ...


class FlagRaising(DeskUseCase[FlagDesk]):
    """The agent raising a flag on a contact and adding lines to its thread (the supervisor answers: FlagsAndBroadcasts)."""

    def __init__(self, controller: UseCaseHost[FlagDesk]) -> None:
        super().__init__(controller)
        # A line whose answer was lost is sent again as it first went (a raise, or a line of that flag) under the
        # same Idempotency-Key (after a restart too): stored once, even if the flag it raised has reached the desk
        # meanwhile.
        self._retries = RetryKeys("flag", self.kept.drafts)

    async def say(self, contact_id: str, text: str) -> bool:
        """Raise a flag on the contact with `text`, or add `text` to its open flag's thread; whether it was taken."""
        backend = self.ports.flags_backend
        text = mask_pci(text.strip())
        if not text:
            return False
        desk = self.desk
        open_flag = desk.help.open_flag_on(contact_id)
        write = (contact_id, text)
        key, flag_id = await self._retries.request_for(write, open_flag.id if open_flag is not None else None)
        try:
            if flag_id is not None:
                flag = await backend.add_flag_line(flag_id, text, idempotency_key=key)
            else:
                flag = await backend.raise_flag(contact_id, text, idempotency_key=key)
        except BackendError as error:
            await self._retries.failed(write, key, flag_id, error)
            desk.notice(logged_refusal(error, "Flag"), "Flag", "error")
            return False
        await self._retries.answered(write, key)
        desk.help.take(flag)
        if open_flag is None:
            desk.notice("Your supervisors see it now; their answers come here (! shows the thread).", "Flag raised")
        return True

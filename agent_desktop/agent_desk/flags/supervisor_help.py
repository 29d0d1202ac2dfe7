"""Help from the supervisor on the agent's desk: the flag raised on each contact with its private thread,
and the supervisors' broadcasts until they expire.

Fed by the agent's stream (`FlagEvent`, `BroadcastEvent`) and the answers of the agent's own requests. A
supervisor's line rings the bell and says so in a notice, as a whisper does; the thread goes to the CRM with the
contact's private notes at wrap-up (`thread_for_the_crm`), through the wrap-up's one outbox entry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.domain.changes import Notice
from agent_desktop.domain.models import Broadcast, BroadcastEvent, Flag, FlagEvent


class SupervisorHelp:
    def __init__(self, changes: Callable[[], DeskChanges]) -> None:
        self._changes = changes
        self.flags: dict[str, Flag] = {}  # contact id → its latest flag (open or closed)
        self.broadcasts: dict[str, Broadcast] = {}  # id → broadcast, until it expires

    def apply(self, event: FlagEvent | BroadcastEvent) -> None:
        if isinstance(event, BroadcastEvent):
            self.broadcasts[event.broadcast.id] = event.broadcast
            changes = self._changes()
            changes.broadcasts = changes.ring = True
            return
        told = self.take(event.flag)
        if not told:
            return
        line = event.flag.lines[-1] if event.flag.lines else None
        changes = self._changes()
        if event.type == "flag_line" and line is not None and line.author == "supervisor":
            changes.ring = True  # as for a whisper
            changes.notices.append(Notice(f"{line.name}: {line.text}", "Supervisor (!)"))
        elif event.type == "flag_closed":
            changes.notices.append(Notice(f"Your flag on {event.contact_id} is closed.", "Supervisor"))

    def take(self, flag: Flag) -> bool:
        """A flag as the contact center has it now (an answer or an event); False if nothing is new (an echo, or
        an older copy of the thread arriving after a newer one)."""
        known = self.flags.get(flag.contact_id)
        if known is not None and known.id == flag.id:
            if (len(flag.lines), flag.state == "closed") <= (len(known.lines), known.state == "closed"):
                return False
        elif known is not None and known.state == "open" and flag.raised_at < known.raised_at:
            return False
        self.flags[flag.contact_id] = flag
        self._changes().flags = True
        return True

    def flag_on(self, contact_id: str) -> Flag | None:
        return self.flags.get(contact_id)

    def open_flag_on(self, contact_id: str) -> Flag | None:
        flag = self.flags.get(contact_id)
        return flag if flag is not None and flag.state == "open" else None

    def release(self, contact_id: str) -> None:
        """The contact left the agent's hands (its wrap-up written): its thread goes with it."""
        if self.flags.pop(contact_id, None) is not None:
            self._changes().flags = True

    def thread_for_the_crm(self, contact_id: str) -> list[str]:
        """The flag's thread as private notes: who asked, who answered, when."""
        flag = self.flags.get(contact_id)
        if flag is None:
            return []
        return [
            f"Flag to the supervisor ({flag.id}), {line.name} at {line.at:%H:%M:%S}: {line.text}" for line in flag.lines
        ]

    def shown_broadcasts(self, now: datetime) -> list[Broadcast]:
        """The broadcasts not yet expired, newest first."""
        return sorted(
            (b for b in self.broadcasts.values() if b.expires_at > now), key=lambda b: b.sent_at, reverse=True
        )

    def expire(self, now: datetime) -> bool:
        """Forget the broadcasts past their expiry; whether any went (the banner redraws)."""
        gone = [key for key, b in self.broadcasts.items() if b.expires_at <= now]
        for key in gone:
            del self.broadcasts[key]
        if gone:
            self._changes().broadcasts = True
        return bool(gone)

"""The supervisor's queue of raised flags: the open flags of their queues, oldest first, each with its
contact, its agent and its thread; which of them wait for an answer (the last line is the agent's).

Fed by the floor's snapshot (the open flags on each (re)connection) and the stream's `FlagEvent`s; a closed flag
leaves the queue. `take_changed` says whether the screen must draw the queue again.
"""

from __future__ import annotations

from datetime import datetime

from agent_desktop.domain.models import Flag, FlagEvent


class FlagQueue:
    def __init__(self) -> None:
        self._open: dict[str, Flag] = {}  # flag id → the flag as last told
        self._changed = False

    def reset(self, flags: list[Flag]) -> None:
        """A snapshot: the open flags as the contact center has them now."""
        self._open = {flag.id: flag for flag in flags if flag.state == "open"}
        self._changed = True

    def apply(self, event: FlagEvent) -> bool:
        """A flag raised, answered or closed; whether the queue changed (an older copy of a thread changes
        nothing: events of one flag may cross its snapshot)."""
        flag, known = event.flag, self._open.get(event.flag.id)
        if flag.state == "closed":
            if known is None:
                return False
            del self._open[flag.id]
        elif known is not None and len(flag.lines) <= len(known.lines):
            return False
        else:
            self._open[flag.id] = flag
        self._changed = True
        return True

    def take(self, flag: Flag) -> None:
        """A flag as an answer of the supervisor's own request has it (a line added, closed)."""
        kind = "flag_closed" if flag.state == "closed" else "flag_line"
        at = flag.lines[-1].at if flag.lines else flag.raised_at
        self.apply(FlagEvent(type=kind, contact_id=flag.contact_id, flag=flag, at=at))

    def ordered(self) -> list[Flag]:
        """Oldest first: the one waiting longest is answered first, as a queue of contacts is."""
        return sorted(self._open.values(), key=lambda flag: (flag.raised_at, flag.id))

    def get(self, flag_id: str | None) -> Flag | None:
        return self._open.get(flag_id) if flag_id else None

    def __len__(self) -> int:
        return len(self._open)

    def take_changed(self) -> bool:
        changed, self._changed = self._changed, False
        return changed


def waiting_for_answer(flag: Flag) -> bool:
    """The agent spoke last: the flag waits for a supervisor."""
    return bool(flag.lines) and flag.lines[-1].author == "agent"


def flag_age(flag: Flag, now: datetime) -> str:
    """How long since it was raised: 45s, 3m, 1h05."""
    seconds = max(0, int((now - flag.raised_at).total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}"

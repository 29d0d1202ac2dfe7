"""The queue of raised flags on the supervisor screen: one row per open flag of the supervisor's queues,
oldest first, with how long ago it was raised, the agent, the contact, its queue and the thread's last line (● when
the agent spoke last: it waits for an answer). Hidden while no flag is raised. Its keys (answer, close, monitor the
contact) are the command table's; the rules are the desk's (agent_desktop/supervisor_desk/flags/flag_queue.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text

from agent_desktop.domain.models import Flag
from agent_desktop.supervisor_desk.flags.flag_queue import FlagQueue, flag_age, waiting_for_answer
from agent_desktop.ui.lines import Column
from agent_desktop.ui.plain_text import cell, literal_title
from agent_desktop.ui.supervisor.live_table import LiveTable

COLUMNS = (
    Column("Raised", 6, "age", "right"),
    Column("", 1, "waiting"),
    Column("Agent", 16, "agent"),
    Column("Contact", 10, "contact"),
    Column("Queue", 20, "queue"),  # a hundred queues' names by whole words ("Collections Overflow")
    Column("Last line", 30, "last"),
)


def flag_cells(flag: Flag, now: datetime, queue_name: Callable[[str], str]) -> list[Text]:
    last = flag.lines[-1] if flag.lines else None
    waiting = waiting_for_answer(flag)
    return [
        cell(flag_age(flag, now), "bold yellow" if waiting else ""),
        cell("●" if waiting else "", "bold yellow"),
        cell(flag.agent_name or flag.agent_id),
        cell(flag.contact_id),
        cell(queue_name(flag.queue_id) if flag.queue_id else ""),
        cell(f"{last.name}: {last.text}" if last else "", limit=200),
    ]


class FlagsTable(LiveTable):
    FLEX = "last"
    YIELDS = ()  # the last line is cut before the queue is left out, but at 80 columns the line needs the room
    NARROW_HIDDEN = frozenset({"queue"})
    NAMES = frozenset({"queue"})  # "Technical… — Premium", not "Technical s…"

    def __init__(self, flags: FlagQueue, queue_name: Callable[[str], str], *, id: str | None = None) -> None:
        super().__init__(COLUMNS, id=id)
        self._flags = flags
        self._queue_name = queue_name
        self.display = False

    def show(self, now: datetime) -> None:
        """The open flags, oldest first (a row repaints only if it reads differently)."""
        flags = self._flags.ordered()
        self.show_rows([(flag.id, flag_cells(flag, now, self._queue_name)) for flag in flags], widest="last")
        waiting = sum(waiting_for_answer(flag) for flag in flags)
        self.border_title = literal_title(f"Flags raised — {len(flags)}, {waiting} waiting (oldest first)")
        self.border_subtitle = literal_title("a answer · j monitor · x close")

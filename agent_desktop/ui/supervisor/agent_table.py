"""The agents table: who is in which state, for how long, on which contacts; sortable and filterable."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from functools import partial

from rich.text import Text

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.models import Agent, Contact
from agent_desktop.staffing.floor import Floor
from agent_desktop.supervisor_desk.agent_order import contacts_text, matches
from agent_desktop.supervisor_desk.agent_order import sort_value as agent_sort_value
from agent_desktop.supervisor_desk.workforce.break_overruns import overrun_s
from agent_desktop.ui.lines import Column
from agent_desktop.ui.plain_text import cell
from agent_desktop.ui.shared.agent_state_styles import agent_state_text
from agent_desktop.ui.shared.channel_symbols import CHANNEL_SYMBOLS
from agent_desktop.ui.supervisor.live_table import LiveTable

COLUMNS = (
    Column("ID", 10, "id"),
    Column("Agent", 18, "name"),
    Column("State", 18, "state"),
    Column("Reason", 12, "reason"),
    Column("In state", 8, "time", "right"),
    Column("Contacts", 22, "contacts"),
    Column("Channels", 8, "channels"),
)
TIME = 4  # the "In state" column
RECORDING_PAUSED = "No REC "  # before the contacts: a call of theirs is not being recorded (card data read out)


def channels_text(contacts: list[Contact]) -> str:
    counts = Counter(c.channel for c in contacts)
    return " ".join(CHANNEL_SYMBOLS[ch] * n for ch, n in sorted(counts.items()))


def time_in_state(agent: Agent, now: datetime) -> Text:
    """ "In state", marked `!` and in the error colour once a break runs over its limit."""
    text = format_duration((now - agent.state_since).total_seconds(), "compact")
    return Text(f"!{text}", style="bold red") if overrun_s(agent, now) is not None else Text(text)


def contacts_cell(contacts: list[Contact], recording_paused: bool) -> Text:
    """ "Contacts", led by `No REC` in the warning colour while a call of theirs has its recording paused."""
    text = contacts_text(contacts)
    if not recording_paused:
        return cell(text, limit=22)
    marked = Text(no_wrap=True, overflow="ellipsis").append(RECORDING_PAUSED, style="bold yellow")
    return marked.append_text(cell(text, limit=22 - len(RECORDING_PAUSED)))


class AgentTable(LiveTable):
    """Rows keyed by agent id. The screen sets `sort_by` and `filter_text` from the supervisor's desk, then calls
    `show`; which agents match and their order are the desk's rules (agent_desktop/supervisor_desk/agent_order.py)."""

    # At 80 columns: who, their state, its reason and how long they have been in it.
    NARROW_HIDDEN = frozenset({"contacts", "channels"})

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(COLUMNS, id=id)
        self.sort_by = "name"
        self.filter_text = ""
        self.said_about: frozenset[str] = frozenset()  # their names marked ⚠: `j` on the row monitors the contact
        self._sort_values: dict[str, tuple[object, ...]] = {}

    def show(self, floor: Floor, changed: set[str], now: datetime, *, rebuild: bool = False) -> None:
        """Bring the rows of `changed` agents up to date (every agent with `rebuild`)."""
        keep = self.cursor_key  # the agent the supervisor was on stays selected through a rebuild
        if rebuild:
            self.clear()
            self._sort_values.clear()
            changed = set(floor.agents)
        order_changed = rebuild
        for agent_id in changed:
            agent = floor.agents.get(agent_id)
            contacts = floor.contacts_of(agent_id)
            if agent is None or not matches(agent, contacts, self.filter_text):
                if agent_id in self:
                    self.remove_row(agent_id)
                    self._sort_values.pop(agent_id, None)
                continue
            sort_value = agent_sort_value(agent, contacts, self.sort_by)
            if self._sort_values.get(agent_id) != sort_value:
                self._sort_values[agent_id] = sort_value
                order_changed = True
            paused = floor.recording_paused_of(agent_id)
            self.set_row_later(agent_id, partial(self._row, agent, contacts, now, paused))
        if order_changed:
            values = self._sort_values
            self.set_order(sorted(values, key=values.__getitem__))
        if rebuild:
            self.move_cursor(self.keys.index(keep) if keep is not None and keep in self else 0)

    def refresh_times(self, floor: Floor, now: datetime) -> None:
        """Tick "in state" on the rows in view (the others catch up when scrolled to)."""
        first = self.scroll_offset.y
        for agent_id in self.keys[first : first + self.size.height]:
            agent = floor.agents.get(agent_id)
            if agent is not None:
                text = time_in_state(agent, now)
                if self.cell(agent_id, "time") != text:
                    self.set_cell(agent_id, "time", text)

    def _row(self, agent: Agent, contacts: list[Contact], now: datetime, paused: bool) -> list[Text]:
        return [
            cell(agent.id, "dim", limit=40),
            cell(f"⚠ {agent.name}", "bold red", limit=18)
            if agent.id in self.said_about
            else cell(agent.name, "bold", limit=18),
            agent_state_text(agent.state, self.app),
            cell(agent.reason or "", "italic", limit=12),
            time_in_state(agent, now),
            contacts_cell(contacts, paused),
            Text(channels_text(contacts)),
        ]

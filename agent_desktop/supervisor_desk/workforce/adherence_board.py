"""Real-time adherence on the supervisor's desk, without a terminal: each agent's row as the contact
center last told it (a snapshot on each connection, then `adherence` events), the board's order (out of adherence
longest first), the day's adherence per agent and team moved on with the clock between events, and one alert per
episode out of adherence past the contact center's tolerance. No I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.domain.workforce.models import AdherenceSnapshot, AgentAdherence

# Agents newly out of adherence are told together, at most once this often (as the queues' alerts are,
# staffing/alerts.py): on a floor of 1,000 a break time sends dozens out within seconds, one notice each covered the
# tables. The board shows every one of them meanwhile.
TELL_EVERY = timedelta(seconds=20)
SCHEDULED_LABELS = {"work": "Work", "break": "Break", "lunch": "Lunch", "off": "Off shift"}
NO_PCT = "—"


@dataclass(frozen=True)
class BoardRow:
    agent_id: str
    agent: str
    team: str
    scheduled: str
    actual: str
    out_for: str  # mm:ss out of adherence (reported), else empty
    pct: str  # today's adherence, e.g. "92.5 %"
    out: bool


@dataclass(frozen=True)
class TeamRow:
    team: str
    agents: int
    out: int
    pct: str


def actual_words(row: AgentAdherence) -> str:
    try:
        label = AgentState(row.state).label
    except ValueError:
        label = row.state  # a state this desk does not know: as the contact center wrote it
    return f"{label} — {row.reason}" if row.reason else label


def spent(row: AgentAdherence, now: datetime) -> tuple[float, float]:
    """Time in and out of adherence today as of `now`: the row's counts, moved on by the time since it was told
    while the agent is scheduled (the state and the schedule are as told until the next event)."""
    extra = max(0.0, (now - row.at).total_seconds()) if row.scheduled != "off" else 0.0
    return (row.in_s + extra, row.out_s) if row.in_adherence else (row.in_s, row.out_s + extra)


def pct_words(in_s: float, out_s: float) -> str:
    return NO_PCT if in_s + out_s <= 0 else f"{100 * in_s / (in_s + out_s):.1f} %"


def out_for_s(row: AgentAdherence, now: datetime) -> float:
    return max(0.0, (now - row.out_since).total_seconds()) if row.out_of_adherence and row.out_since else 0.0


def order(rows: Iterable[AgentAdherence]) -> list[str]:
    """Reported out of adherence first, the longest out (the earliest episode) at the top; then the rest by name."""
    far = datetime.max.replace(tzinfo=None)

    def key(row: AgentAdherence) -> tuple[bool, datetime, str, str]:
        since = row.out_since.replace(tzinfo=None) if row.out_of_adherence and row.out_since else far
        return (not row.out_of_adherence, since, row.name.casefold(), row.agent_id)

    return [row.agent_id for row in sorted(rows, key=key)]


class AdherenceBoard:
    def __init__(self) -> None:
        self.rows: dict[str, AgentAdherence] = {}
        self.tolerance_s: float | None = None
        self.loaded = False  # the contact center keeps adherence: a snapshot came with it
        self.changed: set[str] = set()
        self.reset = False
        self._told: set[tuple[str, datetime]] = set()  # the episodes alerted: (agent, when it began)
        self._to_tell: dict[str, AgentAdherence] = {}  # episodes to alert on, not told yet: agent -> its row
        self._told_at: datetime | None = None

    def load(self, snapshot: AdherenceSnapshot) -> list[AgentAdherence]:
        """A (re)connection's rows; the episodes newly out past the tolerance (one already told is not again)."""
        self.rows = {row.agent_id: row for row in snapshot.agents}
        self.tolerance_s, self.loaded, self.reset = snapshot.tolerance_s, True, True
        return [row for row in snapshot.agents if self._first_told(row)]

    def apply(self, row: AgentAdherence) -> list[AgentAdherence]:
        """One agent's row changed; [row] when it starts an episode to alert on."""
        self.rows[row.agent_id] = row
        self.changed.add(row.agent_id)
        return [row] if self._first_told(row) else []

    def to_tell(self, rows: list[AgentAdherence], now: datetime) -> list[AgentAdherence]:
        """The episodes to alert on in one notice now, `rows` among them (empty: nothing yet): at most one notice every
        TELL_EVERY; an agent back in adherence before their turn is not told."""
        for row in rows:
            self._to_tell[row.agent_id] = row
        for agent_id in [a for a in self._to_tell if not self.rows[a].out_of_adherence]:
            del self._to_tell[agent_id]
        if not self._to_tell or (self._told_at is not None and now - self._told_at < TELL_EVERY):
            return []
        told = sorted(self._to_tell.values(), key=lambda r: (r.out_since or now, r.name.casefold(), r.agent_id))
        self._to_tell, self._told_at = {}, now
        return told

    def _first_told(self, row: AgentAdherence) -> bool:
        if not row.out_of_adherence or row.out_since is None:
            return False
        episode = (row.agent_id, row.out_since)
        if episode in self._told:
            return False
        self._told.add(episode)
        return True

    def take_changes(self) -> tuple[bool, set[str]]:
        """(every row again, the agents whose row changed) since the last call."""
        reset, changed = self.reset, self.changed
        self.reset, self.changed = False, set()
        return reset, changed

    def order(self) -> list[str]:
        return order(self.rows.values())

    def row(self, agent_id: str, now: datetime) -> BoardRow:
        row = self.rows[agent_id]
        out_s = out_for_s(row, now)
        return BoardRow(
            agent_id=agent_id,
            agent=row.name or agent_id,
            team=row.team,
            scheduled=SCHEDULED_LABELS.get(row.scheduled, row.scheduled),
            actual=actual_words(row),
            out_for=format_duration(out_s, "short") if row.out_of_adherence else "",
            pct=pct_words(*spent(row, now)),
            out=row.out_of_adherence,
        )

    def teams(self, now: datetime) -> list[TeamRow]:
        """Per team: agents, how many are out of adherence, its adherence today (time summed over its agents)."""
        grouped: dict[str, list[AgentAdherence]] = {}
        for row in self.rows.values():
            grouped.setdefault(row.team, []).append(row)
        totals = []
        for team, members in sorted(grouped.items()):
            times = [spent(row, now) for row in members]
            out = sum(row.out_of_adherence for row in members)
            totals.append(
                TeamRow(team, len(members), out, pct_words(sum(t[0] for t in times), sum(t[1] for t in times)))
            )
        return totals


def alert_text(rows: list[AgentAdherence], now: datetime) -> str:
    """One notice for the agents newly out of adherence past the tolerance (three named, the rest counted)."""
    lines = [
        f"{row.name or row.agent_id}: {actual_words(row)} while scheduled for "
        f"{SCHEDULED_LABELS.get(row.scheduled, row.scheduled)} ({format_duration(out_for_s(row, now), 'compact')})"
        for row in rows[:3]
    ]
    if len(rows) > 3:
        lines.append(f"+{len(rows) - 3} more (the adherence board, r)")
    return "\n".join(lines)

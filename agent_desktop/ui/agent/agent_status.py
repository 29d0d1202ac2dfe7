"""The agent's state with time in state, and the health of each backend link."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from agent_desktop.agent_desk.my_day.break_limits import break_clock
from agent_desktop.agent_desk.voice.call_media import LinkState
from agent_desktop.domain.assist.protocol import AssistantFigures
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.formats.opaque_ids import is_opaque
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Agent
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.agent_state_styles import AGENT_STATE_STYLES
from agent_desktop.ui.shared.link_words import link_problem, unreadable_events


class AgentStatus(Static):
    """One line: `● Available  02:13   Alex (agent-001)   contact center ● CRM ● presence ●`; a break with a limit
    says its time left after its timer (`● Not ready — Lunch  12:40  17:20 left`), then `over by 0:37`.

    A link that is down says why and where instead of the agent's name (the line has no room for both);
    in a narrow terminal the id, then the name, give way to the links.
    """

    agent: reactive[Agent | None] = reactive(None)
    now: reactive[datetime | None] = reactive(None)
    links: reactive[dict[str, LinkStatus]] = reactive(dict, always_update=True)
    assistant: reactive[AssistantFigures | None] = reactive(None)  # where one was asked: its tokens, its health
    selected: reactive[str | None] = reactive(None)  # the selected contact: its tokens beside the day's
    # the softphone's link, why lost (or what it lacks), and the device it rings on apart from the headset
    sound: reactive[tuple[LinkState, str, str]] = reactive((LinkState.NONE, "", ""))

    def __init__(self, capabilities: ContactCenterCapabilities | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.capabilities = capabilities or ContactCenterCapabilities()

    def render(self) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        who: int | None = None
        agent = self.agent
        down = [link for link in self.links.values() if not link.connected]
        if agent is None:
            parts.append(("Connecting to the contact center…" if not down else "Not connected", "dim"))
        else:
            style = AGENT_STATE_STYLES.get(agent.state, "")
            parts += [("● ", style), (agent.state.label, style)]
            if agent.reason:
                parts += [" — ", plain(agent.reason, "italic")]
            if self.now is not None:
                parts += ["  ", (format_duration((self.now - agent.state_since).total_seconds()), "bold")]
                limit = break_clock(agent, self.capabilities, self.now)
                if limit is not None:
                    parts += ["  ", (limit.text, "bold $error" if limit.over else "dim")]
            if agent.next_state is not None:
                next_style = AGENT_STATE_STYLES.get(agent.next_state.state, "")
                parts += [("   next: ", "dim"), plain(agent.next_state.label, next_style)]
            if not down:
                # the id in brackets where a person chose it (`agent-001`); a vendor's SID (WK…) says nothing to them
                shown_id = not is_opaque(agent.id) and agent.id != agent.name
                brackets = [("  (", "dim"), plain(agent.id, "dim"), (")", "dim")] if shown_id else ["", "", ""]
                parts += ["   ", plain("" if is_opaque(agent.name) else agent.name), *brackets]
                who = len(parts) - 5  # the agent's name and id: the first to go when the line does not fit
        if self.links:
            parts.append("     " if not down else "   ")
            for name, link in self.links.items():
                up = link.connected
                parts += [
                    (f"{name} ", "dim"),
                    ("● " if up else "✕ ", "$success" if up else "bold $error"),
                    unreadable_events(link),
                ]
                if not up:
                    parts += [link_problem(link), "  "]
        if (figures := self.assistant) is not None:
            parts += assistant_parts(figures, self.selected)
        line = Content.assemble(*parts)
        room = self.content_size.width
        sound = sound_parts(*self.sound)
        # The phone's link is said like the others; the hint of how to get sound is the first to give way.
        if self.sound[0] is not LinkState.NONE or (
            room and line.cell_length + Content.assemble(*sound).cell_length <= room
        ):
            parts += sound
            line = Content.assemble(*parts)
        if who is not None and room and line.cell_length > room:  # the links stay in view: the id goes, then the name
            line = Content.assemble(*parts[: who + 2], *parts[who + 5 :])
            if line.cell_length > room:
                line = Content.assemble(*parts[:who], *parts[who + 5 :])
        return line


NO_SOUND = "no sound: [softphone]"  # docs/voice.md; info says more


def sound_parts(link: LinkState, problem: str, ringer: str = "") -> list[Content | str | tuple[str, str]]:
    """`phone ●` while the softphone's link is up (`phone ● ringer alsa,hw:1` where calls ring apart from the headset),
    `phone ✕ why · R reconnects` once lost; with none configured, how to get sound (said here, once, at the line's
    end: the first to be cut when it does not fit)."""
    if link is LinkState.NONE:
        return ["   ", (NO_SOUND, "dim")]
    if link is LinkState.LOST:
        return [
            "   ",
            ("phone ", "dim"),
            ("✕ ", "bold $error"),
            plain(one_line(problem, 60)),
            (" · R reconnects", "dim"),
        ]
    up: list[Content | str | tuple[str, str]] = [
        "   ",
        ("phone ", "dim"),
        ("● " if link is LinkState.UP else "… ", "$success"),
    ]
    if problem:
        return [*up, plain(one_line(problem, 40), "$warning")]  # ("no sound device")
    return [*up, ("ringer ", "dim"), plain(one_line(ringer, 24))] if ringer else up


def assistant_parts(figures: AssistantFigures, selected: str | None) -> list[Content | str | tuple[str, str]]:
    """`assistant ● 312/1,204 tokens`: the selected contact's and the day's; `✕ not answering` while it fails, and
    the day's limit when it is spent."""
    parts: list[Content | str | tuple[str, str]] = ["   ", ("assistant ", "dim")]
    if not figures.answering:
        return [*parts, ("✕ not answering", "bold $error")]
    if figures.spent_today >= figures.daily_limit:
        return [*parts, (f"✕ day's {figures.daily_limit:,} tokens spent", "bold $warning")]
    on_selected = figures.spent_on(selected)
    shown = f"{on_selected:,}/{figures.spent_today:,}" if on_selected else f"{figures.spent_today:,}"
    return [*parts, ("● ", "$success"), (f"{shown} tokens", "dim")]

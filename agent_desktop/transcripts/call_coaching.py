"""How a call is being spoken, in words: the contact center's coaching figures (`CallCoachingEvent`, docs/voice.md
"Coaching") as the agent's call area says them under the transcript, as the supervisor's monitor card says them, and
as the CRM keeps them with the interaction. What needs the agent's attention (a long silence now, the agent doing most
of the talking) is said in words before the figures, never by a colour alone. No terminal code."""

from __future__ import annotations

from dataclasses import dataclass

from agent_desktop.domain.models import CallCoachingEvent

TALKS_MOST_PCT = 70  # the agent's share of the talk from which it is said in words
TALKS_MOST_AFTER_S = 20.0  # ...once this much has been said in all: the first sentences are not a pattern


@dataclass(frozen=True)
class Said:
    text: str
    urgent: bool = False  # needs the agent's attention: drawn bold, and said so in its words


def coaching_words(
    event: CallCoachingEvent, *, agent: str = "you", caller: str = "caller", detail: bool = False
) -> list[Said]:
    """The figures as `agent` (the agent's own screen: "you"; the supervisor's: "agent") and the caller read them,
    most needed first: a silence going on now, the talk share (said in words when the agent talks most), who cut in
    on whom, the long silences, the pace. `detail`: the long silences' threshold said too (the CRM's record)."""
    said: list[Said] = []
    if not event.final and event.silent_now_s >= event.long_silence_s:
        said.append(Said(f"silent {event.silent_now_s:.0f} s", urgent=True))
    talked = event.customer_talk_s + event.agent_talk_s
    shares = f"{event.agent_share_pct}% · {caller} {event.customer_share_pct}%"
    if event.agent_share_pct >= TALKS_MOST_PCT and talked >= TALKS_MOST_AFTER_S:
        said.append(Said(f"{agent} {'talk' if agent == 'you' else 'talks'} most: {shares}", urgent=True))
    else:
        said.append(Said(f"{agent} {shares}"))
    said.append(Said(f"cut in: {agent} {event.agent_interruptions} · {caller} {event.customer_interruptions}"))
    silences = f"{event.long_silences} long silence{'s' if event.long_silences != 1 else ''}"
    said.append(Said(silences + (f" (over {event.long_silence_s:.0f} s)" if detail else "")))
    if event.agent_wpm is not None or event.customer_wpm is not None:
        said.append(Said(f"wpm {agent} {_wpm(event.agent_wpm)} · {caller} {_wpm(event.customer_wpm)}"))
    return said


def _wpm(wpm: int | None) -> str:
    return "–" if wpm is None else str(wpm)


SEPARATOR = "  "


def fitted(said: list[Said], room: int) -> list[Said]:
    """As much as fits on one line of `room` cells: given up from the last."""
    kept = list(said)
    while kept and len(SEPARATOR.join(part.text for part in kept)) > room:
        kept.pop()
    return kept


def for_the_crm(event: CallCoachingEvent) -> str:
    """The call's final figures in one line, kept with the interaction for quality evaluations."""
    said = coaching_words(event, agent="agent", detail=True)
    return "How the call was spoken: " + "; ".join(part.text for part in said)

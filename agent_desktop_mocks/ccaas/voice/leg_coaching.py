"""How each call of the voice leg is spoken, as it goes: one `CallCoach` a call (talk_figures.py computes), fed the
relay's levels while both sides talk (not on hold), told every `COACH_EVERY` frames while its figures change and,
final, at the call's end — to the agent who has the call and the supervisors."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from agent_desktop_mocks.ccaas.core.errors import REFUSALS
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.voice.talk_figures import COACH_EVERY, CallCoach, CallCoachingEvent, CoachingRules


class LegCoaching:
    def __init__(
        self,
        tell: Callable[[CallCoachingEvent], None] | None,
        rules: CoachingRules | None,
        engine: Engine,
    ) -> None:
        """`tell`: publishes a call's figures (None: measured, told to nobody); `engine`: where the agent a contact is
        with is read, when the call is not ringing anyone's softphone."""
        self.tell = tell
        self.rules = rules or CoachingRules()
        self.engine = engine
        self._coaches: dict[str, CallCoach] = {}
        self._ticks: dict[str, int] = {}

    def frame(self, contact_id: str, agent_id: str | None, levels: dict[str, int] | None) -> None:
        """One frame of the call: `levels` while both sides talk (None on hold or before the answer)."""
        if levels is not None:
            coach = self._coaches.get(contact_id) or self._coaches.setdefault(
                contact_id, CallCoach(contact_id, self.rules)
            )
            coach.frame(levels)
        ticks = self._ticks[contact_id] = self._ticks.get(contact_id, 0) + 1
        if ticks % COACH_EVERY == 0:
            self._told(contact_id, agent_id)

    def words(self, contact_id: str, speaker: str, count: int) -> None:
        """A final line recognised on a call, of `count` words: its side's pace (HeardCalls' `on_words`)."""
        if (coach := self._coaches.get(contact_id)) is not None:
            coach.meter.words("customer" if speaker == "customer" else "agent", count)

    def end(self, contact_id: str, agent_id: str | None) -> None:
        """The call ended: its final figures told (and kept by the stream), the coach forgotten."""
        self._told(contact_id, agent_id, final=True)
        self._coaches.pop(contact_id, None)
        self._ticks.pop(contact_id, None)

    def _told(self, contact_id: str, agent_id: str | None, *, final: bool = False) -> None:
        coach = self._coaches.get(contact_id)
        if coach is None or self.tell is None:
            return
        if agent_id is None:
            with contextlib.suppress(*REFUSALS):
                agent_id = self.engine.read.contact(contact_id).agent_id
        if (event := coach.news(agent_id, final=final)) is not None:
            self.tell(event)

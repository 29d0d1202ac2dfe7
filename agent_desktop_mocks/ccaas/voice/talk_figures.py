"""How a call is spoken, from its audio: each side's talk share, who talked over whom, the long
silences and each side's pace, as a contact center's analytics measure them (Contact Lens, Genesys, NICE).

The contact center computes them, because it carries both sides of every call (the relay, rtp_relay.py); the desk
only shows them. Pure and frame by frame: every `FRAME_S` the voice leg gives each side's level of the frame just
gone (call_levels.py's 0..8 scale, silence where nothing came); a frame at `speech_step` or over is speech, and a side
stays speaking for `hangover_frames` quiet frames after (the gap between words is not a turn's end). Words come from
the recognised transcript's final lines (`words`); the pace is a side's words over its own talk time. An interruption
is read on the loud frames: one side, not speaking, becomes loud while the other is, and both stay loud
`min_overlap_s`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

Side = Literal["customer", "agent"]
SIDES: tuple[Side, Side] = ("customer", "agent")
FRAME_S = 0.25  # the level meter's tick (call_levels.TICK_S): one frame of voice activity
COACH_EVERY = 8  # frames: the figures told at most every 2 s, while they change


@dataclass(frozen=True)
class CoachingRules:
    """What counts as speech, as talking over, as a long silence."""

    speech_step: int = 3  # a frame's level at or over this is speech: -30 dB of full scale (speech ~ -21 dB here)
    hangover_frames: int = 2  # a side still speaking this many quiet frames after its last loud one (0.5 s)
    min_overlap_s: float = 0.5  # both loud at least this long, the second having started over the first
    long_silence_s: float = 5.0  # neither side speaking at least this long is a long silence
    frame_s: float = FRAME_S

    def frames(self, seconds: float) -> int:
        """`seconds` in whole frames, at least one."""
        return max(1, round(seconds / self.frame_s))


class VoiceActivity:
    """One side's speech, frame by frame: loud enough, or within the hangover after a loud frame."""

    def __init__(self, speech_step: int, hangover_frames: int) -> None:
        self.speech_step = speech_step
        self.hangover_frames = hangover_frames
        self._quiet = hangover_frames + 1  # quiet frames since the last loud one (start: not speaking)

    def frame(self, level: int) -> bool:
        self._quiet = 0 if level >= self.speech_step else self._quiet + 1
        return self._quiet <= self.hangover_frames


@dataclass(frozen=True)
class TalkFigures:
    """A call's figures so far. A share is of the time anyone spoke (overlap counted for both), so the two shares add
    up to 1 when anyone spoke and to 0 before; interruptions are counted for the side who started over the other."""

    elapsed_s: float = 0.0
    talk_s: dict[Side, float] = field(default_factory=lambda: dict.fromkeys(SIDES, 0.0))
    interruptions: dict[Side, int] = field(default_factory=lambda: dict.fromkeys(SIDES, 0))
    words: dict[Side, int] = field(default_factory=lambda: dict.fromkeys(SIDES, 0))
    long_silences: int = 0
    longest_silence_s: float = 0.0
    silent_now_s: float = 0.0  # neither side speaking for this long, up to now

    def share(self, side: Side) -> float:
        total = sum(self.talk_s.values())
        return self.talk_s[side] / total if total > 0 else 0.0

    def pace_wpm(self, side: Side) -> int | None:
        """Words a minute of the side's own talk time; None before it said a recognised word."""
        talk = self.talk_s[side]
        return round(self.words[side] * 60 / talk) if talk > 0 and self.words[side] > 0 else None


class TalkMeter:
    """A call's figures, fed each side's level frame by frame and the recognised words as they come."""

    def __init__(self, rules: CoachingRules | None = None) -> None:
        self.rules = rules = rules or CoachingRules()
        self._activity = {side: VoiceActivity(rules.speech_step, rules.hangover_frames) for side in SIDES}
        self._was: dict[Side, bool] = dict.fromkeys(SIDES, False)  # each side speaking in the frame before
        self._frames = 0
        self._talk: dict[Side, int] = dict.fromkeys(SIDES, 0)
        self._interruptions: dict[Side, int] = dict.fromkeys(SIDES, 0)
        self._words: dict[Side, int] = dict.fromkeys(SIDES, 0)
        self._overlap = 0  # frames both have been speaking, in the current overlap
        self._interrupter: Side | None = None  # who started over the other in the current overlap
        self._silence = 0  # frames neither has been speaking, in the current silence
        self._long_silences = 0
        self._longest_silence = 0

    def frame(self, customer_level: int, agent_level: int) -> None:
        rules = self.rules
        now: dict[Side, bool] = {
            "customer": self._activity["customer"].frame(customer_level),
            "agent": self._activity["agent"].frame(agent_level),
        }
        loud: dict[Side, bool] = {
            "customer": customer_level >= rules.speech_step,
            "agent": agent_level >= rules.speech_step,
        }
        self._frames += 1
        for side in SIDES:
            self._talk[side] += now[side]
        # Talking over is read on the loud frames, not the hangover: a reply that comes as the other's last word ends
        # (inside their hangover) is a turn taken, not an interruption. Who started it is whoever was not speaking
        # (hangover included) just before: a speaker's pause between words, talked over, is not them cutting in again.
        if loud["customer"] and loud["agent"]:
            if self._overlap == 0:  # an overlap begins
                started = [side for side in SIDES if not self._was[side]]
                self._interrupter = started[0] if len(started) == 1 else None
            self._overlap += 1
            if self._interrupter is not None and self._overlap == rules.frames(rules.min_overlap_s):
                self._interruptions[self._interrupter] += 1
        else:
            self._overlap, self._interrupter = 0, None
        if now["customer"] or now["agent"]:
            self._silence = 0
        else:
            self._silence += 1
            self._longest_silence = max(self._longest_silence, self._silence)
            if self._silence == rules.frames(rules.long_silence_s):
                self._long_silences += 1
        self._was = now

    def words(self, side: Side, count: int) -> None:
        """A final line recognised on `side`, of `count` words."""
        self._words[side] += max(0, count)

    def figures(self) -> TalkFigures:
        frame_s = self.rules.frame_s
        return TalkFigures(
            elapsed_s=self._frames * frame_s,
            talk_s={side: self._talk[side] * frame_s for side in SIDES},
            interruptions=dict(self._interruptions),
            words=dict(self._words),
            long_silences=self._long_silences,
            longest_silence_s=self._longest_silence * frame_s,
            silent_now_s=self._silence * frame_s,
        )


class CallCoach:
    """One call's figures as the voice leg keeps them: its meter, and what was last told of it."""

    def __init__(self, contact_id: str, rules: CoachingRules) -> None:
        self.contact_id = contact_id
        self.rules = rules
        self.meter = TalkMeter(rules)
        self.told: CallCoachingEvent | None = None

    def frame(self, levels: dict[str, int]) -> None:
        self.meter.frame(levels["customer"], levels["agent"])

    def news(self, agent_id: str | None, *, final: bool = False) -> CallCoachingEvent | None:
        """The figures to tell now: None if they are what was last told (the final ones always)."""
        event = CallCoachingEvent.of(self.contact_id, agent_id, self.meter.figures(), self.rules, final=final)
        if not final and event == self.told:
            return None
        self.told = event
        return event


class CallCoachingEvent(BaseModel):
    """`call_coaching` on the call's agent's stream and the supervisor's: how the call is being spoken so far, every
    couple of seconds while it changes, and once more as it ends (`final`)."""

    type: Literal["call_coaching"] = "call_coaching"
    contact_id: str
    agent_id: str | None = None
    customer_share_pct: int = Field(ge=0, le=100, description="The caller's share of the time anyone spoke")
    agent_share_pct: int = Field(ge=0, le=100, description="The agent's share of the time anyone spoke")
    customer_talk_s: float = Field(ge=0)
    agent_talk_s: float = Field(ge=0)
    customer_interruptions: int = Field(ge=0, description="Times the caller started over the agent")
    agent_interruptions: int = Field(ge=0, description="Times the agent started over the caller")
    long_silences: int = Field(ge=0, description="Silences at least `long_silence_s` long")
    long_silence_s: float = Field(gt=0, description="What counts as a long silence")
    longest_silence_s: float = Field(ge=0)
    silent_now_s: float = Field(ge=0, description="Neither side speaking for this long, up to now")
    customer_wpm: int | None = Field(default=None, ge=0, description="The caller's words a minute of their talk")
    agent_wpm: int | None = Field(default=None, ge=0, description="The agent's words a minute of their talk")
    final: bool = False

    @classmethod
    def of(
        cls, contact_id: str, agent_id: str | None, figures: TalkFigures, rules: CoachingRules, *, final: bool = False
    ) -> CallCoachingEvent:
        customer = round(100 * figures.share("customer"))
        spoke = sum(figures.talk_s.values()) > 0
        return cls(
            contact_id=contact_id,
            agent_id=agent_id,
            customer_share_pct=customer,
            agent_share_pct=100 - customer if spoke else 0,
            customer_talk_s=figures.talk_s["customer"],
            agent_talk_s=figures.talk_s["agent"],
            customer_interruptions=figures.interruptions["customer"],
            agent_interruptions=figures.interruptions["agent"],
            long_silences=figures.long_silences,
            long_silence_s=rules.long_silence_s,
            longest_silence_s=figures.longest_silence_s,
            silent_now_s=figures.silent_now_s,
            customer_wpm=figures.pace_wpm("customer"),
            agent_wpm=figures.pace_wpm("agent"),
            final=final,
        )

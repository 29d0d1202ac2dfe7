"""What the simulated caller and agent say on a voice call, read from `ccaas/data/call_scripts.toml` and checked:
per IVR intent, with its queue for calls that did not come through the IVR, and as several scripts where callers of
one intent differ (most calm, a few upset): each takes its `share` of the intent's calls, in turn."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

from agent_desktop_mocks.common.toml_tables import once, read_table

DATA = Path(__file__).resolve().parent / "data"

Speaker = Literal["customer", "agent"]
# A line said, or `["silence", seconds]`: nobody speaks for that long and the call is not on hold (an agent looking
# something up without holding the caller), the length of a pause a contact center's silence rule is there to catch.
Said = tuple[Speaker, str]
Silence = tuple[Literal["silence"], PositiveInt]


class CallScript(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    intent: str
    variant: str = Field(default="", max_length=40, description="Tells apart the scripts of one intent")
    share: PositiveInt = Field(default=1, le=100, description="Of the intent's calls, how many in the shares' sum")
    queue: str
    subject: str = Field(min_length=1, max_length=80, description="What the caller tells the IVR: the call's subject")
    language: str = Field(
        default="en", pattern=r"^[a-z]{2}$", description="What it is spoken in (the IVR's, the card's)"
    )
    lines: tuple[Said | Silence, ...] = Field(min_length=1)


class CallScripts(BaseModel):
    """call_scripts.toml."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scripts: tuple[CallScript, ...] = Field(alias="script", min_length=1)

    @model_validator(mode="after")
    def _variants_once(self) -> CallScripts:
        once("script", (f"{script.intent} {script.variant}".strip() for script in self.scripts))
        return self

    @property
    def languages(self) -> frozenset[str]:
        """The languages a script is written in: a simulated caller speaks one of them."""
        return frozenset(script.language for script in self.scripts)

    def subject_for(self, intent: str, draw: float) -> str | None:
        """What a caller of `intent` tells the IVR, one of its scripts' subjects by their shares (`draw` in [0, 1));
        None for an intent with no script."""
        turns = [script.subject for script in self.scripts if script.intent == intent for _ in range(script.share)]
        return turns[min(len(turns) - 1, int(draw * len(turns)))] if turns else None

    def for_call(
        self, intent: str | None, queue_id: str, nth: int = 0, subject: str | None = None, language: str | None = None
    ) -> CallScript:
        """The script of the call's intent whose subject is the call's (what the caller told the IVR, so that what is
        said is what the card says it is about), else the `nth` call's (from 0) of that intent, else of its queue's
        first intent (a generated queue, "billing_north", its line's), else of the first. The intent's scripts take
        their shares in turn, the first listed first: the first call of an intent is its first script, so a demo's
        first call of an intent, and a test's, is always the same. `language`: the call's (the IVR number's), among
        the scripts written in it where there are any."""
        scripts = [s for s in self.scripts if s.language == language] or list(self.scripts)
        line = queue_id.split("_", 1)[0]
        by_queue = [s for s in scripts if s.queue == queue_id] or [
            s for s in scripts if s.queue.split("_", 1)[0] == line
        ]
        chosen = intent if any(s.intent == intent for s in scripts) else (by_queue or scripts)[0].intent
        said = next((s for s in scripts if s.intent == chosen and subject and s.subject == subject), None)
        if said is not None:
            return said
        turns = [script for script in scripts if script.intent == chosen for _ in range(script.share)]
        return turns[nth % len(turns)]


def read_call_scripts(path: Path, shown_as: str | None = None) -> CallScripts:
    return read_table(path, CallScripts, shown_as=shown_as)


@functools.cache
def shipped() -> CallScripts:
    """The package's own call_scripts.toml (read once)."""
    return read_call_scripts(DATA / "call_scripts.toml")

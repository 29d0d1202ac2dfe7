"""What the simulated caller and agent say on a voice call, read from `ccaas/data/call_scripts.toml` and checked:
per IVR intent, with its queue for calls that did not come through the IVR."""

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
    queue: str
    lines: tuple[Said | Silence, ...] = Field(min_length=1)


class CallScripts(BaseModel):
    """call_scripts.toml."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scripts: tuple[CallScript, ...] = Field(alias="script", min_length=1)

    @model_validator(mode="after")
    def _intents_once(self) -> CallScripts:
        once("script", (script.intent for script in self.scripts))
        return self

    def for_call(self, intent: str | None, queue_id: str) -> CallScript:
        """The script of the call's intent, else its queue's (a generated queue, "billing_north", its line's),
        else the first."""
        line = queue_id.split("_", 1)[0]
        by_intent = [s for s in self.scripts if s.intent == intent]
        by_queue = [s for s in self.scripts if s.queue == queue_id] or [
            s for s in self.scripts if s.queue.split("_", 1)[0] == line
        ]
        return (by_intent or by_queue or list(self.scripts))[0]


def read_call_scripts(path: Path, shown_as: str | None = None) -> CallScripts:
    return read_table(path, CallScripts, shown_as=shown_as)


@functools.cache
def shipped() -> CallScripts:
    """The package's own call_scripts.toml (read once)."""
    return read_call_scripts(DATA / "call_scripts.toml")

"""A queue's contact policy per channel: the response-time targets of written contacts (the desk's SLA
clocks; Zendesk's SLA policies' first and next reply time) and after-contact work's rule (Genesys's four ACW
modes, Amazon Connect's per-channel timeout, the extensions, the default disposition), and which channels' offers
are auto-accepted (none unless set). A queue that names some
channels keeps these defaults for the others (schemas.Queue)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, StrictInt

WrapUpMode = Literal["optional", "discretionary", "time_boxed", "time_boxed_no_early_exit"]
WRITTEN = ("chat", "sms", "email")
CHANNELS = ("voice", *WRITTEN)


class ResponseTarget(BaseModel):
    """How soon an agent must answer a written contact."""

    first_response_s: StrictInt = Field(gt=0, description="From entering the queue to the agent's first message")
    next_response_s: StrictInt = Field(gt=0, description="From a customer's unanswered message to the agent's next")
    warn_at_pct: StrictInt = Field(default=75, ge=1, le=99, description="The clock warns past this share of it")


class WrapUpRule(BaseModel):
    """After-contact work of one channel in one queue. Optional: no code needed, no timer; discretionary: a code,
    no timer; time-boxed: completed at `timeout_s` (None: the queue's `acw_timeout_s`) with `default_disposition`
    (None: `ACW timeout`); time-boxed with no early exit: not completed before then."""

    mode: WrapUpMode = "time_boxed"
    timeout_s: StrictInt | None = Field(default=None, gt=0, le=86400)
    extension_s: StrictInt = Field(default=30, ge=0, le=3600, description="More time an agent may ask for; 0: none")
    max_extensions: StrictInt = Field(default=1, ge=0, le=10)
    default_disposition: str | None = Field(default=None, min_length=1, max_length=200)

    @property
    def timed(self) -> bool:
        return self.mode.startswith("time_boxed")


class AutoAccept(BaseModel):
    """An offer of this channel in this queue is accepted by itself after a short countdown the agent sees and may
    stop (Amazon Connect's auto-accept per routing profile and channel, Genesys's per queue and media type)."""

    after_s: StrictInt = Field(default=3, ge=1, le=30, description="The countdown on the offer before it is accepted")


def default_targets() -> dict[str, ResponseTarget]:
    return {
        "chat": ResponseTarget(first_response_s=60, next_response_s=90),
        "sms": ResponseTarget(first_response_s=300, next_response_s=600),
        "email": ResponseTarget(first_response_s=3600, next_response_s=14400),
    }


def default_wrap_up() -> dict[str, WrapUpRule]:
    return {channel: WrapUpRule() for channel in CHANNELS}

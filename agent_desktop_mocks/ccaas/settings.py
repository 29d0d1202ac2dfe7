"""Settings shared by the three mock servers."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_path
from pydantic import BaseModel, Field, field_validator

from agent_desktop_mocks.ccaas.tables.intents import IntentTable
from agent_desktop_mocks.ccaas.tables.intents import shipped as shipped_intents
from agent_desktop_mocks.ccaas.tables.ivr import IvrEntry, demo_ivr
from agent_desktop_mocks.ccaas.tables.seed import FloorTable
from agent_desktop_mocks.ccaas.tables.seed import shipped as shipped_floor

DEFAULT_HOST = "127.0.0.1"
DEFAULT_CCAAS_PORT = 8701
DEFAULT_CRM_PORT = 8702
DEFAULT_PRESENCE_PORT = 8703

DEMO_AGENT_ID = "agent-001"
DEMO_AGENT_TOKEN = "demo-agent-token"
DEMO_SUPERVISOR_TOKEN = "demo-supervisor-token"
DEMO_CRM_TOKEN = "demo-crm-token"
DEMO_CRM_SUPERVISOR_TOKEN = "demo-crm-supervisor-token"  # a supervisor's desk: supervision records
DEMO_PRESENCE_TOKEN = "demo-presence-token"


def default_data_dir() -> Path:
    return user_data_path("agent-desktop-mocks", appauthor=False)


class MockSettings(BaseModel):
    """How a set of mock servers is built. Tests make many independent ones."""

    data_dir: Path = Field(default_factory=default_data_dir)
    seed: int = 42
    customers: int = Field(default=300, ge=1, le=3_000_000)
    phone_region: str = Field(
        default="US", min_length=2, max_length=2, description="CRM: how a phone number without a country code is read"
    )
    experts: int = 40
    agents: int = Field(
        default=7,
        ge=1,
        le=5000,
        description="CCaaS: agents on the floor, the demo agent included (seeded with the data)",
    )
    queues: int = Field(
        default=3,
        ge=1,
        le=1000,
        description="CCaaS: queues (the demo's three, then generated ones; seeded with the data)",
    )
    simulator: bool = True
    call_transcripts: bool = Field(
        default=True,
        description="CCaaS: the caller and the agent speak their intent's lines on a connected call, heard as live "
        "transcription events (call_transcripts/speaker.py)",
    )
    speed: float = Field(
        default=1.0,
        gt=0,
        description="The simulated people (callers, agents, chat customers, colleagues): their seconds per real second",
    )
    time_scale: float = Field(
        default=1.0,
        gt=0,
        le=1000,
        description=(
            "The mock's seconds per real second: every timer (offers, ACW, consult legs, callback dials and "
            "retries, conversation inactivity, statistics) and, times `speed`, the simulated people. Tests run "
            "protocol timers at e.g. 20x and prove the same transitions; durations the API takes and reports "
            "stay in the mock's seconds, deadlines it shows are when things really happen"
        ),
    )
    offer_timeout_s: float = Field(default=20.0, gt=0)
    owned_callback_expiry_s: float = Field(
        default=600.0,
        gt=0,
        description="CCaaS: how long an agent's own scheduled callback waits for its owner once due, then goes to "
        "its queue for anyone (mock seconds)",
    )
    heartbeat_s: float = Field(default=15.0, gt=0)
    frozen_time: datetime | None = Field(
        default=None, description="Stamp every time with this instant (screenshots, snapshots)"
    )
    fresh: bool = Field(default=False, description="Delete existing data and seed again")
    ivr: list[IvrEntry] = Field(
        default_factory=demo_ivr, description="CCaaS: the IVR's entry numbers and their menus (docs/mock-apis.md)"
    )
    intents: IntentTable = Field(
        default_factory=shipped_intents,
        description="CCaaS: the simulated customers' intents (ccaas/data/intents.toml, or --ccaas-tables)",
    )
    callback_answer_pct: float = Field(
        default=75.0, ge=0, le=100, description="CCaaS: share of dialled callbacks the simulated customer answers"
    )
    crm_url: str | None = Field(
        default=None, description="CCaaS: the CRM the IVR looks callers up in (none: nobody is identified)"
    )
    virtual_agent_queues: list[str] = Field(
        default=[],
        description="CCaaS: the queues whose chat entry has the virtual agent (none: it is off; docs/mock-apis.md)",
    )
    virtual_agent_call_queues: list[str] = Field(
        default=[],
        description="CCaaS: the queues whose calls the virtual agent answers first (none: it is off; docs/mock-apis.md)",
    )
    model_url: str | None = Field(
        default=None,
        description="CCaaS: the contact center's model the virtual agent answers through (an OpenAI-compatible base "
        "URL ending in /v1); none: the bot cannot answer and hands every chat to a person (failed)",
    )
    model_name: str = Field(default="mock-grounded", description="CCaaS: the model the virtual agent asks for")
    model_key: str | None = Field(default=None, description="CCaaS: the Bearer key the contact center's model asks for")
    floor: FloorTable = Field(
        default_factory=shipped_floor,
        description=(
            "CCaaS: the demo's queues and team, the lines of a bigger floor (ccaas/data/floor.toml, or --ccaas-tables)"
        ),
    )
    adherence_tolerance_s: float = Field(
        default=60.0,
        ge=0,
        description="CCaaS: how long an agent may be out of adherence to their schedule before the supervisor is "
        "told (seconds of the contact center's clock, as the schedule's)",
    )
    working_day_zone: str | None = Field(
        default=None,
        description="CCaaS: lay the working day (forecasts, schedules) around the clock's time at the first start, in "
        "this IANA time zone or `local` (the machine's), so the floor is on shift whenever a demo starts; None: "
        "08:00-20:00 UTC, the same schedules at any hour (tests, screenshots)",
    )
    announce_monitoring: bool = Field(
        default=False,
        description="CCaaS: tell agents when a supervisor monitors them silently (off, as on most platforms)",
    )
    not_ready_reasons: list[str] = Field(
        default_factory=lambda: list(shipped_floor().not_ready_reasons),
        min_length=1,
        description="The CCaaS agents' not-ready reasons (seeded with the data)",
    )

    @field_validator("working_day_zone")
    @classmethod
    def _known_zone(cls, name: str | None) -> str | None:
        if name is not None and name != "local":
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"{name!r} is not a time zone (an IANA name such as Europe/Paris, or local)") from None
        return name

    def working_day_tz(self) -> tzinfo | None:
        """The zone the working day is laid in (None: a fixed day, 08:00 UTC)."""
        if self.working_day_zone is None:
            return None
        return (
            datetime.now().astimezone().tzinfo if self.working_day_zone == "local" else ZoneInfo(self.working_day_zone)
        )

    @property
    def actor_speed(self) -> float:
        """How fast the simulated people act: their own `speed` within the mock's `time_scale`."""
        return self.speed * self.time_scale

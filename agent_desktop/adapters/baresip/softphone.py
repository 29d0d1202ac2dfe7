"""`BaresipSoftphone`: the `Softphone` protocol over one baresip's `ctrl_tcp` link (loopback: it has no
authentication).

One reader task reads the link: each answer goes to the command that sent its token, each call event to `events()`.
baresip 1.0 acts on its *current* call, so a command for a call first makes it current (`callfind`), and the two are
sent under one lock: no other command of this desk comes between them. The second waits for `callfind`'s answer: sent
blind after a call that is gone, it would act on whichever call is current (1.0.0's `accept` takes no call id; 2.0's
does).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
from collections.abc import AsyncIterator
from dataclasses import replace

from agent_desktop.adapters.baresip.launcher import BaresipLauncher
from agent_desktop.adapters.baresip.messages import MAX_ID, Answer, parse
from agent_desktop.adapters.baresip.netstring import NetstringReader, encode
from agent_desktop.domain.calls.softphone import (
    DTMF_DIGITS,
    CallEvent,
    CallEventKind,
    SoftphoneCapabilities,
    SoftphoneError,
)
from agent_desktop.local.paths import LocalPathError, write_private

READ_CHUNK = 65536
# `audio_debug`'s sending side, as baresip 1.0.0 writes it: " tx:   encode: PCMU 8000Hz/1ch ..."
_ENCODER = re.compile(r"encode: ([A-Za-z0-9._-]{1,32}) (\d{3,6})Hz")
MAX_DTMF = 64  # a card number, its expiry and code, with room: more is no keypad's


CHIME = "message.wav"  # one of baresip's own sounds (/usr/share/baresip): a short two-note tone
SOUNDS = "/usr/share/baresip"  # baresip 1.0's `audio_path`: `play` reads its file from there (a path below it)
MESSAGE = "voicemail.wav"  # a recording played to the agent, in the desk's own baresip's folder (0600)
MAX_MESSAGE = 64 << 20  # bytes: an hour of 8 kHz 16-bit is 58 MB


def _checked_id(call_id: str) -> str:
    if not call_id or len(call_id) > MAX_ID or not call_id.isprintable() or any(c.isspace() for c in call_id):
        raise SoftphoneError(f"no call has the id {call_id[:40]!r}")
    return call_id


class NoSuchCall(SoftphoneError):
    """baresip holds no call of that id: it ended (or never was)."""


class BaresipSoftphone:
    capabilities = SoftphoneCapabilities(hold=True, mute=True, dtmf=True)

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 4444,
        *,
        connect_s: float = 5.0,
        answer_s: float = 5.0,
        launcher: BaresipLauncher | None = None,
        contact: str = "",
    ) -> None:
        """`launcher`: the desk's own baresip, started as the link is first opened (its port then replaces `port`)
        and stopped by `aclose`. `contact`: where a contact center rings one already running (the launcher knows its
        own)."""
        self.host = host
        self.port = port
        self.launcher = launcher
        # a recording is played by the desk's own baresip only: the file goes to its folder, which the desk owns
        self.capabilities = replace(BaresipSoftphone.capabilities, play=launcher is not None)
        self._contact = contact
        self._connect_s = connect_s
        self._answer_s = answer_s
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._pending: dict[str, asyncio.Future[Answer]] = {}
        self._events: asyncio.Queue[CallEvent | SoftphoneError] = asyncio.Queue()
        self._tokens = itertools.count(1)
        self._lock = asyncio.Lock()
        self._open_lock = asyncio.Lock()
        self._hung_up_here: set[str] = set()
        self._broken: SoftphoneError | None = None
        self._chimed = False  # a `play` was sent: released before the end (below)

    # --- the protocol ------------------------------------------------------------------------------------------

    async def connect(self) -> None:
        await self._open()
        if self._broken is not None:
            raise self._broken

    async def dial(self, uri: str) -> None:
        if not uri.startswith(("sip:", "sips:")) or not uri.isprintable() or any(c.isspace() for c in uri):
            raise SoftphoneError(f"not a SIP address: {uri[:80]!r}")
        async with self._lock:
            await self._command("dial", uri)

    async def answer(self, call_id: str) -> None:
        await self._on_call(call_id, "accept")

    async def hang_up(self, call_id: str) -> None:
        self._hung_up_here.add(_checked_id(call_id))
        try:
            await self._on_call(call_id, "hangup")
        except NoSuchCall:  # ended by the other side first (a contact ended by the agent hangs the caller up too)
            self._hung_up_here.discard(call_id)

    async def hold(self, call_id: str) -> None:
        await self._on_call(call_id, "hold")

    async def resume(self, call_id: str) -> None:
        await self._on_call(call_id, "resume")

    async def mute(self, call_id: str) -> None:
        await self._set_muted(call_id, True)

    async def unmute(self, call_id: str) -> None:
        await self._set_muted(call_id, False)

    async def send_dtmf(self, call_id: str, digits: str) -> None:
        if not digits or len(digits) > MAX_DTMF or not set(digits) <= DTMF_DIGITS:
            raise SoftphoneError(f"not DTMF digits (0-9, *, #, A-D; at most {MAX_DTMF}): {digits[:80]!r}")
        await self._on_call(call_id, "sndcode", digits)

    async def codec(self, call_id: str) -> str:
        """Read from `audio_debug` (baresip 1.0.0 says the codec in no event): "PCMU 8 kHz"."""
        found = _ENCODER.search(await self._on_call(call_id, "audio_debug"))
        if found is None:
            return ""
        return f"{found[1]} {int(found[2]) / 1000:g} kHz"

    async def contact_uri(self) -> str:
        """The desk's own baresip's SIP address once it started (its port may be chosen then), else the one given."""
        if self.launcher is not None:
            await self.connect()
            return self.launcher.uri
        return self._contact

    def sound_problem(self) -> str:
        return self.launcher.sound_problem if self.launcher is not None else ""

    def ringer(self) -> str:
        """The desk's own baresip's `audio_alert`, once started with it (left out with no sound device)."""
        launcher = self.launcher
        return launcher.plan.audio_alert if launcher is not None and not launcher.sound_problem else ""

    async def chime(self) -> None:
        """`play` of baresip's `debug_cmd` module: one of its own sounds (`message.wav`, 0.8 s) on its alert device
        (`audio_alert`, the desk's `[softphone] ringer`), not the call's player; it answers at once, the sound plays
        on. A baresip without `debug_cmd` refuses it (SoftphoneError)."""
        self._chimed = True
        await self._command("play", CHIME)

    async def play(self, wav: bytes) -> None:
        """`play` of `debug_cmd`, as the chime: the WAV written to the desk's own baresip's folder (0600) and named by
        its path from baresip's sounds folder (1.0 reads a file from there), played where the chime plays (the
        alert device: the headset's, unless a ringer is apart). A `play` replaces the one before."""
        if self.launcher is None or not self.capabilities.play:
            raise SoftphoneError("only the desk's own softphone ([softphone] start = true) plays a recording")
        if len(wav) > MAX_MESSAGE or not wav.startswith(b"RIFF"):
            raise SoftphoneError("the recording is no WAV the softphone can play")
        path = self.launcher.plan.folder / MESSAGE
        try:
            write_private(path, wav)
        except (LocalPathError, OSError) as error:
            raise SoftphoneError(f"the recording could not be kept for the softphone: {error}") from None
        self._chimed = True
        await self._command("play", os.path.relpath(path, SOUNDS))

    async def stop_playing(self) -> None:
        """`play` with no file: what plays stops."""
        await self._command("play", "")

    async def events(self) -> AsyncIterator[CallEvent]:
        await self.connect()
        while True:
            item = await self._events.get()
            if isinstance(item, SoftphoneError):
                raise item
            yield item

    async def reconnect(self) -> None:
        """A new link in place of a broken one (the desk's own baresip started again if it died)."""
        await self._drop_link()
        self._broken = None
        self._events = asyncio.Queue()
        self._hung_up_here.clear()
        await self.connect()

    async def aclose(self) -> None:
        if self._chimed and self._writer is not None and self._broken is None:
            # baresip 1.0.0 ended by a signal while `debug_cmd` still holds its last sound often crashed in its
            # close (SIGSEGV, a core file; 2 in 4 here): `play` with no file releases it first (none in 4).
            with contextlib.suppress(SoftphoneError):
                await self._command("play", "")
        await self._drop_link()
        if self.launcher is not None:
            await self.launcher.stop()
        self._fail(SoftphoneError("the softphone's link is closed"))

    async def _drop_link(self) -> None:
        if self._reader_task is not None:
            self._reader_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader_task
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader_task, self._writer = None, None

    # --- commands ----------------------------------------------------------------------------------------------

    async def _on_call(self, call_id: str, command: str, params: str = "") -> str:
        _checked_id(call_id)
        async with self._lock:
            found = await self._command("callfind", call_id)
            if not found.startswith("setting current call"):
                raise NoSuchCall(f"the softphone has no call {call_id!r}")
            return await self._command(command, params)

    async def _set_muted(self, call_id: str, muted: bool) -> None:
        """baresip 1.0's `mute` turns muting over and says which way it went: turned again if it went the wrong way."""
        for _ in range(2):
            said = (await self._on_call(call_id, "mute")).strip()
            if said not in ("call muted", "call un-muted"):
                raise SoftphoneError(f"the softphone answered mute with {said[:80]!r}")
            if (said == "call muted") == muted:
                return
        raise SoftphoneError(f"the softphone stays {'un-' if muted else ''}muted")

    async def _command(self, command: str, params: str = "") -> str:
        await self.connect()
        assert self._writer is not None
        token = str(next(self._tokens))
        answered: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._pending[token] = answered
        try:
            frame = json.dumps({"command": command, "params": params, "token": token}).encode()
            self._writer.write(encode(frame))
            await self._writer.drain()
            answer = await asyncio.wait_for(answered, self._answer_s)
        except TimeoutError:
            raise SoftphoneError(f"the softphone did not answer {command!r} within {self._answer_s:g} s") from None
        except OSError as error:
            raise SoftphoneError(f"the softphone's link broke: {error}") from None
        finally:
            self._pending.pop(token, None)
        if not answer.ok:
            raise SoftphoneError(f"the softphone refused {command!r}: {answer.data.strip()[:200]}")
        return answer.data

    # --- the link ----------------------------------------------------------------------------------------------

    async def _open(self) -> None:
        async with self._open_lock:
            if self._writer is not None or self._broken is not None:
                return
            if self.launcher is not None:
                self.port = await self.launcher.start()
            try:
                reader, self._writer = await asyncio.wait_for(
                    asyncio.open_connection(self.host, self.port), self._connect_s
                )
            except (OSError, TimeoutError) as error:
                raise SoftphoneError(
                    f"no softphone answers on {self.host}:{self.port}: {error or 'timed out'}"
                ) from None
            self._reader_task = asyncio.create_task(self._read(reader), name="baresip ctrl_tcp")

    async def _read(self, reader: asyncio.StreamReader) -> None:
        frames = NetstringReader()
        try:
            while chunk := await reader.read(READ_CHUNK):
                for frame in frames.feed(chunk):
                    self._take(parse(frame, hung_up_here=frozenset(self._hung_up_here)))
            self._fail(SoftphoneError("the softphone closed its link"))
        except SoftphoneError as error:  # framing or a message that is none: the link cannot be read further
            self._fail(error)
        except OSError as error:
            self._fail(SoftphoneError(f"the softphone's link broke: {error}"))

    def _take(self, message: Answer | CallEvent | None) -> None:
        if isinstance(message, Answer):
            waiting = self._pending.get(message.token or "")
            if waiting is not None and not waiting.done():
                waiting.set_result(message)
        elif isinstance(message, CallEvent):
            if message.kind is CallEventKind.CLOSED:
                self._hung_up_here.discard(message.call_id)
            self._events.put_nowait(message)

    def _fail(self, error: SoftphoneError) -> None:
        if self._broken is not None:
            return
        self._broken = error
        for waiting in self._pending.values():
            if not waiting.done():
                waiting.set_exception(error)
        self._events.put_nowait(error)

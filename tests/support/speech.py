"""Speech for the voice tests: a caller's sentence spoken by espeak-ng, read back by pocketsphinx, and the level of
audio as a headset would play it.

`LoopbackRtpTap` hears the G.711 (PCMU) audio arriving at one UDP port on the loopback interface, with each
packet's arrival time: what reaches the agent's softphone, measured outside it. It needs CAP_NET_RAW (root here).
baresip 1.0.0's own recording cannot measure a hold: its receive-side `sndfile` recording stops for good at the
first re-INVITE that is not sendrecv (src/audio.c, `audio_decoder_set` flushes the receive filters and
`aufilt_setup` does not build them again while the send side's exist), so the level over a hold and after it is
taken on the wire. docs/voice.md.
"""

from __future__ import annotations

import array
import math
import re
import socket
import struct
import subprocess
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from agent_desktop_mocks.ccaas.voice.media.g711 import ulaw_sample

RATE = 8000  # G.711's: the caller's microphone WAV must be at the codec's rate (aufile does not resample)
STOP_WORDS = frozenset(
    "a an and are as at be but by for from i i'm in is it like me my of on or so that the this to was we with "
    "would you your".split()
)


def speak(text: str, path: Path, *, repeats: int = 1, gap_s: float = 1.0, pad_s: float = 60.0) -> Path:
    """`text` spoken by espeak-ng (`-v en-us -s 140`, which pocketsphinx reads best here) `repeats` times with
    `gap_s` of silence between, then `pad_s` of silence (baresip's aufile ends the call when its WAV ends), as 8 kHz
    mono 16-bit PCM."""
    said = path.with_suffix(".said.wav")
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(said), text], check=True, timeout=60)
    gap = path.with_suffix(".gap.wav")
    subprocess.run(
        ["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(gap), "trim", "0", str(gap_s)], check=True, timeout=60
    )
    pad = path.with_suffix(".pad.wav")
    subprocess.run(
        ["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(pad), "trim", "0", str(pad_s)], check=True, timeout=60
    )
    at_rate = path.with_suffix(".8k.wav")
    subprocess.run(["sox", str(said), "-r", str(RATE), "-c", "1", "-b", "16", str(at_rate)], check=True, timeout=60)
    parts = [str(part) for _ in range(repeats) for part in (at_rate, gap)]
    subprocess.run(["sox", *parts, str(pad), str(path)], check=True, timeout=60)
    return path


def recognise(wav: Path) -> str:
    """What pocketsphinx's general English model (16 kHz) hears in `wav`, upsampled from the call's 8 kHz by sox."""
    from pocketsphinx import Decoder

    wide = wav.with_suffix(".16k.wav")
    subprocess.run(["sox", str(wav), "-r", "16000", "-c", "1", "-b", "16", str(wide)], check=True, timeout=60)
    with wave.open(str(wide)) as heard:
        audio = heard.readframes(heard.getnframes())
    decoder = Decoder(samprate=16000, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(audio, full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr if hypothesis is not None else ""


def recognise_utterances(wav: Path) -> str:
    """What pocketsphinx hears in each utterance of `wav`, split at its pauses by sox (half a second under 1 % of
    full scale), joined: a whole call decoded as one utterance, long silences and all, read back almost nothing."""
    pieces = wav.parent / f"{wav.stem}-utterances"
    pieces.mkdir(exist_ok=True)
    split = ["silence", "1", "0.1", "1%", "1", "0.5", "1%", ":", "newfile", ":", "restart"]
    subprocess.run(["sox", str(wav), str(pieces / "part.wav"), *split], check=True, timeout=120)
    said = sorted(piece for piece in pieces.glob("part*.wav") if len(wav_samples(piece)) >= RATE // 10)
    return " ".join(recognise(piece) for piece in said).strip()


def content_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z']+", text.lower()) if word not in STOP_WORDS}


def rms(samples: array.array[int], count: int | None = None) -> float:
    """The root mean square of `samples` over `count` samples (more than it holds: the rest silence)."""
    total = count if count is not None else len(samples)
    return math.sqrt(sum(sample * sample for sample in samples) / total) if total else 0.0


def wav_samples(wav: Path) -> array.array[int]:
    with wave.open(str(wav)) as heard:
        assert (heard.getsampwidth(), heard.getnchannels()) == (2, 1), "16-bit mono expected"
        samples = array.array("h")
        samples.frombytes(heard.readframes(heard.getnframes()))
        return samples


ULAW = [ulaw_sample(byte) for byte in range(256)]  # the mock relay's own expansion, proven against sox
ETH_P_IP = 0x0800
PACKET_HOST = 0  # a packet as the receiving side of the loopback sees it (each is also seen going out)


@dataclass
class _LoopbackUdpTap:
    """What arrives at UDP `port` on 127.0.0.1, read on the wire by a thread (CAP_NET_RAW: root here); a subclass
    keeps what it wants of each datagram's payload (`arrived`)."""

    port: int
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        self._sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP))
        self._sock.bind(("lo", 0))
        self._sock.settimeout(0.2)
        self._thread = threading.Thread(target=self._run, name=f"tap {self.port}", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._sock.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                datagram, address = self._sock.recvfrom(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if address[2] != PACKET_HOST or len(datagram) < 20 or datagram[9] != socket.IPPROTO_UDP:
                continue
            header = (datagram[0] & 0x0F) * 4
            _src, dst = struct.unpack_from("!HH", datagram, header)
            if dst == self.port:
                self.arrived(datagram[header + 8 :])

    def arrived(self, payload: bytes) -> None:
        raise NotImplementedError


@dataclass
class LoopbackRtpTap(_LoopbackUdpTap):
    """The PCMU packets arriving at UDP `port` on 127.0.0.1, with their arrival times (`time.monotonic`)."""

    packets: list[tuple[float, bytes]] = field(default_factory=list)

    def arrived(self, payload: bytes) -> None:
        rtp = payload
        if len(rtp) < 12 or rtp[0] >> 6 != 2 or rtp[1] & 0x7F != 0:
            return  # not RTP version 2 carrying PCMU (payload type 0)
        start = 12 + 4 * (rtp[0] & 0x0F)
        if rtp[0] & 0x10 and len(rtp) >= start + 4:  # a header extension
            start += 4 + 4 * struct.unpack_from("!H", rtp, start + 2)[0]
        self.packets.append((time.monotonic(), rtp[start:]))

    def level(self, start: float, end: float) -> float:
        """The level a headset plays over [start, end): the audio that arrived then, silence where none did."""
        samples = array.array(
            "h", (ULAW[byte] for when, payload in self.packets if start <= when < end for byte in payload)
        )
        return rms(samples, max(len(samples), int((end - start) * RATE)))

    def wav(self, path: Path, start: float = 0.0, end: float = float("inf")) -> Path:
        """The audio that arrived over [start, end) as a WAV (8 kHz mono 16-bit, decoded from PCMU), packet after
        packet: what a recogniser reads back of what reached the port."""
        samples = array.array(
            "h", (ULAW[byte] for when, payload in list(self.packets) if start <= when < end for byte in payload)
        )
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(samples.tobytes())
        return path


@dataclass(frozen=True)
class SpokenScript:
    """A script spoken into one WAV (8 kHz mono 16-bit, a call's audio): where each line's speech is in it."""

    wav: Path
    lines: tuple[str, ...]
    spans: tuple[tuple[float, float], ...]  # each line's speech: from its first sample to its last above the floor

    def pcm(self) -> bytes:
        return wav_samples(self.wav).tobytes()


SPEECH_FLOOR = 300  # a sample above this (of 32,767) is speech, not espeak-ng's quiet ends


def speak_script(lines: list[str], path: Path, *, pause_s: float = 1.5, lead_s: float = 0.5) -> SpokenScript:
    """Each line spoken by espeak-ng (`-v en-us -s 140`) at the call's 8 kHz, `lead_s` of silence first and `pause_s`
    after each: the pauses a recogniser's endpointing cuts utterances at."""
    samples = array.array("h", bytes(2 * int(lead_s * RATE)))
    spans = []
    for number, line in enumerate(lines):
        said = path.with_suffix(f".{number}.wav")
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(said), line], check=True, timeout=60)
        at_rate = path.with_suffix(f".{number}.8k.wav")
        subprocess.run(["sox", str(said), "-r", str(RATE), "-c", "1", "-b", "16", str(at_rate)], check=True, timeout=60)
        spoken = wav_samples(at_rate)
        loud = [i for i, sample in enumerate(spoken) if abs(sample) > SPEECH_FLOOR]
        spans.append(((len(samples) + loud[0]) / RATE, (len(samples) + loud[-1]) / RATE))
        samples.extend(spoken)
        samples.extend(array.array("h", bytes(2 * int(pause_s * RATE))))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return SpokenScript(path, tuple(lines), tuple(spans))


@dataclass
class LoopbackSipTap(_LoopbackUdpTap):
    """The SIP requests and answers arriving at UDP `port` on 127.0.0.1, as text: what a softphone was sent, read on
    the wire (baresip's control link does not show a request's headers)."""

    messages: list[str] = field(default_factory=list)

    def arrived(self, payload: bytes) -> None:
        self.messages.append(payload.decode("utf-8", "replace"))

    def requests(self, method: str) -> list[str]:
        return [message for message in self.messages if message.startswith(f"{method} ")]

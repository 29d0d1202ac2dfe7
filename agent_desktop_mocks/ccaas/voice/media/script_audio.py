"""A call script as the caller's microphone: the customer's lines spoken by espeak-ng, the agent's turns and the
script's silences as silence, one 8 kHz WAV a call (baresip's `aufile` plays it; the call ends when it does).

Each line is synthesised once and cached under the mock's data folder (`voice/lines/`, named by a hash of the voice
and the text); a call's WAV is joined from the cache by sox. The hold music is made by sox once, at start.
"""

from __future__ import annotations

import hashlib
import subprocess
import wave
from pathlib import Path

from agent_desktop_mocks.ccaas.tables.call_scripts import CallScript

RATE = 8000  # G.711's: aufile does not resample
VOICE = ("-v", "en-us", "-s", "140")  # the voice pocketsphinx reads best here (tests/support/speech.py)
WORDS_PER_S = 2.5  # the agent's turn lasts as long as the simulated transcript takes to say it (its pace)
PAUSE_S = 1.2  # between two lines: the mean of the simulated transcript's pauses
TAIL_S = 1.0  # after the last line, before the caller hangs up
RUN_S = 60  # the bound on one sox or espeak-ng run
RAW_ULAW = ("-r", str(RATE), "-c", "1", "-e", "u-law", "-t", "ul")


class ScriptAudio:
    def __init__(self, folder: Path) -> None:
        """`folder`: the mock's `voice/` folder (its `lines/` cache, the calls' WAVs, the hold music)."""
        self.folder = folder
        self.lines = folder / "lines"

    def line(self, text: str) -> Path:
        """The customer's `text` as 8 kHz 16-bit mono, synthesised once."""
        key = hashlib.sha256("\0".join((*VOICE, text)).encode()).hexdigest()[:32]
        path = self.lines / f"{key}.wav"
        if not path.exists():
            self.lines.mkdir(parents=True, exist_ok=True)
            spoken = path.with_suffix(".espeak.wav")
            _run(["espeak-ng", *VOICE, "-w", str(spoken), "--", text])
            partial = path.with_suffix(".part.wav")
            _run(["sox", str(spoken), "-r", str(RATE), "-c", "1", "-b", "16", str(partial)])
            partial.replace(path)  # whole or not at all: two calls may ask for one line
            spoken.unlink()
        return path

    def silence(self, seconds: float) -> Path:
        millis = max(1, round(seconds * 1000))
        path = self.lines / f"silence-{millis}ms.wav"
        if not path.exists():
            self.lines.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part.wav")
            _run(["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(partial), "trim", "0", f"{millis / 1000}"])
            partial.replace(path)
        return path

    def call(self, script: CallScript, path: Path) -> Path:
        """The caller's side of `script` into `path`: their lines spoken, the agent's turns silent (as long as
        the agent's words take at the transcript's pace), a pause between lines, the script's silences."""
        parts: list[Path] = []
        for role, said in script.lines:
            if role == "silence":
                parts.append(self.silence(float(said)))
                continue
            if parts:
                parts.append(self.silence(PAUSE_S))
            text = str(said).replace("{agent}", "")
            if role == "customer":
                parts.append(self.line(text))
            else:
                parts.append(self.silence(len(text.split()) / WORDS_PER_S))
        parts.append(self.silence(TAIL_S))
        _run(["sox", *(str(part) for part in parts), str(path)])
        return path

    def message(self, lines: list[str], path: Path) -> Path:
        """A caller's message into `path`: the lines spoken, a pause between them, then a short tail."""
        parts: list[Path] = []
        for text in lines:
            parts += [self.silence(PAUSE_S)] if parts else []
            parts.append(self.line(text))
        parts.append(self.silence(TAIL_S))
        _run(["sox", *(str(part) for part in parts), str(path)])
        return path

    def turns(self, lines: list[str], pause_s: float, path: Path) -> list[float]:
        """A caller who waits for an answer after each line (a virtual agent's), into `path`: each line spoken, then
        `pause_s` of silence; how long each line lasts, in seconds (the call ends with the last pause)."""
        parts: list[Path] = []
        lasting: list[float] = []
        for text in lines:
            spoken = self.line(text)
            with wave.open(str(spoken)) as heard:
                lasting.append(heard.getnframes() / heard.getframerate())
            parts += [spoken, self.silence(pause_s)]
        _run(["sox", *(str(part) for part in parts), str(path)])
        return lasting

    def prompt(self, text: str) -> bytes:
        """`text` said by the contact center's own voice (a virtual agent's answer): raw G.711 mu-law at 8 kHz, as
        the relay sends it (synthesised once, as a line is)."""
        spoken = self.line(text)
        path = spoken.with_suffix(".ul")
        if not path.exists():
            partial = spoken.with_suffix(".part.ul")
            _run(["sox", str(spoken), *RAW_ULAW, str(partial)])
            partial.replace(path)
        return path.read_bytes()

    def rest(self, path: Path, said_s: float) -> Path:
        """The call's WAV at `path` from `said_s` on, in place: a caller moved to another softphone (a transfer)
        goes on with the script where they were, as a caller on a line does, rather than from its start."""
        partial = path.with_suffix(".rest.wav")
        _run(["sox", str(path), str(partial), "trim", f"{max(0.0, said_s):.3f}"])
        partial.replace(path)
        return path

    def hold_music(self) -> Path:
        """Raw G.711 mu-law at 8 kHz: a chime of four tones rising and falling, 8 s, made by sox once."""
        path = self.folder / "hold-music.ul"
        if not path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            notes = []
            for hz in (523, 659, 784, 659):
                note = self.folder / f"hold-{hz}.ul"
                _run(["sox", "-n", *RAW_ULAW, str(note), "synth", "0.5", "sine", str(hz), "vol", "0.4"])
                notes.append(str(note))
            partial = self.folder / "hold-music.part.ul"
            _run(
                [
                    "sox",
                    *[arg for _ in range(4) for note in notes for arg in (*RAW_ULAW, note)],
                    *RAW_ULAW,
                    str(partial),
                ]
            )
            partial.replace(path)
        return path


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, timeout=RUN_S, stdin=subprocess.DEVNULL, capture_output=True)

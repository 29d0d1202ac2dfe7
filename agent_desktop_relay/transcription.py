"""Twilio's real-time transcription callbacks, as the relay keeps them: masked, and in the desk's words.

Twilio posts a RealtimeTranscription's events to its `StatusCallbackUrl` (https://www.twilio.com/docs/voice/twiml/
transcription, "statusCallbackUrl"; docs/vendors/twilio-voice.md, "Real-time transcription"), form-encoded and
signed like every webhook: `TranscriptionEvent` (`transcription-started`, `transcription-content`,
`transcription-stopped`, `transcription-error`), `CallSid`, `TranscriptionSid`, `SequenceId`, `Timestamp` and, for
content, `Track` (`inbound_track`, `outbound_track`), `Final` and `TranscriptionData` (JSON: `transcript`,
`confidence`).

Only what a desk shows is kept: a content event becomes a `transcription` event (the caller on the inbound track,
the agent on the outbound one, the text, interim or final, the sequence it came in), the text masked here, before
anything is stored or sent on. Twilio says Real-Time Transcriptions is not PCI compliant: what it hears is sent as
heard. A final line is masked as a message is (`mask_draft`: card numbers cut to their last four, any other run of 11
or more digits too, since the rest of a number read out may be on the next line); an interim one also loses the run
of digits at its end (`settled_part`), which may be a card number still being read out. A stopped or error event is
kept as the system's line (role `system`, `Status` stopped or error, the text Twilio's error if any), routed as the
call's lines are, so the agent learns that the transcript goes no further; the started event is taken and kept
nowhere.

A number read out over two lines ("my card is 4111 1111", then "1111 1111 thanks") is masked across them as the
store keeps the second (`continued`, in the transaction that keeps it): what was kept is kept (a desk may have read
it), so, as with what an agent sends (`mask_outgoing`), a line going on from the track's earlier final lines shows no
more digits of that number than ten in all. The track's final lines a number could go on from are kept with the
routing map (`Said`, by call and track), so two relays taking one call's callbacks mask alike. A line older than one
already taken on its track (a retry, two callbacks raced) cannot be placed between its neighbours: it is kept with
the runs of digits at its start and its end hidden (`••••`).

Which interim versions are one line is the desk's to work out (a line goes on on its track until a final ends it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from agent_desktop_pci import SPLIT_MASK, SPLIT_REACH, connected_tail, mask_draft, mask_outgoing, mask_pci, settled_part
from agent_desktop_pci.digit_runs import LEADING_RUN, TRAILING_RUN

# The event type the relay keeps a line under (the desk's own name for it: agent_desktop/domain/models/transcription.py).
TRANSCRIPTION = "transcription"
TRACK_ROLES = {"inbound_track": "customer", "outbound_track": "agent"}
SYSTEM = "system"  # the role of a line saying the transcription stopped or failed
STATUSES = {"transcription-stopped": "stopped", "transcription-error": "error"}


def is_transcription(params: dict[str, str]) -> bool:
    """A real-time transcription's callback (rather than TaskRouter's or Conversations')."""
    return "TranscriptionEvent" in params and "EventType" not in params


def transcription_line(params: dict[str, str]) -> dict[str, str] | None:
    """What the relay keeps of a transcription callback: a `transcription-content` as a line, masked; a
    `transcription-stopped` or `transcription-error` as the system's line saying so (the agent is told their call's
    transcript goes no further); None for `transcription-started` (nothing to show) and for what it cannot read (no
    call, no known track, no text)."""
    event = params.get("TranscriptionEvent")
    if event in STATUSES:
        return _status_line(params, STATUSES[event])
    if event != "transcription-content":
        return None
    role, call = TRACK_ROLES.get(params.get("Track", "")), params.get("CallSid", "")
    sequence = params.get("SequenceId", "")
    if role is None or not call.startswith("CA") or not sequence.isdigit():
        return None
    try:
        data = json.loads(params.get("TranscriptionData") or "{}")
    except (ValueError, RecursionError):
        return None
    text = data.get("transcript") if isinstance(data, dict) else None
    if not isinstance(text, str):
        return None
    final = params.get("Final", "").strip().lower() == "true"
    return {
        "EventType": TRANSCRIPTION,
        "CallSid": call,
        "TranscriptionSid": params.get("TranscriptionSid", ""),
        "SequenceId": sequence,
        "Role": role,
        "Final": "true" if final else "false",
        "Text": mask_draft(text) if final else mask_pci(settled_part(text)).rstrip(),
        "Timestamp": params.get("Timestamp", ""),
    }


def _status_line(params: dict[str, str], status: str) -> dict[str, str] | None:
    """The transcription stopped, or Twilio's engine failed (`TranscriptionError`, `TranscriptionErrorCode`: the
    names as integrations read them, **guessed**, docs/vendors/twilio-voice.md): the system's final line, its text
    Twilio's error masked as a message is (it may quote what was heard)."""
    call, sequence = params.get("CallSid", ""), params.get("SequenceId", "")
    if not call.startswith("CA") or not sequence.isdigit():
        return None
    error = params.get("TranscriptionError", "").strip()
    code = params.get("TranscriptionErrorCode", "").strip()
    why = " ".join(part for part in (error, f"(Twilio error {code})" if code.isdigit() else "") if part)
    return {
        "EventType": TRANSCRIPTION,
        "CallSid": call,
        "TranscriptionSid": params.get("TranscriptionSid", ""),
        "SequenceId": sequence,
        "Role": SYSTEM,
        "Status": status,
        "Final": "true",
        "Text": mask_draft(why),
        "Timestamp": params.get("Timestamp", ""),
    }


@dataclass(frozen=True)
class Said:
    """What the store keeps of a call's track between callbacks: the transcription and newest `SequenceId` taken on
    it, and its final lines a number could go on from (as kept, masked; oldest first, at most `SPLIT_REACH`)."""

    transcription: str
    sequence: int
    lines: tuple[str, ...] = ()

    def encoded(self) -> str:
        return json.dumps([self.transcription, self.sequence, list(self.lines)])

    @classmethod
    def decoded(cls, text: str | None) -> Said | None:
        if not text:
            return None
        transcription, sequence, lines = json.loads(text)
        return cls(str(transcription), int(sequence), tuple(str(line) for line in lines))


def continued(line: dict[str, str], said: Said | None) -> tuple[dict[str, str], Said]:
    """A transcription line as kept after its track's `said` (None: nothing taken on it yet), and the track's new
    `Said`. A final line joins the track's lines; an interim one is masked against them and joins nothing."""
    sequence = int(line.get("SequenceId") or 0)
    transcription, text = line.get("TranscriptionSid", ""), line.get("Text", "")
    if said is not None and said.transcription == transcription and sequence <= said.sequence:
        return line | {"Text": _edges_hidden(text)}, said
    before = said.lines if said is not None else ()
    text = mask_outgoing(before, text)
    if line.get("Final") != "true":
        return line | {"Text": text}, Said(transcription, sequence, before)
    lines = (*before, text)
    return line | {"Text": text}, Said(
        transcription, sequence, lines[len(lines) - connected_tail(lines) :][-SPLIT_REACH:]
    )


def _edges_hidden(text: str) -> str:
    """The text with the runs of digits it starts and ends with hidden: a number going on from the line before it or
    into the line after it shows none of its digits here."""
    last = TRAILING_RUN.search(text)
    if last is not None:
        text = text[: last.start(1)] + SPLIT_MASK + text[last.end(1) :]
    first = LEADING_RUN.match(text)
    if first is not None:
        text = text[: first.start(1)] + SPLIT_MASK + text[first.end(1) :]
    return text

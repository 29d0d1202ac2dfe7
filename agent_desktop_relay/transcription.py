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
of digits at its end (`settled_part`), which may be a card number still being read out. The started, stopped and
error events carry no words and nothing a desk draws: they are taken and kept nowhere.

Which interim versions are one line is the desk's to work out (a line goes on on its track until a final ends it):
the relay keeps no state of a call between callbacks, so two relays can take one call's callbacks at once.
"""

from __future__ import annotations

import json

from agent_desktop_pci import mask_draft, mask_pci, settled_part

# The event type the relay keeps a line under (the desk's own name for it: agent_desktop/domain/transcription.py).
TRANSCRIPTION = "transcription"
TRACK_ROLES = {"inbound_track": "customer", "outbound_track": "agent"}


def is_transcription(params: dict[str, str]) -> bool:
    """A real-time transcription's callback (rather than TaskRouter's or Conversations')."""
    return "TranscriptionEvent" in params and "EventType" not in params


def transcription_line(params: dict[str, str]) -> dict[str, str] | None:
    """What the relay keeps of a transcription callback: a `transcription-content` as a line, masked; None for the
    others (nothing to show) and for content it cannot read (no call, no known track, no text)."""
    if params.get("TranscriptionEvent") != "transcription-content":
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

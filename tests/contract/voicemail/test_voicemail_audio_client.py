"""The desk's client reads a voicemail's recording as the mock serves it (`GET …/voicemail/audio`, docs/voice.md
"Voicemail as routed work"): the WAV the contact center recorded, byte for byte, for the agent it is offered to; a
message left with no audio (a simulated caller's) is refused in the mock's words, and so is another agent."""

from __future__ import annotations

import wave
from pathlib import Path

import httpx
import pytest

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.domain.errors import BackendError
from agent_desktop_mocks.ccaas.api.app import create_app
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Channel
from agent_desktop_mocks.ccaas.voice.media.voicemail_tape import voicemail_path
from tests.conftest import small_settings


def a_recording(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(bytes(range(256)) * 125)  # two seconds' worth of bytes that are not silence
    return path.read_bytes()


async def test_the_agent_offered_a_message_reads_its_recording_and_others_are_refused(tmp_path: Path) -> None:
    app = create_app(small_settings(tmp_path / "mocks"))
    engine = app.state.engine
    recorded = engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550100", "Invoice")
    wav = a_recording(voicemail_path(app.state.voice_leg.audio.folder, recorded.id))
    engine.voicemails.leave(recorded.id, ["please call me back"], seconds=2.0, audio=True)
    simulated = engine.arrivals.create_contact("billing", Channel.VOICE, "+12125550101", "Invoice")
    engine.voicemails.leave(simulated.id, ["please call me back"])
    engine.agents.set_agent_state("agent-001", AgentState.AVAILABLE)
    transport = httpx.ASGITransport(app=app)
    agent = HttpContactCenter("http://ccaas", "demo-agent-token", "agent-001", transport=transport)
    other = HttpContactCenter("http://ccaas", "agent-002-token", "agent-002", transport=transport)
    try:
        offered = engine.read.contact(recorded.id)
        assert offered.agent_id == "agent-001", offered.state
        assert await agent.voicemail_audio(recorded.id) == wav
        with pytest.raises(BackendError) as refused:
            await other.voicemail_audio(recorded.id)
        assert refused.value.status == 403
        with pytest.raises(BackendError) as no_audio:
            await agent.voicemail_audio(simulated.id)
        assert no_audio.value.status in (404, 409), no_audio.value.message
    finally:
        await agent.aclose()
        await other.aclose()

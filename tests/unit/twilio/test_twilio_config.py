"""`[ccaas] kind = "twilio"` picks the Twilio backend (an entry point like the others); a bad key is one line."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter
from agent_desktop.app.backend_factory import build_contact_center, installed_kinds
from agent_desktop.app.config import ConfigError, Settings, load_settings
from agent_desktop.domain.capabilities import contact_center_capabilities
from agent_desktop.domain.models import Channel, TargetKind

TWILIO = """
[ccaas]
kind = "twilio"
account_sid = "AC0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d"
api_key_sid = "SK0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e"
api_key_secret = "secret"
workspace_sid = "WS0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a"
worker_sid = "WK0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f"
relay_url = "https://relay.example.com"
relay_token = "a-reader-token-of-the-relay"
{extra}
"""


def _settings(tmp_path: Path, extra: str = "") -> Settings:
    path = tmp_path / "config.toml"
    path.write_text(TWILIO.format(extra=extra), encoding="utf-8")
    return load_settings(path)


def test_kind_twilio_builds_the_twilio_backend_with_what_twilio_cannot_do_turned_off(tmp_path: Path) -> None:
    assert "twilio" in installed_kinds("agent_desktop.contact_center")
    backend = build_contact_center(_settings(tmp_path, 'dispositions = { Billing = ["Paid", "Refunded"] }'))
    assert isinstance(backend, TwilioContactCenter)
    assert backend.agent_id == "WK" + "0f" * 16
    assert backend.config.base_url == "https://taskrouter.twilio.com"
    assert backend._dispositions("Billing") == ["Paid", "Refunded"]
    assert backend._dispositions("Sales") == backend.config.default_dispositions
    capabilities = contact_center_capabilities(backend)
    assert capabilities.offer_decision
    assert not capabilities.native_next_state
    assert not capabilities.queue_priority
    voice, chat, sms = (capabilities.channel(c) for c in (Channel.VOICE, Channel.CHAT, Channel.SMS))
    assert voice.hold, "hold on the call's conference participant (REST API 2010-04-01)"
    invite = frozenset({TargetKind.QUEUE, TargetKind.AGENT})  # Flex Interactions' Invites: a TaskQueue or a Worker
    assert not (voice.consult)
    assert not (voice.typing)
    assert not (voice.read_marks)
    assert voice.transfer_to == invite
    assert chat.transfer_to == sms.transfer_to == invite
    assert not (chat.consult)
    assert not (chat.hold)
    assert not (chat.typing)
    assert chat.read_marks, "the agent's LastReadMessageIndex on Conversations"
    assert sms.read_marks, "the agent's LastReadMessageIndex on Conversations"
    assert capabilities.channel(Channel.EMAIL).transfer_to == frozenset(), "no email on Twilio Conversations"
    asyncio.run(backend.aclose())


@pytest.mark.parametrize(
    ("extra", "named"),
    [('worker_sid = "agent-001"', "worker_sid"), ('relay_token = "short"', "relay_token"), ("timeout = 3", "timeout")],
)
def test_a_bad_twilio_key_stops_the_desk_with_one_line_naming_it(tmp_path: Path, extra: str, named: str) -> None:
    text = TWILIO.format(extra="")
    key = extra.split(" =")[0]
    lines = [line for line in text.splitlines() if not line.startswith(f"{key} =")] + [extra]
    path = tmp_path / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        build_contact_center(load_settings(path))
    message = str(refused.value)
    assert message.startswith("ccaas: ")
    assert named in message
    assert "\n" not in message

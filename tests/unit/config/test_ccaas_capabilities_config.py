"""`[ccaas] capabilities = {...}`: the mock contact center shown as a platform that can do less (a demo of the
desk on, say, Amazon Connect without accept/reject, or a platform with no typing): the HTTP client declares
what the configuration says, so the desk's command table never offers the rest; a misspelt key is one line."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from agent_desktop.app.backend_factory import build_contact_center, build_supervisor
from agent_desktop.app.config import ConfigError, load_settings
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.models import Channel, TargetKind

# The features a contact center has only where it says so (off by default): each one the mock serves.
OPT_IN = [field.name for field in dataclasses.fields(ContactCenterCapabilities) if field.default is False]


def test_the_configured_capabilities_are_what_the_http_contact_center_declares(tmp_path: Path) -> None:
    config = tmp_path / "desktop.toml"
    config.write_text(
        "[ccaas]\ncapabilities = {offer_decision = false, typing = false, hold = false, "
        'transfer_to = ["queue"], queue_priority = false}\n'
    )
    settings = load_settings(config)
    declared = build_contact_center(settings).capabilities
    assert (declared.offer_decision, declared.native_next_state, declared.queue_priority) == (False, True, False)
    for channel in Channel:
        chosen = declared.channel(channel)
        assert (chosen.typing, chosen.hold, chosen.consult, chosen.transfer_to) == (
            False,
            False,
            True,
            frozenset({TargetKind.QUEUE}),
        )
    assert build_supervisor(settings).capabilities.queue_priority is False


def test_without_the_key_the_mock_contact_center_declares_everything() -> None:
    declared = build_contact_center(load_settings()).capabilities
    assert declared.offer_decision
    assert declared.channel(Channel.CHAT).typing
    assert declared.channel(Channel.VOICE).transfer_to == set(TargetKind)


@pytest.mark.parametrize("name", OPT_IN)
def test_every_feature_the_mock_serves_is_on_for_a_configured_desk_and_can_be_turned_off(
    tmp_path: Path, name: str
) -> None:
    """A feature a contact center declares only where it has it (snooze, a recording's pause, flags...) is on for
    the desk `run` and `demo` build from the configuration, and `[ccaas] capabilities` turns it off by its name.
    (Snooze and the recording's pause were on only for a client built in code: `make demo` refused their keys.)"""
    assert getattr(build_contact_center(load_settings()).capabilities, name) is True, name
    config = tmp_path / "desktop.toml"
    config.write_text(f"[ccaas]\ncapabilities = {{{name} = false}}\n")
    assert getattr(build_contact_center(load_settings(config)).capabilities, name) is False


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "[ccaas]\ncapabilities = {offer_decison = false}\n",
            "ccaas.capabilities.offer_decison: Extra inputs are not permitted",
        ),
        ('[ccaas]\ncapabilities = {transfer_to = ["expert"]}\n', "ccaas.capabilities.transfer_to.0: "),
    ],
)
def test_a_wrong_capability_is_one_line_naming_the_key(tmp_path: Path, content: str, expected: str) -> None:
    config = tmp_path / "desktop.toml"
    config.write_text(content)
    with pytest.raises(ConfigError) as refused:
        load_settings(config)
    assert str(refused.value).startswith(expected), str(refused.value)

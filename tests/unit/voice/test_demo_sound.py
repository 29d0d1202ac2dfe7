"""`make demo` has sound where baresip is installed: the demo desk's configuration starts its own baresip on the default
sound device (which the mock contact center then rings), and a machine without a sound device is told apart from one
with a card or a PulseAudio/PipeWire server (the launcher then leaves the device out: tests/e2e/voice/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desktop.adapters.baresip.launcher import sound_device_present
from agent_desktop.app.demo import DemoServers


def servers(tmp_path: Path) -> DemoServers:
    urls = ("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3")
    return DemoServers(*urls, log_path=tmp_path / "mocks.log")


def test_the_demo_desk_starts_its_own_softphone_on_the_default_device_where_baresip_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    baresip = bin_folder / "baresip"
    baresip.write_text("#!/bin/sh\n")
    baresip.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_folder))
    softphone = servers(tmp_path).settings(sound=True).softphone
    assert softphone is not None
    assert softphone.start
    assert (softphone.audio_source, softphone.audio_player) == ("alsa,default", "alsa,default")
    assert servers(tmp_path).settings().softphone is None  # the served demo's sessions and Twilio's: none


def test_without_baresip_the_demo_desk_has_no_softphone_and_says_how_to_get_sound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert servers(tmp_path).settings(sound=True).softphone is None


@pytest.mark.parametrize(
    ("cards", "env", "present"),
    [
        (" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n", {}, True),
        ("--- no soundcards ---\n", {}, False),
        (None, {}, False),  # no ALSA at all (a container)
        (None, {"PULSE_SERVER": "unix:/run/pulse/native"}, True),
        ("--- no soundcards ---\n", {"XDG_RUNTIME_DIR": "RUNTIME", "with": "pulse/native"}, True),
        (None, {"XDG_RUNTIME_DIR": "RUNTIME", "with": "pipewire-0"}, True),
        (None, {"XDG_RUNTIME_DIR": "RUNTIME"}, False),
    ],
)
def test_a_sound_device_is_a_card_alsa_lists_or_a_sound_server_of_the_users(
    tmp_path: Path, cards: str | None, env: dict[str, str], present: bool
) -> None:
    listed = tmp_path / "cards"
    if cards is not None:
        listed.write_text(cards)
        listed.chmod(0o444)
    environment = {key: value for key, value in env.items() if key != "with"}
    if environment.get("XDG_RUNTIME_DIR") == "RUNTIME":
        runtime = tmp_path / "run"
        runtime.mkdir()
        environment["XDG_RUNTIME_DIR"] = str(runtime)
        if "with" in env:
            socket_path = runtime / env["with"]
            socket_path.parent.mkdir(parents=True, exist_ok=True)
            socket_path.touch()
    assert sound_device_present(listed, environment) is present

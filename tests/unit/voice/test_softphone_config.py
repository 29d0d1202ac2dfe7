"""`[softphone]` in the configuration (docs/configuration.md): either a softphone already running on loopback or one
the desk starts; anything else is one line naming the key, and exit code 2 from the command line."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from textual.content import Content

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.agent_desk.voice.call_media import LinkState
from agent_desktop.app.backend_factory import build_softphone
from agent_desktop.app.cli import main
from agent_desktop.app.commands.info import info_lines
from agent_desktop.app.config import ConfigError, load_settings
from agent_desktop.domain.calls.softphone import NoSoftphone
from agent_desktop.ui.agent.agent_status import sound_parts


@pytest.mark.parametrize(
    ("section", "key", "says"),
    [
        ('control = "10.0.0.7:4444"', "softphone.control", "loopback"),
        ('control = "127.0.0.1"', "softphone.control", "127.0.0.1:PORT"),
        ('control = "127.0.0.1:4444"\nstart = true', "softphone", "not both"),
        ('kind = "baresip"', "softphone", "either"),
        ('start = true\naudio_source = "alsa\\nmodule_app evil.so"', "softphone.audio_source", "pattern"),
        ("start = true\nsip_port = 70000", "softphone.sip_port", "65534"),
        ("start = true\nanswer_s = 0", "softphone.answer_s", "greater than 0"),
        ('start = true\nringer = "speakers"', "softphone.ringer", "pattern"),
        ('start = true\nringer = "aufile,/tmp/ring.wav"', "softphone.ringer", "pattern"),
        ('start = true\nringer = "alsa,hw:1\\nmodule_app evil.so"', "softphone.ringer", "pattern"),
    ],
)
def test_a_bad_softphone_section_is_one_line_naming_its_key_and_exit_code_2(
    tmp_path: Path, section: str, key: str, says: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"[softphone]\n{section}\n")
    with pytest.raises(ConfigError) as refused:
        load_settings(config)
    line = str(refused.value)
    assert line.startswith(f"{key}:"), line
    assert says in line
    assert "\n" not in line
    said = io.StringIO()
    with contextlib.redirect_stderr(said):  # (capsys would mark this test as one that starts servers)
        assert main(["info", "--config", str(config)]) == 2
    assert key in said.getvalue()


def test_no_softphone_section_is_a_desk_without_sound_that_says_how_to_get_it(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("")
    settings = load_settings(config)
    assert isinstance(build_softphone(settings), NoSoftphone)
    (line,) = [line for line in info_lines(settings, config) if line.startswith("softphone")]
    assert "no sound" in line
    assert "[softphone]" in line


def test_start_true_builds_a_softphone_the_desk_starts_in_the_runtime_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    config = tmp_path / "config.toml"
    config.write_text("[softphone]\nstart = true\n")
    settings = load_settings(config)
    phone = build_softphone(settings)
    assert isinstance(phone, BaresipSoftphone)
    assert phone.launcher is not None  # started as its link is first opened, not now
    assert phone.launcher.plan.folder == tmp_path / "run" / "agent-desktop" / "baresip"  # beside the remote socket
    (line,) = [line for line in info_lines(settings, config) if line.startswith("softphone")]
    assert "started by the desk" in line


def test_the_supervisors_desk_gets_a_baresip_of_its_own_beside_the_agents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both desks in one app (the demo): each its own folder and SIP user, so a call taken over rings the supervisor."""
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    config = tmp_path / "config.toml"
    config.write_text("[softphone]\nstart = true\n")
    settings = load_settings(config)
    agents, supervisors = build_softphone(settings), build_softphone(settings, supervisor=True)
    assert isinstance(agents, BaresipSoftphone)
    assert isinstance(supervisors, BaresipSoftphone)
    assert agents.launcher is not None
    assert supervisors.launcher is not None
    assert supervisors.launcher.plan.folder == tmp_path / "run" / "agent-desktop" / "baresip-supervisor"
    assert agents.launcher.plan.folder == tmp_path / "run" / "agent-desktop" / "baresip"
    assert supervisors.launcher.uri.startswith("sip:supervisor@")
    assert agents.launcher.uri.startswith("sip:agent@")
    assert settings.softphone is not None
    assert settings.softphone.user == "agent", "the agent's section unchanged"


def test_the_ringer_is_said_in_info_and_beside_the_phone_on_the_status_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    config = tmp_path / "config.toml"
    config.write_text('[softphone]\nstart = true\naudio_player = "alsa,headset"\nringer = "alsa,hw:1"\n')
    settings = load_settings(config)
    phone = build_softphone(settings)
    assert isinstance(phone, BaresipSoftphone)
    assert phone.launcher is not None
    assert phone.launcher.plan.audio_alert == "alsa,hw:1"
    (line,) = [line for line in info_lines(settings, config) if line.startswith("softphone")]
    assert "rings on alsa,hw:1" in line
    said = Content.assemble(*sound_parts(LinkState.UP, "", "alsa,hw:1")).plain
    assert said.strip() == "phone ● ringer alsa,hw:1"
    assert "ringer" not in Content.assemble(*sound_parts(LinkState.UP, "")).plain, "none where it rings on the headset"

"""`presence.kind = "xmpp"` configuration: what it builds, and one line + exit code 2 for anything wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agent_desktop.adapters.http.presence import HttpPresenceDirectory
from agent_desktop.adapters.xmpp.presence import XmppPresenceDirectory
from agent_desktop.app.backend_factory import build_presence
from agent_desktop.app.config import ConfigError, XmppPresenceConfig, load_settings
from tests.support.narrowing import of_kind


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


XMPP = """
[presence]
kind = "xmpp"
jid = "desk@chat.example.com"
password = "secret"
"""


def test_the_default_is_the_http_mock_and_xmpp_builds_the_xmpp_backend(tmp_path: Path) -> None:
    assert isinstance(build_presence(load_settings(None)), HttpPresenceDirectory)
    directory = write(tmp_path, '[[people]]\njid = "Ana@chat.example.com"\nskills = ["billing"]\n', "people.toml")
    settings = load_settings(write(tmp_path, XMPP + f'directory_file = "{directory}"\n'))
    presence = of_kind(settings.presence, XmppPresenceConfig)
    assert presence.server_host == "chat.example.com"
    assert presence.port == 5222
    assert isinstance(build_presence(settings), XmppPresenceDirectory)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('jid = "not-a-jid"\n', r"^presence\.jid: String should match pattern"),
        ("port = 70000\n", r"^presence\.port: "),
        ('tls = "sometimes"\n', r"^presence\.tls: "),
        ('base_url = "http://x"\n', r"^presence\.base_url: Extra inputs are not permitted"),
        ('directory_file = "/no/such/file.toml"\n', r"^presence\.directory_file: .*cannot read /no/such/file\.toml"),
    ],
)
def test_a_bad_xmpp_setting_is_one_line_naming_the_key(tmp_path: Path, extra: str, expected: str) -> None:
    text = XMPP.replace('jid = "desk@chat.example.com"\n', "") if extra.startswith("jid") else XMPP
    with pytest.raises(ConfigError, match=expected) as raised:
        load_settings(write(tmp_path, text + extra))
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[[people]]\njid = 'a@b'\nskils = ['x']\n", r"people\.0\.skils: Extra inputs are not permitted"),
        ("[[people]\n", r"people\.toml: "),
        ("[[people]]\nname = 'No JID'\n", r"people\.0\.jid: Field required"),
    ],
)
def test_a_bad_directory_file_stops_the_desktop_with_one_line(tmp_path: Path, content: str, expected: str) -> None:
    directory = write(tmp_path, content, "people.toml")
    with pytest.raises(ConfigError, match=expected) as raised:
        load_settings(write(tmp_path, XMPP + f'directory_file = "{directory}"\n'))
    assert "\n" not in str(raised.value)


def test_the_command_exits_2_with_one_line(tmp_path: Path) -> None:
    config = write(tmp_path, XMPP.replace('password = "secret"\n', ""))
    result = subprocess.run(
        [sys.executable, "-m", "agent_desktop", "run", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "agent-desktop: config: presence.password: Field required"

"""Configuration: TOML file plus DESKTOP_* variables; bad settings give one line and exit code 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from desktop.cli import main
from desktop.config import ConfigError, load_settings


def test_defaults_point_at_the_mock_servers():
    settings = load_settings()
    assert str(settings.ccaas.base_url) == "http://127.0.0.1:8701/"
    assert settings.agent_id == "agent-001"


def test_toml_file_then_environment_override(tmp_path, monkeypatch):
    config = tmp_path / "desktop.toml"
    config.write_text('agent_id = "agent-042"\n[crm]\nbase_url = "http://crm.example:9000"\ntoken = "t1"\n')
    settings = load_settings(config)
    assert settings.agent_id == "agent-042"
    assert str(settings.crm.base_url) == "http://crm.example:9000/"

    monkeypatch.setenv("DESKTOP_CRM__TOKEN", "from-env")
    monkeypatch.setenv("DESKTOP_AGENT_ID", "agent-007")
    settings = load_settings(config)
    assert settings.crm.token == "from-env"
    assert settings.agent_id == "agent-007"


def test_user_config_folder_is_read_when_no_file_is_given(tmp_path):
    folder = tmp_path / "xdg-config" / "agent-desktop"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text('agent_id = "agent-from-home"\n')
    assert load_settings().agent_id == "agent-from-home"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[ccaas]\nbase_url = "not a url"\ntoken = "x"\n', "ccaas.base_url: "),
        ('[crm]\nbase_url = "http://x"\ntoken = ""\n', "crm.token: "),
        ('agent_idd = "typo"\n', "agent_idd: Extra inputs are not permitted"),
        ("agent_id = \n", "config file "),
    ],
)
def test_bad_settings_name_the_key(tmp_path, content, expected):
    config = tmp_path / "bad.toml"
    config.write_text(content)
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


def test_bad_environment_variable_names_the_key(monkeypatch):
    monkeypatch.setenv("DESKTOP_PRESENCE__TIMEOUT_S", "-1")
    with pytest.raises(ConfigError, match=r"^presence\.timeout_s: "):
        load_settings()


def test_cli_bad_config_is_one_line_and_exit_code_2(tmp_path, capsys):
    config = tmp_path / "bad.toml"
    config.write_text('[ccaas]\nbase_url = "nope"\ntoken = "x"\n')
    assert main(["--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("agent-desktop: config: ccaas.base_url:")


def test_cli_missing_config_file(tmp_path, capsys):
    assert main(["run", "--config", str(tmp_path / "absent.toml")]) == 2
    assert "not found" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["run"], ["demo"], ["mocks"]])
def test_every_subcommand_has_useful_help(command):
    result = subprocess.run(
        [sys.executable, "-m", "desktop", *command, "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
    assert len(result.stdout.splitlines()) >= 5



def test_the_demo_keeps_its_crm_writes_out_of_the_users_outbox(tmp_path):
    """Pending entries in the user's real outbox belong to their real CRM: the demo uses its own file."""
    from desktop.demo import DemoServers

    servers = DemoServers("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3", tmp_path / "mocks.log")
    assert servers.settings().outbox_path == tmp_path / "outbox.db"

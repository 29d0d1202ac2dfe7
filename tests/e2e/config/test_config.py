"""Configuration: TOML file plus DESKTOP_* variables; bad settings give one line and exit code 2."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from agent_desktop.app.cli import main
from agent_desktop.app.config import BackendConfig, ConfigError, HttpCcaasConfig, load_settings
from tests.support.desktop_command import run_agent_desktop
from tests.support.narrowing import of_kind


def test_defaults_point_at_the_mock_servers() -> None:
    settings = load_settings()
    assert str(of_kind(settings.ccaas, HttpCcaasConfig).base_url) == "http://127.0.0.1:8701/"
    assert settings.agent_id == "agent-001"


def test_toml_file_then_environment_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "desktop.toml"
    config.write_text('agent_id = "agent-042"\n[crm]\nbase_url = "http://crm.example:9000"\ntoken = "t1"\n')
    settings = load_settings(config)
    assert settings.agent_id == "agent-042"
    assert str(of_kind(settings.crm, BackendConfig).base_url) == "http://crm.example:9000/"

    monkeypatch.setenv("DESKTOP_CRM__TOKEN", "from-env")
    monkeypatch.setenv("DESKTOP_AGENT_ID", "agent-007")
    settings = load_settings(config)
    assert of_kind(settings.crm, BackendConfig).token == "from-env"
    assert settings.agent_id == "agent-007"


def test_user_config_folder_is_read_when_no_file_is_given(tmp_path: Path) -> None:
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
def test_bad_settings_name_the_key(tmp_path: Path, content: str, expected: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(content)
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


def test_bad_environment_variable_names_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESKTOP_PRESENCE__TIMEOUT_S", "-1")
    with pytest.raises(ConfigError, match=r"^presence\.timeout_s: "):
        load_settings()


def test_cli_bad_config_is_one_line_and_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[ccaas]\nbase_url = "nope"\ntoken = "x"\n')
    assert main(["--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("agent-desktop: config: ccaas.base_url:")


@pytest.mark.parametrize("flags", [["--agents", "0"], ["--queues", "1001"]])
def test_a_demo_floor_of_an_impossible_size_is_one_line_and_exit_code_2(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", *flags]) == 2
    assert capsys.readouterr().err == "agent-desktop: demo: --agents must be 1 to 5000 and --queues 1 to 1000\n"


def test_cli_missing_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--config", str(tmp_path / "absent.toml")]) == 2
    assert "not found" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["run"], ["demo"], ["mocks"]])
def test_every_subcommand_has_useful_help(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "agent_desktop", *command, "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
    assert len(result.stdout.splitlines()) >= 5


def test_the_demo_keeps_its_crm_writes_out_of_the_users_outbox(tmp_path: Path) -> None:
    """Pending entries in the user's real outbox belong to their real CRM: the demo uses its own file."""
    from agent_desktop.app.demo import DemoServers

    servers = DemoServers("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3", tmp_path / "mocks.log")
    assert servers.settings().outbox_path == tmp_path / "outbox.db"


def _one_line_exit_2(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert result.stderr.count("\n") == 1, result.stderr[-2000:]
    for part in expected:
        assert part in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("command", "name", "value", "says"),
    [
        ("run", "DESKTOP_CCAAS", "garbage", "ccaas: DESKTOP_CCAAS must be a JSON object"),
        ("supervisor", "DESKTOP_SUPERVISOR", "{", "supervisor: DESKTOP_SUPERVISOR must be a JSON object"),
        ("run", "DESKTOP_PRESENCE", "[1, 2", "presence: DESKTOP_PRESENCE must be a JSON object"),
    ],
)
def test_an_unreadable_structured_variable_is_one_line_naming_it(
    tmp_path: Path, command: str, name: str, value: str, says: str
) -> None:
    result = run_agent_desktop(tmp_path, command, env={name: value})
    _one_line_exit_2(result, f"agent-desktop: config: {says}")


def _outbox_config(tmp_path: Path, outbox: Path) -> Path:
    config = tmp_path / "desktop.toml"
    # A closed port: the outbox must be refused before anything tries to connect.
    config.write_text(f'outbox_path = "{outbox}"\n[ccaas]\nbase_url = "http://127.0.0.1:9"\ntoken = "t"\n')
    return config


def _not_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes, not a database\n" * 100)
    return path


def _under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "plain-file").write_text("x")
    return tmp_path / "plain-file" / "outbox.db"


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        (lambda tmp: tmp, "is a directory"),
        (_not_sqlite, "not an SQLite database"),
        (_under_a_file, "cannot be created"),
        (lambda tmp: Path("/proc/agent-desktop-outbox.db"), "cannot be created"),
    ],
    ids=["a-directory", "not-sqlite", "under-a-file", "unwritable"],
)
def test_an_outbox_that_cannot_be_opened_is_one_line_naming_the_key(
    tmp_path: Path, where: Callable[[Path], Path], reason: str
) -> None:
    outbox = where(tmp_path)
    before = outbox.read_bytes() if outbox.is_file() else None
    result = run_agent_desktop(tmp_path, "run", "--config", str(_outbox_config(tmp_path, outbox)))
    _one_line_exit_2(result, "agent-desktop: config: outbox_path: ", str(outbox), reason)
    if before is not None:
        assert outbox.read_bytes() == before  # the user's file is left as it was


def test_an_unknown_desktop_variable_is_one_line_naming_it_and_exit_2(tmp_path: Path) -> None:
    """It used to say "ignoring unknown variables" and then stop on the same typo (exit 2)."""
    result = run_agent_desktop(
        tmp_path,
        "run",
        env={"DESKTOP_CCAAS__BASEURL": "http://typo", "DESKTOP_AGENTID": "a", "DESKTOP_CRM__TOKEN": "fine"},
    )
    _one_line_exit_2(
        result,
        "agent-desktop: config: DESKTOP_AGENTID (did you mean DESKTOP_AGENT_ID?), ",
        "DESKTOP_CCAAS__BASEURL (did you mean DESKTOP_CCAAS__BASE_URL?): no such setting",
    )
    assert "DESKTOP_CRM__TOKEN" not in result.stderr


def test_known_desktop_variables_give_no_warning() -> None:
    from agent_desktop.app.config import unknown_environment_variables

    known = {
        "DESKTOP_AGENT_ID": "a",
        "DESKTOP_CCAAS__BASE_URL": "x",
        "desktop_crm__token": "x",
        "DESKTOP_PRESENCE__JID": "x",
        "DESKTOP_PRESENCE": "{}",
        "DESKTOP_SUPERVISOR__LONGEST_WAIT_ALERT_S": "1",
        "DESKTOP_OUTBOX_PATH": "x",
        "OTHER": "x",
    }
    assert unknown_environment_variables(known) == []
    assert unknown_environment_variables({"DESKTOP_CCAAS__NOPE": "x", "DESKTOP_X": "y"}) == [
        "DESKTOP_CCAAS__NOPE",
        "DESKTOP_X",
    ]


def test_a_quick_responses_file_that_cannot_be_used_is_one_line_naming_the_key(tmp_path: Path) -> None:
    responses = tmp_path / "responses.toml"
    responses.write_text('[[response]]\nid = "hi"\ntitle = "Hi"\ntext = "Hi {{customer.nickname}}"\n')
    config = tmp_path / "desktop.toml"
    config.write_text(f'quick_responses_path = "{responses}"\n[ccaas]\nbase_url = "http://127.0.0.1:9"\ntoken = "t"\n')
    result = run_agent_desktop(tmp_path, "run", "--config", str(config))
    _one_line_exit_2(
        result, "agent-desktop: config: quick_responses_path: ", "unknown placeholder {{customer.nickname}}"
    )


@pytest.mark.parametrize(
    ("keymap", "says"),
    [
        ('"desk.acept" = "y"', "keymap.desk.acept: no command has this id (did you mean desk.accept?)"),
        ('"desk.accept" = "r"', "keymap.desk.accept: r is already the key of desk.reject on the agent screen"),
        ('"supervisor.sort" = ""', "keymap.supervisor.sort: an empty key"),
    ],
)
def test_a_bad_keymap_entry_is_one_line_naming_it_and_exit_2(tmp_path: Path, keymap: str, says: str) -> None:
    """Checked before any backend is asked (the contact center here is a closed port)."""
    config = tmp_path / "desktop.toml"
    config.write_text(f'[ccaas]\nbase_url = "http://127.0.0.1:9"\ntoken = "t"\n[keymap]\n{keymap}\n')
    result = run_agent_desktop(tmp_path, "run", "--config", str(config))
    _one_line_exit_2(result, f"agent-desktop: config: {says}")

"""`agent-desktop --version`, `agent-desktop info` (paths, version, backends, never a secret) and where the desk
logs: the XDG folders by default, `--log-file` / `--log-level` for support, a bad value one line and
exit code 2 as the rest of the configuration."""

from __future__ import annotations

import logging
import stat
import subprocess
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
from textual.drivers import linux_driver

from agent_desktop.adapters.wire.stream import log as stream_log
from agent_desktop.app.cli import main
from agent_desktop.local.desk_log import DESK_LOGGER
from agent_desktop.ui.app import AgentDesktopApp

VERSION = version("agent-desktop")
SECRETS = ("tok-ccaas-s3cret", "zd-api-s3cret", "xmpp-pw-s3cret", "sup-tok-s3cret", "sup-crm-s3cret", "url-pw-s3cret")


def in_process(capsys: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess[str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


def one_line_exit_2(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr[-2000:])
    assert result.stderr.count("\n") == 1, result.stderr[-2000:]
    for part in expected:
        assert part in result.stderr, result.stderr


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    return tmp_path


@pytest.fixture
def desk_logger() -> Iterator[logging.Logger]:
    """The desk's logger as it was, once the test is over (the desk adds its file handler to it)."""
    logger = logging.getLogger(DESK_LOGGER)
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    yield logger
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers[:] = handlers
    logger.setLevel(level)
    logger.propagate = propagate


def test_version_prints_the_installed_distributions_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"agent-desktop {VERSION}"


def test_info_prints_each_path_the_version_and_the_backends(xdg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = in_process(capsys, "info")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert VERSION in out
    for path in (
        xdg / "xdg-config" / "agent-desktop" / "config.toml",
        xdg / "xdg-data" / "agent-desktop" / "outbox.db",
        xdg / "xdg-data" / "agent-desktop" / "outbox-drafts.db",
        xdg / "xdg-state" / "agent-desktop" / "log" / "desk.log",
    ):
        assert str(path) in out, out
    for url in ("http://127.0.0.1:8701/", "http://127.0.0.1:8702/", "http://127.0.0.1:8703/"):
        assert url in out
    assert "demo-agent-token" not in out
    assert not (xdg / "xdg-data" / "agent-desktop").exists(), "info creates nothing"


def test_info_names_the_backends_but_never_a_secret(
    xdg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = xdg / "desktop.toml"
    config.write_text(
        '[ccaas]\nbase_url = "https://cc.example.com/api?key=url-pw-s3cret"\ntoken = "tok-ccaas-s3cret"\n'
        '[crm]\nkind = "zendesk"\nbase_url = "https://desk:url-pw-s3cret@acme.zendesk.com"\n'
        'email = "agent@acme.example"\napi_token = "zd-api-s3cret"\n'
        '[presence]\nkind = "xmpp"\njid = "agent@chat.example"\npassword = "xmpp-pw-s3cret"\n'
    )
    config.chmod(0o600)
    monkeypatch.setenv("DESKTOP_SUPERVISOR__TOKEN", "sup-tok-s3cret")
    monkeypatch.setenv("DESKTOP_SUPERVISOR__CRM_TOKEN", "sup-crm-s3cret")
    result = in_process(capsys, "info", "--config", str(config))
    assert result.returncode == 0, result.stderr
    printed = result.stdout + result.stderr
    assert [secret for secret in SECRETS if secret in printed] == [], printed
    assert "zendesk" in printed
    assert "acme.zendesk.com" in printed
    assert "cc.example.com" in printed
    assert "xmpp" in printed
    assert "agent@chat.example" in printed
    assert str(config) in printed


def test_log_flags_show_in_info_and_bad_values_are_one_line(xdg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = in_process(capsys, "info", "--log-file", str(xdg / "support" / "desk.log"), "--log-level", "debug")
    assert result.returncode == 0, result.stderr
    assert str(xdg / "support" / "desk.log") in result.stdout
    assert "DEBUG" in result.stdout
    one_line_exit_2(in_process(capsys, "run", "--log-level", "chatty"), "agent-desktop: config: log_level: ")
    one_line_exit_2(in_process(capsys, "info", "--log-level", "chatty"), "agent-desktop: config: log_level: ")


def _desk_that_opens_and_quits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The desk against a closed port (unreachable is not refused), its app returning at once."""
    monkeypatch.setattr(AgentDesktopApp, "run", lambda self, *args, **kwargs: None)
    # The command swaps the Linux driver's writer (terminal_loss.install): put back after the test, for the next.
    monkeypatch.setattr(linux_driver, "WriterThread", linux_driver.WriterThread)  # type: ignore[attr-defined]  # imported, not exported
    config = tmp_path / "desktop.toml"
    config.write_text('[ccaas]\nbase_url = "http://127.0.0.1:9"\ntoken = "t"\n')
    config.chmod(0o600)
    return config


def test_the_desk_logs_in_the_xdg_log_folder_by_default(
    xdg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, desk_logger: logging.Logger
) -> None:
    config = _desk_that_opens_and_quits(monkeypatch, xdg)
    result = in_process(capsys, "run", "--config", str(config))
    assert result.returncode == 0, result.stderr
    log = xdg / "xdg-state" / "agent-desktop" / "log" / "desk.log"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    assert not (xdg / "xdg-data" / "agent-desktop" / "desk.log").exists()
    assert desk_logger.level == logging.INFO
    # What the desk's own modules log lands there (before, the handler sat on a name no module logs under).
    stream_log.warning("a line from the event stream")
    assert "WARNING agent_desktop.adapters.wire.stream: a line from the event stream" in log.read_text()


def test_log_file_and_level_from_the_command_line(
    xdg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, desk_logger: logging.Logger
) -> None:
    config = _desk_that_opens_and_quits(monkeypatch, xdg)
    log = xdg / "support" / "today.log"
    result = in_process(capsys, "run", "--config", str(config), "--log-file", str(log), "--log-level", "DEBUG")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert desk_logger.level == logging.DEBUG
    assert not (xdg / "xdg-state" / "agent-desktop" / "log" / "desk.log").exists()


def test_a_log_file_through_a_link_is_refused_in_one_line(
    xdg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, desk_logger: logging.Logger
) -> None:
    config = _desk_that_opens_and_quits(monkeypatch, xdg)
    victim = xdg / "victim.txt"
    victim.write_text("the user's own\n")
    folder = xdg / "xdg-state" / "agent-desktop" / "log"
    folder.mkdir(parents=True, mode=0o700)
    (folder / "desk.log").symlink_to(victim)
    result = in_process(capsys, "run", "--config", str(config))
    one_line_exit_2(result, "agent-desktop: config: log_file: ", str(folder / "desk.log"), "a symbolic link")
    assert victim.read_text() == "the user's own\n"


def test_the_log_level_from_the_environment(
    xdg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESKTOP_LOG_LEVEL", "warning")
    monkeypatch.setenv("DESKTOP_LOG_FILE", str(xdg / "env.log"))
    result = in_process(capsys, "info")
    assert result.returncode == 0, result.stderr
    assert "WARNING" in result.stdout
    assert str(xdg / "env.log") in result.stdout

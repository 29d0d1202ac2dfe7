"""`agent-desktop serve`: what each browser session runs, where it listens, what it refuses.

The page itself, in a real browser, is tests/e2e/config/test_serve_browser.py.
"""

from __future__ import annotations

import contextlib
import io
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.app import serve
from agent_desktop.app.cli import main
from agent_desktop.app.config import load_settings
from agent_desktop.app.demo import demo_settings
from agent_desktop.ui.terminal import served_driver, terminal_loss

TOKENS = ("agent-secret-token", "crm-secret-token", "presence-secret-token")


def config_file(tmp_path: Path) -> Path:
    config = tmp_path / "my desk.toml"  # a space: the session's command is a shell line
    config.write_text(
        '[ccaas]\nbase_url = "http://127.0.0.1:9/"\ntoken = "agent-secret-token"\n'
        '[crm]\nbase_url = "http://127.0.0.1:9/"\ntoken = "crm-secret-token"\n'
        '[presence]\nbase_url = "http://127.0.0.1:9/"\ntoken = "presence-secret-token"\n'
    )
    return config


def refused(argv: list[str]) -> str:
    """What `agent-desktop ARGV` says on stderr, having exited with code 2 (capsys would read as a server to
    tests/support/tiers.py: its source calls `_start(`)."""
    with contextlib.redirect_stderr(io.StringIO()) as err:
        assert main(argv) == 2
    return err.getvalue()


@pytest.fixture
def serve_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(serve, "serve", lambda command, **where: calls.append({"command": command, **where}))
    return calls


@pytest.mark.parametrize(("flags", "desk"), [([], "run"), (["--supervisor"], "supervisor")])
def test_each_session_runs_the_terminals_command_with_the_same_configuration(
    tmp_path: Path, serve_calls: list[dict[str, Any]], flags: list[str], desk: str
) -> None:
    config = config_file(tmp_path)
    assert main(["serve", "--config", str(config), *flags]) == 0
    (call,) = serve_calls
    assert shlex.split(call["command"]) == [sys.executable, "-m", "agent_desktop", desk, "--config", str(config)]
    assert (call["host"], call["port"], call["desk"]) == ("127.0.0.1", 8000, desk)  # loopback unless told
    assert not any(token in call["command"] for token in TOKENS)  # the secrets stay in the file


def test_host_and_port_are_the_users_choice(tmp_path: Path, serve_calls: list[dict[str, Any]]) -> None:
    assert main(["serve", "--config", str(config_file(tmp_path)), "--host", "10.1.2.3", "--port", "8443"]) == 0
    assert (serve_calls[0]["host"], serve_calls[0]["port"]) == ("10.1.2.3", 8443)
    assert serve_calls[0]["max_sessions"] == serve.MAX_SESSIONS == 2  # a tab, and its reload


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "[::]"])
def test_a_wildcard_host_needs_the_address_browsers_open(
    tmp_path: Path, serve_calls: list[dict[str, Any]], host: str
) -> None:
    """Every address: the page would send browsers to http://0.0.0.0:8000 and no origin would be let in (403)."""
    config = str(config_file(tmp_path))
    assert refused(["serve", "--config", config, "--host", host]) == (
        f"agent-desktop: serve: --host {host} listens on every address: say the one browsers open with "
        "--public-url, e.g. --public-url http://desk.example:8000\n"
    )
    assert main(["serve", "--config", config, "--host", host, "--public-url", "http://desk.example:8000"]) == 0
    assert serve.allowed_origins(host, 8000, serve_calls[0]["public_url"]) == {"http://desk.example:8000"}


@pytest.mark.parametrize(
    ("options", "refusal"),
    [
        (["--port", "0"], "agent-desktop: serve: --port must be 1 to 65535"),
        (["--port", "65536"], "agent-desktop: serve: --port must be 1 to 65535"),
        (
            ["--public-url", "wallboard.example"],
            "agent-desktop: serve: --public-url must be an http:// or https:// address, e.g. https://wallboard.example",
        ),
        (["--max-sessions", "0"], "agent-desktop: serve: --max-sessions must be 1 or more"),
        (
            ["--demo", "--config", "x.toml"],
            "agent-desktop: serve: --demo writes its own configuration: leave out --config",
        ),
    ],
)
def test_bad_options_are_one_line_and_exit_code_2(
    serve_calls: list[dict[str, Any]], options: list[str], refusal: str
) -> None:
    assert refused(["serve", *options]) == refusal + "\n"
    assert serve_calls == []


def test_a_bad_configuration_is_refused_before_anything_is_served(
    tmp_path: Path, serve_calls: list[dict[str, Any]]
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[ccaas]\nbase_url = "nope"\ntoken = "x"\n')
    err = refused(["serve", "--config", str(config)])
    assert err.count("\n") == 1
    assert err.startswith("agent-desktop: config: ccaas.base_url:")
    assert serve_calls == []


def test_the_demos_settings_written_for_its_sessions_read_back_the_same(tmp_path: Path) -> None:
    settings = demo_settings(
        "http://127.0.0.1:8701", "http://127.0.0.1:8702", "http://127.0.0.1:8703", outbox_path=tmp_path / "outbox.db"
    )
    config = tmp_path / "serve.toml"
    config.write_text(serve.settings_toml(settings))
    assert load_settings(config) == settings


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))
def test_any_token_survives_the_demos_file(token: str) -> None:
    settings = demo_settings("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3")
    settings = settings.model_copy(update={"crm": settings.crm.model_copy(update={"token": token})})
    import tomllib

    assert tomllib.loads(serve.settings_toml(settings)).get("crm", {}).get("token", token) == token


def test_a_served_desk_uses_the_driver_textual_serve_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert terminal_loss.driver_class() is not None  # a terminal: the desk's own Linux driver
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert terminal_loss.driver_class() is served_driver.ServedDeskDriver  # the web driver that signs out
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    assert terminal_loss.driver_class() is None  # App then takes the one TEXTUAL_DRIVER names


def test_only_the_desks_own_page_may_open_its_websocket() -> None:
    assert serve.allowed_origins("127.0.0.1", 8000) == {
        "http://127.0.0.1:8000",
        "http://localhost:8000",
        "http://[::1]:8000",
    }
    assert serve.allowed_origins("10.1.2.3", 8443) == {"http://10.1.2.3:8443"}
    assert serve.allowed_origins("fd00::5", 80) == {"http://[fd00::5]:80"}
    assert "http://evil.example:8000" not in serve.allowed_origins("127.0.0.1", 8000)
    # Behind a proxy, or by a name: the page is where browsers open it.
    assert serve.allowed_origins("127.0.0.1", 8000, "https://wallboard.example/") == {"https://wallboard.example"}


def test_the_page_names_its_public_address(tmp_path: Path, serve_calls: list[dict[str, Any]]) -> None:
    config = str(config_file(tmp_path))
    assert main(["serve", "--config", config, "--public-url", "https://wallboard.example"]) == 0
    assert serve_calls[0]["public_url"] == "https://wallboard.example"

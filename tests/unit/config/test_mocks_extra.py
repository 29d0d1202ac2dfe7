"""A desk installed without the `mocks` extra (or the relay without `relay`): the commands that need those servers
say which extra to install, in one line with exit code 2, before starting anything. (The installed wheel with each
extra: tests/e2e/config/test_installed_extras.py.)"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from agent_desktop.app import cli
from agent_desktop.app.commands import mocks
from agent_desktop_relay import __main__ as relay_main


def _hide(monkeypatch: pytest.MonkeyPatch, package: str) -> None:
    # A None in sys.modules is how Python marks a module absent: find_spec answers None, an import raises.
    monkeypatch.setitem(sys.modules, package, None)


def _run(main: Callable[[list[str]], int], argv: list[str]) -> tuple[int, str, str]:
    """`main(argv)`'s exit code, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _nothing_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    def started(*args: object, **kwargs: object) -> None:
        raise AssertionError("a server was started without its packages")

    monkeypatch.setattr(mocks, "subprocess", SimpleNamespace(Popen=started))
    monkeypatch.setattr("agent_desktop.app.demo.demo_servers", started)


@pytest.mark.parametrize("package", cli.MOCK_PACKAGES)
@pytest.mark.parametrize("command", [["demo"], ["demo", "--ccaas", "twilio"], ["mocks"], ["mocks", "--port", "1"]])
def test_the_demo_and_the_mocks_name_the_extra_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, package: str, command: list[str]
) -> None:
    _hide(monkeypatch, package)
    _nothing_starts(monkeypatch)

    code, out, err = _run(cli.main, command)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "pip install 'agent-desktop[mocks]'" in err
    if command[0] == "demo":
        assert err == "agent-desktop: the demo needs the mock servers: pip install 'agent-desktop[mocks]'\n"


@pytest.mark.parametrize("package", cli.RELAY_PACKAGES)
def test_the_twilio_demo_names_the_extra_that_brings_the_relay(monkeypatch: pytest.MonkeyPatch, package: str) -> None:
    _hide(monkeypatch, package)
    _nothing_starts(monkeypatch)

    code, out, err = _run(cli.main, ["demo", "--ccaas", "twilio", "--crm", "zendesk"])
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "pip install 'agent-desktop[mocks]'" in err


def test_with_the_mocks_installed_the_check_passes() -> None:
    assert cli.mocks_installed()  # the test environment has `agent-desktop[test]`, which pulls `mocks`


@pytest.mark.parametrize("package", ["fastapi", "uvicorn", "twilio"])
def test_the_relay_names_its_extra_without_a_traceback(monkeypatch: pytest.MonkeyPatch, package: str) -> None:
    _hide(monkeypatch, package)

    code, out, err = _run(relay_main.main, [])
    assert code == 2
    assert (out, err) == ("", "twilio relay: its server is not installed: pip install 'agent-desktop[relay]'\n")


def test_the_relay_refuses_to_start_beyond_loopback_without_its_public_url() -> None:
    code, _, err = _run(relay_main.main, ["--host", "0.0.0.0"])
    assert code == 2
    assert "--public-url" in err

"""`[notifications]` in the configuration: the style and a switch per kind, read into the app's notifier;
a bad value is one line naming the key, and the desk does not start (exit code 2)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from agent_desktop.app import cli
from agent_desktop.app.commands.run import run
from agent_desktop.app.config import ConfigError, load_settings


def test_the_section_is_read(tmp_path: Path) -> None:
    config = tmp_path / "desktop.toml"
    config.write_text('[notifications]\nstyle = "osc777"\nbreach = false\n')
    notifications = load_settings(config).notifications
    assert notifications.style == "osc777"
    assert not notifications.breach
    assert notifications.offer
    assert load_settings().notifications.style == "auto"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[notifications]\nstyle = "osc8"\n', "notifications.style: Input should be 'auto', 'osc9', "),
        ("[notifications]\noffers = false\n", "notifications.offers: Extra inputs are not permitted"),
        ('[notifications]\nbreach = "sometimes"\n', "notifications.breach: Input should be a valid boolean"),
    ],
)
def test_a_bad_value_is_one_line_and_exit_code_2(tmp_path: Path, content: str, expected: str) -> None:
    config = tmp_path / "desktop.toml"
    config.write_text(content)
    with pytest.raises(ConfigError) as raised:
        load_settings(config)
    assert str(raised.value).startswith(expected)
    assert "\n" not in str(raised.value)
    with contextlib.redirect_stderr(io.StringIO()) as said:  # (capsys's fixture reads as a server's start to tiers.py)
        args = cli.build_parser().parse_args(["run", "--config", str(config)])  # as typed: every option defaulted
        assert run(args) == 2  # refused before any backend is asked
    err = said.getvalue()
    assert expected in err
    assert err.count("\n") == 1

"""Terminal settings: `theme` (Textual's themes and monochrome; a bad name is one line and exit code 2),
`mouse`, their command-line flags, and NO_COLOR as no-color.org defines it (set and not empty) choosing monochrome
unless the configuration names a theme."""

from __future__ import annotations

import argparse
import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.theme import BUILTIN_THEMES

from agent_desktop.app import cli
from agent_desktop.app.commands import log_overrides
from agent_desktop.app.commands.run import run
from agent_desktop.app.config import load_settings
from agent_desktop.ui.themes import DEFAULT_THEME, MONOCHROME, chosen_theme, theme_names, theme_problem


def run_args(config: Path, *flags: str) -> argparse.Namespace:
    """`agent-desktop run`'s arguments, from its parser."""
    return cli.build_parser().parse_args(["run", "--config", str(config), *flags])


def test_the_settings_are_read(tmp_path: Path) -> None:
    config = tmp_path / "desktop.toml"
    config.write_text('theme = "nord"\nmouse = false\n')
    settings = load_settings(config)
    assert (settings.theme, settings.mouse) == ("nord", False)
    assert (load_settings().theme, load_settings().mouse) == (None, True)


def test_every_textual_theme_and_monochrome_may_be_named() -> None:
    assert set(BUILTIN_THEMES) | {MONOCHROME} == set(theme_names())
    assert all(theme_problem(name) is None for name in theme_names())


@pytest.mark.parametrize("source", ["file", "flag"])
def test_a_theme_that_is_none_is_one_line_and_exit_code_2(tmp_path: Path, source: str) -> None:
    config = tmp_path / "desktop.toml"
    config.write_text('theme = "solarised"\n' if source == "file" else "")
    args = run_args(config, *(["--theme", "solarised"] if source == "flag" else []))
    with contextlib.redirect_stderr(io.StringIO()) as said:
        assert run(args) == 2  # refused before any backend is asked
    err = said.getvalue()
    assert err.startswith("agent-desktop: config: theme: no theme 'solarised'; one of ")
    assert err.count("\n") == 1
    assert MONOCHROME in err
    assert "nord" in err


def test_the_flags_are_settings() -> None:
    args = cli.build_parser().parse_args(["run", "--no-mouse", "--theme", "monochrome"])
    assert log_overrides(args) == {"mouse": False, "theme": "monochrome"}
    assert log_overrides(cli.build_parser().parse_args(["run"])) == {}
    demo = cli.build_parser().parse_args(["demo", "--no-mouse"])
    assert log_overrides(demo) == {"mouse": False}


@given(st.text(min_size=1).filter(lambda value: "\x00" not in value))
def test_no_color_with_any_value_chooses_monochrome(value: str) -> None:
    assert chosen_theme(None, {"NO_COLOR": value}) == MONOCHROME


def test_an_empty_no_color_or_none_is_the_default_and_a_configured_theme_wins() -> None:
    assert chosen_theme(None, {"NO_COLOR": ""}) == DEFAULT_THEME
    assert chosen_theme(None, {}) == DEFAULT_THEME
    assert chosen_theme("nord", {"NO_COLOR": "1"}) == "nord"  # no-color.org: a user's setting beats NO_COLOR

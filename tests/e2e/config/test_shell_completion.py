"""`agent-desktop completion bash` in a real bash: sourced, it completes every subcommand, each
subcommand's options and the values some take."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from agent_desktop.app import cli
from agent_desktop.app.completion import completion_script
from agent_desktop.ui.themes import theme_names


def bash_completes(*words: str) -> list[str]:
    """What bash offers after `agent-desktop WORDS` (the last word: what is typed so far)."""
    line = ["agent-desktop", *words]
    probe = (
        completion_script("bash", cli.build_parser(), theme_names())
        + f"COMP_WORDS=({' '.join(repr(w) for w in line)}); COMP_CWORD={len(line) - 1}\n"
        + '_agent_desktop; printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "--norc", "--noprofile"], input=probe, capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash here")
def test_bash_completes_the_subcommands_their_options_and_values() -> None:
    assert bash_completes("") == list(cli.COMMANDS) + ["--help", "--version"]
    assert bash_completes("su") == ["supervisor"]
    assert {"--config", "--theme", "--no-mouse", "--agent-id"} <= set(bash_completes("run", "--"))
    assert bash_completes("demo", "--no") == ["--no-mouse", "--no-remote"]
    assert bash_completes("run", "--theme", "monoc") == ["monochrome"]
    assert bash_completes("completion", "") == ["bash", "zsh", "fish", "--help"]

"""`agent-desktop completion bash|zsh|fish`: the script is written from the command's parser, so it names
every subcommand (tests/e2e/config/test_shell_completion.py runs bash on it)."""

from __future__ import annotations

from agent_desktop.app import cli
from agent_desktop.app.completion import completion_script
from agent_desktop.ui.themes import theme_names


def script(shell: str) -> str:
    return completion_script(shell, cli.build_parser(), theme_names())


def test_bash_names_every_subcommand_and_option() -> None:
    bash = script("bash")
    assert f"'{' '.join(cli.COMMANDS)} --help --version'" in bash
    assert (
        "run) opts='--help --log-file --log-level --config --theme --no-mouse --no-remote --reader --agent-id';;"
        in bash
    )


def test_zsh_and_fish_name_every_subcommand() -> None:
    assert script("zsh").startswith("autoload -U +X bashcompinit && bashcompinit\n")
    fish = script("fish")
    for command in cli.COMMANDS:
        assert f" -a {command} -d " in fish
    assert "__fish_seen_subcommand_from run' -l config -r -F" in fish


def test_the_command_prints_it() -> None:
    assert cli.main(["completion", "bash"]) == 0

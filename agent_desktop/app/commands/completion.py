"""`agent-desktop completion bash|zsh|fish`: the shell completion script of the command's own parser."""

from __future__ import annotations

import argparse

from agent_desktop.app.completion import completion_script
from agent_desktop.ui.themes import theme_names


def completion(args: argparse.Namespace) -> int:
    print(completion_script(args.shell, args.parser, theme_names()), end="")
    return 0

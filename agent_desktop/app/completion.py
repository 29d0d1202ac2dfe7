"""`agent-desktop completion bash|zsh|fish`: a shell completion script, written from the command's own parser so it
names every subcommand and option the command has.

Hand-written rather than shtab's: shtab writes no fish script, and the three shells need little more than the
subcommands, their options, the values some take (a theme, a log level) and which take a file.
"""

from __future__ import annotations

import argparse
import shlex

SHELLS = ("bash", "zsh", "fish")
PROG = "agent-desktop"
# Options whose value is a file or a folder (the shell completes paths there).
PATH_OPTIONS = ("--config", "--log-file", "--data-dir")
# Values an option takes that its parser does not list (they are checked with the configuration).
VALUES = {"--log-level": ("DEBUG", "INFO", "WARNING", "ERROR")}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, tuple[str, argparse.ArgumentParser]]:
    """Each subcommand: its help line and its parser."""
    found: dict[str, tuple[str, argparse.ArgumentParser]] = {}
    for action in parser._actions:  # (argparse keeps its actions only there)
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            found |= {name: (helps.get(name, ""), sub) for name, sub in action.choices.items()}
    return found


def _options(parser: argparse.ArgumentParser) -> list[tuple[str, str, tuple[str, ...] | None]]:
    """Each long option: its help, and the values it takes (None: it takes none; empty: any)."""
    options = []
    for action in parser._actions:
        for flag in (f for f in action.option_strings if f.startswith("--")):
            takes = action.nargs != 0
            values = tuple(action.choices) if action.choices else VALUES.get(flag, ())
            options.append(
                (flag, (action.help or "").replace("%(default)s", str(action.default)), values if takes else None)
            )
    return options


def _values(extra: dict[str, tuple[str, ...]], parser: argparse.ArgumentParser) -> dict[str, tuple[str, ...]]:
    """The values each option of `parser` takes, where they are known."""
    known = {flag: extra.get(flag, ()) or (values or ()) for flag, _, values in _options(parser)}
    return {flag: values for flag, values in known.items() if values}


def _words(parser: argparse.ArgumentParser) -> list[str]:
    """What may come next after a subcommand: its options, and its positional argument's choices (the shells)."""
    positional = [str(c) for a in parser._actions if not a.option_strings and a.choices for c in a.choices]
    return [*positional, *(flag for flag, _, _ in _options(parser))]


def completion_script(shell: str, parser: argparse.ArgumentParser, themes: list[str]) -> str:
    """The script for `shell` (one of SHELLS); `themes`: the names `--theme` takes."""
    extra = {"--theme": tuple(themes)}
    if shell == "fish":
        return _fish(parser, extra)
    script = _bash(parser, extra)
    if shell == "zsh":  # zsh runs the bash script through its own bashcompinit
        return "autoload -U +X bashcompinit && bashcompinit\n" + script
    return script


def _bash(parser: argparse.ArgumentParser, extra: dict[str, tuple[str, ...]]) -> str:
    subcommands = _subcommands(parser)
    top = [*subcommands, *(flag for flag, _, _ in _options(parser))]
    lines = [
        f'# {PROG} completion for bash (and zsh through bashcompinit): eval "$({PROG} completion bash)"',
        "_agent_desktop() {",
        '    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd="" i opts',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        f"        case ${{COMP_WORDS[i]}} in {'|'.join(subcommands)}) cmd=${{COMP_WORDS[i]}}; break;; esac",
        "    done",
        "    case $prev in",
        f'        {"|".join(PATH_OPTIONS)}) COMPREPLY=($(compgen -f -- "$cur")); return;;',
    ]
    values: dict[str, tuple[str, ...]] = {}
    for _, sub in subcommands.values():
        values |= _values(extra, sub)
    for flag, choices in values.items():
        lines.append(f'        {flag}) COMPREPLY=($(compgen -W {shlex.quote(" ".join(choices))} -- "$cur")); return;;')
    lines += ["    esac", "    case $cmd in", f"        '') opts={shlex.quote(' '.join(top))};;"]
    for name, (_, sub) in subcommands.items():
        lines.append(f"        {name}) opts={shlex.quote(' '.join(_words(sub)))};;")
    lines += [
        "    esac",
        '    COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
        "}",
        f"complete -F _agent_desktop {PROG}",
        "",
    ]
    return "\n".join(lines)


def _fish(parser: argparse.ArgumentParser, extra: dict[str, tuple[str, ...]]) -> str:
    subcommands = _subcommands(parser)
    names = " ".join(subcommands)
    lines = [f"# {PROG} completion for fish: {PROG} completion fish | source", f"complete -c {PROG} -f"]
    for name, (help_text, _) in subcommands.items():
        lines.append(
            f"complete -c {PROG} -n 'not __fish_seen_subcommand_from {names}' -a {name} -d {shlex.quote(help_text)}"
        )
    for flag, help_text, _ in _options(parser):
        lines.append(
            f"complete -c {PROG} -n 'not __fish_seen_subcommand_from {names}' -l {flag[2:]} -d {shlex.quote(help_text)}"
        )
    for name, (_, sub) in subcommands.items():
        values = _values(extra, sub)
        for flag, help_text, takes in _options(sub):
            line = f"complete -c {PROG} -n '__fish_seen_subcommand_from {name}' -l {flag[2:]}"
            if flag in PATH_OPTIONS:
                line += " -r -F"
            elif takes is not None:
                line += f" -x -a {shlex.quote(' '.join(values.get(flag, ())))}"
            lines.append(f"{line} -d {shlex.quote(help_text)}")
    return "\n".join(lines) + "\n"

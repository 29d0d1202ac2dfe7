"""The `agent-desktop` command: its parser, and `main`, which runs the subcommand asked for.

Each subcommand's handler is a module of its own (`agent_desktop/app/commands/`), named in `COMMANDS` as
"module:function" and imported by `_handler` (importlib) only when that subcommand runs: so
`import agent_desktop.app.cli` stays small, and `agent-desktop run` loads nothing of the demo, the servers or
the mock servers (tests/contract/start_up/test_import_budget.py counts both)."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Each subcommand and the function that runs it, given the parsed options; `main` imports its module only then.
COMMANDS = {
    "run": "agent_desktop.app.commands.run:run",
    "supervisor": "agent_desktop.app.commands.supervisor:supervisor",
    "demo": "agent_desktop.app.commands.demo:demo",
    "mocks": "agent_desktop.app.commands.mocks:mocks",
    "info": "agent_desktop.app.commands.info:info",
    "serve": "agent_desktop.app.commands.serve:serve",
    "completion": "agent_desktop.app.commands.completion:completion",
    "remote": "agent_desktop.app.commands.remote:remote",
}

DISTRIBUTION = "agent-desktop"
# What the mock servers import that a desk does not: the `mocks` extra (pyproject.toml).
MOCK_PACKAGES = ("fastapi", "uvicorn", "sqlite_utils", "faker", "orjson")
MOCKS_MISSING = {
    "demo": "agent-desktop: the demo needs the mock servers: pip install 'agent-desktop[mocks]'",
    "mocks": "agent-desktop: the mock servers are not installed: pip install 'agent-desktop[mocks]'",
    "serve --demo": "agent-desktop: serve --demo needs the mock servers: pip install 'agent-desktop[mocks]'",
}
# What the Twilio event relay imports (the `relay` extra, which `mocks` brings): `demo --ccaas twilio` starts one.
RELAY_PACKAGES = ("fastapi", "uvicorn", "twilio")
RELAY_MISSING = "agent-desktop: demo --ccaas twilio needs the Twilio event relay: pip install 'agent-desktop[mocks]'"
REAL_MODEL_MISSING = (
    "agent-desktop: demo --model real needs llama.cpp's server and its model: pip install 'agent-desktop[real-model]' "
    "(it builds llama.cpp from source, 20-30 minutes on two cores)"
)


class _Version(argparse.Action):
    """`--version`: the installed distribution's version, read from its metadata only when asked, not at each start."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show program's version number and exit"
        )

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        print(f"agent-desktop {package_version()}")
        parser.exit()


def package_version() -> str:
    """The installed distribution's version (a tree run without installing says so)."""
    from importlib.metadata import PackageNotFoundError, version  # when asked: `import ...cli` stays small

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    from agent_desktop.app.config import default_config_path  # pydantic: with the parser, not on `import ...cli`

    parser = argparse.ArgumentParser(
        prog="agent-desktop",
        description="A terminal agent desktop for contact centers. Without a command, `run` is assumed.",
    )
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")
    # Where the desk logs, for support: checked as the configuration is (a bad value is one line, exit code 2).
    logged = argparse.ArgumentParser(add_help=False)
    logged.add_argument("--log-file", type=Path, help="the desk's log (default: desk.log in the user log folder)")
    logged.add_argument("--log-level", metavar="LEVEL", help="DEBUG, INFO (the default), WARNING or ERROR")
    # The desks' commands read the configuration file (the demo writes its own).
    configured = argparse.ArgumentParser(add_help=False, parents=[logged])
    configured.add_argument("--config", type=Path, help="TOML configuration file")
    # The terminal's conventions, for the desks.
    terminal = argparse.ArgumentParser(add_help=False)
    terminal.add_argument("--theme", help="a Textual theme by name, or monochrome (no colour): `theme` in the file")
    terminal.add_argument("--no-mouse", action="store_true", help="leave the mouse to the terminal (mouse = false)")
    terminal.add_argument("--no-remote", action="store_true", help="open no remote-control socket ([remote] enabled)")
    terminal.add_argument(
        "--reader", action="store_true", help="reader mode for screen readers: the cursor on the focused row (reader)"
    )

    run = commands.add_parser(
        "run",
        parents=[configured, terminal],
        help="open the desktop against the configured backends",
        description=(
            "Open the agent desktop. Settings come from the TOML file (--config, else "
            f"{default_config_path()}) and DESKTOP_* environment variables, e.g. "
            "DESKTOP_AGENT_ID, DESKTOP_CCAAS__BASE_URL, DESKTOP_CRM__TOKEN."
        ),
    )
    run.add_argument("--agent-id", help="the agent to log in as (overrides the configuration)")

    supervisor = commands.add_parser(
        "supervisor",
        parents=[configured, terminal],
        help="open the supervisor's queue panels (needs a supervisor token)",
        description=(
            "Open supervisor mode: queues with service level and alerts, Erlang C staffing advice, the agents "
            "table, drill-downs and supervisor actions. It uses ccaas.base_url with supervisor.token "
            "(DESKTOP_SUPERVISOR__TOKEN); an agent's token is refused (exit code 2)."
        ),
    )
    supervisor.add_argument("--token", help="the supervisor's CCaaS token (overrides the configuration)")

    demo = commands.add_parser(
        "demo",
        parents=[logged, terminal],
        help="start the mock backends with simulated traffic and open the desktop as a demo agent",
        description=(
            "Start the mock CCaaS, CRM and presence servers on free loopback ports with seeded data and a "
            "traffic simulator, open the desktop as agent-001, and stop the servers when you quit (ctrl+q)."
        ),
    )
    demo.add_argument(
        "--seed", type=int, default=42, help="random seed of the demo data and traffic (default %(default)s)"
    )
    demo.add_argument("--speed", type=float, default=1.0, help="simulator speed factor (default %(default)s)")
    demo.add_argument(
        "--offer-timeout", type=float, default=20.0, help="seconds to answer an offer (default %(default)s)"
    )
    demo.add_argument("--data-dir", type=Path, help="keep the mock data here instead of a temporary folder")
    demo.add_argument(
        "--supervisor", action="store_true", help="start on the supervisor screen (f2 switches in either case)"
    )
    demo.add_argument("--agents", type=int, default=7, help="agents on the floor, you included (default %(default)s)")
    demo.add_argument("--queues", type=int, default=3, help="queues on the floor (default %(default)s)")
    demo.add_argument(
        "--crm",
        choices=("mock", "zendesk", "rt"),
        default="mock",
        help="the desk's CRM: the mock CRM's API, the same data in Zendesk Support's shape through the Zendesk "
        "backend, or the same customers in a real Request Tracker 5 (Debian's request-tracker5, rt5-db-sqlite and "
        "rt5-standalone; its first start builds a template, minutes) (default %(default)s)",
    )
    demo.add_argument(
        "--announce-monitoring",
        action="store_true",
        help="the contact center tells the agent when a supervisor monitors silently too (by default, as on most "
        "platforms, only a whisper or a barge is told)",
    )
    demo.add_argument(
        "--bot-calls",
        action="store_true",
        help="the contact center's virtual agent answers Billing's calls first, as it does its chats: the caller "
        "served, or handed to you with what the bot heard, why, the intent and the mood (by default calls reach "
        "you straight from the IVR)",
    )
    demo.add_argument(
        "--ccaas",
        choices=("mock", "twilio"),
        default="mock",
        help="the desk's contact center: the mock CCaaS's API, or the same floor in Twilio TaskRouter's shape "
        "through the Twilio backend and the Twilio event relay (default %(default)s)",
    )
    demo.add_argument(
        "--model",
        choices=("mock", "real"),
        default="mock",
        help="the assistant's model: the mock model server (quick, grounded in the articles), or llama.cpp's server "
        "with SmolLM2-135M-Instruct (the real-model extra: a real small model, slower and often wrong) "
        "(default %(default)s)",
    )

    commands.add_parser(
        "mocks",
        help="run the three mock servers (options: agent-desktop mocks --help)",
        add_help=False,
        description="Run the mock servers; every option is passed to `python -m agent_desktop_mocks`.",
    )
    commands.add_parser(
        "info",
        parents=[configured],
        help="print the version, where the desk's files live and the configured backends (no secret)",
        description="Print the version, each file's path and the backends as configured (kinds and addresses: never "
        "a token, a password or a URL's credentials). Nothing is opened or created.",
    )
    serve = commands.add_parser(
        "serve",
        parents=[configured],
        help="serve the agent desk (or the supervisor's wallboard) to a browser",
        description="Serve the desk through textual-serve: each browser session runs `agent-desktop run` (or "
        "`supervisor`) with this configuration and environment. Bound to 127.0.0.1 unless --host says otherwise: "
        "anyone who reaches the address gets the desk, logged in.",
    )
    serve.add_argument("--supervisor", action="store_true", help="serve the supervisor's wallboard")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default %(default)s)")
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="where browsers open the desk when not at --host:--port (a proxy, a name): the page links there",
    )
    serve.add_argument(
        "--max-sessions",
        type=int,
        default=2,
        metavar="N",
        help="browser sessions at once, each a desk process logged in (default %(default)s); one more is refused",
    )
    serve.add_argument("--demo", action="store_true", help="start the demo's mock servers and serve a desk on them")
    completion = commands.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description='Print a completion script for the shell: eval "$(agent-desktop completion bash)" in ~/.bashrc, '
        "the same with zsh in ~/.zshrc, agent-desktop completion fish | source in fish's config.",
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))
    remote = commands.add_parser(
        "remote",
        help="drive the running desk from a script: its state, its commands, keys (docs/remote.md)",
        description="`agent-desktop remote`: drive a running desk from a script (docs/remote.md). "
        "The desk listens on a socket only you can reach.",
    )
    remote.add_argument("action", choices=("state", "commands", "run", "press", "watch"))
    remote.add_argument("words", nargs="*", help="run: a command's id (desk.accept); press: keys (a enter ctrl+s)")
    remote.add_argument(
        "--socket", type=Path, help="the desk's socket (default: `[remote] socket`, else the desk's own)"
    )
    remote.add_argument("--config", type=Path, help="TOML configuration file (its `[remote] socket`)")
    remote.add_argument("--json", action="store_true", help="print the answer as JSON (state and commands)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "run")
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command in MOCKS_MISSING and not mocks_installed():
        print(MOCKS_MISSING[args.command], file=sys.stderr)
        return 2
    if args.command == "demo" and args.ccaas == "twilio" and not _installed(RELAY_PACKAGES):
        print(RELAY_MISSING, file=sys.stderr)
        return 2
    if args.command == "demo" and args.model == "real" and not _real_model_installed():
        print(REAL_MODEL_MISSING, file=sys.stderr)
        return 2
    if rest and args.command != "mocks":  # the mock servers' options are theirs to check
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    # What two commands need besides their options: the options passed on to the mock servers, the parser a
    # completion script describes.
    args.server_options, args.parser = rest, parser
    return _handler(args.command)(args)


def _handler(command: str) -> Callable[[argparse.Namespace], int]:
    """The function that runs `command`, its module imported now: the one place a subcommand's code is loaded."""
    module, _, name = COMMANDS[command].partition(":")
    handler: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), name)
    return handler


def mocks_installed() -> bool:
    """Whether the mock servers' packages are installed (found, not imported: the desk's start stays light)."""
    return _installed(MOCK_PACKAGES)


def _real_model_installed() -> bool:
    from agent_desktop.app.real_model import installed

    return installed()


def _installed(packages: tuple[str, ...]) -> bool:
    return all(importlib.util.find_spec(name) is not None for name in packages)

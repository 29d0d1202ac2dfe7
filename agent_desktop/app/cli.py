"""The `agent-desktop` command: the desktop, the demo, the mock servers, and `info` for support."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future

    from agent_desktop.app.config import Settings

T = TypeVar("T")

COMMANDS = ("run", "supervisor", "demo", "mocks", "info", "serve", "completion", "remote")
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


class _Version(argparse.Action):
    """`--version`: the installed distribution's version, read from its metadata only when asked, not at each start."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show program's version number and exit"
        )

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from agent_desktop.app.info import package_version

        print(f"agent-desktop {package_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    from agent_desktop.app.config import default_config_path

    parser = argparse.ArgumentParser(
        prog="agent-desktop",
        description="A terminal agent desktop for contact centers. Without a command, `run` is assumed.",
    )
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(dest="command", metavar="{run,supervisor,demo,mocks,info,serve,completion,remote}")
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
        choices=("mock", "zendesk"),
        default="mock",
        help="the desk's CRM: the mock CRM's API, or the same data in Zendesk Support's shape through the Zendesk "
        "backend (default %(default)s)",
    )
    demo.add_argument(
        "--announce-monitoring",
        action="store_true",
        help="the contact center tells the agent when a supervisor monitors silently too (by default, as on most "
        "platforms, only a whisper or a barge is told)",
    )
    demo.add_argument(
        "--ccaas",
        choices=("mock", "twilio"),
        default="mock",
        help="the desk's contact center: the mock CCaaS's API, or the same floor in Twilio TaskRouter's shape "
        "through the Twilio backend and the Twilio event relay (default %(default)s)",
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
    from agent_desktop.app.remote_command import add_parser as add_remote

    add_remote(commands)
    return parser


def _mocks(rest: list[str]) -> int:
    """The mock servers in a process of their own, their exit code this command's. ctrl+c in a terminal reaches
    both processes (one process group): the servers stop and exit 0, and this one waits for them instead of dying
    of it with a traceback."""
    import signal

    servers = subprocess.Popen([sys.executable, "-m", "agent_desktop_mocks", *rest])
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # after the start: the servers keep theirs
    try:
        return servers.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


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
        return _say(RELAY_MISSING)
    if args.command == "mocks":
        return _mocks(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command == "demo":
        return _demo(args)
    if args.command == "supervisor":
        return _supervisor(args)
    if args.command == "info":
        return _info(args)
    if args.command == "completion":
        from agent_desktop.app.completion import completion_script
        from agent_desktop.ui.themes import theme_names

        print(completion_script(args.shell, parser, theme_names()), end="")
        return 0
    if args.command == "serve":
        return _serve(args)
    if args.command == "remote":
        return _remote(args)
    return _run(args)


def _remote(args: argparse.Namespace) -> int:
    from agent_desktop.app.config import ConfigError
    from agent_desktop.app.remote_command import run_remote

    path = args.socket
    if path is None:
        try:  # the socket the configuration names (`[remote] socket`, DESKTOP_REMOTE__SOCKET), else the default
            path = _load(args.config).remote.socket_file()
        except ConfigError as error:
            return _say(f"agent-desktop: config: {error}")
    return run_remote(args, path)


def _log_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """`--log-file`, `--log-level`, `--theme` and `--no-mouse` as settings (over the file and DESKTOP_*), where
    given."""
    given = {"log_file": args.log_file, "log_level": args.log_level, "theme": getattr(args, "theme", None)}
    if getattr(args, "no_mouse", False):
        given["mouse"] = False
    if getattr(args, "reader", False):
        given["reader"] = True
    if getattr(args, "no_remote", False):  # a model, not a dict: the demo copies its settings without validating
        from agent_desktop.app.config import RemoteConfig

        given["remote"] = RemoteConfig(enabled=False)
    return {key: value for key, value in given.items() if value is not None}


def _info(args: argparse.Namespace) -> int:
    from agent_desktop.app.config import ConfigError, default_config_path
    from agent_desktop.app.info import info_lines

    try:
        settings = _load(args.config, **_log_overrides(args))
    except ConfigError as error:
        print(f"agent-desktop: config: {error}", file=sys.stderr)
        return 2
    print("\n".join(info_lines(settings, args.config or default_config_path())))
    return 0


def _serve(args: argparse.Namespace) -> int:
    import importlib.util

    from agent_desktop.app import serve
    from agent_desktop.app.config import ConfigError

    desk = "supervisor" if args.supervisor else "run"
    if not 1 <= args.port <= 65535:
        return _say("agent-desktop: serve: --port must be 1 to 65535")
    if args.public_url is not None and (problem := serve.public_url_problem(args.public_url)):
        return _say(f"agent-desktop: serve: {problem}")
    if problem := serve.host_problem(args.host, args.public_url):
        return _say(f"agent-desktop: serve: {problem}")
    if args.max_sessions < 1:
        return _say("agent-desktop: serve: --max-sessions must be 1 or more")
    if args.demo and args.config is not None:
        return _say("agent-desktop: serve: --demo writes its own configuration: leave out --config")
    if importlib.util.find_spec("textual_serve") is None:
        return _say(serve.SERVE_MISSING)
    if args.demo and not mocks_installed():
        return _say(MOCKS_MISSING["serve --demo"])
    if args.demo:
        return _serve_demo(args, desk)
    try:  # checked once here, so a bad configuration is one line now, not a failure in every browser session
        _load(args.config, supervisor=args.supervisor, **_log_overrides(args))
    except ConfigError as error:
        return _say(f"agent-desktop: config: {error}")
    command = serve.session_command(desk, args.config, args.log_file, args.log_level)
    serve.serve(
        command,
        desk=desk,
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        max_sessions=args.max_sessions,
    )
    return 0


def _serve_demo(args: argparse.Namespace, desk: str) -> int:
    from agent_desktop.app import serve
    from agent_desktop.app.config import ConfigError
    from agent_desktop.app.demo import demo_servers
    from agent_desktop.local.paths import write_private

    print("Starting the mock CCaaS, CRM and presence servers…", file=sys.stderr)
    try:
        with demo_servers() as servers:
            config = servers.log_path.parent / "serve.toml"  # the demo's tokens: in its private folder
            write_private(config, serve.settings_toml(servers.settings()).encode())
            try:  # a bad --log-level is one line now, not a failure in every browser session
                _load(config, supervisor=args.supervisor, **_log_overrides(args))
            except ConfigError as error:
                return _say(f"agent-desktop: config: {error}")
            command = serve.session_command(desk, config, args.log_file, args.log_level)
            serve.serve(
                command,
                desk=desk,
                host=args.host,
                port=args.port,
                public_url=args.public_url,
                max_sessions=args.max_sessions,
            )
    except RuntimeError as error:
        print(f"agent-desktop: serve: {error}", file=sys.stderr)
        return 1
    return 0


def _say(line: str) -> int:
    """A refusal of the command line: one line, exit code 2."""
    print(line, file=sys.stderr)
    return 2


def mocks_installed() -> bool:
    """Whether the mock servers' packages are installed (found, not imported: the desk's start stays light)."""
    return _installed(MOCK_PACKAGES)


def _installed(packages: tuple[str, ...]) -> bool:
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in packages)


def _load(config: Path | None, *, supervisor: bool = False, **overrides: object) -> Settings:
    """The settings, or ConfigError: bad values, and DESKTOP_* names that mean nothing (a typo such as
    DESKTOP_CCAAS__BASEURL would otherwise leave the default in place, or fail on a nested section)."""
    from agent_desktop.app.config import (
        ConfigError,
        load_settings,
        unknown_environment_variables,
        unknown_variables_message,
    )

    unknown = unknown_environment_variables(os.environ)
    if unknown:
        raise ConfigError(unknown_variables_message(unknown))
    settings = load_settings(config, **overrides)
    from agent_desktop.app.backend_factory import check_kinds

    check_kinds(settings, supervisor=supervisor)  # a kind no package installed: one line naming those that are
    from agent_desktop.ui.keymap import keymap_problem

    problem = keymap_problem(settings.keymap)  # an unknown id, a key that is not one, two commands on one key
    if problem is not None:
        raise ConfigError(problem)
    from agent_desktop.ui.themes import theme_problem

    if (problem := theme_problem(settings.theme)) is not None:
        raise ConfigError(problem)
    return settings


def _supervisor(args: argparse.Namespace) -> int:
    from agent_desktop.app.config import ConfigError

    try:
        settings = _load(args.config, supervisor=True, **_log_overrides(args))
        if args.token:
            settings = settings.model_copy(
                update={"supervisor": settings.supervisor.model_copy(update={"token": args.token})}
            )
        refusal = _supervisor_refusal(settings)  # builds the console: a plug-in's bad section is a ConfigError
    except ConfigError as error:
        print(f"agent-desktop: config: {error}", file=sys.stderr)
        return 2
    if refusal is not None:
        print(f"agent-desktop: supervisor: {refusal}", file=sys.stderr)
        return 2
    return _open_desktop(settings, desks=("supervisor",))


def _supervisor_refusal(settings: Settings) -> str | None:
    """Why the contact center refuses this token supervisor mode (401/403), or None.

    An unreachable server is not a refusal: the screen opens and shows the link reconnecting.
    """
    import asyncio

    from agent_desktop.app.backend_factory import build_supervisor
    from agent_desktop.domain.errors import BackendError

    async def check() -> str | None:
        console = build_supervisor(settings)
        try:
            await console.check_access()  # (part of the supervisor protocol)
        except BackendError as error:
            if error.status in (401, 403):
                return (
                    f"the contact center refused this token ({error.message}); supervisor.token must be a supervisor's"
                )
        finally:
            await console.aclose()
        return None

    return asyncio.run(check())


def _run(args: argparse.Namespace) -> int:
    from agent_desktop.app.config import ConfigError

    overrides = ({"agent_id": args.agent_id} if args.agent_id else {}) | _log_overrides(args)
    try:
        settings = _load(args.config, **overrides)
        access_check = _agent_access_check(settings)
    except ConfigError as error:
        print(f"agent-desktop: config: {error}", file=sys.stderr)
        return 2
    # The access check (a round trip to each backend) runs in a thread while the desk's modules are imported;
    # the desk opens only once it has passed, with the agent's state it read.
    return _open_desktop(settings, access=_in_thread(access_check))


def _in_thread(function: Callable[..., T], *args: object) -> Future[T]:
    """`function(*args)` started in a thread of its own; a future of its result (or of what it raised)."""
    import threading
    from concurrent.futures import Future

    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(function(*args))
        except BaseException as error:  # noqa: BLE001 - handed to whoever waits on the future
            future.set_exception(error)

    threading.Thread(target=run, name="access-check", daemon=True).start()
    return future


class Access(NamedTuple):
    """What the access check found: why a backend refuses this configuration (or None), and the agent as the
    contact center answered it (None if its backend has no such answer), the desk's first state."""

    refusal: str | None
    agent: Any = None


def _refused(access: Access) -> int | None:
    """Exit code 2 with the access check's one line if a backend refused, else None."""
    if access.refusal is not None:
        print(f"agent-desktop: {access.refusal}", file=sys.stderr)
        return 2
    return None


def _agent_access_check(settings: Settings) -> Any:
    """The access check of the agent's backends, to run: it returns an `Access`, why a backend refuses this
    configuration (a token, the agent id), naming the key, or None, with the agent if the contact center's check
    read them. The backends are built now, so a plug-in's bad section is a ConfigError here, before anything runs.

    A backend that cannot be reached (refused, timed out) is not a refusal: retrying can help, so the
    desktop opens and its status line says what failed and where while it reconnects.
    """
    import asyncio

    from agent_desktop.app.backend_factory import build_contact_center, build_crm, build_presence
    from agent_desktop.app.config import XmppPresenceConfig
    from agent_desktop.domain.errors import BackendError

    backends = [("ccaas", "contact center", build_contact_center(settings)), ("crm", "CRM", build_crm(settings))]
    if not isinstance(settings.presence, XmppPresenceConfig):  # XMPP says a refused login in its status
        backends.append(("presence", "presence service", build_presence(settings)))

    from agent_desktop.domain.models import Agent

    read: list[Agent] = []

    async def check(key: str, what: str, backend: Any) -> str | None:
        check_access = getattr(backend, "check_access", None)  # a plug-in may have no such check
        try:
            if check_access is not None:
                answer = await check_access()
                if key == "ccaas" and isinstance(answer, Agent):
                    read.append(answer)
        except BackendError as error:
            where = f"the {what} at {getattr(backend, 'base_url', '?')}"
            if error.status == 401:
                return f"{key}.token: {where} refused the token (401)"
            if key == "ccaas" and error.status == 403:
                return f"agent_id: {where} refused this token for {settings.agent_id} ({error.message})"
            if key == "ccaas" and error.status == 404:
                return f"agent_id: {where} has no agent {settings.agent_id} (404)"
            if error.status == 403:
                return f"{key}.token: {where} refused the token ({error.message})"
        finally:
            await backend.aclose()
        return None

    async def check_all() -> Access:
        refusals = await asyncio.gather(*(check(*backend) for backend in backends))
        refusal = next((refusal for refusal in refusals if refusal is not None), None)
        return Access(refusal, read[0] if read and refusal is None else None)

    return lambda: asyncio.run(check_all())


def _demo(args: argparse.Namespace) -> int:
    from agent_desktop.app.demo import demo_servers
    from agent_desktop.local.paths import LocalPathError, private_folder

    if args.speed <= 0 or args.offer_timeout <= 0:
        print("agent-desktop: demo: --speed and --offer-timeout must be positive", file=sys.stderr)
        return 2
    if not (1 <= args.agents <= 5000 and 1 <= args.queues <= 1000):
        print("agent-desktop: demo: --agents must be 1 to 5000 and --queues 1 to 1000", file=sys.stderr)
        return 2
    log_overrides = _log_overrides(args)
    if "log_level" in log_overrides:
        from agent_desktop.app.config import LOG_LEVELS

        level = str(log_overrides["log_level"]).upper()
        if level not in LOG_LEVELS:
            print(
                f"agent-desktop: config: log_level: --log-level must be one of {', '.join(LOG_LEVELS)}", file=sys.stderr
            )
            return 2
        log_overrides["log_level"] = level
    from agent_desktop.ui.themes import theme_problem

    if (problem := theme_problem(log_overrides.get("theme") or os.environ.get("DESKTOP_THEME"))) is not None:
        print(f"agent-desktop: config: {problem}", file=sys.stderr)
        return 2
    if args.data_dir is not None:
        try:
            private_folder(args.data_dir)  # the desk's outbox and log go there too: the local paths' rule
        except LocalPathError as error:
            print(f"agent-desktop: demo: --data-dir: {error}", file=sys.stderr)
            return 2
    twilio = args.ccaas == "twilio"
    desks: tuple[str, ...] = ("supervisor", "agent") if args.supervisor else ("agent", "supervisor")
    if twilio:
        from agent_desktop.app.backend_factory import SUPERVISOR_GROUP, installed_kinds

        if "twilio" not in installed_kinds(SUPERVISOR_GROUP):  # no supervisor console on Twilio installed
            if args.supervisor:
                print("agent-desktop: demo: --ccaas twilio has no supervisor console installed", file=sys.stderr)
                return 2
            desks = ("agent",)
    print(
        "Starting the mock CCaaS, CRM and presence servers"
        + (", the Twilio-shaped mock and the Twilio event relay" if twilio else "")
        + "…",
        file=sys.stderr,
    )
    try:
        with demo_servers(
            seed=args.seed,
            speed=args.speed,
            offer_timeout_s=args.offer_timeout,
            data_dir=args.data_dir,
            agents=args.agents,
            queues=args.queues,
            zendesk=args.crm == "zendesk",
            twilio=twilio,
            announce_monitoring=args.announce_monitoring,
        ) as servers:
            return _open_desktop(servers.settings().model_copy(update=log_overrides), desks=desks)
    except RuntimeError as error:
        print(f"agent-desktop: demo: {error}", file=sys.stderr)
        return 1


def _open_desktop(settings: Settings, desks: tuple[str, ...] = ("agent",), access: Any = None) -> int:
    """The desk on `settings`; with `access` (a future of the access check), once that check has passed."""
    from agent_desktop.app.backend_factory import build_backends
    from agent_desktop.app.config import ConfigError
    from agent_desktop.app.runtime import DeskRuntime
    from agent_desktop.outbox.store import OutboxUnavailable
    from agent_desktop.ui.app import AgentDesktopApp
    from agent_desktop.ui.desktop_notifier import NoticeSettings
    from agent_desktop.ui.themes import chosen_theme
    from agent_desktop.writing_aids.quick_responses import QuickResponsesError

    checked = access.result() if access is not None else Access(None)
    if (code := _refused(checked)) is not None:
        return code
    try:
        backends = build_backends(settings, supervisor="supervisor" in desks)
    except ConfigError as error:
        print(f"agent-desktop: config: {error}", file=sys.stderr)
        return 2
    except OutboxUnavailable as error:
        print(f"agent-desktop: config: outbox_path: {error}", file=sys.stderr)
        return 2
    except QuickResponsesError as error:
        print(f"agent-desktop: config: quick_responses_path: {error}", file=sys.stderr)
        return 2
    from agent_desktop.app.info import log_file
    from agent_desktop.local.desk_log import start_desk_log
    from agent_desktop.ui import terminal_loss

    log = log_file(settings)
    try:
        start_desk_log(log.parent, name=log.name, level=settings.log_level)
    except OSError as error:  # the log's folder or file: a link, someone else's, or not writable
        print(f"agent-desktop: config: log_file: {error}", file=sys.stderr)
        return 2
    import logging

    from agent_desktop.app.info import backend_line, package_version
    from agent_desktop.domain.phone_format import set_region

    set_region(settings.desk.phone_region)

    logging.getLogger("agent_desktop.app").info(
        "agent-desktop %s started (%s) for %s: contact center %s; CRM %s; presence %s",
        package_version(),
        " and ".join(desks),
        settings.agent_id,
        backend_line(settings.ccaas),
        backend_line(settings.crm),
        backend_line(settings.presence),
    )

    runtime = DeskRuntime.from_settings(settings, backends, desks=desks, agent=checked.agent)  # type: ignore[arg-type]
    app = AgentDesktopApp(
        runtime,
        driver_class=terminal_loss.driver_class(),  # a terminal that goes away ends the desk, SIGHUP or not
        status_clock_s=settings.status_clock_s,
        keymap=settings.keymap,
        notifications=NoticeSettings(**settings.notifications.model_dump()),
        theme=chosen_theme(settings.theme, os.environ),
        reader=settings.reader,
    )
    terminal_loss.install()  # and its writes that fail are dropped, not left to block the desk
    app.run(mouse=settings.mouse)
    return app.return_code or 0

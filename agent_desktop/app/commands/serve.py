"""`agent-desktop serve`: the agent's desk (or the supervisor's wallboard) served to a browser, on the configured
backends or on the demo's mock servers."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from agent_desktop.app import demo
from agent_desktop.app import serve as served
from agent_desktop.app.cli import MOCKS_MISSING, mocks_installed
from agent_desktop.app.commands import load, log_overrides, say
from agent_desktop.app.config import ConfigError
from agent_desktop.local.paths import write_private


def serve(args: argparse.Namespace) -> int:
    desk = "supervisor" if args.supervisor else "run"
    if not 1 <= args.port <= 65535:
        return say("agent-desktop: serve: --port must be 1 to 65535")
    if args.public_url is not None and (problem := served.public_url_problem(args.public_url)):
        return say(f"agent-desktop: serve: {problem}")
    if problem := served.host_problem(args.host, args.public_url):
        return say(f"agent-desktop: serve: {problem}")
    if args.max_sessions < 1:
        return say("agent-desktop: serve: --max-sessions must be 1 or more")
    if args.demo and args.config is not None:
        return say("agent-desktop: serve: --demo writes its own configuration: leave out --config")
    if importlib.util.find_spec("textual_serve") is None:
        return say(served.SERVE_MISSING)
    if args.demo and not mocks_installed():
        return say(MOCKS_MISSING["serve --demo"])
    if args.demo:
        return serve_demo(args, desk)
    return serve_sessions(args, desk, args.config)


def serve_sessions(args: argparse.Namespace, desk: str, config: Path | None) -> int:
    """Each browser's session runs the desk with `config`: checked once here, so that a bad configuration (or a bad
    --log-level) is one line now, not a failure in every browser session."""
    try:
        load(config, supervisor=args.supervisor, **log_overrides(args))
    except ConfigError as error:
        return say(f"agent-desktop: config: {error}")
    command = served.session_command(desk, config, args.log_file, args.log_level)
    served.serve(
        command,
        desk=desk,
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        max_sessions=args.max_sessions,
    )
    return 0


def serve_demo(args: argparse.Namespace, desk: str) -> int:
    print("Starting the mock CCaaS, CRM and presence servers…", file=sys.stderr)
    try:
        with demo.demo_servers() as servers:
            config = servers.log_path.parent / "serve.toml"  # the demo's tokens: in its private folder
            write_private(config, served.settings_toml(servers.settings()).encode())
            return serve_sessions(args, desk, config)
    except RuntimeError as error:
        print(f"agent-desktop: serve: {error}", file=sys.stderr)
        return 1
    return 0

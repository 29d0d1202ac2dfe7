"""`agent-desktop serve`: the agent's desk or the supervisor's wallboard in a browser, through textual-serve.

Each browser session gets a process of its own running the same `agent-desktop` command line as a terminal would
(`run` or `supervisor`, with the same `--config` and environment: the same credentials). Secrets stay in the
configuration file and the environment: the command line, the page's title and its URL name none.
"""

from __future__ import annotations

import ipaddress
import json
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from agent_desktop.app.config import Settings

SERVE_MISSING = "agent-desktop: serve needs textual-serve: pip install 'agent-desktop[serve]'"
TITLES = {"run": "Agent desktop", "supervisor": "Supervisor wallboard"}
# Browser sessions at once (each a desk process, logged in): a tab, and its reload while the old desk signs out.
MAX_SESSIONS = 2


def session_command(desk: str, config: Path | None, log_file: Path | None = None, log_level: str | None = None) -> str:
    """The shell command textual-serve runs for each browser session: this interpreter's `agent-desktop`."""
    argv = [sys.executable, "-m", "agent_desktop", desk]
    if config is not None:
        argv += ["--config", str(config.resolve())]
    if log_file is not None:
        argv += ["--log-file", str(log_file.resolve())]
    if log_level is not None:
        argv += ["--log-level", log_level]
    return shlex.join(argv)


def settings_toml(settings: Settings) -> str:
    """The settings that differ from the defaults as a TOML file (`serve --demo`: the demo's URLs and tokens for
    its sessions, in a private file rather than on a command line). Top-level values and one level of tables."""

    def value(item: Any) -> str:
        if isinstance(item, dict):
            raise ValueError("nested tables are not written")
        # A JSON string, number, boolean or list is the same TOML value, but for what TOML escapes otherwise:
        # a character past U+FFFF (JSON's surrogate pair) and DEL.
        return json.dumps(item, ensure_ascii=False).replace("\x7f", "\\u007f")

    dumped = settings.model_dump(mode="json", exclude_defaults=True)
    lines = [f"{key} = {value(item)}" for key, item in dumped.items() if not isinstance(item, dict)]
    for key, table in dumped.items():
        if isinstance(table, dict):
            lines += ["", f"[{key}]", *(f"{name} = {value(item)}" for name, item in table.items())]
    return "\n".join(lines) + "\n"


LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def allowed_origins(host: str, port: int, public_url: str | None = None) -> frozenset[str]:
    """The pages that may open a desk's websocket: this server's own (at `public_url` behind a proxy), by the names
    loopback goes by where it listens there. textual-serve checks no Origin, and a browser lets any site open a
    websocket to 127.0.0.1: a page the agent visits could otherwise start a desk, logged in, and type into it."""
    if public_url is not None:
        parts = urlsplit(public_url)
        return frozenset({f"{parts.scheme}://{parts.netloc}"})
    names = ("127.0.0.1", "localhost", "[::1]") if host in LOOPBACK else (f"[{host}]" if ":" in host else host,)
    return frozenset(f"http://{name}:{port}" for name in names)


def public_url_problem(public_url: str) -> str | None:
    """Why `--public-url` is not an address a browser opens the desk at (None if it is)."""
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return "--public-url must be an http:// or https:// address, e.g. https://wallboard.example"
    return None


def listens_everywhere(host: str) -> bool:
    """Whether `host` is a wildcard address (0.0.0.0, ::): no one address a browser opens the desk at."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:  # a name
        return False


def host_problem(host: str, public_url: str | None) -> str | None:
    """Why the desk cannot be served on `host` as asked (None if it can). On a wildcard address textual-serve's page
    would send browsers to `http://0.0.0.0:PORT` and the desk would know no origin to let in: every browser got 403."""
    if listens_everywhere(host) and public_url is None:
        return (
            f"--host {host} listens on every address: say the one browsers open with --public-url, "
            "e.g. --public-url http://desk.example:8000"
        )
    return None


def serve(
    command: str,
    *,
    desk: str,
    host: str,
    port: int,
    public_url: str | None = None,
    max_sessions: int = MAX_SESSIONS,
) -> None:
    """Serve `command` on host:port until interrupted (ctrl+c); the page names `public_url` behind a proxy."""
    from agent_desktop.app.desk_server import DeskServer

    public = public_url.rstrip("/") if public_url else None
    DeskServer(
        command,
        title=TITLES[desk],
        host=host,
        port=port,
        public_url=public,
        origins=allowed_origins(host, port, public_url),
        max_sessions=max_sessions,
    ).serve()

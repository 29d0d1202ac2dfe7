"""The `agent-desktop` subcommands, one module each (`agent_desktop/app/cli.py` names them in its command table and
imports only the one that runs), and what they share: the settings they run on (the file and DESKTOP_* checked, the
command line's options over them), how the log and a backend are named (in the desk's log and by `info`), and a
refusal's one line. Shared here rather than in a module of its own: this package loads with `agent-desktop run`
anyway, and the start is counted in modules (tests/contract/start_up/test_import_budget.py)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, NamedTuple

from agent_desktop.adapters.wire.url_path import public_url
from agent_desktop.app.backend_factory import check_kinds
from agent_desktop.app.config import (
    ConfigError,
    RemoteConfig,
    Settings,
    XmppPresenceConfig,
    load_settings,
    unknown_environment_variables,
    unknown_variables_message,
)
from agent_desktop.local.places import default_log_file
from agent_desktop.ui.keymap import keymap_problem
from agent_desktop.ui.themes import theme_problem


class Access(NamedTuple):
    """What the access check found (`run`): why a backend refuses this configuration (or None), and the agent as the
    contact center answered it (None if its backend has no such answer), the desk's first state."""

    refusal: str | None
    agent: Any = None


def say(line: str) -> int:
    """A refusal of the command line: one line, exit code 2."""
    print(line, file=sys.stderr)
    return 2


def log_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """`--log-file`, `--log-level`, `--theme` and `--no-mouse` as settings (over the file and DESKTOP_*), where
    given."""
    given = {"log_file": args.log_file, "log_level": args.log_level, "theme": getattr(args, "theme", None)}
    if getattr(args, "no_mouse", False):
        given["mouse"] = False
    if getattr(args, "reader", False):
        given["reader"] = True
    if getattr(args, "no_remote", False):  # a model, not a dict: the demo copies its settings without validating
        given["remote"] = RemoteConfig(enabled=False)
    return {key: value for key, value in given.items() if value is not None}


def load(config: Path | None, *, supervisor: bool = False, **overrides: object) -> Settings:
    """The settings, or ConfigError: bad values, and DESKTOP_* names that mean nothing (a typo such as
    DESKTOP_CCAAS__BASEURL would otherwise leave the default in place, or fail on a nested section)."""
    unknown = unknown_environment_variables(os.environ)
    if unknown:
        raise ConfigError(unknown_variables_message(unknown))
    settings = load_settings(config, **overrides)
    check_kinds(settings, supervisor=supervisor)  # a kind no package installed: one line naming those that are
    problem = keymap_problem(settings.keymap)  # an unknown id, a key that is not one, two commands on one key
    if problem is not None:
        raise ConfigError(problem)
    if (problem := theme_problem(settings.theme)) is not None:
        raise ConfigError(problem)
    return settings


def log_file(settings: Settings) -> Path:
    """Where the desk logs: `log_file`, else desk.log in the user log folder."""
    return settings.log_file or default_log_file()


def backend_line(section: Any) -> str:
    """A backend section as `kind  where`: its URLs (any key ending in `url`), or an XMPP account and server."""
    kind = getattr(section, "kind", "http")
    if isinstance(section, XmppPresenceConfig):
        return f"{kind}  {section.jid} on {section.server_host}:{section.port}"
    keys = {**dict(section), **(section.model_extra or {})}
    urls = [public_url(value) for key, value in keys.items() if key.endswith("url") and value]
    return "  ".join([kind, *urls])

"""`agent-desktop info`: what a support desk asks first, printed without opening anything: the version, where
each file lives and the backends configured (kinds and addresses, never a token, password or URL credential)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agent_desktop.adapters.wire.url_path import public_url
from agent_desktop.agent_desk.drafts.conversation_drafts import conversation_drafts_path_beside
from agent_desktop.agent_desk.drafts.drafts import drafts_path_beside
from agent_desktop.app.cli import package_version
from agent_desktop.app.commands import backend_line, load, log_file, log_overrides
from agent_desktop.app.config import ConfigError, Settings, default_config_path
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.local.paths import LocalPathError
from agent_desktop.local.places import config_folder, data_folder, log_folder
from agent_desktop.outbox.store import default_outbox_path
from agent_desktop.services import assist_ledger_beside


def info(args: argparse.Namespace) -> int:
    try:
        settings = load(args.config, **log_overrides(args))
    except ConfigError as error:
        print(f"agent-desktop: config: {error}", file=sys.stderr)
        return 2
    print("\n".join(info_lines(settings, args.config or default_config_path())))
    return 0


def assist_line(settings: Settings) -> str:
    """The assistant's model: off, or its kind, model and address, and whether a key is set (never the key)."""
    assist = settings.assist
    if not assist.configured:
        return "off  ([assist] base_url and model: docs/assist.md)"
    key = "a key set" if assist.api_key is not None else "no key"
    return (
        f"{assist.kind}  {assist.model} at {public_url(assist.base_url)}  ({key}; "
        f"{assist.daily_token_limit:,} tokens a day)"
    )


def softphone_line(settings: Settings) -> str:
    """The softphone: none (and how to get sound), one already running, or the one the desk starts and where."""
    softphone = settings.softphone
    if softphone is None:
        return (
            'none: calls have no sound here  ([softphone] start = true, or control = "127.0.0.1:PORT": docs/voice.md)'
        )
    if softphone.start:
        where = f"SIP on 127.0.0.1:{softphone.sip_port}" if softphone.sip_port else "SIP on a free 127.0.0.1 port"
        rings = f"; rings on {softphone.ringer}" if softphone.ringer else ""
        return f"{softphone.kind}, started by the desk in {softphone.folder}  ({where}{rings})"
    return f"{softphone.kind} at {softphone.control}  (already running)"


def tokens_today_line(settings: Settings, outbox: Path) -> str:
    """The assistant's tokens spent today on this desk (kept beside the outbox), against its daily limit."""
    limit = settings.assist.daily_token_limit
    try:
        spent = TokenLedger.kept_in(assist_ledger_beside(outbox), limit).spent_today
    except LocalPathError as error:
        return f"unreadable ({error})"
    return f"{spent:,} of {limit:,} today"


def info_lines(settings: Settings, config_file: Path) -> list[str]:
    outbox = settings.outbox_path or default_outbox_path()
    found = "" if config_file.exists() else "  (none: defaults and DESKTOP_* variables)"
    rows = [
        ("config file", f"{config_file}{found}"),
        ("config folder", str(config_folder())),
        ("data folder", str(data_folder())),
        ("outbox", str(outbox)),
        ("drafts", f"{drafts_path_beside(outbox)}, {conversation_drafts_path_beside(outbox)}"),
        ("log folder", str(log_folder())),
        ("log file", f"{log_file(settings)}  (level {settings.log_level})"),
        ("agent", settings.agent_id),
        ("ccaas", backend_line(settings.ccaas)),
        ("crm", backend_line(settings.crm)),
        ("presence", backend_line(settings.presence)),
        ("assist", assist_line(settings)),
        ("softphone", softphone_line(settings)),
        *([("assist tokens", tokens_today_line(settings, outbox))] if settings.assist.configured else []),
    ]
    return [f"agent-desktop {package_version()}", *(f"{name:<14}{value}" for name, value in rows)]

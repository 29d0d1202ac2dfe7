"""`agent-desktop info`: what a support desk asks first, printed without opening anything: the version, where
each file lives and the backends configured (kinds and addresses, never a token, password or URL credential)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from agent_desktop.agent_desk.drafts.conversation_drafts import conversation_drafts_path_beside
from agent_desktop.agent_desk.drafts.drafts import drafts_path_beside
from agent_desktop.app.config import XmppPresenceConfig
from agent_desktop.local.paths import LocalPathError
from agent_desktop.local.places import config_folder, data_folder, default_log_file, log_folder
from agent_desktop.outbox.store import default_outbox_path
from agent_desktop.services import assist_ledger_beside

if TYPE_CHECKING:
    from agent_desktop.app.config import Settings

DISTRIBUTION = "agent-desktop"


def package_version() -> str:
    """The installed distribution's version (a tree run without installing says so)."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown (not installed)"


def log_file(settings: Settings) -> Path:
    """Where the desk logs: `log_file`, else desk.log in the user log folder."""
    return settings.log_file or default_log_file()


def public_url(url: object) -> str:
    """`url` without what may be a secret: its user and password, query and fragment (an API key rides there)."""
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def backend_line(section: Any) -> str:
    """A backend section as `kind  where`: its URLs (any key ending in `url`), or an XMPP account and server."""
    kind = getattr(section, "kind", "http")
    if isinstance(section, XmppPresenceConfig):
        return f"{kind}  {section.jid} on {section.server_host}:{section.port}"
    keys = {**dict(section), **(section.model_extra or {})}
    urls = [public_url(value) for key, value in keys.items() if key.endswith("url") and value]
    return "  ".join([kind, *urls])


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


def tokens_today_line(settings: Settings, outbox: Path) -> str:
    """The assistant's tokens spent today on this desk (kept beside the outbox), against its daily limit."""
    from agent_desktop.assist.token_ledger import TokenLedger

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
        *([("assist tokens", tokens_today_line(settings, outbox))] if settings.assist.configured else []),
    ]
    return [f"agent-desktop {package_version()}", *(f"{name:<14}{value}" for name, value in rows)]

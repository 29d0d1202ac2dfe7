"""Where the desk's own files live by default: the XDG folders (platformdirs), each overridable by a setting.

Configuration in the user config folder, the outbox and the drafts beside it in the user data folder, desk.log in
the user log folder (XDG_STATE_HOME), the remote control's socket in the user runtime folder. Only names are decided here: agent_desktop/local/paths.py opens and checks them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from platformdirs import user_config_path, user_data_path, user_log_path

APP_NAME = "agent-desktop"


def config_folder() -> Path:
    return user_config_path(APP_NAME, appauthor=False)


def data_folder() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def log_folder() -> Path:
    return user_log_path(APP_NAME, appauthor=False)


def default_config_file() -> Path:
    return config_folder() / "config.toml"


def default_outbox_file() -> Path:
    return data_folder() / "outbox.db"


def default_log_file() -> Path:
    return log_folder() / "desk.log"


def remote_socket_file() -> Path:
    """The desk's remote-control socket: in XDG_RUNTIME_DIR (the user's, 0700, emptied at log-out), else in a folder
    of this user's under the temporary folder (checked as private before use: agent_desktop/local/paths.py). A Unix
    socket's path must stay under 108 bytes: these do."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(runtime) / APP_NAME if runtime else Path(tempfile.gettempdir()) / f"{APP_NAME}-{os.getuid()}"
    return folder / "desk.sock"

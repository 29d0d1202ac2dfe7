"""Where the desk's own files live by default: the XDG folders (platformdirs), each overridable by a setting.

Configuration in the user config folder, the outbox and the drafts beside it in the user data folder, desk.log in
the user log folder (XDG_STATE_HOME). Only names are decided here: agent_desktop/local/paths.py opens and checks them.
"""

from __future__ import annotations

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

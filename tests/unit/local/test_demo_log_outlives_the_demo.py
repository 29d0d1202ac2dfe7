"""The demo's crash message names desk.log: that file must still be there after the demo ends. The demo's folder (its
outbox, the mocks' data) is a temporary one removed at exit, so the desk's log is kept in the user's log folder
(the message pointed at a folder already deleted)."""

from __future__ import annotations

from pathlib import Path

from agent_desktop.app.demo import demo_settings
from agent_desktop.local.places import log_folder


def test_the_demos_desk_log_is_outside_the_demos_folder(tmp_path: Path) -> None:
    folder = tmp_path / "agent-desktop-demo-x"  # the demo's own folder, removed at its end
    settings = demo_settings("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3", folder / "outbox.db")
    assert settings.log_file is not None
    assert folder not in Path(settings.log_file).parents
    assert Path(settings.log_file).parent == log_folder()

"""The start-up floor: a bare Textual app that shows "Offline" in one Static, started the way the desktop is
(a Python process in a new tmux terminal), so `desktop_start_to_interactive` has a reference with nothing of
ours in it, measured in the same run."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("Offline")


if __name__ == "__main__":
    Bare().run()

"""A real desk process whose whole clock is ten minutes ahead of the contact center's, or ten minutes behind
(libfaketime, Debian's `faketime` package, preloaded into the desk alone with `FAKETIME`: every wall-clock read of the
process is shifted, Python's, SQLite's and the libraries' alike; the monotonic clock is left alone, as a machine whose
clock is simply wrong keeps it), in a real terminal (tmux). The servers run in this process on the true clock.

An offer shows the time it really has left (ten minutes ahead it said "0 s left" for the whole of a live offer; ten
minutes behind the bar ran past its end), and so does the wrap-up's time box (ahead "Wrap-up 0:00", behind "11:00"
for a one-minute box): agent_desktop/agent_desk/offer_deadline.py and wrap_up_deadline.py. The status line's time in
state and the contacts list's time on the contact read the contact center's clock as its answers' `Date` headers tell
it (agent_desktop/domain/center_clock.py): ahead, both said "10:00" for a call just taken. The same on a shifted clock
inside one process: tests/ui/offers/test_offer_countdown_on_a_skewed_clock.py; a clock that jumps: test_clock_jumps.py.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from agent_desktop.ui.agent.offers.offer_card import BAR_WIDTH
from tests.conftest import Servers
from tests.e2e.attention.test_first_day_keys_in_tmux import available, place
from tests.e2e.terminal.test_quit_on_signal import desktop_config
from tests.support.desktop_command import desktop_environment
from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal

LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
OFFER_TIMEOUT_S = 20  # tests/conftest.py's small_settings
BILLING_ACW_S = 60  # the mock floor's billing queue: a voice wrap-up closes a minute after the call ends

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(
        not LIBFAKETIME.exists(), reason="libfaketime not installed (scripts/ensure-system-packages.sh)"
    ),
]


def screen_with(term: TmuxTerminal, pattern: str, timeout_s: float = 20.0) -> str:
    """The screen once `pattern` is on it (each part of the desk draws in its own turn)."""
    deadline = time.monotonic() + timeout_s
    while not re.search(pattern, screen := term.text()):
        assert time.monotonic() < deadline, f"{pattern!r} not on screen after {timeout_s} s:\n{screen}"
        time.sleep(0.05)
    return screen


def offer_bar(screen: str) -> tuple[int, int]:
    """The offer's countdown: the bar's length in cells and the seconds it says are left."""
    found = re.search(r"([█░]+) +(\d+) s left", screen)
    assert found, f"no countdown on screen:\n{screen}"
    return len(found.group(1)), int(found.group(2))


def wrap_up_left(screen: str) -> int:
    found = re.search(r"Wrap-up (\d+):(\d\d)", screen)
    assert found, f"no wrap-up in the contacts list:\n{screen}"
    return int(found.group(1)) * 60 + int(found.group(2))


@pytest.mark.parametrize("shift", ["+10m", "-10m"], ids=["ahead", "behind"])
def test_a_desk_whose_clock_is_ten_minutes_off_shows_the_real_time_left(
    tmp_path: Path, servers: Servers, shift: str
) -> None:
    # FAKETIME_FORCE_MONOTONIC_FIX=0: the fix libfaketime turns on by itself for this glibc made the GIL's timed waits
    # wake early or late (test_clock_jumps.py says more); the monotonic clock is not faked at all here.
    command = [
        "env",
        f"LD_PRELOAD={LIBFAKETIME}",
        f"FAKETIME={shift}",
        "FAKETIME_DONT_FAKE_MONOTONIC=1",
        "FAKETIME_FORCE_MONOTONIC_FIX=0",
        AGENT_DESKTOP,
        "run",
        "--config",
        str(desktop_config(tmp_path, servers)),
    ]
    with TmuxTerminal(command, env=desktop_environment(tmp_path)) as term:
        try:
            available(term)
            place(servers, "voice", "+14155550100")
            screen = screen_with(term, r"\d+ s left")
            width, left = offer_bar(screen)
            assert width == BAR_WIDTH, f"the bar is its own width, not past it:\n{screen}"
            assert OFFER_TIMEOUT_S / 2 <= left <= OFFER_TIMEOUT_S, f"the offer's real time left:\n{screen}"
            term.send("a")
            # Each part draws in its own turn: the status line's "Busy" may come a frame after the list's row.
            screen = screen_with(term, r"Busy\s+\d\d:\d\d(.*\n)+.*Connected\s+\d\d:\d\d")
            # Timed on the contact center's clock as its answers' `Date` tell it: the call was just taken.
            assert re.search(r"Busy\s+00:0\d", screen), f"time in state, not ten minutes:\n{screen}"
            assert re.search(r"Connected\s+00:0\d", screen), f"time on the contact, not ten minutes:\n{screen}"
            term.send("e")
            screen = screen_with(term, r"Wrap-up \d+:\d\d.*\n(.*\n)*.*After-contact work \d\d:\d\d left")
            left = wrap_up_left(screen)
            assert BILLING_ACW_S / 2 <= left <= BILLING_ACW_S, f"the time box's real time left:\n{screen}"
            assert re.search(r"After-contact work (00:[3-5]\d|01:00) left", screen), screen
        finally:
            # libfaketime keeps a shared-memory segment and a semaphore per process, named by its pid, freed when the
            # process exits normally (closing the terminal hangs it up: it ends cleanly); were it killed instead, they
            # would stay in /dev/shm for good. Unlinked now, they go when the process does.
            pid = term.pane_pid() if term.program_running() else None
            if pid is not None:
                for name in (f"faketime_shm_{pid}", f"sem.faketime_sem_{pid}"):
                    Path("/dev/shm", name).unlink(missing_ok=True)
    assert "Traceback" not in term.text()

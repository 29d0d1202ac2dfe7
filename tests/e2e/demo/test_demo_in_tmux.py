"""`agent-desktop demo` in a real terminal (tmux): offered within 30 s, the flow by keys, nothing left running."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.support.scenes.tmux_terminal import AGENT_DESKTOP, TmuxTerminal, processes_using

pytestmark = pytest.mark.tmux

# The offer's dialog over what the agent has open (its escape line). The demo floor offers the next chat while
# the first is being ended and wrapped up (a chat agent takes several), and it may come over any step.
OFFER_OVER = "back to what was open"
CHOSEN = "a disposition chosen"  # past_offers' name for the select's line showing a choice, not its prompt


def _shown(needle: str, screen: str) -> bool:
    if needle == CHOSEN:
        return any("▼" in line and "Disposition" not in line for line in screen.splitlines())
    return needle in screen


def past_offers(term: TmuxTerminal, *needles: str, timeout_s: float = 20.0, required: bool = True) -> str | None:
    """The first of `needles` on screen once no offer is over it: an offer's dialog that comes meanwhile is put
    aside with escape, as an agent finishing a contact does (the offer stays on the desk's card)."""
    deadline = time.monotonic() + timeout_s
    while True:
        screen = term.text()
        if OFFER_OVER in screen:
            term.send("Escape")  # once: a second one would close what is under it
            while OFFER_OVER in term.text() and time.monotonic() < deadline:
                time.sleep(0.05)
        elif (found := next((needle for needle in needles if _shown(needle, screen)), None)) is not None:
            return found
        if time.monotonic() > deadline:
            if not required:
                return None
            raise AssertionError(f"none of {needles!r} on screen after {timeout_s} s:\n{screen}{term.stacks()}")
        time.sleep(0.05)


def out_of_the_composer(term: TmuxTerminal, timeout_s: float = 20.0) -> None:
    """A chat, SMS or email accepted puts the agent in its composer (the footer then offers "esc Leave"): escape
    takes them back to the contacts list, once no offer's dialog is over it (an escape would close that instead)."""
    deadline = time.monotonic() + timeout_s
    while True:
        past_offers(term, "Connected", "Waits", "Reply ", "Idle", timeout_s=timeout_s)
        time.sleep(0.3)  # the desk's footer drawn again once a dialog that was over it has gone
        screen = term.text()
        if "esc Leave" not in screen.rstrip("\n").splitlines()[-1] and OFFER_OVER not in screen:
            return
        term.send("Escape")
        time.sleep(0.2)
        if time.monotonic() > deadline:
            raise AssertionError(f"still in the composer:\n{term.text()}{term.stacks()}")


def close_the_outbox(term: TmuxTerminal, timeout_s: float = 10.0) -> None:
    """Escape on the outbox view, until it is gone: an offer that comes over it meanwhile (or its miss, said over
    it) would take the escape instead, and is put aside first."""
    deadline = time.monotonic() + timeout_s
    while "CRM outbox" in (screen := term.text()) or OFFER_OVER in screen:  # (an offer over it hides its title)
        if time.monotonic() > deadline:
            raise AssertionError(f"the outbox view did not close:\n{screen}{term.stacks()}")
        if past_offers(term, "CRM outbox", timeout_s=2, required=False):
            term.send("Escape")
        time.sleep(0.3)


def crm_has_the_wrap_up(term: TmuxTerminal, timeout_s: float = 30.0) -> None:
    """The outbox line says "1 sent"; or, where the next offer's card took the screen at once (at 80 columns the
    wrap-up panel that holds that line closes with the wrap-up), the outbox view (o) lists the write as sent."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if past_offers(term, "1 sent", timeout_s=3, required=False):
            return
        term.send("o")
        shown = past_offers(term, "CRM outbox", timeout_s=5, required=False)
        rows = term.text().splitlines()
        if shown:
            close_the_outbox(term)
        if any("sent" in row and "interaction" in row for row in rows):
            return
        time.sleep(0.5)
    raise AssertionError(f"the wrap-up never reached the CRM:\n{term.text()}{term.stacks()}")


def test_demo_flow_by_keyboard_in_a_real_terminal(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo-data"
    with TmuxTerminal([AGENT_DESKTOP, "demo", "--data-dir", str(data_dir)]) as term:
        term.wait_for("Offline", timeout_s=30)
        term.wait_for("Not ready")  # the footer shows the keys that apply (drawn just after the state)
        assert "palette" in term.text()

        term.send("v")
        term.wait_for_any("● Available", "● Offered")  # the simulated floor may offer a contact at once
        # The simulator keeps the floor busy: an offer arrives within 30 s of going Available.
        term.wait_for("s left", timeout_s=30)
        screen = term.text()
        assert "accept" in screen
        assert "reject" in screen

        term.send("a")
        past_offers(term, "Connected")
        out_of_the_composer(term)
        term.send("e")
        # A chat, SMS or email whose customer wrote last asks before it ends (the first offer may be any channel).
        if past_offers(term, "After-contact work", "End while the customer waits?") != "After-contact work":
            term.send("C-e")
            past_offers(term, "After-contact work")  # the selected contact's panel: its wrap-up is open
        # The dispositions menu open, as a user would see it: the offered contact's queue decides which (the demo's
        # first offer may come from any queue, on any channel). An offer that comes as it opens closes it once
        # (the select keeps the focus): enter opens it again.
        second_choices = ("Payment arrangement", "Troubleshooting guided", "Quote sent")
        term.send("w")
        for _ in range(5):
            term.send("Enter")
            if past_offers(term, *second_choices, timeout_s=4, required=False):
                break
        else:
            raise AssertionError(f"no dispositions menu:\n{term.text()}{term.stacks()}")
        term.send("Down", "Enter")
        # As a person would, the list closed on the choice (the select's line shows it, not its prompt) before tab, and the
        # cursor in the notes (the footer's help key is f1 in a text box) before typing: a tab sent while the list
        # was still closing left the focus on the select, and the notes' letters ran the desk's keys (c opened a
        # case, t a transfer: a quiet full run).
        past_offers(term, CHOSEN)
        term.send("Tab")
        past_offers(term, "f1 Help")
        term.type("Walked the caller through it.")
        term.send("C-s")
        past_offers(term, "Wrap-up saved")
        crm_has_the_wrap_up(term)

        term.send("C-q")
        term.wait_exit()
    assert processes_using(data_dir) == "", "quitting the desktop stops the mock servers"

"""Desktop notifications' escape sequences (agent_desktop/ui/notices/notice_sequences.py): each style's bytes, no
control character of the text survives into them (a hostile customer name cannot end the sequence or start
another), card numbers are masked, tmux's passthrough doubles every ESC, and the style guessed from the terminal."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.ui.notices.notice_sequences import (
    BEL,
    ESC,
    ST,
    STYLES,
    Style,
    clean,
    guess_style,
    sequence,
    tmux_passthrough,
)

CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
hostile = st.lists(
    st.text(st.characters(codec="utf-8")) | st.sampled_from(["\x1b", "\x07", "\x9c", "\x1b]9;x\x07", "\x1b\\", ";"])
).map("".join)


def test_each_style() -> None:
    assert sequence("osc9", "Offer", "Ann · Billing") == "\x1b]9;Offer: Ann · Billing\x07"
    assert sequence("osc777", "Offer; now", "Ann; Billing") == "\x1b]777;notify;Offer, now;Ann; Billing\x07"
    assert sequence("osc99", "Offer", "Ann", ident=7) == (
        "\x1b]99;i=7:d=0:p=title;Offer\x1b\\\x1b]99;i=7:d=1:p=body;Ann\x1b\\"
    )
    assert sequence("bell", "Offer", "Ann") == sequence("bell", "Offer", "Ann", tmux=True) == BEL
    assert sequence("off", "Offer", "Ann") == sequence("off", "Offer", "Ann", tmux=True) == ""


def test_in_tmux_the_sequence_goes_through_its_passthrough() -> None:
    assert sequence("osc9", "Offer", "Ann", tmux=True) == "\x1bPtmux;\x1b\x1b]9;Offer: Ann\x07\x1b\\"


@given(title=hostile, body=hostile, style=st.sampled_from(["osc9", "osc777", "osc99"]))
def test_no_control_character_of_the_text_survives(title: str, body: str, style: Style) -> None:
    raw = sequence(style, title, body)
    # Only the sequence's own controls: its ESC ] introducers and its terminators.
    framing = CONTROLS.findall(raw)
    expected = {"osc9": [ESC, BEL], "osc777": [ESC, BEL], "osc99": [ESC, ESC, ESC, ESC]}[style]
    assert framing == expected, raw
    assert not CONTROLS.search(clean(title))
    assert not CONTROLS.search(clean(body))


@given(text=hostile, style=st.sampled_from(["osc9", "osc777", "osc99"]))
def test_tmux_doubles_every_esc(text: str, style: Style) -> None:
    raw = sequence(style, text, text)
    wrapped = sequence(style, text, text, tmux=True)
    assert wrapped == tmux_passthrough(raw)
    assert wrapped.startswith("\x1bPtmux;")
    assert wrapped.endswith(ST)
    inner = wrapped[len("\x1bPtmux;") : -len(ST)]
    assert inner.replace("\x1b\x1b", "").count("\x1b") == 0, "every ESC inside is doubled"
    assert inner.replace("\x1b\x1b", "\x1b") == raw


def test_card_numbers_are_masked_and_the_text_is_one_short_line() -> None:
    said = clean("Card 4111 1111 1111 1111\nplease\tcharge it")
    assert "4111 1111 1111 1111" not in said
    assert "\n" not in said
    assert "\t" not in said
    assert len(clean("x" * 500)) <= 200
    assert len(sequence("osc9", "t" * 300, "")) < 80


def test_the_style_guessed_from_the_terminal() -> None:
    assert guess_style({"TERM_PROGRAM": "iTerm.app"}) == "osc9"
    assert guess_style({"TERM_PROGRAM": "tmux", "LC_TERMINAL": "iTerm2"}) == "osc9"
    assert guess_style({"WT_SESSION": "x", "TERM": "xterm-256color"}) == "osc9"
    assert guess_style({"TERM": "xterm-kitty"}) == guess_style({"KITTY_WINDOW_ID": "1"}) == "osc99"
    assert guess_style({"VTE_VERSION": "7200"}) == guess_style({"TERM": "rxvt-unicode-256color"}) == "osc777"
    assert guess_style({"TERM": "xterm-256color"}) == guess_style({}) == "bell"
    assert set(STYLES) == {"osc9", "osc777", "osc99", "bell", "off"}

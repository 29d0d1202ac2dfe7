"""Card numbers in lines recognised from a call's audio, where the recogniser's mistakes break them up.

The masker (agent_desktop_pci) finds a card number as an unbroken run of digits that passes the Luhn check. A
recogniser hears "four one one one one…" as "four one will you one one…": a word it made up splits the run, and a
digit misheard fails the check, so the number would be shown with only those errors removed — which gives it away
(fifteen of sixteen digits do). In a heard line, digits with at most `BRIDGED_WORDS` other words between them are one
run, going on from the speaker's earlier lines the same way; a run that shows more than ten digits has every one of
its digits in this line hidden (`••••`). Applied after the masker's own rules, to interim and final versions alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent_desktop_pci import MOST_DIGITS_SHOWN, SPLIT_MASK, mask_outgoing, settled_part
from agent_desktop_pci.digit_runs import ascii_digits

BRIDGED_WORDS = 3  # at two, three made-up words in a row split a 13-digit run into 3 + 10 (a fresh seed found it)
_TOKEN = re.compile(r"\S+")


def mask_heard(before: Sequence[str], text: str, *, final: bool) -> str:
    """A version of a line recognised from audio, as it may be published after the speaker's final lines `before`:
    the masker's rules for a live transcript (an interim without the digits it ends in), then `mask_misheard_runs`."""
    return mask_misheard_runs(before, mask_outgoing(before, text if final else settled_part(text)))


def mask_misheard_runs(before: Sequence[str], text: str) -> str:
    """`text` (already masked by the masker's rules) with the digits of any run of more than ten, bridged over up
    to `BRIDGED_WORDS` words and over the speaker's lines `before` it (oldest first), hidden."""
    earlier = [(None, token) for line in before for token in _TOKEN.findall(line)]
    tokens = earlier + [(match, match.group()) for match in _TOKEN.finditer(text)]
    runs: list[tuple[int, list[re.Match[str]]]] = []  # each run's digits, and its tokens in `text`
    digits_in_run, in_text, gap = 0, list[re.Match[str]](), BRIDGED_WORDS + 1
    for match, token in tokens:
        digits = len(ascii_digits(token))
        if digits:
            if gap > BRIDGED_WORDS:
                runs.append((digits_in_run, in_text))
                digits_in_run, in_text = 0, []
            digits_in_run += digits
            gap = 0
            if match is not None:
                in_text.append(match)
        elif SPLIT_MASK not in token:  # a masked part stands for digits: the run goes on through it
            gap += 1
    runs.append((digits_in_run, in_text))
    hidden = sorted(
        (m for shown, matches in runs if shown > MOST_DIGITS_SHOWN for m in matches), key=lambda m: m.start()
    )
    for match in reversed(hidden):
        text = text[: match.start()] + SPLIT_MASK + text[match.end() :]
    return _ONE_MASK.sub(SPLIT_MASK, text) if hidden else text


_ONE_MASK = re.compile(f"{SPLIT_MASK}(?:\\s+{SPLIT_MASK})+")  # the hidden digits of a stretch shown as one mask

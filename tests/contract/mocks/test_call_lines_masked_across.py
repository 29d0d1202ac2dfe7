"""A card number a caller reads out over two lines of a call ("my card is 4111 1111", then "1111 1111 thanks"; the
same in words) is neither published nor kept whole by the mock contact center: its event log and its
stream show no more than ten of its digits across the two lines, wherever the number is cut. On the in-process mock
(its real engine and scheduler), time stepped, the call's script the test's own."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings

from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.ccaas.tables.call_scripts import CallScript, CallScripts
from tests.contract.mocks.test_call_transcription import connected_call, heard
from tests.support.hypothesis_profiles import examples
from tests.support.in_process.mocks import InProcessMocks
from tests.support.pci_cards import gives_away, split_card

CARD = "4111111111111111"


async def said_on_a_call(folder: Path, first: str, second: str) -> tuple[list[str], list[str]]:
    """The caller says the two lines on a call: the final lines the event log keeps, in order, and every text the
    stream carried (interim versions too)."""
    mocks = InProcessMocks(
        MockSettings(data_dir=folder, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    try:
        escaped = [line.replace("{", "{{").replace("}", "}}") for line in (first, second)]
        lines = (("agent", "Could you read me the card number?"), *(("customer", line) for line in escaped))
        mocks.ccaas_app.state.call_speaker.scripts = CallScripts(
            script=(CallScript(intent="payment", queue="billing", subject="Pay my outstanding balance", lines=lines),)
        )
        published = heard(mocks)
        await connected_call(mocks, "payment")
        mocks.time.advance(120)
        rows = mocks.ccaas_app.state.db.execute(
            "select data from events where type = 'transcription' order by id"
        ).fetchall()
        kept = [json.loads(row[0])["line"] for row in rows]
        return [line["text"] for line in kept if line["role"] == "customer"], [d["line"]["text"] for _, d in published]
    finally:
        await mocks.aclose()


def test_a_card_number_read_out_over_two_lines_is_kept_with_no_more_than_ten_of_its_digits(tmp_path: Path) -> None:
    kept, published = asyncio.run(said_on_a_call(tmp_path, "my card is 4111 1111", "1111 1111 thanks"))
    assert kept == ["my card is 4111 1111", "•••• thanks"]
    assert "1111 1111 thanks" not in published


def test_a_card_number_read_out_in_words_over_two_lines_is_not_kept_whole(tmp_path: Path) -> None:
    words = "four one one one one one one one one one one one one one one one".split()
    kept, _ = asyncio.run(
        said_on_a_call(tmp_path, "my card is " + " ".join(words[:6]), " ".join(words[6:]) + " thanks")
    )
    assert not gives_away(CARD, *kept), kept
    assert kept[1] == "•••• thanks"


@settings(max_examples=examples(30))
@given(split_card(parts=2))
def test_wherever_a_card_number_is_cut_between_two_lines_the_event_log_does_not_keep_it(
    card: tuple[str, list[str]],
) -> None:
    digits, (first, second) = card
    with tempfile.TemporaryDirectory() as folder:
        kept, published = asyncio.run(said_on_a_call(Path(folder), first, second))
    assert len(kept) == 2
    assert not gives_away(digits, *kept), kept
    assert not any(gives_away(digits, text) for text in published), published


def test_a_security_code_said_in_words_alone_or_over_two_lines_is_neither_kept_nor_published(
    tmp_path: Path,
) -> None:
    """The event log kept "cvv five five five" against its docs. A code in words on one line, and a
    code's name ending one line with the code opening the next, leave no digit of it in the log or on the stream."""
    kept, published = asyncio.run(said_on_a_call(tmp_path, "the cvv is five five five", "my security code is"))
    assert "five five five" not in " ".join(kept + published), (kept, published)
    (folder := tmp_path / "two").mkdir()
    kept, published = asyncio.run(said_on_a_call(folder, "and my security code is", "seven one two thanks"))
    assert "seven one two" not in " ".join(kept + published), (kept, published)

"""A card number read out over two lines of a call ("my card is 4111 1111", then "1111 1111 thanks"; the same in
words) is not kept whole by the relay's store (agent_desktop_relay/transcription.py, `continued`): read back, the two
lines of the caller's track show no more than ten of its digits, wherever the number is cut, in whichever order
the two callbacks arrive. Each line goes through what the app does with a callback (`transcription_line`, then the
store's `record`)."""

from __future__ import annotations

import asyncio
import itertools
import json
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_relay.store import RelayStore
from agent_desktop_relay.store_sqlite import SqliteStore
from agent_desktop_relay.transcription import transcription_line
from tests.support.hypothesis_profiles import examples
from tests.support.narrowing import present
from tests.support.pci_cards import gives_away, split_card

WORKER, TASK, CALL = "WK" + "1" * 32, "WT" + "5" * 32, "CA" + "4" * 32
TRANSCRIPTION = "GT" + "6" * 32
CARD = "4111 1111 1111 1111"
CARD_WORDS = "four one one one one one one one one one one one one one one one"
_keys = itertools.count()

ACCEPTED = {
    "EventType": "reservation.accepted",
    "WorkerSid": WORKER,
    "TaskSid": TASK,
    "TaskAttributes": json.dumps({"call_sid": CALL}),
}


def content(sequence: int, text: str, *, final: bool = True, track: str = "inbound_track") -> dict[str, str]:
    """Twilio's `transcription-content` callback, as the relay's app takes it."""
    return {
        "CallSid": CALL,
        "TranscriptionSid": TRANSCRIPTION,
        "TranscriptionEvent": "transcription-content",
        "SequenceId": str(sequence),
        "Track": track,
        "Final": "true" if final else "false",
        "TranscriptionData": json.dumps({"transcript": text, "confidence": 0.9}),
    }


async def kept_lines(store: RelayStore, callbacks: list[dict[str, str]]) -> list[tuple[int, str, str]]:
    """The call taken by the worker, then each callback as the app keeps it; the worker's lines read back from the
    store (the call's stream), in the order said: (sequence, role, text)."""
    await store.record(f"k{next(_keys)}", ACCEPTED, int(time.time() * 1000))
    for params in callbacks:
        await store.record(f"k{next(_keys)}", present(transcription_line(params)), int(time.time() * 1000))
    kept = [json.loads(k.data) for k in await store.after(CALL, None) if k.event_type == "transcription"]
    return sorted((int(line["SequenceId"]), line["Role"], line["Text"]) for line in kept)


def read_back(callbacks: list[dict[str, str]]) -> list[str]:
    async def run() -> list[tuple[int, str, str]]:
        store = SqliteStore(":memory:", clock=time.time, synchronous="NORMAL")
        try:
            return await kept_lines(store, callbacks)
        finally:
            await store.aclose()

    return [text for _, _, text in asyncio.run(run())]


def test_a_card_number_read_out_over_two_lines_is_kept_with_no_more_than_ten_of_its_digits() -> None:
    first, second = read_back([content(2, "my card is 4111 1111"), content(3, "1111 1111 thanks")])
    assert first == "my card is 4111 1111"  # kept before the rest was said: eight digits, no card number
    assert second == "•••• thanks"
    assert not gives_away(CARD.replace(" ", ""), first, second)


def test_a_card_number_read_out_in_words_over_two_lines_is_not_kept_whole() -> None:
    half = len(CARD_WORDS) // 2
    said = [CARD_WORDS[:half].rsplit(" ", 1)[0], CARD_WORDS[len(CARD_WORDS[:half].rsplit(" ", 1)[0]) :]]
    kept = read_back([content(2, f"my card is {said[0]}"), content(3, f"{said[1].strip()} thanks")])
    assert not gives_away(CARD.replace(" ", ""), *kept), kept
    assert kept[1] == "•••• thanks"


def test_a_line_still_being_heard_after_the_first_half_shows_none_of_the_second() -> None:
    kept = read_back(
        [
            content(2, "my card is 4111 1111"),
            content(3, "1111 1111 thank", final=False),
            content(4, "thank you", final=True, track="outbound_track"),  # the agent's line between: another track
            content(5, "1111 1111 thanks"),
        ]
    )
    assert kept == ["my card is 4111 1111", "•••• thank", "thank you", "•••• thanks"]


def test_a_number_read_out_four_digits_a_line_shows_no_more_than_ten() -> None:
    kept = read_back([content(2 + n, "4111" if n == 0 else "1111") for n in range(4)])
    assert not gives_away(CARD.replace(" ", ""), *kept), kept
    assert kept[-1] == "••••"


@settings(max_examples=examples(100))
@given(split_card(parts=2), st.booleans(), st.booleans())
def test_wherever_a_card_number_is_cut_between_two_lines_the_store_does_not_keep_it(
    card: tuple[str, list[str]], swapped: bool, first_interim: bool
) -> None:
    """Cut at any digit, in digits or words (any forms, separators), the two lines arriving in order or not, the
    first heard as an interim version too."""
    digits, (first, second) = card
    callbacks = [content(3, first), content(4, second)]
    if swapped:
        callbacks.reverse()  # two callbacks raced, or Twilio retried the first
    if first_interim:
        callbacks.insert(0, content(2, first, final=False))
    kept = read_back(callbacks)
    assert not gives_away(digits, *kept), kept

"""A suggestion as it streams (agent_desktop/assist/suggestion.py), on a stream the test hands piece by piece: its text
grows masked (a card number split across pieces never shows whole, not even its first digits while it may go on),
it ends done, failed or cancelled, counts its tokens per contact and per day, stops at the daily limit, and a model
that stops answering is said once. A runaway answer is cut at the composer's length and the rest is not read; an
answer that stops before its end is kept, said incomplete; a bidi control in an answer never reaches the composer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.assist.prompt import ANSWER_CHARACTERS, Masking, Said, SourcePassage
from agent_desktop.assist.suggestion import Assistant, Suggestion, SuggestionState
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.domain.assist.protocol import (
    AnswerIncomplete,
    AnswerSchema,
    AssistCapabilities,
    ChatMessage,
    NoAssist,
    Usage,
)
from agent_desktop.domain.errors import BackendError
from tests.support.hostile_models import CONTROL
from tests.support.hypothesis_profiles import examples

END = object()


class HandedStream:
    """A model whose answers the test hands over piece by piece (`give`), or a failure (`fail`)."""

    capabilities = AssistCapabilities(model="handed")

    def __init__(self) -> None:
        self.pieces: asyncio.Queue[object] = asyncio.Queue()
        self.asked: list[Sequence[ChatMessage]] = []

    async def reply(
        self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None, schema: AnswerSchema | None = None
    ) -> AsyncIterator[str | Usage]:
        self.asked.append(messages)
        while (piece := await self.pieces.get()) is not END:
            if isinstance(piece, BaseException):
                raise piece
            yield piece  # type: ignore[misc]

    async def aclose(self) -> None:
        return None


class Watched:
    """What the UI would see: every text the suggestion showed, and an event per change to wait on."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.changed = asyncio.Event()

    def __call__(self, suggestion: Suggestion) -> None:
        self.shown.append(suggestion.text)
        self.changed.set()

    async def next(self) -> None:
        await asyncio.wait_for(self.changed.wait(), 5)
        self.changed.clear()


def _assistant(limit: int = 10_000) -> tuple[HandedStream, Assistant, Watched, TokenLedger]:
    model, watched = HandedStream(), Watched()
    ledger = TokenLedger(limit, today=lambda: date(2026, 11, 27))
    return model, Assistant(model, ledger, changed=watched), watched, ledger


SAID = [Said("customer", "Why was I charged a late fee?")]
PASSAGES = [SourcePassage("kb-7", "Late fees", "We waive one late fee a year.")]


async def test_pieces_grow_the_text_then_it_is_done_with_its_sources_and_its_tokens() -> None:
    model, assistant, watched, ledger = _assistant()
    suggestion = assistant.suggest("c-1", SAID, PASSAGES, "Billing")
    assert suggestion.state is SuggestionState.STREAMING
    assert suggestion.text == ""
    await model.pieces.put("We can waive")
    await watched.next()
    assert suggestion.text == "We can waive"
    for item in (" one late fee a year.", Usage(120, 9), END):
        await model.pieces.put(item)
    await suggestion.wait()
    assert suggestion.state is SuggestionState.DONE  # type: ignore[comparison-overlap]  # mypy keeps the narrowing across the awaits
    assert suggestion.text == "We can waive one late fee a year."
    assert [(s.id, s.title) for s in suggestion.sources] == [("kb-7", "Late fees")]
    assert ledger.spent_on("c-1") == 129
    assert ledger.spent_today == 129


async def test_a_card_number_split_across_pieces_never_shows_whole_nor_its_start() -> None:
    model, assistant, watched, _ = _assistant()
    suggestion = assistant.suggest("c-1", SAID, PASSAGES, "Billing")
    for piece in ("Your card 4111", " 1111 11", "11 1111", " is on file.", END):
        await model.pieces.put(piece)
    await suggestion.wait()
    assert suggestion.text == "Your card •••• 1111 is on file."
    assert all("4111" not in shown for shown in watched.shown), watched.shown


async def test_a_new_customer_message_cancels_the_last_suggestion_and_the_agent_moving_on_cancels_it() -> None:
    model, assistant, watched, _ = _assistant()
    first = assistant.suggest("c-1", SAID, PASSAGES, "Billing")
    await model.pieces.put("We")
    await watched.next()
    second = assistant.suggest("c-1", [*SAID, Said("customer", "Hello?")], PASSAGES, "Billing")
    await first.wait()
    assert first.state is SuggestionState.CANCELLED
    assert assistant.current("c-1") is second
    assistant.discard("c-1")
    await second.wait()
    assert second.state is SuggestionState.CANCELLED
    assert assistant.current("c-1") is None


async def test_a_model_that_stops_answering_is_said_once_and_its_return_once() -> None:
    model, assistant, _, _ = _assistant()
    for _ in range(3):
        suggestion = assistant.suggest("c-1", SAID, PASSAGES, "Billing")
        await model.pieces.put(BackendError("assist", "cannot reach the assistant's model (refused)"))
        await suggestion.wait()
        assert suggestion.state is SuggestionState.FAILED
        assert suggestion.error == "cannot reach the assistant's model (refused)"
    notices = [assistant.health.take_notice(), assistant.health.take_notice()]
    assert notices == ["The assistant's model stopped answering: cannot reach the assistant's model (refused)", None]
    assert assistant.health.status == "Assistant not answering"
    suggestion = assistant.suggest("c-1", SAID, PASSAGES, "Billing")
    await model.pieces.put(END)
    await suggestion.wait()
    assert assistant.health.take_notice() == "The assistant's model answers again."
    assert assistant.health.status is None


async def test_a_runaway_answer_is_cut_at_the_composers_length_and_the_rest_is_not_read() -> None:
    model, assistant, _, _ = _assistant()
    suggestion = assistant.suggest("c-1", SAID, PASSAGES, "Billing")
    pieces = ["We can waive it. " * 60] * 4 + ["x" * 4 + " 4111 1111 1111 1111 is the card", "never read"]
    for piece in pieces:  # never ended: a model writing on for ever
        await model.pieces.put(piece)
    async with asyncio.timeout(5):  # bounds a broken run, which would wait for the next piece for ever
        await suggestion.wait()
    assert suggestion.state is SuggestionState.DONE
    assert suggestion.cut == "Cut at 4,096 characters: the model's answer was longer."
    assert len(suggestion.text) <= ANSWER_CHARACTERS
    assert suggestion.text.startswith("We can waive it. We can"), suggestion.text[:40]
    assert "4111" not in suggestion.text, "a card number cut at the length never shows its start"
    assert model.pieces.qsize() == 1, "what came after the cut was not read"


async def test_an_answer_stopped_before_its_end_is_kept_and_said_incomplete() -> None:
    model, assistant, _, _ = _assistant()
    suggestion = assistant.suggest("c-1", SAID, PASSAGES, "Billing")
    for piece in ("We can waive", " one late", AnswerIncomplete("The answer stopped before its end")):
        await model.pieces.put(piece)
    await suggestion.wait()
    assert suggestion.state is SuggestionState.DONE
    assert suggestion.text == "We can waive one late"
    assert suggestion.cut == "Incomplete: The answer stopped before its end."


async def test_a_bidi_control_in_an_answer_is_not_in_the_text_put_in_the_composer() -> None:
    model, assistant, _, _ = _assistant()
    suggestion = assistant.suggest("c-1", SAID, PASSAGES, "Billing")
    for piece in ("Your refund is \u202edesab\u202c", " on its way\u2066.\u2069", END):
        await model.pieces.put(piece)
    await suggestion.wait()
    assert suggestion.text == "Your refund is desab on its way."


@settings(max_examples=examples(200))
@given(
    st.lists(
        st.text(st.characters(exclude_characters="⟨", exclude_categories=["Cs"]), max_size=12)
        | st.sampled_from(list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200e\ufeff\u2060")),
        max_size=12,
    ).map("".join)
)
def test_no_answer_reaches_the_composer_with_a_format_character_or_a_mark_for_one(answer: str) -> None:
    shown = Masking().answer(answer)
    assert CONTROL.search(shown) is None, repr(shown)
    assert "⟨U+" not in shown, repr(shown)


async def test_at_the_daily_limit_no_model_is_asked() -> None:
    model, assistant, _, ledger = _assistant(limit=100)
    ledger.spend("c-0", Usage(90, 10))
    suggestion = assistant.suggest("c-1", SAID, PASSAGES, "Billing")
    assert suggestion.state is SuggestionState.FAILED
    assert "daily limit of 100 tokens" in (suggestion.error or "")
    assert model.asked == []


def test_the_days_count_starts_again_the_next_day() -> None:
    day = [date(2026, 11, 27)]
    ledger = TokenLedger(1_000, today=lambda: day[0])
    ledger.spend("c-1", Usage(600, 400))
    assert ledger.spent_out
    day[0] = date(2026, 11, 28)
    assert ledger.spent_today == 0
    assert ledger.left_today == 1_000


async def test_without_a_model_a_suggestion_fails_in_one_sentence_and_nothing_is_said_about_health() -> None:
    assistant = Assistant(NoAssist(), TokenLedger(1_000))
    suggestion = assistant.suggest("c-1", SAID, PASSAGES, "Billing")
    await suggestion.wait()
    assert suggestion.state is SuggestionState.FAILED
    assert suggestion.error == NoAssist.why
    assert assistant.health.take_notice() is None


def test_the_days_count_outlives_a_restart_and_not_the_day(tmp_path: Path) -> None:
    day = [date(2026, 11, 27)]
    path = tmp_path / "assist-tokens.json"
    first = TokenLedger.kept_in(path, 1_000, today=lambda: day[0])
    first.spend("c-1", Usage(600, 400))
    assert (path.stat().st_mode & 0o777) == 0o600
    restarted = TokenLedger.kept_in(path, 1_000, today=lambda: day[0])
    assert restarted.spent_today == 1_000, "a restart is not a new allowance"
    assert restarted.spent_out, "a restart is not a new allowance"
    day[0] = date(2026, 11, 28)
    assert TokenLedger.kept_in(path, 1_000, today=lambda: day[0]).spent_today == 0


def test_a_damaged_count_starts_the_day_at_zero(tmp_path: Path) -> None:
    path = tmp_path / "assist-tokens.json"
    path.write_text('{"day": "2026-11-27", "spent": "lots"')
    path.chmod(0o600)
    ledger = TokenLedger.kept_in(path, 1_000, today=lambda: date(2026, 11, 27))
    assert ledger.spent_today == 0
    ledger.spend("c-1", Usage(5, 5))
    assert TokenLedger.kept_in(path, 1_000, today=lambda: date(2026, 11, 27)).spent_today == 10

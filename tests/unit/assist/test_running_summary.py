"""The running summary's refresher (agent_desktop/assist/running_summary.py), its pause fired by hand: a burst of
lines asks once, after the pause; fewer than `every` new lines ask nothing; at most one request per contact is in
flight, and lines said meanwhile ask again when it answers; a contact that leaves stops its pause and its request."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.assist.running_summary import SummaryRefresher
from agent_desktop.assist.wrap_up_draft import DraftedWrapUp
from tests.support.hypothesis_profiles import examples


class Pauses:
    """The refresher's `later`: each pause kept until the test fires it."""

    def __init__(self) -> None:
        self.waiting: list[tuple[Callable[[], None], list[bool]]] = []

    def __call__(self, _delay: float, then: Callable[[], None]) -> Pauses.Handle:
        cancelled = [False]
        self.waiting.append((then, cancelled))
        return Pauses.Handle(cancelled)

    class Handle:
        def __init__(self, cancelled: list[bool]) -> None:
            self.cancelled = cancelled

        def cancel(self) -> None:
            self.cancelled[0] = True

    def fire(self) -> int:
        """Every pause that ran out and was not cancelled: their requests start. How many."""
        due, self.waiting = self.waiting, []
        live = [then for then, cancelled in due if not cancelled[0]]
        for then in live:
            then()
        return len(live)


class Model:
    """The summaries asked for, each answered when the test says."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.answers: list[asyncio.Future[DraftedWrapUp | None]] = []

    async def ask(self, contact_id: str) -> DraftedWrapUp | None:
        self.asked.append(contact_id)
        answer: asyncio.Future[DraftedWrapUp | None] = asyncio.get_running_loop().create_future()
        self.answers.append(answer)
        return await answer

    def answer(self, text: str) -> None:
        self.answers[-1].set_result(DraftedWrapUp(text, "Refund", "model", "Drafted by m: review it."))


async def _turn() -> None:
    for _ in range(3):
        await asyncio.sleep(0)


@settings(max_examples=examples(60), deadline=None)
@given(bursts=st.lists(st.integers(1, 8), min_size=1, max_size=6))
def test_each_burst_asks_at_most_once_and_only_after_enough_lines(bursts: list[int]) -> None:
    """Lines come in bursts, the pause running out after each: a request starts only where `every` new lines were
    said since the last, and one burst, however long, starts at most one."""

    async def run() -> None:
        pauses, model, began = Pauses(), Model(), list[bool]()
        refresher = SummaryRefresher(model.ask, lambda summary: began.append(summary.asking), every=3, later=pauses)
        said = asked_at = 0
        for burst in bursts:
            for _ in range(burst):
                said += 1
                refresher.heard("c-1", said)
            started = pauses.fire()
            await _turn()
            expected = 1 if said - asked_at >= 3 else 0
            assert started == expected, (bursts, said, asked_at)
            if started:
                asked_at = said
                model.answer(f"summary of {said}")
                await _turn()
                assert refresher.summaries["c-1"].text == f"summary of {said}"
                assert refresher.summaries["c-1"].lines == said
        assert len(model.asked) == sum(began), "each request shown as begun, once"

    asyncio.run(run())


def test_one_request_in_flight_and_the_lines_said_meanwhile_ask_again_when_it_answers() -> None:
    async def run() -> None:
        pauses, model = Pauses(), Model()
        refresher = SummaryRefresher(model.ask, lambda summary: None, every=3, later=pauses)
        for said in range(1, 4):
            refresher.heard("c-1", said)
        assert pauses.fire() == 1
        await _turn()
        for said in range(4, 10):  # six more while the first is asked
            refresher.heard("c-1", said)
        assert pauses.fire() == 0, "none while one is in flight"
        assert len(model.asked) == 1
        model.answer("first")
        await _turn()
        assert refresher.summaries["c-1"].lines == 3
        assert pauses.fire() == 1, "asked again for what was said meanwhile"
        await _turn()
        model.answer("second")
        await _turn()
        assert refresher.summaries["c-1"].text == "second"
        assert refresher.summaries["c-1"].lines == 9

    asyncio.run(run())


def test_a_failed_summary_keeps_the_last_text_and_says_why() -> None:
    async def run() -> None:
        pauses, model = Pauses(), Model()
        refresher = SummaryRefresher(model.ask, lambda summary: None, every=1, later=pauses)
        refresher.heard("c-1", 1)
        pauses.fire()
        await _turn()
        model.answer("kept")
        await _turn()
        refresher.heard("c-1", 2)
        pauses.fire()
        await _turn()
        model.answers[-1].set_result(DraftedWrapUp("", None, "rules", "Drafted by rules: the model failed (500)."))
        await _turn()
        summary = refresher.summaries["c-1"]
        assert (summary.text, summary.lines, summary.failed) == ("kept", 1, "the model failed (500).")

    asyncio.run(run())


def test_a_contact_that_leaves_stops_its_pause_and_its_request() -> None:
    async def run() -> None:
        pauses, model = Pauses(), Model()
        refresher = SummaryRefresher(model.ask, lambda summary: None, every=1, later=pauses)
        refresher.heard("c-1", 1)
        pauses.fire()
        await _turn()
        refresher.heard("c-2", 1)
        refresher.forget("c-2")
        assert pauses.fire() == 0, "its pause stopped"
        refresher.forget("c-1")
        await _turn()
        assert model.answers[0].cancelled(), "its request closed"
        assert refresher.summaries == {}

    asyncio.run(run())

"""Backends that serve a desk from a recording (tests/recordings/*.jsonl, the form: tape.py), with no server.

`Replay(path).backend(kind, protocol)` satisfies the protocol: a call is answered with the recorded answer
to the same call (same method, same arguments; the n-th identical call gets the n-th answer), and the
stream yields the recorded items in their order. The order of what the desk saw is kept: an item is only
yielded once everything recorded before it (the calls answered, the scene's outside steps, the other
items) has happened again, and an answer is only given once the items recorded before it have been taken.

A recording goes stale when the desk changes: a call that is not in it (or one more time than recorded),
a second subscription to a stream, or a wait for something the desk never does again fails loudly
(`RecordingStale`, also kept in `problems` for the test to raise: a call made in a background task
would otherwise only be logged). Nothing is ever answered with a default.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from tests.support.recorded.tape import attribute_adapter, call_args, load_error, load_event, load_result, methods

# Calls the desk makes on a timer of its own (the end of "typing" three seconds after the last key; the read
# marker moved as messages are drawn): nothing the backends pushed waited for them, so the items recorded
# after them do not wait for them either.
NOT_WAITED_FOR = frozenset({"contact_center.set_typing", "contact_center.mark_read"})

RECORD_HINT = "re-record with make recordings (python -m scripts.record_scenes; docs/testing.md)"


class RecordingStale(AssertionError):
    """The desk asked for something the recording does not hold, or never did what it holds next."""


class Replay:
    def __init__(self, path: Path, *, wait_s: float = 20.0) -> None:
        self.path = path
        lines = path.read_text(encoding="utf-8").splitlines()
        self.header: dict[str, Any] = json.loads(lines[0])
        self.lines: list[dict[str, Any]] = [json.loads(line) for line in lines[1:]]
        self.wait_s = wait_s
        self.problems: list[str] = []
        self._claimed = [False] * len(self.lines)  # a call line taken by the desk, an outside step by the scene
        self._done = [False] * len(self.lines)  # a call made, an answer given, an item yielded, an outside step done
        self._progress: asyncio.Event | None = None
        self._subscribed: set[str] = set()
        self._answers = {line["answer"]: i for i, line in enumerate(self.lines) if "answer" in line}
        # An answer waits for the items recorded before it; an item for everything recorded before it.
        self._items_before = [[j for j in range(i) if "event" in self.lines[j]] for i in range(len(self.lines))]
        self._all_before = [[j for j in range(i) if self._waited_for(self.lines[j])] for i in range(len(self.lines))]

    @staticmethod
    def _waited_for(line: dict[str, Any]) -> bool:
        return line.get("call", line.get("of")) not in NOT_WAITED_FOR

    def backend(self, kind: str, protocol: type) -> ReplayBackend:
        return ReplayBackend(self, kind, protocol)

    # --- what the scene does outside the desk ------------------------------------------------

    def outside(self, what: str, args: dict[str, Any]) -> Any:
        """The scene's next outside step must be this one, as recorded; returns what it returned then."""
        index = next((i for i, line in enumerate(self.lines) if "outside" in line and not self._claimed[i]), None)
        if index is None or self.lines[index]["outside"] != what or self.lines[index]["args"] != args:
            recorded = "nothing" if index is None else self._describe(index)
            raise self._stale(f"the scene did {what}({args}) where the recording has {recorded}")
        self._claimed[index] = True
        self._mark_done(index)
        return self.lines[index]["result"]

    # --- answering the desk ------------------------------------------------------------------

    async def answer(self, kind: str, protocol: type, method: str, args: dict[str, Any]) -> Any:
        call = f"{kind}.{method}"
        index = next(
            (
                i
                for i, line in enumerate(self.lines)
                if not self._claimed[i] and line.get("call") == call and line["args"] == args
            ),
            None,
        )
        if index is None:
            recorded = [line["args"] for line in self.lines if line.get("call") == call]
            raise self._stale(f"the desk asked {call}({args}), not in the recording (recorded: {recorded or 'none'})")
        self._claimed[index] = True
        self._mark_done(index)
        answer = self._answers.get(self.lines[index]["id"])
        if answer is None:  # never answered while recording (the app closed first): nor now
            return await asyncio.Future()
        await self._until(answer, self._items_before[answer], f"the answer to {call}")
        self._mark_done(answer)
        line = self.lines[answer]
        if "error" in line:
            raise load_error(line["error"])
        return load_result(protocol, method, line["result"])

    async def stream(self, kind: str, protocol: type) -> AsyncIterator[object]:
        if kind in self._subscribed:
            raise self._stale(f"the desk subscribed to {kind}'s events a second time (a reconnect was not recorded)")
        self._subscribed.add(kind)
        for index, line in enumerate(self.lines):
            if line.get("event") != kind:
                continue
            await self._until(index, self._all_before[index], f"{kind}'s item")
            self._mark_done(index)
            yield load_event(protocol, line)
        await asyncio.Future()  # a live stream stays open

    # --- keeping the order ---------------------------------------------------------------------

    def _mark_done(self, index: int) -> None:
        self._done[index] = True
        if self._progress is not None:
            self._progress.set()
            self._progress = None

    async def _until(self, index: int, before: list[int], what: str) -> None:
        missing = -1
        try:
            async with asyncio.timeout(self.wait_s):
                while (missing := next((j for j in before if not self._done[j]), -1)) >= 0:
                    if self._progress is None:
                        self._progress = asyncio.Event()
                    await self._progress.wait()
        except TimeoutError:
            raise self._stale(
                f"{what} (line {index + 2}) waited {self.wait_s:g} s for line {missing + 2} "
                f"({self._describe(missing)}), which the desk or the scene never did again"
            ) from None

    def _describe(self, index: int) -> str:
        line = self.lines[index]
        if "call" in line:
            return f"call {line['call']}({line['args']})"
        if "answer" in line:
            return f"the answer to call {line['answer']} ({line['of']})"
        if "outside" in line:
            return f"outside step {line['outside']}({line['args']})"
        return f"{line['event']}'s {'link status' if 'link' in line else line['item'].get('type', 'item')}"

    def _stale(self, problem: str) -> RecordingStale:
        message = f"{self.path.name}: {problem}; {RECORD_HINT}"
        self.problems.append(message)
        return RecordingStale(message)

    # --- after the scene -----------------------------------------------------------------------

    def check(self) -> None:
        """Raise what went wrong, even where it was raised in a task nobody awaited."""
        if self.problems:
            raise RecordingStale("\n".join(self.problems))

    def unused(self) -> list[str]:
        """Recorded calls the desk did not make this time (a timer that fired only while recording)."""
        return [self._describe(i) for i, line in enumerate(self.lines) if "call" in line and not self._claimed[i]]


class ReplayBackend:
    """A backend of kind `kind` (`contact_center`, `crm`, `presence`, `supervisor`) served from the recording."""

    def __init__(self, replay: Replay, kind: str, protocol: type) -> None:
        self._replay = replay
        self._kind = kind
        self._protocol = protocol
        self._methods = methods(protocol)
        for name, value in replay.header["attributes"].get(kind, {}).items():
            setattr(self, name, attribute_adapter(protocol, name).validate_python(value))

    def events(self) -> AsyncIterator[object]:
        return self._replay.stream(self._kind, self._protocol)

    async def aclose(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:  # a replayed method (a recorded attribute is set in __init__)
        signature = self._methods.get(name)
        if signature is None:
            raise AttributeError(name)
        replay, kind, protocol = self._replay, self._kind, self._protocol

        async def replayed(*args: Any, **kwargs: Any) -> Any:
            return await replay.answer(kind, protocol, name, call_args(signature, args, kwargs))

        return replayed

"""Faults put between the desk and the in-process backends, on the calls that write something back: the CRM's writes
(the outbox's sender), the contact center's callbacks, flags, acknowledgements and blind transfers (whose record is
the write), and its messaging (follow-ups).

The backend underneath is the real mock (tests/support/in_process/); only the fault is made here, as the HTTP client
would report it: a 500 (refused before the write), an answer lost (the write is stored, then the call times out as
"cannot reach … (timed out)"), or a slow answer. Reads and the contact's own flow (accept, end) pass as they are:
what is searched is whether what the agent wrote back arrives, not whether a call can be taken.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from enum import StrEnum
from typing import Any

from agent_desktop.domain.errors import BackendError

# The calls that write something back, by backend.
CRM_WRITES = frozenset({"log_interaction", "add_note", "create_case", "link_case", "create_customer"})
CENTER_WRITES = frozenset(
    {"schedule_callback", "raise_flag", "add_flag_line", "acknowledge_evaluation", "transfer_contact"}
)
MESSAGING_WRITES = frozenset({"send_message"})
SLOW_S = 0.03  # a slow answer: slower than the desk's next step, far below any timeout


class Fault(StrEnum):
    NONE = "none"
    SERVER_ERROR = "500"
    LOST_ANSWER = "lost answer"
    SLOW = "slow"


class FaultSwitch:
    """The fault in force on each side ("crm", "center"), and the writes stored whose answer was lost, by call."""

    def __init__(self) -> None:
        self.faults: dict[str, Fault] = {"crm": Fault.NONE, "center": Fault.NONE}
        self.lost: Counter[str] = Counter()

    def heal(self) -> None:
        self.faults = dict.fromkeys(self.faults, Fault.NONE)


class FaultyWrites:
    """`inner` with the switch's fault on its `writes`; everything else is `inner`'s own."""

    def __init__(self, inner: Any, switch: FaultSwitch, side: str, writes: frozenset[str]) -> None:
        self._inner, self._switch, self._side, self._writes = inner, switch, side, writes
        if hasattr(inner, "messaging"):  # the contact center's messaging (follow-ups): the center's faults
            self.messaging = FaultyWrites(inner.messaging, switch, side, MESSAGING_WRITES)

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._inner, name)
        if name not in self._writes:
            return found

        async def written(*args: Any, **kwargs: Any) -> Any:
            fault, who = self._switch.faults[self._side], getattr(self._inner, "name", self._side)
            if fault is Fault.SERVER_ERROR:
                raise BackendError(who, "500 injected fault: 500", 500)
            if fault is Fault.SLOW:
                await asyncio.sleep(SLOW_S)
            answer = await found(*args, **kwargs)
            if fault is Fault.LOST_ANSWER:
                self._switch.lost[name] += 1
                raise BackendError(who, f"cannot reach {who} (timed out)")
            return answer

        return written

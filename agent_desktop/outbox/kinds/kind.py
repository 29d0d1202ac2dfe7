"""What one kind of outbox write is (`OutboxKind`): its payload model, the free text in it a person typed, how it is
fitted to a backend's limits and how it is delivered. One class a kind, in a file of its own, named in the registry
(`agent_desktop/outbox/kinds/__init__.py`); the store and the sender know a write only through its kind."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from agent_desktop.domain.customers.crm_limits import CrmLimits
from agent_desktop.domain.messages.protocol import Messaging
from agent_desktop.domain.models import Model
from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.protocols import Crm
from agent_desktop.domain.quality.protocol import EvaluationRecords

P = TypeVar("P", bound=Model)

# Where free text sits in a payload's JSON: keys from the top, "*" every item of a list.
Path = tuple[str, ...]


@dataclass(frozen=True)
class FitTo:
    """The backend's limits a write is fitted to before it is stored, and the conversation it records
    (`never_loaded`: the conversation's oldest lines the desk never had)."""

    limits: CrmLimits
    conversation_id: str
    never_loaded: int = 0


class Delivery(Protocol):
    """What a kind's delivery may use: the backends, and keeping what it learnt on the way in its entry (the
    sender is one)."""

    @property
    def crm(self) -> Crm: ...

    @property
    def messaging(self) -> Messaging: ...

    @property
    def evaluation_records(self) -> EvaluationRecords: ...

    async def keep(self, entry_key: str, payload: Model) -> None:
        """The entry's payload replaced by `payload` (on the outbox's thread), before the delivery goes on."""


class OutboxKind(ABC, Generic[P]):
    """One kind of write. `name` is its `EntryKind` value, stored with each entry."""

    name: ClassVar[str]
    model: type[P]
    # The free text a person typed (masked before the write is stored); ids, addresses and times are not.
    free_text: ClassVar[tuple[Path, ...]] = ()
    # Lists of lines (`{"role", "text", ...}`) masked as one conversation, each party's as one text: the kind says
    # how (`masked`).
    conversations: ClassVar[tuple[Path, ...]] = ()
    # Counted and listed on the agent's desk (a supervisor's records are not: they say who monitored the agent).
    agent_sees: ClassVar[bool] = True

    def payload(self, value: Model | dict[str, Any]) -> P:
        """`value` as this kind's model: a model of it as it is, JSON (a stored row's) read as one."""
        if isinstance(value, self.model):
            return value
        if not isinstance(value, dict):
            raise TypeError(f"a {self.name} write is a {self.model.__name__}, not a {type(value).__name__}")
        return self.model.model_validate(value)

    def masked(self, stored: dict[str, Any], earlier_customer: Sequence[str] = ()) -> dict[str, Any]:
        """A copy of the payload's JSON with its free text masked (`earlier_customer`: the customer's lines of
        their previous interaction, which a number split across the two is masked against)."""
        for path in self.free_text:
            stored = masked_at(stored, path)
        return stored

    def fitted(self, stored: dict[str, Any], to: FitTo) -> dict[str, Any]:
        """The masked JSON cut to the backend's limits (after masking: a line cut short could keep half a card
        number the masker would no longer know). A kind with nothing to cut keeps it as it is."""
        return stored

    def send_key(self, payload: P, entry_key: str) -> str:
        """The `Idempotency-Key` the write is sent under: the entry's own unless the kind says otherwise."""
        return entry_key

    @abstractmethod
    async def deliver(self, payload: P, entry_key: str, send_key: str, via: Delivery) -> str:
        """Send the write; the id the backend gave it. A `BackendError` is the sender's to retry or keep."""


def masked_at(value: Any, path: Path) -> Any:
    """`value` with the text at `path` masked, copied along the path only (the caller's dict is left as it was)."""
    if not path:
        return mask_pci(value) if isinstance(value, str) else value
    key, rest = path[0], path[1:]
    if key == "*":
        return [masked_at(item, rest) for item in value] if isinstance(value, list) else value
    if not isinstance(value, dict) or key not in value:
        return value
    return {**value, key: masked_at(value[key], rest)}

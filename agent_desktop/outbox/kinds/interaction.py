"""A contact's interaction, written at wrap-up (or a transfer's record of it): masked as a conversation, fitted to
the CRM's limits (agent_desktop/outbox/fit.py), written to the caller found or created when the screen pop had
none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from pydantic import Field

from agent_desktop.domain.errors import BackendError, CustomerExists
from agent_desktop.domain.models import InteractionCreate, Model, NewCustomer
from agent_desktop.domain.pci import mask_continuing, mask_messages
from agent_desktop.outbox.fit import fit_interaction
from agent_desktop.outbox.kinds.kind import Delivery, FitTo, OutboxKind, Path

CUSTOMER = "customer"  # a transcript line's role (ParticipantRole.CUSTOMER)


class InteractionBody(InteractionCreate):
    """The interaction as the wrap-up fitted it to the CRM's limits; whose it is, is the write's `customer_id`
    (found or created by the sender when the screen pop had none), so it is not kept in here."""

    customer_id: str | None = Field(default=None, exclude=True)

    def for_customer(self, customer_id: str | None) -> InteractionCreate:
        """The interaction the CRM is sent, written to `customer_id` (None: unattributed)."""
        return InteractionCreate.model_validate({**self.model_dump(), "customer_id": customer_id})


class InteractionWrite(Model):
    """A contact's interaction, written at wrap-up (or a transfer's record of it)."""

    customer_id: str | None = None  # None: the sender finds the caller by `address`, or creates `new_customer`
    unattributed: bool = False  # a withheld caller nobody identified: written with no customer
    address: str | None = None
    new_customer: NewCustomer | None = None
    interaction: InteractionBody
    # The Idempotency-Key it is sent with when not the entry's own: a reduced write is another request.
    idempotency_key: str | None = None


class InteractionKind(OutboxKind[InteractionWrite]):
    name = "interaction"
    model = InteractionWrite
    free_text: ClassVar[tuple[Path, ...]] = (
        ("interaction", "notes"),
        ("interaction", "summary"),
        ("interaction", "private_notes", "*"),
        ("new_customer", "name"),  # "New caller <address>": the address is the caller's own words on email
    )
    conversations: ClassVar[tuple[Path, ...]] = (("interaction", "transcript"),)
    # Where the write's own caller is found among stored ones (`customer_lines`).
    customer_field, address_field = "customer_id", "address"

    def masked(self, stored: dict[str, Any], earlier_customer: Sequence[str] = ()) -> dict[str, Any]:
        """The free text masked, and the transcript as a conversation: each party's messages as one text, the
        customer's going on from `earlier_customer`."""
        stored = super().masked(stored, earlier_customer)
        for *parents, key in self.conversations:
            stored = _replaced_at(stored, tuple(parents), key, lambda lines: masked_transcript(lines, earlier_customer))
        return stored

    def fitted(self, stored: dict[str, Any], to: FitTo) -> dict[str, Any]:
        fit = fit_interaction(
            stored["interaction"], to.limits, conversation_id=to.conversation_id, never_loaded=to.never_loaded
        )
        return {**stored, "interaction": fit.interaction}

    def send_key(self, payload: InteractionWrite, entry_key: str) -> str:
        return payload.idempotency_key or entry_key  # a fix's reduced write (agent_desktop/outbox/fixes.py)

    async def deliver(self, payload: InteractionWrite, entry_key: str, send_key: str, via: Delivery) -> str:
        customer_id = payload.customer_id
        if customer_id is None and not payload.unattributed:
            customer_id = await _customer_for(entry_key, payload, via)
            await via.keep(entry_key, payload.model_copy(update={"customer_id": customer_id}))
        return (await via.crm.log_interaction(payload.interaction.for_customer(customer_id), send_key)).id


def _replaced_at(value: Any, parents: Path, key: str, change: Callable[[list[Any]], list[Any]]) -> Any:
    """`value` with the list at `parents` + `key` changed, copied along the path only (as it was if not there)."""
    if parents:
        inner = value.get(parents[0]) if isinstance(value, dict) else None
        return value if inner is None else {**value, parents[0]: _replaced_at(inner, parents[1:], key, change)}
    if not isinstance(value, dict) or not isinstance(value.get(key), list):
        return value
    return {**value, key: change(value[key])}


def customer_lines(stored: dict[str, Any] | None) -> list[str]:
    """The customer's lines (as stored, masked) of a stored interaction's transcript; [] without one."""
    transcript = (stored or {}).get("interaction", {}).get("transcript")
    if not isinstance(transcript, list):
        return []
    return [
        line["text"]
        for line in transcript
        if isinstance(line, dict) and line.get("role") == CUSTOMER and isinstance(line.get("text"), str)
    ]


def masked_transcript(lines: list[Any], earlier_customer: Sequence[str] = ()) -> list[Any]:
    """A transcript's lines (`{"role", "text", ...}`) with each party's messages masked as one conversation.
    The customer's go on from `earlier_customer` (their previous interaction's lines: a chat, then its email
    follow-up, land in one CRM), and their last line may not end in a number a next interaction could finish."""
    by_role: dict[Any, list[int]] = {}
    for position, line in enumerate(lines):
        if isinstance(line, dict) and isinstance(line.get("text"), str):
            by_role.setdefault(line.get("role"), []).append(position)
    result = list(lines)
    for role, positions in by_role.items():
        texts = [lines[at]["text"] for at in positions]
        masked = mask_continuing(earlier_customer, texts) if role == CUSTOMER else mask_messages(texts)
        for at, was, now in zip(positions, texts, masked, strict=True):
            if now != was:
                result[at] = {**lines[at], "text": now}
    return result


async def _customer_for(entry_key: str, payload: InteractionWrite, via: Delivery) -> str:
    """The caller's customer id, when the screen pop did not get one (CRM down then, or a new caller): looked up
    by the address they came from, else created under a key derived from the entry's, so a resend never makes a
    second customer."""
    found = await via.crm.lookup(payload.address) if payload.address else None
    if found is not None and found.customers:
        return found.customers[0].id
    if payload.new_customer is None:  # never stored so (wrap_up.py): an error, as reading it was before
        raise ValueError(f"{entry_key}: no customer to write the interaction to")
    try:
        return (await via.crm.create_customer(payload.new_customer, f"{entry_key}:customer")).id
    except CustomerExists as taken:
        if not taken.existing:  # someone else's new customer, not searchable yet: the index catches up
            raise BackendError(taken.backend, f"{taken.message} (not found by search yet)") from taken
        # the address the caller came from is that customer's (not found above: the search had not indexed
        # them yet): the wrap-up is theirs, as a lookup would have said
        return taken.existing[0].id

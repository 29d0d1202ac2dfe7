"""What every wire model stands on: the frozen `Model` that ignores fields it does not know, adapters built at first
use, the customer's text masked as it is read, and the stream's event with its id."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar, overload

from pydantic import AfterValidator, BaseModel, ConfigDict, TypeAdapter

from agent_desktop.domain.pci import mask_pci

T = TypeVar("T")


class Model(BaseModel):
    # Backends may add fields we do not know yet; ignore them rather than fail. Each model's validator is
    # built when it is first used (defer_build), not at import: start-up reads a few of these fifty-odd models.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


@overload
def deferred_adapter(type_: type[T]) -> TypeAdapter[T]: ...
@overload
def deferred_adapter(type_: Any) -> TypeAdapter[Any]: ...  # a union (an Annotated one): no type[] can say it
def deferred_adapter(type_: Any) -> TypeAdapter[Any]:
    """A TypeAdapter for a list or a union of these models whose validator, like theirs, is built at its first
    use, not at import (the contact center's five, built at import, were start-up's work before the desk's
    first frame, which reads no event; `desktop_start_to_interactive`). A list's adapter is typed by it; a
    union's is `TypeAdapter[Any]`, so its variable says the union (`TypeAdapter[ContactCenterEvent]`)."""
    return TypeAdapter(type_, config=ConfigDict(defer_build=True))


# Text a customer typed that the contact center hands over outside a conversation's messages (an email's
# subject, the thread it quotes, a callback's reason), and the CRM's free text the customer card draws (a
# name, an address, notes, a case's subject, a past interaction's notes: anyone may have typed a card number
# into the CRM itself): masked as it is read, so every place that draws or sends it (the offer, the card,
# the prefilled "Re:" subject) has it masked. Messages themselves are masked as a conversation
# (`agent_desktop.transcripts.conversation`): a number may be split over several.
CustomerText = Annotated[str, AfterValidator(mask_pci)]


class StreamEvent(Model):
    # The stream's id for the event (increasing); None for one rebuilt from a snapshot after a (re)connect, and
    # for a backend whose stream has none. The conversation events below carry it too.
    event_id: int | None = None

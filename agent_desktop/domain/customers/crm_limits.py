"""How much one write of a contact's outcome may hold at a CRM: each CRM backend declares its own, and the
wrap-up is fitted to them before it is stored (agent_desktop/outbox/fit.py), so a long conversation is written
cut, with a marker, rather than refused whole with its disposition and notes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrmLimits:
    """Characters are Unicode code points; bytes are those of the UTF-8 JSON body the backend sends.

    A CRM without one of these limits sets it high. Zendesk, for one, keeps a comment's body under
    64 KB: a Zendesk backend writing the transcript as a comment declares `max_body_bytes=64_000`
    and lets the fitting cut the conversation to that."""

    max_body_bytes: int
    max_transcript_items: int
    max_item_chars: int  # the text of one transcript line
    max_name_chars: int  # who wrote one transcript line
    max_notes_chars: int
    max_private_notes: int
    max_private_note_chars: int


# The bundled mock CRM's, as docs/mock-apis.md says and its `GET /v1/limits` serves (a contract test
# holds the two together).
MOCK_CRM_LIMITS = CrmLimits(
    max_body_bytes=1 << 20,
    max_transcript_items=5_000,
    max_item_chars=20_000,
    max_name_chars=200,
    max_notes_chars=50_000,
    max_private_notes=100,
    max_private_note_chars=4_000,
)

"""How much one write may hold: the numbers the schemas enforce, the request guard's body size, and what
`GET /v1/limits` serves, so a client can fit a wrap-up before it sends it instead of learning from a 413."""

from __future__ import annotations

from pydantic import BaseModel, Field

from agent_desktop_mocks.common.http.request_guard import MAX_BODY_BYTES

TRANSCRIPT_MAX_ITEMS = 5_000
TRANSCRIPT_ITEM_MAX_CHARS = 20_000
TRANSCRIPT_NAME_MAX_CHARS = 200
NOTES_MAX_CHARS = 50_000
PRIVATE_NOTES_MAX = 100
PRIVATE_NOTE_MAX_CHARS = 4_000


class Limits(BaseModel):
    """Characters are Unicode code points; bytes are those of the UTF-8 JSON body as sent."""

    max_body_bytes: int = Field(description="A larger request body is 413, whatever it holds")
    max_transcript_items: int = Field(description="Lines of an interaction's `transcript`")
    max_item_chars: int = Field(description="`text` of one transcript line")
    max_name_chars: int = Field(description="`name` of one transcript line")
    max_notes_chars: int = Field(description="An interaction's `notes` (and a note's `text`)")
    max_private_notes: int = Field(description="Items of an interaction's `private_notes`")
    max_private_note_chars: int = Field(description="One private note")


LIMITS = Limits(
    max_body_bytes=MAX_BODY_BYTES,
    max_transcript_items=TRANSCRIPT_MAX_ITEMS,
    max_item_chars=TRANSCRIPT_ITEM_MAX_CHARS,
    max_name_chars=TRANSCRIPT_NAME_MAX_CHARS,
    max_notes_chars=NOTES_MAX_CHARS,
    max_private_notes=PRIVATE_NOTES_MAX,
    max_private_note_chars=PRIVATE_NOTE_MAX_CHARS,
)

"""The caller's journey in a few words: what the IVR collected, why the virtual agent handed them on, and where a
callback stands.

Shown on the offer card and on the Selected contact panel. Every value comes from the contact center,
so every value is literal text (`plain`).
"""

from __future__ import annotations

from textual.content import Content

from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import AttachedData, BotHandoff, Callback, Contact, Handover, Voicemail
from agent_desktop.ui.plain_text import plain

Parts = list[Content | str | tuple[str, str]]

CALLBACK_WORDS = {
    "waiting": ("Callback", "bold $accent"),
    "dialling": ("Dialling…", "bold $warning"),
    "answered": ("Callback answered", "bold $success"),
    "no_answer": ("No answer", "bold $error"),
    "failed": ("Callback failed", "bold $error"),
}

# Why the virtual agent handed the customer on, and their mood, as the agent reads them on the offer: short, so that
# the reason, the intent and the mood fit the card's one line at 120 columns (50 wide) as at 80.
HANDOFF_REASONS = {
    "asked_for_person": "wants a person",
    "no_article_twice": "no answer twice",
    "mood_falling": "mood fell",
    "model_failed": "bot failed",
}
MOODS = {"negative": ("upset", "bold $error"), "neutral": ("calm", "dim"), "positive": ("happy", "$success")}


def attached_parts(attached: AttachedData | None) -> Parts:
    """`IVR ✓ ACC-40012345 · billing inquiry · Platinum VIP · es · Billing › Pay a bill`: nothing when the
    contact did not come through the IVR."""
    if attached is None:
        return []
    parts: Parts = [("IVR", "bold")]
    if attached.account_number:
        mark = ("✓ ", "bold $success") if attached.verified else ("? ", "bold $warning")
        parts += [" ", mark, plain(one_line(attached.account_number, 24))]
        if not attached.verified:
            parts.append((" not verified", "$warning"))
    if attached.intent:
        parts += [("  ·  ", "dim"), plain(one_line(attached.intent.replace("_", " "), 30))]
    if attached.tier or attached.vip:
        label = " ".join(x for x in (attached.tier, "VIP" if attached.vip else None) if x)
        parts += [("  ·  ", "dim"), plain(one_line(label, 24), "bold $accent")]
    if attached.language:
        parts += [("  ·  ", "dim"), plain(one_line(attached.language, 10))]
    if attached.menu_path:  # last: the longest, and the first to go where the line is cut
        parts += [("  ·  ", "dim"), plain(one_line(" › ".join(attached.menu_path), 60), "dim")]
    return parts


def callback_parts(callback: Callback) -> Parts:
    """`Dialling… (212) 555-0100 · attempt 1 of 3` (and when a retry is due): the number in the desk's one form, as
    the card beside it reads it (domain/formats/phone_format.py)."""
    word, style = CALLBACK_WORDS.get(callback.state, (callback.state, "bold"))
    parts: Parts = [(f"↻ {word} ", style), plain(one_line(shown_phone(callback.number), 30), "bold")]
    # waiting (or after no answer): the dial to come; dialling, answered, failed: the dial made
    attempt = callback.attempts + 1 if callback.state in ("waiting", "no_answer") else max(callback.attempts, 1)
    of = f" of {callback.max_attempts}" if callback.max_attempts else ""
    parts.append((f"  ·  attempt {attempt}{of}", "dim"))
    if callback.state == "no_answer" and callback.retry_at is not None:
        parts.append((f"  ·  retried at {callback.retry_at:%H:%M:%S}", "dim"))
    return parts


def message_parts(voicemail: Voicemail, width: int) -> Parts:
    """`1:42 "I was charged twice for my…"  ·  offer 2`: the message's length, the first words of its transcript on
    what is left of one line of `width` (drawn literally), how many times it has been offered (this one included)."""
    length = format_duration(voicemail.seconds, "short") + (" (cut)" if voicemail.cut else "")
    tail = f"  ·  offer {max(voicemail.attempts, 1)}"
    said = " ".join(voicemail.transcript)
    room = max(10, width - len(length) - len(tail) - 3)
    words: Parts = [plain(f"“{one_line(said, room - 2)}”", "italic")] if said else [("nothing recognised", "dim")]
    return [(length, "bold"), " ", *words, (tail, "dim")]


def handoff_parts(handoff: BotHandoff, width: int) -> Parts:
    """`Bot › wants a person · billing dispute · upset` on one line of `width`: why the contact center's virtual
    agent handed the customer on, what they came for and their mood, before the agent answers (the intent cut first
    where the line is short)."""
    reason = HANDOFF_REASONS.get(handoff.reason) or one_line(handoff.reason.replace("_", " "), 20)
    mood, mood_style = MOODS.get(handoff.mood) or (one_line(handoff.mood, 10), "")
    room = max(8, width - len("Bot › ") - len(reason) - len(" · ") * 2 - len(mood))
    intent = one_line((handoff.intent or "intent unknown").replace("_", " "), room)
    return [
        ("Bot › ", "bold $accent"),
        plain(reason, "bold $warning"),
        (" · ", "dim"),
        plain(intent, "italic"),
        (" · ", "dim"),
        plain(mood, mood_style),
    ]


def before_this_agent(contact: Contact) -> Handover | BotHandoff | None:
    """What happened before this agent: the note of the agent who transferred the contact, else the virtual agent's
    handoff (a transfer's note is newer: it comes first, on the offer card as on the call's area)."""
    return contact.handover or contact.handoff

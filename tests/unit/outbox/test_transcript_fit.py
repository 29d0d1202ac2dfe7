"""A wrap-up fitted to the CRM's limits (agent_desktop/outbox/fit.py): whatever the sizes of the transcript and the
notes, the write fits the limits as the HTTP client sends it, keeps the conversation's first and last lines,
says with one marker how many lines were left out, and keeps the disposition and the notes."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from agent_desktop.domain.customers.crm_limits import MOCK_CRM_LIMITS, CrmLimits
from agent_desktop.domain.models import InteractionCreate
from agent_desktop.outbox.fit import fit_interaction, human_size, is_marker, marker_in, stands_for, without_transcript
from tests.support.hypothesis_profiles import examples

AT = "2026-11-20T14:{:02d}:{:02d}Z"
CLIP = re.compile(r" \[… [\d,]+ characters not written here: [^\]]*\]$")
# One character of each width a body can give it: ASCII, 2, 3 and 4 bytes of UTF-8, a 6-byte JSON escape, a quote.
CHARS = ["a", "é", "€", "😀", "\x01", '"', "\n"]


def line(index: int, text: str, role: str = "customer", name: str = "Dana Scully") -> dict[str, Any]:
    return {"role": role, "name": name, "text": text, "at": AT.format(index // 60 % 60, index % 60)}


def interaction(lines: list[dict[str, Any]], notes: str = "", private_notes: list[str] | None = None) -> dict[str, Any]:
    return {
        "contact_id": "c-000042",
        "channel": "chat",
        "direction": "inbound",
        "agent_id": "agent-001",
        "queue_id": "billing",
        "offered_at": None,
        "answered_at": None,
        "ended_at": None,
        "disposition": "Resolved",
        "summary": "Billing: Resolved",
        "notes": notes,
        "transfer_path": [],
        "transcript": lines,
        "private_notes": private_notes or [],
    }


def sent_bytes(fitted: dict[str, Any]) -> int:
    """The body as the HTTP client sends it, with the longest customer id the CRM takes."""
    model = InteractionCreate.model_validate({**fitted, "customer_id": "c" * 100})
    return len(model.model_dump_json().encode())


def unclipped(text: str) -> str:
    return CLIP.sub("", text)


limits_st = st.builds(
    CrmLimits,
    max_body_bytes=st.integers(32 * 1024, 2 * 1024 * 1024),
    max_transcript_items=st.integers(3, 6_000),
    max_item_chars=st.integers(300, 30_000),
    max_name_chars=st.integers(20, 300),
    max_notes_chars=st.integers(500, 60_000),
    max_private_notes=st.integers(1, 120),
    max_private_note_chars=st.integers(300, 5_000),
)
# Runs of lines alike (how many, how long, of which character): thousands of lines stay cheap to draw.
runs_st = st.lists(st.tuples(st.integers(1, 2_000), st.integers(0, 25_000), st.sampled_from(CHARS)), max_size=6)
text_st = st.builds(lambda n, ch: ch * n, st.integers(0, 70_000), st.sampled_from(CHARS))


def transcript_of(runs: list[tuple[int, int, str]], name: str) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for count, length, char in runs:
        for _ in range(count):
            index = len(lines)
            lines.append(line(index, f"#{index} " + char * length, "customer" if index % 2 else "agent", name))
    return lines


@settings(max_examples=examples(150), deadline=None)
@given(
    limits=limits_st,
    runs=runs_st,
    name=st.builds(lambda n, ch: ch * n, st.integers(1, 400), st.sampled_from(CHARS)),
    notes=text_st,
    private_notes=st.lists(text_st, max_size=130),
    never_loaded=st.sampled_from([0, 0, 0, 7]),
)
def test_any_conversation_fits_keeps_its_start_and_end_and_counts_what_was_cut(
    limits: CrmLimits,
    runs: list[tuple[int, int, str]],
    name: str,
    notes: str,
    private_notes: list[str],
    never_loaded: int,
) -> None:
    lines = transcript_of(runs, name)
    original = interaction(lines, notes, private_notes)
    fitted = fit_interaction(original, limits, conversation_id="c-000042", never_loaded=never_loaded)
    written = fitted.interaction
    event("transcript cut" if fitted.lines_cut else "transcript whole")
    event("a text cut short" if fitted.texts_clipped else "no text cut short")

    assert sent_bytes(written) <= limits.max_body_bytes, "the CRM takes it: no 413"
    assert len(written["transcript"]) <= limits.max_transcript_items
    assert all(len(kept["text"]) <= limits.max_item_chars for kept in written["transcript"])
    assert all(len(kept["name"]) <= limits.max_name_chars for kept in written["transcript"])
    assert len(written["notes"]) <= limits.max_notes_chars
    assert len(written["private_notes"]) <= limits.max_private_notes
    assert all(len(note) <= limits.max_private_note_chars for note in written["private_notes"])

    # The disposition always; the notes whole, or their start with a marker saying how much is missing.
    assert (written["disposition"], written["summary"]) == ("Resolved", "Billing: Resolved")
    if written["notes"] != notes:
        assert CLIP.search(written["notes"])
        assert notes.startswith(unclipped(written["notes"]))
    if len(private_notes) <= limits.max_private_notes:
        assert len(written["private_notes"]) == len(private_notes), "every private note has its place"
        for kept, note in zip(written["private_notes"], private_notes, strict=True):
            assert kept == note or (CLIP.search(kept) and note.startswith(unclipped(kept)))

    transcript = written["transcript"]
    if not lines:
        assert transcript == []
        return
    last = transcript[-1]
    assert last["at"] == lines[-1]["at"], "the end"
    assert lines[-1]["text"].startswith(unclipped(last["text"])), "the end"
    markers = [index for index, kept in enumerate(transcript) if is_marker(kept)]
    if not fitted.lines_cut:
        assert markers == []
        assert len(transcript) == len(lines)
        assert all(lines[0]["text"].startswith(unclipped(x["text"])) for x in transcript[:1]), "the start"
        return
    # One marker, after the start kept (or first, for lines never loaded) and before the end kept, counting
    # exactly the lines it stands for.
    assert len(markers) == 1
    head, tail = markers[0], len(transcript) - markers[0] - 1
    assert tail >= 1
    assert head == 0 if never_loaded else head >= 1
    if head:
        first = transcript[0]
        assert first["at"] == lines[0]["at"], "the start"
        assert lines[0]["text"].startswith(unclipped(first["text"])), "the start"
    cut = lines[head : len(lines) - tail]
    assert fitted.lines_cut == len(cut) + never_loaded
    text = transcript[head]["text"]
    size = human_size(sum(len(c["text"].encode()) for c in cut))
    assert f"[… {len(cut) + never_loaded:,} messages (" in text
    assert "conversation c-000042" in text
    assert f"({'at least ' if never_loaded else ''}{size})" in text
    assert transcript[head]["at"] == (cut[0] if cut else lines[head])["at"], "the marker stands where the lines were"
    others = transcript[:head] + transcript[head + 1 :]
    for kept, was in zip(others, lines[:head] + lines[len(lines) - tail :], strict=True):
        assert kept["at"] == was["at"], "the rest in order"
        assert was["text"].startswith(unclipped(kept["text"])), "the rest in order"


def test_a_two_mib_five_thousand_message_chat_is_written_with_its_start_end_marker_and_notes() -> None:
    lines = [line(i, f"message {i}: " + "lorem ipsum " * 35) for i in range(5_000)]
    notes = "Refund of the duplicate charge approved."
    fitted = fit_interaction(interaction(lines, notes, ["Wants it today"]), MOCK_CRM_LIMITS, conversation_id="c-000042")
    written = fitted.interaction
    assert sum(len(x["text"].encode()) for x in lines) > 2 * 1024 * 1024
    assert sent_bytes(written) <= MOCK_CRM_LIMITS.max_body_bytes
    assert written["notes"] == notes
    assert written["private_notes"] == ["Wants it today"]
    assert written["transcript"][0]["text"].startswith("message 0:")
    assert written["transcript"][-1]["text"].startswith("message 4999:")
    marker = marker_in(written)
    assert marker is not None
    assert re.match(r"\[… [\d,]+ messages \(1\.\d MiB\) not written here: the full", marker)


def test_the_oldest_lines_the_desk_never_loaded_are_counted_at_the_start() -> None:
    lines = [line(i, f"message {i}") for i in range(100, 140)]
    written = fit_interaction(interaction(lines), MOCK_CRM_LIMITS, conversation_id="c-7", never_loaded=100).interaction
    assert written["transcript"][0]["text"].startswith("[… 100 messages (at least 0 bytes) not written here")
    assert [x["text"] for x in written["transcript"][1:]] == [x["text"] for x in lines], "all the rest is written"


def test_a_gigantic_note_is_cut_with_a_marker_and_a_long_line_too() -> None:
    long_line = line(0, "x" * 30_000)
    fitted = fit_interaction(interaction([long_line], "n" * 80_000), MOCK_CRM_LIMITS, conversation_id="c-9")
    written = fitted.interaction
    assert written["notes"].endswith(" [… 30,061 characters not written here: the CRM takes 50,000]")
    assert len(written["notes"]) == 50_000
    assert written["transcript"][0]["text"].endswith("the whole message stays in the contact center, conversation c-9]")


def test_without_the_transcript_the_marker_counts_every_line_and_an_earlier_cut() -> None:
    lines = [line(i, "é" * 1_000) for i in range(3_000)]
    once = fit_interaction(interaction(lines), MOCK_CRM_LIMITS, conversation_id="c-1").interaction
    bare = without_transcript(once, "c-1")
    assert len(bare["transcript"]) == 1
    count, size, _ = stands_for(bare["transcript"][0])
    assert count == 3_000
    assert abs(size - 3_000 * 2_000) < 0.06 * 3_000 * 2_000  # the earlier marker's size is rounded


def test_notes_cut_for_the_body_size_stay_within_the_notes_limit() -> None:
    """A marker is longer in characters than the escaped control characters it replaces: cut for the body's bytes,
    the notes still fit the CRM's character limit (found by the explore profile: 2,348 characters against 2,343)."""
    for body_bytes in range(40_000, 50_000, 37):
        limits = CrmLimits(
            max_body_bytes=body_bytes,
            max_transcript_items=3,
            max_item_chars=300,
            max_name_chars=20,
            max_notes_chars=2_343,
            max_private_notes=4,
            max_private_note_chars=831,
        )
        notes = interaction([line(0, "a" * 400)], "\x01" * 2_400, ["\x01" * 800] * 4)
        written = fit_interaction(notes, limits, conversation_id="c-000042").interaction
        assert len(written["notes"]) <= limits.max_notes_chars, body_bytes
        assert all(len(note) <= limits.max_private_note_chars for note in written["private_notes"]), body_bytes

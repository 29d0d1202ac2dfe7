"""A search hit's passage is plain text with its matches as offsets: Zendesk's `<em>` tags become offsets, and
anything else in a snippet — tags, console markup, escapes — is text the agent sees as it is written."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from agent_desktop.adapters.zendesk.help_center import body_text, passage
from agent_desktop.domain.knowledge.models import Passage


def test_em_tags_become_the_offsets_of_the_matched_words() -> None:
    found = passage("...don't confuse <em>carrots</em> with <em>potatoes</em>...")
    assert found.text == "...don't confuse carrots with potatoes..."
    assert found.matched() == ["carrots", "potatoes"]


def test_other_markup_in_a_snippet_is_shown_literally() -> None:
    snippet = "<b>bold</b> [red]x[/red] <script>alert(1)</script> \x1b[31m <EM>refund</EM> &lt;i&gt; &amp;"
    found = passage(snippet)
    assert found.text == "<b>bold</b> [red]x[/red] <script>alert(1)</script> \x1b[31m refund <i> &"
    assert found.matched() == ["refund"]


@pytest.mark.parametrize(
    ("snippet", "text", "matched"),
    [
        ("an <em>open tag never closed", "an open tag never closed", []),
        ("a stray </em> close", "a stray  close", []),
        ("<em></em>empty", "empty", []),
        ("<em>a&amp;b</em>", "a&b", ["a&b"]),
    ],
)
def test_broken_highlights_mark_nothing_and_lose_no_text(snippet: str, text: str, matched: list[str]) -> None:
    found = passage(snippet)
    assert (found.text, found.matched()) == (text, matched)


@given(st.text())
def test_any_snippet_reads_into_matches_within_its_text(snippet: str) -> None:
    found = passage(snippet)
    assert all(0 <= start < end <= len(found.text) for start, end in found.matches)


def test_a_passage_whose_matches_leave_its_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="not an ordered span"):
        Passage(text="short", matches=((2, 9),))
    with pytest.raises(ValidationError, match="not an ordered span"):
        Passage(text="overlapping", matches=((0, 5), (3, 6)))


def test_an_article_body_in_html_is_read_as_lines_of_text() -> None:
    body = (
        "<p>First paragraph &amp; more.</p><h2>Steps</h2><ol><li>One</li><li>Two <b>bold</b></li></ol>"
        "<h2>Policy</h2><ul><li>Rule</li></ul><script>ignored()</script><p>Line<br>break</p>"
    )
    assert body_text(body) == "First paragraph & more.\n\nSteps\n1. One\n2. Two bold\n\nPolicy\n- Rule\n\nLine\nbreak"

"""The model's wrap-up answer read strictly (agent_desktop/assist/wrap_up_answer.py): a disposition off the queue's
list, a missing summary or a rambling answer is nonsense, and the desk falls back to the rules' draft."""

from __future__ import annotations

import pytest

from agent_desktop.assist.wrap_up_answer import AiWrapUp, read_wrap_up

LIST = ["Refund issued", "Late fee waived", "No action needed"]


@pytest.mark.parametrize(
    "answer",
    [
        "Summary: Billy was charged a late fee; it was waived.\nDisposition: Late fee waived",
        "**Summary:** Billy was charged a late fee; it was waived.\n**Disposition:** late fee waived.",
        '{"summary": "Billy was charged a late fee; it was waived.", "disposition": "Late fee waived"}',
        '```json\n{"summary": "Billy was charged a late fee; it was waived.", "disposition": "LATE FEE WAIVED"}\n```',
    ],
)
def test_a_summary_and_a_disposition_of_the_list_are_read_in_the_lists_own_spelling(answer: str) -> None:
    assert read_wrap_up(answer, LIST) == AiWrapUp("Billy was charged a late fee; it was waived.", "Late fee waived")


@pytest.mark.parametrize(
    "answer",
    [
        "Summary: Waived it.\nDisposition: Customer delighted",  # not on the list
        "Disposition: Late fee waived",  # no summary
        "Summary: Waived it.",  # no disposition
        "I cannot help with that.",
        '{"summary": 3, "disposition": "Late fee waived"}',
        "Summary: " + "x" * 1_001 + "\nDisposition: Late fee waived",
    ],
)
def test_anything_else_is_nonsense(answer: str) -> None:
    assert read_wrap_up(answer, LIST) is None


def test_a_summary_over_several_lines_is_kept_whole() -> None:
    found = read_wrap_up("Summary: Billy asked about a fee.\nIt was waived.\nDisposition: Late fee waived", LIST)
    assert found == AiWrapUp("Billy asked about a fee. It was waived.", "Late fee waived")

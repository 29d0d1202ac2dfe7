"""The contact center's score of an evaluation: weighted, in [0, 100], zeroed by an auto-fail answer,
and equal to a hand calculation on the shipped forms."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.quality.schemas import Form, Question, Section
from agent_desktop_mocks.ccaas.quality.scoring import score
from agent_desktop_mocks.ccaas.quality.service import shipped_forms


def _form(questions: list[Question]) -> Form:
    return Form(id="f", name="F", channels=["voice"], sections=[Section(title="S", questions=questions)])


questions = st.lists(
    st.builds(
        Question,
        id=st.from_regex(r"^q[a-z0-9]{1,6}$", fullmatch=True),
        text=st.just("Q"),
        weight=st.integers(0, 5),
        scale=st.lists(st.just("a"), min_size=2, max_size=5),
        auto_fail=st.booleans(),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda q: q.id,
)


@st.composite
def answered(draw: st.DrawFn) -> tuple[Form, dict[str, int]]:
    qs = draw(questions)
    return _form(qs), {q.id: draw(st.integers(0, len(q.scale) - 1)) for q in qs}


@given(answered())
def test_a_score_is_between_0_and_100_and_zero_exactly_when_an_auto_fail_answer_is_lowest(
    case: tuple[Form, dict[str, int]],
) -> None:
    form, answers = case
    total, failed = score(form, answers)
    assert 0 <= total <= 100
    assert failed == any(q.auto_fail and answers[q.id] == 0 for q in form.questions())
    if failed:
        assert total == 0


@given(answered())
def test_top_answers_score_100_and_raising_one_answer_never_lowers_the_score(case: tuple[Form, dict[str, int]]) -> None:
    form, answers = case
    top = {q.id: len(q.scale) - 1 for q in form.questions()}
    assert score(form, top) == (100.0, False)
    for q in form.questions():
        if answers[q.id] < len(q.scale) - 1 and not score(form, answers)[1]:
            assert score(form, {**answers, q.id: answers[q.id] + 1})[0] >= score(form, answers)[0]


def test_weights_count_a_heavier_questions_miss_more() -> None:
    light = Question(id="light", text="L", weight=1, scale=["No", "Yes"])
    heavy = Question(id="heavy", text="H", weight=3, scale=["No", "Yes"])
    form = _form([light, heavy])
    assert score(form, {"light": 0, "heavy": 1}) == (75.0, False)
    assert score(form, {"light": 1, "heavy": 0}) == (25.0, False)


def test_the_voice_form_by_hand() -> None:
    """Voice standard: greeting 1 (Yes), verification 0 (auto-fail, Yes), understanding 2 (Good: 2 of 3),
    resolution 3 (Fair: 1 of 3), hold etiquette 1 (No), recap 1 (Partly: 1 of 2).
    100 × (1 + 2·2/3 + 3·1/3 + 0 + 1/2) ÷ 8 = 100 × 3.8333 ÷ 8 = 47.9; verification No: 0."""
    voice = next(f for f in shipped_forms() if f.id == "voice-standard")
    answers = {"greeting": 1, "verification": 1, "understanding": 2, "resolution": 1, "hold-etiquette": 0, "recap": 1}
    assert score(voice, answers) == (47.9, False)
    assert score(voice, {**answers, "verification": 0}) == (0.0, True)

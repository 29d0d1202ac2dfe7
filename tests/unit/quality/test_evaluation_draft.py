"""The supervisor's evaluation being scored: the preview agrees with the contact center's own scoring
for any form and answers, an auto-fail answer settles it at 0 before the rest is answered, answers stay within
their scale, and a question is drawn on one line with its scale and the chosen answer."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.domain.quality.forms import Form, FormQuestion, FormSection
from agent_desktop.supervisor_desk.quality.evaluation_draft import EvaluationDraft, preview_score
from agent_desktop_mocks.ccaas.quality import schemas as mock
from agent_desktop_mocks.ccaas.quality.scoring import score as contact_center_score
from agent_desktop_mocks.ccaas.quality.service import shipped_forms

questions = st.lists(
    st.builds(
        FormQuestion,
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
    form = Form(id="f", name="F", sections=[FormSection(title="S", questions=qs)])
    return form, {q.id: draw(st.integers(0, len(q.scale) - 1)) for q in qs}


@given(answered())
def test_the_preview_is_the_contact_centers_score(case: tuple[Form, dict[str, int]]) -> None:
    form, answers = case
    theirs = mock.Form.model_validate(form.model_dump(mode="json"))
    assert preview_score(form, answers) == contact_center_score(theirs, answers)
    total, failed = preview_score(form, answers)
    assert 0 <= total <= 100
    assert total == 0 if failed else True


def voice() -> Form:
    shipped = next(f for f in shipped_forms() if f.id == "voice-standard")
    return Form.model_validate(shipped.model_dump(mode="json"))


def test_an_auto_fail_answer_settles_the_preview_before_the_rest_is_answered() -> None:
    draft = EvaluationDraft(voice(), "c-000001")
    assert draft.preview() is None
    draft.move(1)  # verification: auto-fail
    assert draft.current.id == "verification"
    assert draft.answer(0)
    assert draft.preview() == (0.0, True)
    assert not draft.complete
    assert draft.missing[0] == "greeting"


def test_answers_stay_in_their_scale_and_the_cursor_in_the_form() -> None:
    draft = EvaluationDraft(voice(), "c-000001")
    draft.move(-3)
    assert draft.cursor == 0
    assert not draft.answer(2)  # greeting: No / Yes
    draft.step_answer(-1)
    assert draft.answers["greeting"] == 1  # unanswered, going down: from the top answer
    draft.step_answer(-1)
    draft.step_answer(-1)
    assert draft.answers["greeting"] == 0
    draft.move(99)
    assert draft.current.id == "recap"


def test_the_voice_form_by_hand_through_the_draft() -> None:
    draft = EvaluationDraft(voice(), "c-000001")
    for index in (1, 1, 2, 1, 0, 1):  # as tests/unit/mocks/test_quality_scoring.py: 47.9
        draft.answer(index)
        draft.move(1)
    assert draft.complete
    assert draft.preview() == (47.9, False)
    assert draft.line(draft.questions[2]) == (
        "Understood the reason for the call (weight 2):  1 Poor   2 Fair  [3 Good]  4 Excellent "
    )
    assert "(not scored, No fails the whole evaluation)" in draft.line(draft.questions[1])

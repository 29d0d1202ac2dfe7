"""Scoring a finished interaction, keyboard only: pick the interaction (↑↓ enter), read its review
(timeline, disposition, notes, the transcript's last lines: a call's as its live transcription said them, with no
audio here), then answer the form's
questions, one per line with its numbered scale (↑↓ question, ←→ or the answer's number, 1 the first, f another
form), write comments
(tab), and send (ctrl+s). The score preview and the auto-fail rule are the desk's (evaluation_draft.py). Where the
assistant's model is configured, it evaluates the interaction chosen first: its answers fill the questions the
supervisor has not answered, each with the passage of the transcript that justifies it (or "no passage"), to review
and override by the same keys (docs/assist.md, "Automated evaluations")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.assist.quality.auto_evaluation import EvaluationOutcome
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Evaluation
from agent_desktop.domain.quality.forms import Form, InteractionReview, InteractionSummary, QualityRollup
from agent_desktop.supervisor_desk.quality.evaluation_draft import EvaluationDraft
from agent_desktop.ui.plain_text import literal_title, plain, toast
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

TRANSCRIPT_LINES = 4  # the end of the conversation, where the outcome is; the full one is the monitor's
PASSAGE_CHARACTERS = 88  # a passage on its one line under its question, inside the box


BOX_WIDTH = 100  # evaluation_dialog.tcss: the box's width, at most the screen's
LIST_CHROME = 9  # the box's border and padding, the list's own border and scrollbar


def _summary_lines(
    interactions: list[InteractionSummary], queue_name: Callable[[str], str], screen_width: int
) -> list[Content]:
    """One line per interaction: when, channel, contact, agent, queue (by name), disposition; the agents' and the
    queues' columns as wide as their longest, the disposition the rest of the list's width (cut, never wrapped)."""
    agents = [i.agent_name or i.agent_id for i in interactions]
    queues = [queue_name(i.queue_id) for i in interactions]
    agent_w, queue_w = max(map(len, agents), default=0), max(map(len, queues), default=0)
    ids_w = max((len(i.contact_id) for i in interactions), default=0)
    width = min(BOX_WIDTH, screen_width) - LIST_CHROME
    rest = max(8, width - (5 + 2 + 5 + 1 + ids_w + 2 + agent_w + 2 + queue_w + 2))
    return [
        plain(
            f"{i.completed_at.astimezone().strftime('%H:%M')}  {i.channel.value:<5} {i.contact_id:<{ids_w}}  "
            f"{agent:<{agent_w}}  {queue:<{queue_w}}  {(i.disposition or '—')[:rest]}"
        )
        for i, agent, queue in zip(interactions, agents, queues, strict=True)
    ]


class Questions(Static, can_focus=True):
    """The form's questions, one per line; the one under the cursor highlighted."""

    BINDINGS = [
        Binding("up", "move(-1)", "Question", show=False),
        Binding("down", "move(1)", "Question", show=False),
        Binding("left", "step(-1)", "Answer", show=False),
        Binding("right", "step(1)", "Answer", show=False),
        *(Binding(str(n), f"answer({n - 1})", "Answer", show=False) for n in range(1, 10)),  # 1: the first answer
    ]

    def __init__(self, draft: EvaluationDraft, changed: Callable[[], None]) -> None:
        super().__init__(id="evaluation-questions")
        self.draft = draft
        self._changed = changed

    def show(self) -> None:
        lines: list[tuple[str, str]] = []
        for n, q in enumerate(self.draft.questions):
            lines.append(
                (
                    f"{'›' if n == self.draft.cursor else ' '} {self.draft.line(q)}",
                    "reverse" if n == self.draft.cursor else "",
                )
            )
            passage = self.draft.passage_line(q)
            if passage is not None:
                lines.append((f"    {one_line(passage, PASSAGE_CHARACTERS)}", "dim"))
        self.update(Content("\n").join(plain(text, style) for text, style in lines))
        self._changed()

    def action_move(self, step: int) -> None:
        self.draft.move(step)
        self.show()

    def action_step(self, step: int) -> None:
        self.draft.step_answer(step)
        self.show()

    def action_answer(self, index: int) -> None:
        if self.draft.answer(index):
            self.show()
        else:
            toast(self, plain(f"Answers 1–{len(self.draft.current.scale)} here (1 is the first)."), severity="warning")


class EvaluationDialog(OverlayScreen[None]):
    OVERLAY_NAME = "The evaluation"
    ATTENTION = OverlayKind.DIALOG
    CSS_PATH = "evaluation_dialog.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "send", "Send", priority=True),
        Binding("f", "next_form", "Form", show=False),
    ]

    def __init__(
        self,
        forms: list[Form],
        interactions: list[InteractionSummary],
        review: Callable[[str], Awaitable[InteractionReview | None]],
        submit: Callable[[EvaluationDraft, str], Awaitable[Evaluation | None]],
        rollup: list[QualityRollup] | None = None,
        queue_name: Callable[[str], str] = str,
        auto_evaluate: Callable[[InteractionReview, Form], Awaitable[EvaluationOutcome]] | None = None,
        agreement: list[str] | None = None,
    ) -> None:
        """`rollup`: the scores so far per agent and form, shown while an interaction is picked; `queue_name`: a
        queue's name by its id (the floor's); `auto_evaluate`: the assistant's evaluation of an interaction chosen
        (None: no model is configured, nothing is asked); `agreement`: how often its answers were the supervisor's,
        per question, shown under the scores."""
        super().__init__()
        self.rollup = rollup or []
        self.agreement = agreement or []
        self.forms = forms
        self.interactions = {i.contact_id: i for i in interactions}
        self._review, self._submit = review, submit
        self.queue_name = queue_name
        self._auto_evaluate = auto_evaluate
        self._reviewed: InteractionReview | None = None
        self.draft: EvaluationDraft | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="evaluation-box") as box:
            box.border_title = literal_title("Evaluate a finished interaction")
            box.border_subtitle = "↑↓ choose · enter score · esc close"
            shown = list(self.interactions.values())
            lines = _summary_lines(shown, self.queue_name, self.app.size.width)
            yield OptionList(
                *(Option(line, id=i.contact_id) for line, i in zip(lines, shown, strict=True)),
                id="evaluation-interactions",
            )
            yield Static(_rollup_text(self.rollup, self.agreement), id="evaluation-rollup")
            yield Static(id="evaluation-review")
            yield Static(id="evaluation-form", classes="evaluation-heading")
            yield Static(id="evaluation-auto")
            yield Questions(EvaluationDraft(self.forms[0], ""), self._show_score)
            yield Input(placeholder="Comments for the agent (tab)", max_length=2000, id="evaluation-comments")
            yield Static(id="evaluation-score")

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False
        for part in ("#evaluation-review", "#evaluation-form", "#evaluation-questions", "#evaluation-comments"):
            self.query_one(part).display = False
        self.query_one("#evaluation-auto").display = False

    @work(group="evaluation-review", exclusive=True)
    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = self.interactions.get(event.option.id or "")
        review = await self._review(chosen.contact_id) if chosen else None
        if chosen is None or review is None:
            return
        form = next((f for f in self.forms if chosen.channel in f.channels), self.forms[0])
        self._reviewed = review
        self._start(EvaluationDraft(form, chosen.contact_id))
        self.query_one("#evaluation-review", Static).update(_review_text(chosen, review))
        self.query_one(OptionList).display = self.query_one("#evaluation-rollup").display = False
        box = self.query_one("#evaluation-box")
        box.border_title = literal_title(f"Evaluate {chosen.contact_id} · {chosen.agent_name or chosen.agent_id}")
        box.border_subtitle = "↑↓ question · ←→ or 1–9 answer · f form · tab comments · ctrl+s send · esc cancel"

    def _start(self, draft: EvaluationDraft) -> None:
        self.draft = draft
        questions = self.query_one(Questions)
        questions.draft = draft
        for part in ("#evaluation-review", "#evaluation-form", "#evaluation-questions", "#evaluation-comments"):
            self.query_one(part).display = True
        self.query_one("#evaluation-form", Static).update(plain(f"Form: {draft.form.name} (f: another)", "bold"))
        questions.show()
        self.set_focus(questions)
        if self._auto_evaluate is not None and self._reviewed is not None:
            auto = self.query_one("#evaluation-auto", Static)
            auto.display = True
            auto.update(plain("The assistant is evaluating this interaction: answer meanwhile if you like.", "dim"))
            self._evaluate_automatically(self._reviewed, draft)

    @work(group="evaluation-auto", exclusive=True)
    async def _evaluate_automatically(self, review: InteractionReview, draft: EvaluationDraft) -> None:
        """The model's answers into the draft it was asked for, if that is still the one shown (never over an answer
        the supervisor gave); why there are none, said in the dialog."""
        if self._auto_evaluate is None:
            return
        outcome = await self._auto_evaluate(review, draft.form)
        if draft is not self.draft:
            return  # another form or interaction since: its own evaluation is asked
        if outcome.evaluation is not None:
            draft.take_model(outcome.evaluation)
        self.query_one("#evaluation-auto", Static).update(
            plain(outcome.said, "bold" if outcome.evaluation is not None else "")
        )
        self.query_one(Questions).show()

    def _show_score(self) -> None:
        draft, line = self.draft, self.query_one("#evaluation-score", Static)
        if draft is None:
            return line.update(plain(f"{len(self.interactions)} finished, not yet evaluated by you", "dim"))
        preview = draft.preview()
        if preview is None:
            return line.update(plain(f"Score: answer {len(draft.missing)} more question(s)", "dim"))
        score, failed = preview
        changed = len(draft.overridden())
        overrides = f" · {changed} of the assistant's answers changed" if changed else ""
        line.update(
            plain(f"Score {score:g}" + (" — auto-fail" if failed else "") + overrides + " (ctrl+s sends)", "bold")
        )

    def action_next_form(self) -> None:
        if self.draft is not None and len(self.forms) > 1 and not isinstance(self.focused, Input):
            at = next(n for n, f in enumerate(self.forms) if f.id == self.draft.form.id)
            self._start(EvaluationDraft(self.forms[(at + 1) % len(self.forms)], self.draft.contact_id))

    @work(group="evaluation-send", exclusive=True)
    async def action_send(self) -> None:
        if self.draft is None:
            return
        if not self.draft.complete:
            toast(self, plain(f"Answer every question first ({len(self.draft.missing)} left)."), severity="warning")
            return
        if await self._submit(self.draft, self.query_one(Input).value) is not None:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _rollup_text(rows: list[QualityRollup], agreement: list[str]) -> Content:
    if not rows:
        return plain("\n".join(["No evaluations in your queues yet.", *agreement]), "dim")
    lines: list[str] = []
    for r in rows:
        lines.append(
            f"{r.agent_name or r.agent_id} · {r.form_name or r.form_id}: {r.evaluations} evaluated, "
            f"mean {r.mean_score:g}, {r.auto_fails} auto-fail, {r.acknowledged} acknowledged"
            + (f", {len(r.disputes)} disputed" if r.disputes else "")
        )
        lines += [f"  disputed: {one_line(reason, 300)}" for reason in r.disputes]  # as typed, drawn literally
    return plain("Scores so far\n" + "\n".join([*lines, *agreement]))


def _review_text(chosen: InteractionSummary, review: InteractionReview) -> Content:
    times = " · ".join(f"{e.kind} {e.at.astimezone():%H:%M:%S}" for e in review.timeline) or "no events recorded"
    said = [f"{item.display_name}: {item.text}" for item in review.transcript if item.kind == "message"]
    lines = [f"{chosen.channel.value} · disposition {chosen.disposition or '—'} · {times}", *review.notes]
    lines += said[-TRANSCRIPT_LINES:] or ["(no transcript of this call: the timeline above is all there is)"]
    return plain("\n".join(lines))

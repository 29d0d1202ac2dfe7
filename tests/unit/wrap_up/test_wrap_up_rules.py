"""The wrap-up's rules (agent_desktop/agent_desk/wrap_up/wrap_up_rules.py) and the dispositions' tree (disposition_tree.py): what
ctrl+s does in each of the four modes, what a timed-out wrap-up is saved with, the extensions, the countdown."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.drafts.drafts import Draft
from agent_desktop.agent_desk.wrap_up import wrap_up_rules
from agent_desktop.agent_desk.wrap_up.disposition_tree import OTHER, disposition_tree, matching
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.models import Contact, ContactState, Queue, WrapUpRule
from tests.support.desk_events import T0, contact
from tests.support.narrowing import present

DEADLINE = T0 + timedelta(seconds=60)


def in_acw(extensions: int = 0, deadline: datetime | None = DEADLINE) -> Contact:
    return contact("c-1", ContactState.AFTER_CONTACT_WORK).model_copy(
        update={"acw_deadline": deadline, "acw_extensions": extensions}
    )


def rule(mode: str = "time_boxed", **kwargs: Any) -> WrapUpRule:
    fields: dict[str, Any] = {"mode": mode, **kwargs}  # a mode or a field the rule refuses, too
    return WrapUpRule(**fields)


def test_a_code_is_needed_except_in_an_optional_wrap_up() -> None:
    for mode in ("discretionary", "time_boxed"):
        refused = wrap_up_rules.on_save(rule(mode), None, in_acw(), T0)
        assert refused.disposition is None
        assert refused.why_not == "Choose a disposition first."
        assert wrap_up_rules.on_save(rule(mode), "Resolved", in_acw(), T0).disposition == "Resolved"
    optional = rule("optional", default_disposition="Resolved")
    assert wrap_up_rules.on_save(optional, None, in_acw(), T0).disposition == "Resolved"
    assert wrap_up_rules.on_save(rule("optional"), None, in_acw(), T0).disposition == "ACW timeout"
    assert wrap_up_rules.on_save(None, None, in_acw(), T0).disposition is None, "no rule: as before"


def test_no_early_exit_waits_for_the_deadline_then_saves() -> None:
    boxed = rule("time_boxed_no_early_exit")
    early = wrap_up_rules.on_save(boxed, "Resolved", in_acw(), T0 + timedelta(seconds=30))
    assert early.disposition is None
    assert "0:30" in early.why_not
    assert wrap_up_rules.on_save(boxed, "Resolved", in_acw(), DEADLINE).disposition == "Resolved"


def test_a_timed_out_wrap_up_is_saved_with_the_chosen_code_else_the_default_and_the_notes_as_typed() -> None:
    boxed = rule(default_disposition="Resolved")
    assert wrap_up_rules.on_timeout(boxed, Draft(None, "typed")) == ("Resolved", "typed")
    assert wrap_up_rules.on_timeout(boxed, Draft("Escalated", "typed")) == ("Escalated", "typed")
    assert wrap_up_rules.on_timeout(rule(), None) == ("ACW timeout", "")
    assert wrap_up_rules.saves_on_timeout(boxed)
    assert wrap_up_rules.saves_on_timeout(rule("time_boxed_no_early_exit"))
    assert not any(wrap_up_rules.saves_on_timeout(r) for r in (None, rule("optional"), rule("discretionary")))


def test_extensions_as_far_as_the_rule_allows_and_only_before_the_deadline() -> None:
    two = rule(extension_s=30, max_extensions=2)
    assert wrap_up_rules.can_extend(two, in_acw(0), T0)
    assert wrap_up_rules.can_extend(two, in_acw(1), T0)
    assert not wrap_up_rules.can_extend(two, in_acw(2), T0), "none left"
    assert not wrap_up_rules.can_extend(two, in_acw(0), DEADLINE), "time is up"
    assert not wrap_up_rules.can_extend(rule(extension_s=0, max_extensions=2), in_acw(0), T0)
    assert not wrap_up_rules.can_extend(rule("discretionary", extension_s=30, max_extensions=2), in_acw(0, None), T0)


def test_the_countdown_names_the_default_and_the_extensions_left() -> None:
    shown = wrap_up_rules.countdown(
        rule(extension_s=30, max_extensions=1, default_disposition="Resolved"), in_acw(), T0
    )
    assert shown is not None
    assert shown.level == "ok"
    assert shown.text == "closes in 1:00 · then saved as Resolved · +0:30 on request (1 left)"
    assert present(wrap_up_rules.countdown(rule(timeout_s=60), in_acw(), T0 + timedelta(seconds=50))).level == "near"
    assert present(wrap_up_rules.countdown(rule(), in_acw(), DEADLINE)).level == "due"
    assert wrap_up_rules.countdown(rule("discretionary"), in_acw(deadline=None), T0) is None


def test_a_contact_center_that_declares_rules_off_gives_none() -> None:
    queue = Queue(id="billing", name="Billing", wrap_up={"voice": rule()})
    assert wrap_up_rules.rule_for(queue, in_acw(), ContactCenterCapabilities()) == rule()
    assert wrap_up_rules.rule_for(queue, in_acw(), ContactCenterCapabilities(wrap_up_rules=False)) is None


def test_the_tree_keeps_every_code_once_under_its_first_category() -> None:
    tree = disposition_tree(
        ["Resolved", "Refund issued", "Escalated", "Callback"],
        {"Settled": ["Resolved", "Refund issued", "Unknown code"], "Follow-up": ["Escalated", "Resolved"]},
    )
    assert tree == [("Settled", ["Resolved", "Refund issued"]), ("Follow-up", ["Escalated"]), (OTHER, ["Callback"])]
    assert disposition_tree(["A", "B"], {}) == [("", ["A", "B"])], "no categories: one flat level"


@given(
    st.lists(st.text(min_size=1, max_size=8), max_size=12, unique=True),
    st.dictionaries(st.text(min_size=1, max_size=5), st.lists(st.text(min_size=1, max_size=8), max_size=6), max_size=4),
)
def test_every_disposition_is_offered_exactly_once(dispositions: list[str], groups: dict[str, list[str]]) -> None:
    offered = [code for _, codes in disposition_tree(dispositions, groups) for code in codes]
    assert sorted(offered) == sorted(dispositions)


def test_typing_cuts_the_tree_to_matching_codes_best_first() -> None:
    from textual.fuzzy import Matcher  # the picker's matcher; the desk takes any scoring function

    tree = [("Settled", ["Resolved", "Refund issued"]), ("Follow-up", ["Escalated", "Callback scheduled"])]
    assert matching(tree, Matcher("rfnd").match) == [("Settled", ["Refund issued"])]
    assert matching(tree, Matcher("follow").match) == [("Follow-up", ["Escalated", "Callback scheduled"])]

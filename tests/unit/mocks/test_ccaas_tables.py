"""The mock contact center's data tables (agent_desktop_mocks/ccaas/tables/data/*.toml): the shipped ones give exactly the
intents, menus, floor and team the Python data gave before they moved to TOML, and a bad entry is refused
with one line naming the file, the entry and the field."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from agent_desktop_mocks.ccaas.tables import floor_plan, intents, ivr, seed
from agent_desktop_mocks.ccaas.tables.load import load_tables
from agent_desktop_mocks.common.toml_tables import TableError

DATA = seed.DATA
NOW = datetime(2026, 1, 5, tzinfo=UTC)

# sha256 of each shipped table as canonical JSON, taken when the tables moved from Python to TOML and
# checked then field by field against the Python (same intents, rules, prompts, menus, queues, agents).
# A change to a table on purpose changes its digest: update it here in the same commit.
VOICEMAIL = {"voicemail_after_s", "voicemail_max_s"}  # a queue's messages: off by default, after these digests
NEW_FIELDS = {"response_targets", "wrap_up", "disposition_groups", "auto_accept", "caller_ids", *VOICEMAIL}
AUTO_ACCEPT = {"auto_accept"}  # Auto-accept, after the policies' digests: none on the shipped floor
AFTER_POLICIES = AUTO_ACCEPT | {"caller_ids"} | VOICEMAIL  # and the caller IDs a queue's placed calls show
DIGESTS = {
    "intents.toml": "24b1b0a47e3754acdc698f2615a2108f66b74e0f51aab033040094e7c29bd0cc",
    "ivr.toml": "97320b4cb12c3c4645e5b0ebbc7daae6b5ed44e592644d8055d9ec5a923f2130",
    "floor.toml": "02c12d79ea712a12676691261944affdb7bd2e4ec1244ef819ec5889c710fe2d",
    # what the floor builds from it: 250 queues, and the team of --agents 1000 --queues 100 (names aside:
    # Faker's, which a Faker release may change)
    "queues 250": "7d40ccd503c8649b2221df346dcb3be6d747c0176ff5f3ab29e13bd85b6546a8",
    # Added each queue's contact policy (NEW_FIELDS); the two above are of everything else, these whole
    "floor.toml with policies": "567300589d48255b3f7e8cc794fba6b22daaa28ef497dcfb8707c4b9a4ff35db",
    "queues 250 with policies": "a10eedf8231ba0ee4f44ca5920a080b0c858f89d473a01a0e51e53dee941faf2",
    "team 1000/100": "38686153ed1bcdaf0d5ad09066417b0029d8f7d8776becebdcd47407244181b7",
}
# "No sale" was added to Sales' dispositions, the code its customers' histories are full of: the
# floor's four digests above changed with it, and nothing else.


def digest(dumped: object) -> str:
    return hashlib.sha256(json.dumps(dumped, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def shipped_text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def write_bad(tmp_path: Path, name: str, old: str, new: str, count: int = 1) -> Path:
    """The shipped file with `old` replaced by `new` (the first `count` times), in a folder of its own."""
    text = shipped_text(name)
    assert old in text, old
    (tmp_path / name).write_text(text.replace(old, new, count), encoding="utf-8")
    return tmp_path


def refused(tmp_path: Path, name: str, old: str, new: str) -> str:
    """The one line that refuses the shipped `name` with `old` replaced by `new` (the folder's path left out)."""
    with pytest.raises(TableError) as caught:
        load_tables(write_bad(tmp_path, name, old, new))
    line = str(caught.value)
    assert "\n" not in line
    return line.removeprefix(f"{tmp_path}/")


def test_shipped_intents_are_those_of_before() -> None:
    table = intents.shipped()
    assert digest(table.model_dump(mode="json")) == DIGESTS["intents.toml"]
    by_queue = {q: [i.id for i in table.intents if i.queue == q] for q in ("billing", "tech_support", "sales")}
    assert by_queue == {
        "billing": ["billing_dispute", "payment_method", "refund_request"],
        "tech_support": ["password_reset", "internet_dropping", "device_pairing"],
        "sales": ["upgrade_question", "order_not_arrived", "add_line"],
    }
    assert table.by_id["payment_method"].rules[1].agent_prompt == "What is the new card number?"  # its own prompt


def test_a_folder_without_a_table_keeps_the_shipped_one(tmp_path: Path) -> None:
    tables = load_tables(tmp_path)
    assert tables["intents"] is intents.shipped()
    assert tables["floor"] is seed.shipped()
    assert tables["ivr"] == ivr.demo_ivr()


def test_a_folder_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="not a folder"):
        load_tables(tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            'text = "Thank you! How long until the {amount} is back on my account?"\n',
            "",
            'intents.toml: intent "billing_dispute": rule "refund": text missing',
            id="rule-field-missing",
        ),
        pytest.param(
            'label = "Refund request"\n',
            "",
            'intents.toml: intent "refund_request": label missing',
            id="intent-field-missing",
        ),
        pytest.param(
            'business days."\nresolves = true',
            'business days."\nresolves = "yes please"',
            'intents.toml: intent "billing_dispute": rule "timeline": resolves: Input should be a valid boolean',
            id="wrong-type",
        ),
        pytest.param(
            'sms = "ok thx"\n',
            'sms = "ok thx"\nsmss = "typo"\n',
            'intents.toml: intent "billing_dispute": rule "timeline": smss: Extra inputs are not permitted',
            id="unknown-field",
        ),
        pytest.param(
            "{amount} on {date}. Can you fix that?",
            "{amout} on {date}. Can you fix that?",
            'intents.toml: intent "billing_dispute": opening: unknown placeholder {amout}',
            id="unknown-placeholder",
        ),
        pytest.param(
            'id = "payment_method"',
            'id = "billing_dispute"',
            'intents.toml: intent "billing_dispute" twice',
            id="duplicate-intent",
        ),
        pytest.param(
            'name = "card"',
            'name = "verify"',
            'intents.toml: intent "billing_dispute": rule "verify" twice',
            id="duplicate-rule",
        ),
        pytest.param(
            'sms = "ok thx"\nagent_prompt = "It will show on your statement within 3 to 5 business days."\n'
            "resolves = true",
            'sms = "ok thx"\nagent_prompt = "It will show on your statement within 3 to 5 business days."',
            'intents.toml: intent "billing_dispute": no rule resolves the problem',
            id="nothing-resolves",
        ),
        pytest.param("[shared]", "[shared", "intents.toml: not TOML: ", id="not-toml"),
    ],
)
def test_a_bad_intent_is_refused_naming_it(tmp_path: Path, old: str, new: str, expected: str) -> None:
    line = refused(tmp_path, "intents.toml", old, new)
    assert line.startswith(expected), line


def test_shipped_menus_are_those_of_before() -> None:
    entries = ivr.demo_ivr()
    assert digest([entry.model_dump(mode="json") for entry in entries]) == DIGESTS["ivr.toml"]
    assert [(e.number, e.language) for e in entries] == [("+18005550100", "en"), ("+18005550199", "es")]
    leaves = [(keys, option.queue_id, option.intent) for keys, option in ivr.menu_leaves(entries[0].options)]
    assert leaves == [
        (["1", "1"], "billing", "payment"),
        (["1", "2"], "billing", "billing_inquiry"),
        (["2"], "tech_support", "tech_support"),
        (["3"], "sales", "sales"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            'label = "Pay a bill"\n', "", "ivr.toml: menu.main.1.options.1: label missing", id="field-missing"
        ),
        pytest.param(
            "self_service_pct = 40",
            "self_service_pct = 140",
            "ivr.toml: menu.main.1.options.1: self_service_pct: Input should be less than or equal to 100",
            id="out-of-range",
        ),
        pytest.param(
            'intent = "sales"',
            'intent = "sales"\nqueue = "sales"',
            "ivr.toml: menu.main.3: queue: Extra inputs are not permitted",
            id="unknown-field",
        ),
        pytest.param(
            'menu = "main"  # the demo',
            'menu = "mian"  # the demo',
            'ivr.toml: entry "+18005550199": no menu "mian" (menus: main)',
            id="unknown-menu",
        ),
        pytest.param(
            'number = "+18005550199"',
            'number = "+18005550100"',
            'ivr.toml: entry "+18005550100" twice',
            id="duplicate-number",
        ),
        pytest.param(
            'language = "es"\n',
            'language = ["es"]\n',
            'ivr.toml: entry "+18005550199": language: Input should be a valid string',
            id="wrong-type",
        ),
    ],
)
def test_a_bad_menu_is_refused_naming_it(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert refused(tmp_path, "ivr.toml", old, new) == expected


def test_shipped_floor_and_what_it_builds_are_those_of_before() -> None:
    floor = seed.shipped()
    # Breaks with limits added `break_limits` to the floor and each agent: the digests are of the rest
    before: dict[str, Any] = {"supervisors": True, "break_limits": True, "queues": {"__all__": NEW_FIELDS}}
    assert digest(floor.model_dump(mode="json", exclude=before)) == DIGESTS["floor.toml"]
    with_policies: dict[str, Any] = {"supervisors": True, "break_limits": True, "queues": {"__all__": AFTER_POLICIES}}
    assert all(queue.auto_accept == {} for queue in floor.queues), "every offer waits for the agent unless set"
    assert digest(floor.model_dump(mode="json", exclude=with_policies)) == DIGESTS["floor.toml with policies"]
    assert {reason: limit.max_s for reason, limit in floor.break_limits.items()} == {
        "Break": 900,
        "Lunch": 1800,
        "Coaching": 1800,
    }
    # Added the supervisors who may monitor: the demo's (every queue) and one of billing only
    assert [(s.id, s.queues) for s in floor.supervisors] == [("supervisor", []), ("supervisor-billing", ["billing"])]
    assert (
        digest([q.model_dump(mode="json", exclude=NEW_FIELDS) for q in floor_plan.queues(250)]) == DIGESTS["queues 250"]
    )
    assert (
        digest([q.model_dump(mode="json", exclude=AFTER_POLICIES) for q in floor_plan.queues(250)])
        == DIGESTS["queues 250 with policies"]
    )
    size = floor_plan.FloorSize(agents=1000, queues=100)
    team = floor_plan.simulated_agents(size, floor_plan.queues(100), 42, NOW)
    dumped = [a.model_dump(mode="json", exclude={"name", "state_since", "break_limits"}) for a in team]
    assert digest(dumped) == DIGESTS["team 1000/100"]
    assert all(a.break_limits == floor.break_limits for a in team), "every agent has the floor's limits"
    demo_team = seed.simulated_agents(42, NOW)
    assert [(a.id, a.proficiency) for a in demo_team] == [
        ("agent-002", {"billing": 4, "sales": 2}),
        ("agent-003", {"billing": 3}),
        ("agent-004", {"tech_support": 5}),
        ("agent-005", {"tech_support": 3, "billing": 2}),
        ("agent-006", {"sales": 4, "tech_support": 2}),
        ("agent-007", {"billing": 3, "tech_support": 3, "sales": 3}),
    ]
    assert team[:6] == demo_team  # a bigger floor keeps the demo's team, names and all
    alex = seed.demo_agent(NOW)
    assert (alex.id, alex.name, alex.proficiency, alex.not_ready_reasons) == (
        "agent-001",
        "Alex Morgan",
        {"billing": 4, "tech_support": 3, "sales": 3},
        ["Break", "Lunch", "Training", "Meeting", "Coaching"],
    )


def test_every_agent_comes_from_the_one_builder() -> None:
    """The demo agent, the demo's team, a generated team and the simulator's virtual team: the same fields."""
    from agent_desktop_mocks.ccaas.simulator.config import SimulatorConfig, TeamSpec
    from agent_desktop_mocks.ccaas.simulator.traffic import Simulator

    config = SimulatorConfig(team=[TeamSpec(2, {"billing": 3}, {"voice": 1, "chat": 2})])
    virtual = Simulator.virtual(config, seed=3, start=NOW)
    reasons, limits = seed.shipped().not_ready_reasons, seed.shipped().break_limits
    capacity = {"voice": 1, "chat": 2}
    built = seed.agent(3, "Simulated agent 1", {"billing": 3}, NOW, reasons, capacity=capacity, limits=limits)
    assert virtual.engine.read.agent("agent-003") == built


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            'name = "Technical support"\nskills',
            "skills",
            'floor.toml: queue "tech_support": name missing',
            id="queue-field-missing",
        ),
        pytest.param(
            "proficiency = { tech_support = 5 }",
            "proficiency = { tech_support = 6 }",
            "floor.toml: simulated_agent 3: tech_support = 6: a proficiency is 1..5",
            id="proficiency-range",
        ),
        pytest.param(
            "proficiency = { billing = 3 }\n",
            "proficiency = { biling = 3 }\n",
            'floor.toml: simulated_agent 2 (agent-003): skill "biling" is no queue\'s',
            id="unknown-skill",
        ),
        pytest.param('id = "sales"', 'id = "billing"', 'floor.toml: queue "billing" twice', id="duplicate-queue"),
        pytest.param(
            "acw_timeout_s = 45\n",
            "acw_timeout_s = 45\nacw_timout_s = 45\n",
            'floor.toml: queue "sales": acw_timout_s: Extra inputs are not permitted',
            id="unknown-field",
        ),
        pytest.param(
            'id = "fraud"',
            'id = "Fraud Desk"',
            'floor.toml: line "Fraud Desk": id: String should match pattern',
            id="bad-line-id",
        ),
        pytest.param(
            "priority = 2",
            'priority = "high"',
            'floor.toml: queue "tech_support": priority: Input should be a valid integer',
            id="wrong-type",
        ),
    ],
)
def test_a_bad_floor_is_refused_naming_it(tmp_path: Path, old: str, new: str, expected: str) -> None:
    line = refused(tmp_path, "floor.toml", old, new)
    assert line.startswith(expected), line


def test_a_menu_must_route_to_a_queue_of_the_floor(tmp_path: Path) -> None:
    assert refused(tmp_path, "ivr.toml", 'queue_id = "sales"', 'queue_id = "sale"') == (
        'ivr.toml: entry "+18005550100": option 3: queue_id "sale" is not a queue of floor.toml '
        "(billing, sales, tech_support)"
    )


def test_an_intent_must_belong_to_a_queue_or_a_line_of_the_floor(tmp_path: Path) -> None:
    assert refused(tmp_path, "intents.toml", 'queue = "sales"', 'queue = "retail"') == (
        'intents.toml: intent "upgrade_question": queue "retail" is neither a queue nor a line of floor.toml'
    )


def test_the_crms_histories_use_the_codes_their_queues_offer() -> None:
    """An agent who sees 'No sale' all over a customer's history finds it in the Sales wrap-up too:
    every code the seeded CRM writes for a queue is one of that queue's dispositions on the shipped floor."""
    from agent_desktop_mocks.crm.seed import _OUTCOMES

    offered = {queue.id: set(queue.dispositions) for queue in seed.shipped().queues}
    for queue_id, outcomes in _OUTCOMES.items():
        assert set(outcomes) <= offered[queue_id], (queue_id, set(outcomes) - offered[queue_id])

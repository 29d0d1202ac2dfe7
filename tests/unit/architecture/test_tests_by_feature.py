"""The tests are laid out by tier, then by feature (docs/testing.md, "Tiers"): every test module is
`tests/<tier>/<feature>/test_*.py`, none at a tier's top, and a feature folder is one of `FEATURES`, the same word in
every tier and, where the code has one, the shipped package's name. A new folder is a choice written down here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.tiers import TIERS

TESTS = Path(__file__).resolve().parents[2]
# Folders beside the tests that hold no test module of their own.
NOT_FEATURES = {"__pycache__", "__snapshots__"}
FEATURES: dict[str, str] = {
    # The agent's desk: its core, then its features (agent_desktop/agent_desk/).
    "desk": "the desk's core: its model, controller, commands, runtime and sessions, a whole agent flow",
    "offers": "an offer: its countdown, deadline, auto-accept, missed unseen, replaced",
    "attention": "what is in front of the agent and whose each key is: offers over open dialogs, keys in a burst",
    "wrap_up": "after-contact work: its rules, time box, dispositions, drafts and summary",
    "conversations": "chats, emails and SMS: transcripts, composer, quick responses, held sends, SLA clocks",
    "callbacks": "callbacks an agent owns",
    "follow_ups": "follow-ups after a contact, their consent and messaging",
    "my_day": "the agent's day: figures, schedule strip, breaks and their limits",
    "experts": "the experts panel and the presence directory",
    "flags": "help from the supervisor: flags, their threads, broadcasts (both desks)",
    "callers": "who is calling: lookups, caller ids, the new-caller form, copying their details",
    "transfers": "transfers and consults: the dialog, the note that travels, the record left",
    # The supervisor's desk (agent_desktop/supervisor_desk/).
    "supervisor": "the supervisor's screen and floor: queues, agents, alerts, drill-downs, said alerts",
    "monitoring": "a supervisor on a contact: listen, whisper, barge",
    "workforce": "staffing advice, Erlang C, schedules, adherence, the gap chart",
    "quality": "evaluations: scored by the supervisor, read by the agent",
    # Across the desks.
    "outbox": "writes to the CRM: stored first, sent once, retried, fitted to the CRM's limits",
    "customer_card": "the screen pop and the customer card: tabs, journey, timeline, history",
    "pci": "card data masked wherever text leaves the desk",
    "assist": "the assistant model and the knowledge base: suggestions, AI wrap-up, articles",
    "handoff": "AI-agent handoffs: the mock's virtual agent, its escalation rules, the offer and history it hands on",
    "transcripts": "calls' live transcripts and the customer's mood",
    "voice": "calls with sound: the softphone, its control link, media proven by recognising it",
    "voicemail": "a caller's message routed as work: left, cut at its limit, offered, heard and called back",
    "backends": "the backend protocols, HTTP clients, wire models, streams, links and clocks",
    "hostile": "hostile backends and text: markup, escapes, bidi, odd ids, spoiled answers",
    "local": "the desk's own files: paths it trusts, private files, logs, a full disk",
    "remote": "the remote control: its socket, protocol and command line",
    "terminal": "the terminal: notifications, signals, reader mode, tmux conventions, control characters",
    "keys": "keymap, bindings, footer, palette and help",
    "looks": "layout snapshots, fit at 80x24 and narrower, themes, styles, how words read",
    "start_up": "imports and start-up of the desk",
    "config": "settings, the command line, shell completion, serve, the installed wheel and its extras",
    "demo": "`agent-desktop demo` as a presenter runs it",
    # Backends by vendor, and what stands in for them.
    "twilio": "the Twilio backend and the Twilio-shaped mock",
    "zendesk": "the Zendesk backend and the Zendesk-shaped mock",
    "xmpp": "the XMPP presence backend against a real Prosody",
    "relay": "the Twilio event relay (agent_desktop_relay)",
    "mocks": "the mock servers themselves: the contact center's engine and simulator, the CRM, presence, model",
    # The project itself.
    "architecture": "guards over the code: layers, import cycles, package sizes, literal sinks, Textual's API",
    "tooling": "the tests' and benchmarks' own tools: collection order, CPU load, benchmark runners, scripts",
}


def _tier_folders() -> list[tuple[str, Path]]:
    return [
        (tier, folder)
        for tier in TIERS
        for folder in sorted((TESTS / tier).iterdir())
        if folder.is_dir() and folder.name not in NOT_FEATURES
    ]


@pytest.mark.parametrize("tier", TIERS)
def test_no_test_module_at_a_tiers_top(tier: str) -> None:
    at_top = sorted(path.name for path in (TESTS / tier).glob("test_*.py"))
    assert at_top == [], f"put each in tests/{tier}/<feature>/ (FEATURES names them)"


def test_each_feature_folder_is_a_feature_written_down() -> None:
    unknown = [f"{tier}/{folder.name}" for tier, folder in _tier_folders() if folder.name not in FEATURES]
    assert unknown == [], "use a feature of FEATURES, or add the new one there with what it holds"


def test_each_feature_folder_is_a_package_of_test_modules_only() -> None:
    """An `__init__.py` keeps module names unique (two tiers hold a `test_my_day.py`); a folder below a feature
    would be a second scheme."""
    for tier, folder in _tier_folders():
        assert (folder / "__init__.py").is_file(), f"tests/{tier}/{folder.name}/ needs an __init__.py"
        nested = sorted(str(path.relative_to(folder)) for path in folder.rglob("test_*.py") if path.parent != folder)
        assert nested == [], f"tests/{tier}/{folder.name}/ holds test modules below it: {nested}"


def test_every_feature_written_down_has_tests() -> None:
    used = {folder.name for _, folder in _tier_folders()}
    assert sorted(set(FEATURES) - used) == [], "a feature no tier uses: take it out of FEATURES"

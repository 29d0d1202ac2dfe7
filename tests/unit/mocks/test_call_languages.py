"""One language per simulated caller (a low: "the mock's IVR subjects and languages disagree with the call
scripts and the card"). A caller through the IVR dialled the Spanish number one time in ten whoever they were, then
spoke the English script, while the card showed the language the CRM's seed had drawn for them apart (Spanish,
French, German for some English callers). Now the caller's language is theirs (`demo_people`), the CRM writes it and
the IVR number they dial is the one of their language, and they speak a script written in it: the call scripts are
in English, so only English speakers are simulated calling through the IVR until a script is written in another."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import sqlite_utils

from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_mocks.ccaas.simulator.config import SimulatorConfig
from agent_desktop_mocks.ccaas.simulator.traffic import Simulator
from agent_desktop_mocks.ccaas.tables.call_scripts import shipped
from agent_desktop_mocks.crm import seed as crm_seed
from agent_desktop_mocks.crm import store
from agent_desktop_mocks.demo_people import callers
from tests.support.narrowing import present

SEED = 5


def test_a_callers_ivr_number_script_and_card_are_in_one_language() -> None:
    config = SimulatorConfig(channel_mix={Channel.VOICE: 1.0}, backlog=0, known_caller_share=0.9)
    sim = Simulator.virtual(config, seed=SEED)
    sim.run_for(3600)
    crm = sqlite_utils.Database(memory=True)
    store.create_tables(crm)
    crm_seed.seed(crm, seed=SEED, customers=60, now=datetime(2026, 1, 5, tzinfo=UTC))  # the simulator's callers
    heard: Counter[tuple[str, str, str]] = Counter()  # (the IVR's language, the script's, the card's): calls
    known_callers = 0
    for contact in sim.contacts():
        if contact.attached is None or contact.attached.language is None:
            continue  # not through the IVR (a backlog's, a menu that does not lead to the queue)
        ivr = present(contact.attached.language)
        script = shipped().for_call(contact.attached.intent, contact.queue_id, 0, contact.subject, ivr)
        known = store.customers_by_phone(crm, "+1" + store.digits(contact.from_address)[-10:])
        known_callers += bool(known)
        card = present(known[0].language) if known else ivr  # a new caller: no card to disagree with
        heard[ivr, script.language, card] += 1
    assert sum(heard.values()) > 30, heard
    assert all(ivr == script == card for ivr, script, card in heard), heard
    assert known_callers > 20, "callers the CRM knows came through the IVR"


def test_the_crm_writes_the_callers_own_language_and_every_language_is_some_callers() -> None:
    crm = sqlite_utils.Database(memory=True)
    store.create_tables(crm)
    crm_seed.seed(crm, seed=SEED, customers=200, now=datetime(2026, 1, 5, tzinfo=UTC))
    people = callers(SEED, 200)
    written = {c.index: present(store.get_customer(crm, f"cus-{c.index + 1:06d}")).language for c in people}
    assert written == {c.index: c.language for c in people}
    assert set(written.values()) == {"en", "es", "fr", "de"}

"""A new caller's name, whatever it holds, through the new-caller flow to the mock CRM and to Zendesk.

"José García" once ended the desk: the name went into the Idempotency-Key header, which httpx encodes as ASCII.
A card number typed into the name reached the CRM and the key (Zendesk keeps it as the user's external id).
Hypothesis draws names from the whole of Unicode and card numbers written every way `pci_cards` knows; the
desk's controller sends each form as the agent's enter does. Invariants: the flow answers (created, or "Not
created: <why>") and never raises; a name without card data is stored as typed; no file of either CRM shows
more than ten digits of a card number.
"""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.agent_desk.callers.caller_use_cases import new_caller_key
from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import NewCustomer
from agent_desktop.outbox.store import Outbox
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.zendesk.app import create_app as create_zendesk
from agent_desktop_mocks.zendesk.settings import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN
from tests.contract.zendesk_contract import ContractTransport
from tests.support.desk_events import AGENT_ID
from tests.support.hypothesis_profiles import examples
from tests.support.pci_cards import gives_away, words, written_card
from tests.support.pci_files import files_giving_away

_contacts = itertools.count(1)


@pytest.fixture(scope="module")
def crms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[str, Path]]]:
    """The mock CRM and the Zendesk-shaped mock on loopback, each with its own folder (shared by the examples)."""
    folders = {kind: tmp_path_factory.mktemp(kind) for kind in ("http", "zendesk")}
    apps = [
        create_crm(MockSettings(data_dir=folders["http"], seed=7, customers=20, simulator=False, fresh=True)),
        create_zendesk(MockSettings(data_dir=folders["zendesk"], seed=7, customers=20, simulator=False, fresh=True)),
    ]
    running = serve_in_thread(apps)
    try:
        yield {"http": (running.urls[0], folders["http"]), "zendesk": (running.urls[1], folders["zendesk"])}
    finally:
        running.stop()


@st.composite
def card_names(draw: st.DrawFn) -> tuple[str, str]:
    """A name with a card number in it, the number written any way (letters between its groups included)."""
    digits, pieces = draw(written_card())
    return digits, f"{draw(words)} {''.join(pieces)} {draw(words)}"


# Any name a keyboard or a paste can give, but no control character (an Input holds none) and not blank.
unicode_names = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), min_size=1, max_size=40)
names = st.one_of(unicode_names.filter(str.strip).map(lambda name: ("", name)), card_names())


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(named=names, kind=st.sampled_from(["http", "zendesk"]))
@example(named=("", "José García"), kind="http")
@example(named=("", "José García"), kind="zendesk")
@example(named=("", "李小龍 🐉"), kind="http")
@example(named=("4111111111111111", "Ana 4111x1111x1111x1111 Diaz"), kind="http")
@example(named=("4111111111111111", "Ana 4111 1111 1111 1111 Diaz"), kind="zendesk")
def test_a_new_callers_name_never_ends_the_desk_and_no_card_number_reaches_the_crm(
    crms: dict[str, tuple[str, Path]], tmp_path: Path, named: tuple[str, str], kind: str
) -> None:
    digits, name = named
    url, folder = crms[kind]
    said, stored = asyncio.run(_create(kind, url, folder, tmp_path, name))
    assert said is None or said.startswith("Not created: "), said
    if digits:
        assert not gives_away(digits, stored or ""), stored
        assert files_giving_away(digits, folder) == [], (kind, name)
    elif said is None:
        assert stored == name.strip(), "the name is stored as typed"


def _last_made(folder: Path) -> str:
    """The name of the customer the CRM made last, from its own database (not through the backend)."""
    with sqlite3.connect(folder / "crm.db") as db:
        found: str = db.execute("select name from customers order by rowid desc limit 1").fetchone()[0]
        return found


async def _create(kind: str, url: str, folder_of_crm: Path, folder: Path, name: str) -> tuple[str | None, str | None]:
    """The new-caller form sent for a fresh contact: what the desk says, and the name the CRM shows."""
    crm: HttpCrm | ZendeskCrm
    if kind == "http":
        crm = HttpCrm(url, DEMO_CRM_TOKEN)
    else:
        crm = ZendeskCrm(url, DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=ContractTransport())
    outbox = Outbox(folder / f"outbox-{next(_contacts)}.db")
    controller = DeskController(Desk(AGENT_ID), None, crm, None, outbox)  # type: ignore[arg-type]
    try:
        contact_id = f"c-{next(_contacts):06d}"
        said = await controller.caller.create_customer(contact_id, NewCustomer(name=name, phones=[]))
        return said, _last_made(folder_of_crm) if said is None else None
    finally:
        await controller.aclose()
        outbox.close()
        await crm.aclose()


def test_the_new_caller_key_is_plain_ascii_and_holds_no_part_of_the_name() -> None:
    for name in ["José García", "Ana 4111 1111 1111 1111", "李小龍", "\u200b", "a" * 1000]:
        key = new_caller_key("c-é-1", NewCustomer(name=name))
        assert key.isascii()
        assert key.isprintable()
        assert len(key) < 64
        assert "1111" not in key
        assert "Jos" not in key
        assert "Ana" not in key
    assert new_caller_key("c-1", NewCustomer(name="Ana")) == new_caller_key("c-1", NewCustomer(name="Ana")), (
        "a resend is one customer"
    )
    assert new_caller_key("c-1", NewCustomer(name="Ana")) != new_caller_key("c-2", NewCustomer(name="Ana"))

"""The simulator's callers: arrivals at each queue at random (Poisson, optionally shaped by the time of day),
who they are and what they call about, their way through the IVR, and when they give up or ask for a callback."""

from __future__ import annotations

import asyncio
import logging
import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from agent_desktop_mocks.ccaas.core.wire.schemas import AttachedData, Channel, ContactState
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.simulator.agenda import Agenda
from agent_desktop_mocks.ccaas.simulator.bot_customers import BotCustomers
from agent_desktop_mocks.ccaas.simulator.config import SimulatorConfig
from agent_desktop_mocks.ccaas.tables import call_scripts
from agent_desktop_mocks.ccaas.tables.contact_subjects import subjects_for
from agent_desktop_mocks.ccaas.tables.ivr import (
    CustomerDirectory,
    IvrEntry,
    NoDirectory,
    attached_data,
    identify,
    menu_leaves,
    walk,
)
from agent_desktop_mocks.demo_people import Caller, unknown_caller_phone

log = logging.getLogger(__name__)


@dataclass(eq=False)
class SimulatedCallers:
    """`speed`: real time, the people's pace (a backlog's waits are simulated seconds), and the IVR dips the
    CRM (`directory`); None: virtual time (no dip: it is a network call)."""

    engine: Engine
    config: SimulatorConfig
    rng: random.Random
    agenda: Agenda
    callers: Sequence[Caller]
    ivr: list[IvrEntry]
    directory: Callable[[], CustomerDirectory] | None
    speed: float | None
    bots: BotCustomers | None = None  # the customers of queues whose chat entry or calls have the virtual agent
    _patience_for: set[str] = field(default_factory=set)
    _dips: set[asyncio.Task[None]] = field(default_factory=set)

    def schedule_arrival(self, queue_id: str) -> None:
        rate = self._rate_per_s(queue_id)
        if rate > 0:
            self.agenda.at(self.rng.expovariate(rate), "arrive", queue_id)
        else:
            self.agenda.at(60.0, "rate", queue_id)  # look again in a minute (time-of-day profile)

    def _rate_per_s(self, queue_id: str) -> float:
        rate = self.config.arrivals_per_minute[queue_id] / 60
        if self.config.time_of_day_profile:
            rate *= self.config.time_of_day_profile.get(self.engine.read.now().hour, 1.0)
        return rate

    def arrive_somewhere(self, waited_s: float = 0.0) -> None:
        """A caller at a queue picked by the queues' rates."""
        queue_ids = list(self.config.arrivals_per_minute)
        self.arrive(self.rng.choices(queue_ids, list(self.config.arrivals_per_minute.values()))[0], waited_s)

    def arrive(self, queue_id: str, waited_s: float = 0.0) -> None:
        """A caller (known to the CRM or not) on a channel picked by the mix; a voice call goes through the IVR."""
        rng, cfg = self.rng, self.config
        mix = list(cfg.channel_mix.items())
        channel = rng.choices([c for c, _ in mix], [w for _, w in mix])[0]
        known = rng.random() < cfg.known_caller_share
        by_phone = channel in (Channel.VOICE, Channel.SMS)
        through_ivr = channel == Channel.VOICE and cfg.through_ivr and not waited_s
        language = None  # a new caller's: unknown until they choose a number
        if known:
            caller = rng.choice(self.callers)
            if through_ivr:
                caller = self._speaking(caller)
            address, language = caller.phone_as_written(rng) if by_phone else caller.email, caller.language
        else:
            address = unknown_caller_phone(rng) if by_phone else f"visitor{rng.randint(1000, 9999)}@example.net"
        scale = self.speed or 1.0
        entered = self.engine.read.now() - timedelta(seconds=waited_s / scale) if waited_s else None
        subject = rng.choice(subjects_for(queue_id))
        if through_ivr:
            self._through_ivr(queue_id, address, subject, language)
            return
        bot = self.bots.takes(queue_id) if self.bots is not None and channel == Channel.CHAT and not waited_s else None
        if bot is not None and self.bots is not None:
            self.bots.write(bot, queue_id, address, subject)  # the bot hands over to the queue, or keeps them
            return
        self._enter(queue_id, channel, address, subject, entered, waited_s, None)

    def _spoken(self) -> list[IvrEntry]:
        """The IVR's numbers whose language a call script is written in: the numbers a simulated caller dials."""
        languages = call_scripts.shipped().languages
        return [entry for entry in self.ivr if entry.language in languages] or self.ivr[:1]

    def _speaking(self, caller: Caller) -> Caller:
        """`caller`, or the next caller after them who speaks the language of a number a simulated caller dials: a
        caller speaks a script written in their language, and the card says the language they speak."""
        spoken = {entry.language for entry in self._spoken()}
        count = len(self.callers)
        for step in range(count):
            other = self.callers[(caller.index + step) % count]
            if other.language in spoken:
                return other
        return caller

    def _through_ivr(self, queue_id: str, address: str, subject: str, language: str | None) -> None:
        """The caller dials the number of their language (a new caller: the second number for a share of calls,
        where it is one a simulated caller dials), picks the menu path to their queue; some take the self-service
        offered."""
        rng = self.rng
        entries, spoken = self.ivr, self._spoken()
        second = len(entries) > 1 and rng.random() < self.config.second_language_share  # (drawn for every caller)
        wanted = language or (entries[1] if second else entries[0]).language
        entry = next((e for e in spoken if e.language == wanted), spoken[0])
        paths = [keys for keys, option in menu_leaves(entry.options) if option.queue_id == queue_id]
        if not paths:  # the menu does not lead there: the call reaches the queue directly
            self._enter(queue_id, Channel.VOICE, address, subject, None, 0.0, None)
            return
        menu = walk(entries, entry.number, rng.choice(paths))
        # What they tell the IVR is what their call is about: one of the subjects its intent's call scripts are said
        # under, so the card's subject and what is said on the call agree (tables/call_scripts.py).
        # (Drawn from the subject already drawn, so the simulator's own draws stay as they were.)
        draw = zlib.crc32(f"{address} {subject}".encode()) / 2**32
        subject = call_scripts.shipped().subject_for(menu.option.intent, draw) or subject
        if rng.random() * 100 < menu.option.self_service_pct:
            self.engine.arrivals.self_served(queue_id, menu.option.intent, menu.path)
            return
        directory = self.directory() if self.directory else None
        if directory is None or self.speed is None or isinstance(directory, NoDirectory):
            self._enter(queue_id, Channel.VOICE, address, subject, None, 0.0, attached_data(menu, None, False, None))
            return

        async def dip() -> None:
            try:
                account, verified, tier = await identify(directory, menu.option, address, None)
                attached = attached_data(menu, account, verified, tier)
                self._enter(queue_id, Channel.VOICE, address, subject, None, 0.0, attached)
            except Exception:  # a bug here must not stop the simulator
                log.exception("simulated IVR call failed")

        task = asyncio.get_running_loop().create_task(dip())
        self._dips.add(task)
        task.add_done_callback(self._dips.discard)

    def _enter(
        self,
        queue_id: str,
        channel: Channel,
        address: str,
        subject: str,
        entered: datetime | None,
        waited_s: float,
        attached: AttachedData | None,
    ) -> None:
        cfg = self.config
        if channel == Channel.VOICE and not waited_s and self.bots is not None and self.bots.answers_calls(queue_id):
            self.bots.call(queue_id, address, subject, attached)  # the bot hands over to the queue, or serves them
            return
        contact = self.engine.arrivals.create_contact(
            queue_id, channel, address, subject, entered_queue_at=entered, attached=attached
        )
        if cfg.mean_patience_s is not None:
            patience = self.rng.expovariate(1 / cfg.mean_patience_s)
            threshold = self.engine.read.queue(queue_id).callback_offer_after_s
            offered = channel == Channel.VOICE and threshold is not None and patience - waited_s > threshold
            if offered and threshold is not None and self.rng.random() < cfg.callback_take_up:
                self.agenda.at(max(threshold - waited_s, 0.0) + 0.5, "callback", contact.id)
            self._patience_for.add(contact.id)
            self.agenda.at(max(patience - waited_s, 5.0), "give_up", contact.id)

    def give_up(self, contact_id: str) -> None:
        self._patience_for.discard(contact_id)
        contact = self.engine.read.contact(contact_id)
        if contact.callback is None and contact.state in (ContactState.QUEUED, ContactState.OFFERED):
            self.engine.arrivals.abandon(contact_id)  # a caller waiting for a callback has hung up: they do not give up

    def ask_for_callback(self, contact_id: str) -> None:
        if self.engine.read.contact(contact_id).state == ContactState.QUEUED:
            self.engine.callbacks.request_callback(contact_id)

    def sweep(self) -> None:
        """Contacts the simulator did not put in (left from an earlier run, or put in by hand) get a patience."""
        if self.config.mean_patience_s is None:
            return
        for contact in self.engine.read.queued_contacts():
            if contact.id not in self._patience_for:
                self._patience_for.add(contact.id)
                self.agenda.at(self.rng.expovariate(1 / self.config.mean_patience_s), "give_up", contact.id)

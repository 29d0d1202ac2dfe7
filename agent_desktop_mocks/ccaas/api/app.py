"""The mock CCaaS server (contact routing): `create_app(settings)` builds one, state and all."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from agent_desktop_mocks.ccaas.api.conversations_wiring import conversations_for
from agent_desktop_mocks.ccaas.api.monitoring_wiring import monitoring_for
from agent_desktop_mocks.ccaas.api.routes import include_routes
from agent_desktop_mocks.ccaas.api.scope import Scope
from agent_desktop_mocks.ccaas.api.virtual_agent_wiring import (
    bot_answers_call,
    close_virtual_agent,
    count_with_conversations,
    virtual_agent_for,
)
from agent_desktop_mocks.ccaas.api.write_keys import WriteKeys
from agent_desktop_mocks.ccaas.call_transcripts.heard_calls import HeardCalls, scripts_model
from agent_desktop_mocks.ccaas.call_transcripts.speaker import CallSpeaker
from agent_desktop_mocks.ccaas.core import RandomFarEnd
from agent_desktop_mocks.ccaas.figures.agent_days import AgentDays
from agent_desktop_mocks.ccaas.flags.service import FlagService
from agent_desktop_mocks.ccaas.flags.store import FlagStore
from agent_desktop_mocks.ccaas.messaging.recipients import CrmRecipients, NoCrm
from agent_desktop_mocks.ccaas.messaging.service import MessagingService
from agent_desktop_mocks.ccaas.quality.service import QualityService
from agent_desktop_mocks.ccaas.quality.store import QualityStore
from agent_desktop_mocks.ccaas.said_alerts.service import SaidAlerts
from agent_desktop_mocks.ccaas.scheduled.service import ScheduledCallbacks
from agent_desktop_mocks.ccaas.settings import (
    DEMO_AGENT_ID,
    DEMO_AGENT_TOKEN,
    DEMO_CRM_TOKEN,
    DEMO_SUPERVISOR_TOKEN,
    MockSettings,
)
from agent_desktop_mocks.ccaas.shell.engine import Conflict, Engine, Invalid, NotFound
from agent_desktop_mocks.ccaas.shell.publisher import SUPERVISOR_TOPIC, agent_topic
from agent_desktop_mocks.ccaas.shell.schedule import add_housekeeping, engine_schedule
from agent_desktop_mocks.ccaas.shell.store import Store
from agent_desktop_mocks.ccaas.simulator.traffic import Simulator
from agent_desktop_mocks.ccaas.tables import floor_plan, seed
from agent_desktop_mocks.ccaas.tables.ivr import CrmDirectory, NoDirectory
from agent_desktop_mocks.ccaas.voice.bot_calls import BotCalls
from agent_desktop_mocks.ccaas.voice.media.call_levels import CallLevelEvent
from agent_desktop_mocks.ccaas.voice.media.call_recording import CallRecording, RecordingEvent
from agent_desktop_mocks.ccaas.voice.softphones import Softphones
from agent_desktop_mocks.ccaas.voice.talk_figures import CallCoachingEvent
from agent_desktop_mocks.ccaas.voice.voice_leg import VoiceLeg
from agent_desktop_mocks.ccaas.voice.voicemail_box import VoicemailBox
from agent_desktop_mocks.ccaas.workforce.adherence import Adherence
from agent_desktop_mocks.ccaas.workforce.service import Workforce
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.http.auth import Principal, bearer_auth
from agent_desktop_mocks.common.http.request_guard import SafeJSONResponse, guard_requests
from agent_desktop_mocks.common.http.service_api import add_healthz
from agent_desktop_mocks.common.storage import open_database

DESCRIPTION = """
A stand-in for a contact center's routing platform (docs/mock-apis.md has the full contract). Times are UTC.

**Tokens.** `demo-agent-token` is agent `agent-001` (Alex Morgan); each simulated agent
`agent-00N` has `agent-00N-token`; `demo-supervisor-token` is a supervisor. An agent may
only see and change their own resources (403 otherwise); supervisor endpoints need the
supervisor token.

**Routing.** A queue's contacts go to agents who have each of its skills at the queue's
minimum proficiency (1 unless set). Waiting contacts are served by queue priority (higher
first), then contact priority (higher first), then the time they entered the queue (first
in, first out); each is offered to the eligible agent with spare capacity in its channel who
has been idle the longest (`idle_since`). Voice is exclusive: an agent with a call gets no
other offer, and a call only with nothing in hand; chat, email and SMS combine up to each
channel's capacity. One offer at a time per agent. An offer stays pending for the offer
timeout; rejected or expired, the contact goes back to its place and the agent goes
`missed` (not routable until they choose `available`).

**Contacts.** queued → offered → connected ⇄ on_hold → after_contact_work → completed;
queued or offered → abandoned. Blind transfer to a queue, an agent or an address; consult
(the mock answers the leg in 1–3 s) then complete or cancel. The queue's ACW timeout
completes a contact with the disposition `ACW timeout`.

**The caller's journey.** `POST /v1/ivr/calls` runs a call through an entry number's menu
(`GET /v1/ivr/entries`): the account typed is looked up in the CRM and verified against the calling
number; self-service contains some callers; the rest are queued with `attached` data (account,
verified, intent, menu path, language, tier, VIP), an announced `ewt_s`, and a priority raised by the
queue's `priority_rules`. A waiting voice caller past `callback_offer_after_s` may take a callback
(`POST /v1/contacts/{id}/callback`): they keep their place and are dialled by the agent who takes it.
An agent may also schedule a callback of their own from a contact they had (`POST /v1/agents/{id}/callbacks`,
a time with its offset and the customer's zone): when due it is offered to them alone, or to the queue once
`owned_callback_expiry_s` (600 s) has passed without them free (or when they let the offer go).

**Statistics** (`/v1/queues/stats?window=15m|30m|60m|today`), per queue:
- *service level*: answered within the queue's threshold ÷ (answered + abandoned), in %;
  short abandons are not excluded.
- *ASA*: mean time from entering the queue to being answered.
- *AHT*: mean talk + hold + after-contact work (answered → completed) of completed contacts.
- *abandonment rate*: of the contacts that entered the queue in the window, the share abandoned.
- *occupancy*: time on contacts ÷ (time on contacts + available idle time) of the queue's agents.

A figure is `null` while there is nothing to compute it from.

**Events** (SSE, `agent_state`, `offer`, `offer_closed`, `contact`) go to the agent concerned
(`/v1/agents/{id}/events`) and to the supervisor (`/v1/supervisor/events`, which also gets
`queue_stats` every 2 s when something changed); reconnect with `Last-Event-ID` to get what
was missed. An action's answer names, in `X-Event-Ids`, the events of the caller's own stream that carry
what it says (its echoes: a client that applied the answer drops them by id).

**Conversations** (chat, SMS, email): a transcript per contact, simulated customers who answer
what the agent writes, a per-queue customer inactivity timeout, and events on the agent's stream
(`message`, `typing`, `delivered`, `read`, `participant_joined`, `participant_left`,
`conversation_ended`).

**Softphones** (`PUT /v1/agents/{id}/softphone`, `{"contact_uri": "sip:agent@127.0.0.1:5070"}`): an agent with
a registered SIP contact (IPv4 loopback only) gets each offered call as a real SIP call from a caller on this machine
who speaks the call's script (espeak-ng), carrying `X-Agent-Desktop-Contact: <contact id>`; hold plays hold music to
the caller; the caller hanging up ends the contact (`ended_by: customer`). Other agents' calls stay simulated.

**Call transcription**: while a voice call is connected, the simulated caller and agent speak lines that fit
its intent, heard as `transcription` events (each line interim, then final; card numbers masked) on the agent's
stream and the stream of each supervisor monitoring the call.

**Monitoring**: a supervisor joins a contact in progress of their queues
(`PUT /v1/contacts/{id}/monitoring`, mode monitor, whisper or barge), whispers to the agent, writes to the
customer, leaves; `supervisor-billing-token` is Jordan Blake, who may monitor the billing queue only. The
agent is told only when `--announce-monitoring` is on, or when the supervisor whispers or barges.

**Simulator.** When on, callers arrive at each queue (Poisson), give up after their patience,
and the simulated agents answer, handle and wrap up contacts; `--speed` makes the simulated people
(callers, agents, chat customers) act faster. `time_scale` (tests) makes the whole mock faster: every
timer (offer timeouts, ACW, consult legs, callback dials and retries, conversation inactivity) and the
simulated people; deadlines (`expires_at`, `acw_deadline`, `retry_at`, `inactivity_deadline`) are
when they really fire.
"""


def create_app(settings: MockSettings, *, clock: Clock | None = None) -> FastAPI:
    """`clock`: a clock the caller owns (a `ManualClock` a test steps); the wall clock by default."""
    db = open_database(settings.data_dir, "ccaas", fresh=settings.fresh)
    clock = clock or Clock(settings.frozen_time)
    event_log = EventLog(db, clock, settings.heartbeat_s)
    store = Store(db)
    engine = Engine(
        store,
        event_log,
        clock,
        offer_timeout_s=settings.offer_timeout_s,
        monotonic=clock.monotonic,
        far_end=(far_end := RandomFarEnd(random.Random(settings.seed), settings.callback_answer_pct)),
        time_scale=settings.time_scale,
    )
    if store.is_empty():
        now = clock.now()
        reasons = settings.not_ready_reasons
        floor = settings.floor
        floor_queues = floor_plan.queues(settings.queues, floor)
        size = floor_plan.FloorSize(settings.agents, settings.queues)
        team = floor_plan.simulated_agents(size, floor_queues, settings.seed, now, reasons, floor)
        engine.seed(floor_queues, [seed.demo_agent(now, reasons, floor), *team])
    else:
        engine.load()

    scheduler = engine_schedule(engine, clock)
    agent_days = AgentDays(engine.read.agents(), clock.now())  # each agent's own day (`GET /v1/agents/{id}/day`)
    engine.listen(agent_days.on_events)
    scheduled_callbacks = ScheduledCallbacks(
        db, engine, clock, expiry_s=settings.owned_callback_expiry_s, wake=scheduler.wake
    )
    scheduler.add("scheduled callbacks", scheduled_callbacks)
    workforce_service = Workforce(db, engine, clock, seed=settings.seed, zone=settings.working_day_tz())
    adherence = Adherence(
        db,
        workforce_service,
        engine,
        event_log,
        clock,
        tolerance_s=settings.adherence_tolerance_s,
        wake=scheduler.wake,
    )
    scheduler.add("adherence", adherence)  # each agent against their schedule
    conversation_api, timeline = conversations_for(db, event_log, engine, clock, settings, scheduler)

    monitoring_service = monitoring_for(db, conversation_api.service, settings)
    flag_service = FlagService(FlagStore(db), conversation_api.service, monitoring_service.supervisors.values())
    engine.listen(flag_service.on_engine_events)
    said_alerts = SaidAlerts(db, conversation_api.service, monitoring_service.supervisors.values())
    quality_service = QualityService(
        QualityStore(db), conversation_api.service, monitoring_service.supervisors.values()
    )
    engine.listen(quality_service.on_engine_events)  # each contact's timeline, for its review
    speaker: CallSpeaker | None = None
    if settings.call_transcripts:  # the caller and the agent heard on each connected call
        speaker = CallSpeaker(conversation_api.service, speed=settings.actor_speed, monotonic=clock.monotonic)
        speaker.on_scheduled = scheduler.wake
        speaker.on_caller_said = said_alerts.caller_said  # what a caller says is read against the rules too
        speaker.silent_for_s = lambda: said_alerts.rules.silent_for_s  # and a call's silence
        speaker.on_silence = said_alerts.call_silent
        scheduler.add("call transcripts", speaker)
        engine.listen(speaker.on_engine_events)
    softphone_registry = Softphones()
    supervisor_softphones = Softphones()  # where a call a supervisor takes over goes (`PUT /v1/supervisor/softphone`)
    hearing: HeardCalls | None = None
    if speaker is not None:  # a real call's transcript is what its audio says, recognised in the mock (docs/voice.md)
        scripts, folder = speaker.scripts, settings.data_dir / "voice" / "speech"
        hearing = HeardCalls(speaker, None, monotonic=clock.monotonic, build=lambda: scripts_model(scripts, folder))

    # real calls to registered softphones, their audio through the mock's relay
    def tell_levels(agent_id: str, event: CallLevelEvent) -> None:
        """A call's levels on its agent's stream: not kept (a level is worth nothing a second later)."""
        with conversation_api.service.transaction():
            event_log.publish([agent_topic(agent_id)], event.type, event.model_dump(mode="json"), persist=False)

    def tell_coaching(event: CallCoachingEvent) -> None:
        """How a call is being spoken, on its agent's stream and the supervisor's (their monitor card); the final
        figures kept, so a desk that reconnects in its wrap-up still gets them for the write-back."""
        topics = [SUPERVISOR_TOPIC, *([agent_topic(event.agent_id)] if event.agent_id else [])]
        with conversation_api.service.transaction():
            event_log.publish(topics, event.type, event.model_dump(mode="json"), persist=event.final)

    voice_leg = VoiceLeg(
        engine,
        softphone_registry,
        settings.data_dir / "voice",
        hearing=hearing,
        tell_levels=tell_levels,
        supervisors=supervisor_softphones,
        tell_coaching=tell_coaching,
    )
    if hearing is not None:
        hearing.on_words = voice_leg.coaching.words
    engine.listen(voice_leg.on_engine_events)
    voicemail_box = VoicemailBox(voice_leg, hearing)  # a real caller's message answered and recorded by the mock
    far_end.message_box = voicemail_box.take
    bot_calls = BotCalls(voice_leg, hearing)  # the virtual agent's calls, on the real voice path

    def tell_recording(recording: CallRecording) -> None:
        """A recording paused, resumed or stopped, on the supervisor's stream (the paused calls marked) and its
        agent's (told it stopped); kept, so a reconnect replays it."""
        agent_id = None
        with contextlib.suppress(NotFound):
            agent_id = engine.read.contact(recording.contact_id).agent_id
        event = RecordingEvent(
            contact_id=recording.contact_id,
            agent_id=agent_id,
            state=recording.state(),
            stopped_reason=recording.stopped_reason,
        )
        topics = [SUPERVISOR_TOPIC, *([agent_topic(agent_id)] if agent_id else [])]
        with conversation_api.service.transaction():
            event_log.publish(topics, event.type, event.model_dump_json())

    voice_leg.recordings.on_change = tell_recording
    scope = Scope(monitoring_service.supervisors, lambda queue_id: _queue_name(engine, queue_id))
    conversation_api.check_queue = scope.check_queue  # a supervisor reads only their queues' conversations
    tokens = {
        DEMO_AGENT_TOKEN: Principal(DEMO_AGENT_TOKEN, "agent", DEMO_AGENT_ID),
        DEMO_SUPERVISOR_TOKEN: Principal(DEMO_SUPERVISOR_TOKEN, "supervisor", "supervisor"),
    }
    for row in monitoring_service.supervisors.values():  # floor.toml's supervisors
        tokens[row.token] = Principal(row.token, "supervisor", row.id)
    for agent in engine.read.agents():
        if agent.id != DEMO_AGENT_ID:
            tokens[f"{agent.id}-token"] = Principal(f"{agent.id}-token", "agent", agent.id)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        finish_housekeeping = add_housekeeping(scheduler, engine, clock)
        if settings.simulator:
            simulator = Simulator(
                engine,
                settings,
                directory=lambda: app.state.directory,
                virtual_agent=lambda: app.state.virtual_agent,
                bot_answers_call=lambda queue_id, address, subject, attached: bot_answers_call(
                    app.state.virtual_agent, bot_calls, queue_id, address, subject, attached=attached
                ),
            )
            simulator.start_real_time(scheduler, clock.monotonic)
        tasks = [asyncio.create_task(scheduler.run(), name="ccaas-scheduler")]
        await voice_leg.start()
        try:
            yield
        finally:
            await voicemail_box.aclose()
            await bot_calls.aclose()
            await voice_leg.aclose()
            if hearing is not None:
                await asyncio.to_thread(hearing.close)  # the recognisers' threads, waited for off the loop
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await finish_housekeeping()
            if isinstance(app.state.directory, CrmDirectory):
                await app.state.directory.aclose()
            await app.state.recipients.aclose()
            await close_virtual_agent(app.state.virtual_agent)
            db.close()

    app = FastAPI(
        title="Mock CCaaS (contact routing)",
        description=DESCRIPTION,
        version="2.0",
        lifespan=lifespan,
        default_response_class=SafeJSONResponse,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.clock = clock
    app.state.event_log = event_log
    app.state.engine = engine
    app.state.agent_days = agent_days
    app.state.scheduled_callbacks = scheduled_callbacks
    app.state.workforce = workforce_service
    app.state.adherence = adherence
    app.state.conversations = conversation_api
    app.state.timeline = timeline
    app.state.monitoring = monitoring_service
    app.state.flags = flag_service
    app.state.said_alerts = said_alerts
    # What is said on calls (None: calls are silent): the Twilio-shaped mock's transcription hears it too, and a
    # benchmark gives it a script of its own.
    app.state.call_speaker = speaker
    app.state.softphones = softphone_registry  # agents' SIP contacts (`PUT /v1/agents/{id}/softphone`)
    app.state.supervisor_softphones = supervisor_softphones
    app.state.colleague_softphones = Softphones()  # the directory's softphones, by address (internal calls)
    app.state.voice_leg = voice_leg
    app.state.bot_calls = bot_calls
    app.state.heard_calls = hearing  # what real calls' audio said, recognised (None: calls are silent)
    app.state.write_keys = WriteKeys(db)  # a callback's, a flag's: stored once per Idempotency-Key
    app.state.quality = quality_service
    app.state.messaging = MessagingService(db, clock, time_scale=settings.time_scale)  # follow-ups
    app.state.scope = scope
    app.state.scheduler = scheduler  # the engine's and the conversations' timers, which a test owning the clock steps
    # the IVR's CRM dip (tests whose CRM gets its port at start set `app.state.directory` themselves)
    app.state.directory = CrmDirectory(settings.crm_url, DEMO_CRM_TOKEN) if settings.crm_url else NoDirectory()
    # whose consent a follow-up needs, read from the CRM at each send (tests set `app.state.recipients` likewise)
    app.state.recipients = CrmRecipients(settings.crm_url, DEMO_CRM_TOKEN) if settings.crm_url else NoCrm()
    # the virtual agent on the chat entry (off unless queues are named; tests set `app.state.virtual_agent` themselves)
    app.state.virtual_agent = virtual_agent_for(engine, settings)
    count_with_conversations(engine, lambda: app.state.virtual_agent)
    app.state.authenticate = bearer_auth(tokens)
    guard_requests(app)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> JSONResponse:
        return SafeJSONResponse({"detail": str(error)}, status_code=404)

    @app.exception_handler(Conflict)
    async def conflict(request: Request, error: Conflict) -> JSONResponse:
        return SafeJSONResponse({"detail": str(error), "state": str(error.state)}, status_code=409)

    @app.exception_handler(Invalid)
    async def invalid(request: Request, error: Invalid) -> JSONResponse:
        detail = [{"type": "value_error", "loc": ["body", error.field], "msg": str(error), "input": error.value}]
        return SafeJSONResponse(jsonable_encoder({"detail": detail}), status_code=422)

    add_healthz(app)
    include_routes(app)
    return app


def _queue_name(engine: Engine, queue_id: str) -> str:
    try:
        return engine.read.queue(queue_id).name
    except NotFound:
        return queue_id

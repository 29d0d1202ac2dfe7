"""Command line for the mock servers: all three in one process, on loopback by default."""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from agent_desktop_mocks.ccaas import settings as defaults
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.ccaas.tables.load import load_tables
from agent_desktop_mocks.common.runner import run_servers
from agent_desktop_mocks.common.toml_tables import TableError
from agent_desktop_mocks.model.settings import DEFAULT_MODEL_PORT, ModelMockSettings
from agent_desktop_mocks.twilio.settings import DEFAULT_TWILIO_PORT
from agent_desktop_mocks.zendesk.settings import DEFAULT_ZENDESK_PORT

DEFAULT_RELAY_PORT = 8706  # twilio_relay's default port (the mocks do not import the relay)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agent_desktop_mocks",
        description="Run the mock CCaaS, CRM and presence servers (FastAPI + SQLite) with seeded demo data.",
    )
    parser.add_argument("--host", default=defaults.DEFAULT_HOST, help="address to bind (default %(default)s)")
    parser.add_argument("--ccaas-port", type=int, default=defaults.DEFAULT_CCAAS_PORT, help="default %(default)s")
    parser.add_argument("--crm-port", type=int, default=defaults.DEFAULT_CRM_PORT, help="default %(default)s")
    parser.add_argument("--presence-port", type=int, default=defaults.DEFAULT_PRESENCE_PORT, help="default %(default)s")
    parser.add_argument(
        "--zendesk", action="store_true", help="also serve the CRM's data in Zendesk Support's shape (off by default)"
    )
    parser.add_argument("--zendesk-port", type=int, default=DEFAULT_ZENDESK_PORT, help="default %(default)s")
    parser.add_argument(
        "--zendesk-rate-limit",
        type=int,
        help="Zendesk mock: requests a minute before 429 with Retry-After (default: none)",
    )
    parser.add_argument(
        "--zendesk-search-lag",
        type=float,
        default=120.0,
        help="Zendesk mock: seconds before a new user is found by search (default 120; Zendesk: a few minutes)",
    )
    parser.add_argument(
        "--twilio", action="store_true", help="also serve the CCaaS floor in Twilio TaskRouter's shape (off by default)"
    )
    parser.add_argument("--twilio-port", type=int, default=DEFAULT_TWILIO_PORT, help="default %(default)s")
    parser.add_argument(
        "--twilio-callback-url",
        default=f"http://127.0.0.1:{DEFAULT_RELAY_PORT}/twilio/events",
        help="Twilio mock: where its signed Event Callbacks go, the Twilio event relay (default %(default)s; '' for none)",
    )
    parser.add_argument(
        "--model", action="store_true", help="also serve the mock model server (OpenAI-compatible, off by default)"
    )
    parser.add_argument("--model-port", type=int, default=DEFAULT_MODEL_PORT, help="default %(default)s")
    parser.add_argument(
        "--model-first-token-ms",
        type=float,
        default=300.0,
        help="model mock: wait before the first piece (default 300)",
    )
    parser.add_argument(
        "--model-token-ms", type=float, default=40.0, help="model mock: wait before each next piece (default 40)"
    )
    parser.add_argument(
        "--model-failure-rate", type=float, default=0.0, help="model mock: share of requests answered 500 (seeded)"
    )
    parser.add_argument(
        "--model-nonsense-rate",
        type=float,
        default=0.0,
        help="model mock: share of wrap-up answers naming a disposition off the list (seeded)",
    )
    parser.add_argument(
        "--virtual-agent-call-queue",
        action="append",
        metavar="QUEUE",
        help="CCaaS: a queue whose calls the virtual agent answers first (repeat for more; none: off)",
    )
    parser.add_argument("--model-key", help="model mock: the Bearer key it asks for (default: none)")
    parser.add_argument(
        "--virtual-agent-queue",
        action="append",
        metavar="QUEUE",
        help="CCaaS: a queue whose chat entry has the virtual agent (repeat for more; none: off). It answers through "
        "the mock model (--model; without it every chat is handed to a person as failed)",
    )
    parser.add_argument("--data-dir", type=Path, help="SQLite folder (default: the user data folder)")
    parser.add_argument("--fresh", action="store_true", help="delete existing data and seed again")
    parser.add_argument("--seed", type=int, default=42, help="random seed of data and traffic (default %(default)s)")
    parser.add_argument("--customers", type=int, default=300, help="CRM customers to seed (default %(default)s)")
    parser.add_argument(
        "--phone-region",
        default="US",
        help="CRM: region of numbers written without a country code (default %(default)s)",
    )
    parser.add_argument(
        "--agents",
        type=int,
        default=7,
        help="CCaaS agents, the demo agent included; with --fresh (default %(default)s)",
    )
    parser.add_argument(
        "--queues",
        type=int,
        default=3,
        help="CCaaS queues: the demo's three, then generated; with --fresh (default %(default)s)",
    )
    parser.add_argument("--no-simulator", action="store_true", help="no simulated traffic, agents or presence")
    parser.add_argument(
        "--no-call-transcripts",
        action="store_true",
        help="CCaaS: calls are silent (no live transcription, nor alerts from what callers say or from a silence)",
    )
    parser.add_argument("--speed", type=float, default=1.0, help="simulator speed factor (default %(default)s)")
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="the mocks' seconds per real second: every timer and the simulator (default %(default)s)",
    )
    parser.add_argument(
        "--offer-timeout", type=float, default=20.0, help="seconds an offer waits for an answer (default %(default)s)"
    )
    parser.add_argument(
        "--ccaas-tables",
        type=Path,
        help="CCaaS: a folder whose intents.toml, ivr.toml or floor.toml replace the shipped ones (agent_desktop_mocks/ccaas/tables/data/)",
    )
    parser.add_argument(
        "--announce-monitoring",
        action="store_true",
        help="CCaaS: tell agents when a supervisor silently monitors their contact (off by default)",
    )
    parser.add_argument(
        "--adherence-tolerance",
        type=float,
        default=60.0,
        help="CCaaS: seconds an agent may be out of adherence before the supervisor is told (default 60)",
    )
    parser.add_argument(
        "--working-day",
        default="local",
        metavar="ZONE",
        help="CCaaS: lay the working day (schedules, forecasts) around the start in this IANA time zone, so the floor "
        "is on shift at any hour; `local` (the default) the machine's, `fixed` 08:00-20:00 UTC",
    )
    parser.add_argument("--frozen-time", type=datetime.fromisoformat, help="stamp every time with this instant")
    return parser


def settings_from_args(args: argparse.Namespace) -> MockSettings:
    """Raises `TableError` for a data table that cannot be used, `ValidationError` for a bad option."""
    values = {
        **load_tables(args.ccaas_tables),
        "seed": args.seed,
        "customers": args.customers,
        "agents": args.agents,
        "queues": args.queues,
        "phone_region": args.phone_region.upper(),
        "simulator": not args.no_simulator,
        "call_transcripts": not args.no_call_transcripts,
        "speed": args.speed,
        "time_scale": args.time_scale,
        "offer_timeout_s": args.offer_timeout,
        "frozen_time": args.frozen_time,
        "fresh": args.fresh,
        "announce_monitoring": args.announce_monitoring,
        "adherence_tolerance_s": args.adherence_tolerance,
        "working_day_zone": None if args.working_day == "fixed" else args.working_day,
        "crm_url": f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.crm_port}",
        "virtual_agent_queues": args.virtual_agent_queue or [],
        "virtual_agent_call_queues": args.virtual_agent_call_queue or [],
    }
    if args.model:  # the contact center's model is the mock model it serves: the virtual agent answers through it
        values["model_key"] = args.model_key or None
        values["model_url"] = (
            f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.model_port}/v1"
        )
    if args.data_dir is not None:
        values["data_dir"] = args.data_dir
    return MockSettings(**values)


def model_settings_from_args(args: argparse.Namespace) -> ModelMockSettings:
    return ModelMockSettings(
        first_token_s=args.model_first_token_ms / 1000,
        token_s=args.model_token_ms / 1000,
        failure_rate=args.model_failure_rate,
        nonsense_rate=args.model_nonsense_rate,
        seed=args.seed,
        api_key=args.model_key or None,
        keep_bodies=0,  # a test reads them; a demo would only hold them
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from_args(args)
        model = model_settings_from_args(args) if args.model else None
    except ValidationError as error:
        first = error.errors()[0]
        print(f"mock_backends: {'.'.join(map(str, first['loc']))}: {first['msg']}", file=sys.stderr)
        return 2
    except TableError as error:
        print(f"mock_backends: {error}", file=sys.stderr)
        return 2

    from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
    from agent_desktop_mocks.crm.app import create_app as create_crm
    from agent_desktop_mocks.presence.app import create_app as create_presence

    apps = [
        (create_ccaas(settings), args.ccaas_port),
        (create_crm(settings), args.crm_port),
        (create_presence(settings), args.presence_port),
    ]
    if args.zendesk:
        from agent_desktop_mocks.zendesk.app import create_app as create_zendesk
        from agent_desktop_mocks.zendesk.settings import ZendeskMockSettings

        # The CRM's database is already fresh: the Zendesk mock opens the same one and must not delete it.
        zendesk = ZendeskMockSettings(rate_limit=args.zendesk_rate_limit, search_lag_s=args.zendesk_search_lag)
        apps.append((create_zendesk(settings.model_copy(update={"fresh": False}), zendesk), args.zendesk_port))
    if args.twilio:
        from agent_desktop_mocks.twilio.app import create_app as create_twilio
        from agent_desktop_mocks.twilio.settings import TwilioMockSettings

        # Over the CCaaS app's engine: the same floor, its clock firing the timers.
        twilio = TwilioMockSettings(event_callback_url=args.twilio_callback_url or None)
        apps.append((create_twilio(apps[0][0], twilio), args.twilio_port))
    if model is not None:
        from agent_desktop_mocks.model.app import create_app as create_model

        apps.append((create_model(model), args.model_port))
    print(
        f"mock servers on {args.host}: CCaaS :{args.ccaas_port}, CRM :{args.crm_port}, "
        f"presence :{args.presence_port}"
        + (f", Zendesk :{args.zendesk_port}" if args.zendesk else "")
        + (f", Twilio :{args.twilio_port}" if args.twilio else "")
        + (f", model :{args.model_port}" if args.model else "")
        + f"; data in {settings.data_dir}",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        run_servers(apps, host=args.host)
    return 0

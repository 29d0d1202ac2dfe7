"""`agent-desktop demo`: the mock servers started with simulated traffic, and the desk opened on them."""

from __future__ import annotations

import argparse
import os
import sys

from agent_desktop.app import demo as demo_floor
from agent_desktop.app.backend_factory import SUPERVISOR_GROUP, installed_kinds
from agent_desktop.app.commands import log_overrides
from agent_desktop.app.commands.desktop import open_desktop
from agent_desktop.app.config import LOG_LEVELS
from agent_desktop.local.paths import LocalPathError, private_folder
from agent_desktop.ui.themes import theme_problem


def demo(args: argparse.Namespace) -> int:
    if args.speed <= 0 or args.offer_timeout <= 0:
        print("agent-desktop: demo: --speed and --offer-timeout must be positive", file=sys.stderr)
        return 2
    if not (1 <= args.agents <= 5000 and 1 <= args.queues <= 1000):
        print("agent-desktop: demo: --agents must be 1 to 5000 and --queues 1 to 1000", file=sys.stderr)
        return 2
    overrides = log_overrides(args)
    if "log_level" in overrides:
        level = str(overrides["log_level"]).upper()
        if level not in LOG_LEVELS:
            print(
                f"agent-desktop: config: log_level: --log-level must be one of {', '.join(LOG_LEVELS)}", file=sys.stderr
            )
            return 2
        overrides["log_level"] = level
    if (problem := theme_problem(overrides.get("theme") or os.environ.get("DESKTOP_THEME"))) is not None:
        print(f"agent-desktop: config: {problem}", file=sys.stderr)
        return 2
    if args.data_dir is not None:
        try:
            private_folder(args.data_dir)  # the desk's outbox and log go there too: the local paths' rule
        except LocalPathError as error:
            print(f"agent-desktop: demo: --data-dir: {error}", file=sys.stderr)
            return 2
    twilio = args.ccaas == "twilio"
    desks: tuple[str, ...] = ("supervisor", "agent") if args.supervisor else ("agent", "supervisor")
    if twilio and "twilio" not in installed_kinds(SUPERVISOR_GROUP):  # no supervisor console on Twilio installed
        if args.supervisor:
            print("agent-desktop: demo: --ccaas twilio has no supervisor console installed", file=sys.stderr)
            return 2
        desks = ("agent",)
    print(
        "Starting the mock CCaaS, CRM and presence servers"
        + (", the Twilio-shaped mock and the Twilio event relay" if twilio else "")
        + (", llama.cpp's server with SmolLM2-135M" if args.model == "real" else "")
        + (", Request Tracker 5" if args.crm == "rt" else "")
        + "…",
        file=sys.stderr,
    )
    try:
        with demo_floor.demo_servers(
            seed=args.seed,
            speed=args.speed,
            offer_timeout_s=args.offer_timeout,
            data_dir=args.data_dir,
            agents=args.agents,
            queues=args.queues,
            zendesk=args.crm == "zendesk",
            twilio=twilio,
            announce_monitoring=args.announce_monitoring,
            bot_calls=args.bot_calls,
            real_model_server=args.model == "real",
            request_tracker=args.crm == "rt",
        ) as servers:
            # The mock rings the desk's own softphone with its calls (none on the Twilio-shaped mock: it rings no SIP
            # contact yet, docs/voice.md).
            settings = servers.settings(sound=not twilio)
            return open_desktop(settings.model_copy(update=overrides), desks=desks)
    except demo_floor.RequestTrackerFailed as error:  # not installed whole, or it would not start: one line
        print(f"agent-desktop: demo: {error}", file=sys.stderr)
        return 2
    except RuntimeError as error:
        print(f"agent-desktop: demo: {error}", file=sys.stderr)
        return 1

"""`agent-desktop remote`: drive a running desk from a script (docs/remote.md).

    agent-desktop remote state [--json]      the desk now: the agent's state, the offer, the contacts in hand
    agent-desktop remote commands [--json]   every command: its id, key, whether it applies now, when it would
    agent-desktop remote run desk.accept     carry out a command as its key would (exit 1, and why, if not now)
    agent-desktop remote press e enter       keys, as typed at the desk
    agent-desktop remote watch               the desk's events as JSON lines, until interrupted

Exit codes: 0 done, 1 refused (the words say why), 2 no desk to talk to or a bad request."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from agent_desktop.app.commands import load, say
from agent_desktop.app.config import ConfigError
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.remote.client import RemoteClient, RemoteError


def _worded(value: object) -> str:
    """A state's value as the screen says it ("not_ready" -> "Not ready"); a value this desk does not know, as sent."""
    try:
        return AgentState(str(value)).label
    except ValueError:
        return str(value or "unknown").replace("_", " ")


def _line(state: dict[str, Any]) -> str:
    agent = state.get("agent") or {}
    said = _worded(agent.get("state"))
    if agent.get("reason"):
        said += f" ({agent['reason']})"
    parts = [f"{agent.get('name') or '?'}: {said}"]
    if offer := state.get("offer"):
        contact = offer["contact"]
        parts.append(
            f"offered: {contact['channel']} from {contact.get('from_shown') or contact['from']} ({contact['queue']})"
        )
    for contact in state.get("contacts", []):
        mark = "*" if contact["id"] == state.get("selected") else " "
        parts.append(
            f"{mark} {contact['id']} {contact['channel']} {_worded(contact['state'])} {contact.get('from_shown') or contact['from']}"
        )
    if state.get("front") not in (None, "desk"):
        parts.append(f"open over the desk: {state['front']}")
    return "\n".join(parts)


def remote(args: argparse.Namespace) -> int:
    path = args.socket
    if path is None:
        try:  # the socket the configuration names (`[remote] socket`, DESKTOP_REMOTE__SOCKET), else the default
            path = load(args.config).remote.socket_file()
        except ConfigError as error:
            return say(f"agent-desktop: config: {error}")
    return run_remote(args, path)


def run_remote(args: argparse.Namespace, socket_path: Path) -> int:
    if args.action in ("run", "press") and not args.words:
        print(
            f"agent-desktop remote {args.action}: name the {'command' if args.action == 'run' else 'keys'}",
            file=sys.stderr,
        )
        return 2
    if args.action == "run" and len(args.words) > 1:
        print("agent-desktop remote run: one command at a time", file=sys.stderr)
        return 2
    try:
        with RemoteClient(socket_path) as client:
            if args.action == "watch":
                for event in client.events():
                    print(json.dumps(event), flush=True)
                return 0
            if args.action == "run":
                reply = client.request("run", command=args.words[0])
            elif args.action == "press":
                reply = client.request("press", keys=args.words)
            else:
                reply = client.request(args.action)
    except RemoteError as error:
        print(f"agent-desktop remote: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    if not reply.get("ok"):
        print(f"agent-desktop remote: {reply.get('error')}", file=sys.stderr)
        return 1
    if args.action == "state":
        print(json.dumps(reply["state"], indent=2) if args.json else _line(reply["state"]))
    elif args.action == "commands":
        rows = reply["commands"]
        if args.json:
            print(json.dumps(rows, indent=2))
        else:
            for row in rows:
                print(f"{row['id']:<28} {row['key']:<10} {'now' if row['applies'] else row['when'] or ''}")
    return 0

"""`python -m agent_desktop_relay` (or `agent-desktop-twilio-relay`): the relay, on the address and port given (with
`--redis-url`, one of several sharing a Redis);
`agent-desktop-twilio-relay token WK…` prints the reader token of that worker's desk (its `relay_token`)."""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import re
import sys
from pathlib import Path

from pydantic import ValidationError

from agent_desktop_relay.credentials import reader_token
from agent_desktop_relay.settings import DEFAULT_HEARTBEAT_S, DEFAULT_RELAY_PORT, RelaySettings, is_loopback

ENVIRONMENT = "TWILIO_AUTH_TOKEN, RELAY_SECRET (32 characters or more) and optionally TWILIO_SHARED_KEYS"


def token(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="agent-desktop-twilio-relay token", description="print a desk's relay_token")
    parser.add_argument("worker_sid", nargs="+", help="the Worker SID (WK…) of the desk")
    parser.add_argument(
        "--supervisor", action="store_true", help="a supervisor's token: it also reads the lines of calls it monitors"
    )
    args = parser.parse_args(argv)
    secret = os.environ.get("RELAY_SECRET", "")
    if len(secret) < 32:
        print("twilio relay: set RELAY_SECRET (32 characters or more), as the relay has it", file=sys.stderr)
        return 2
    for sid in args.worker_sid:
        if not re.fullmatch(r"WK[0-9a-fA-F]{32}", sid):
            print(f"twilio relay: {sid!r} is not a Worker SID (WK and 32 hex digits)", file=sys.stderr)
            return 2
        made = reader_token(secret, sid, supervisor=args.supervisor)
        print(f"{sid} {made}" if len(args.worker_sid) > 1 else made)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["token"]:
        return token(argv[1:])
    parser = argparse.ArgumentParser(prog="agent-desktop-twilio-relay", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_RELAY_PORT, help="default %(default)s")
    parser.add_argument("--public-url", help="the Event Callback URL set in Twilio, as Twilio calls it")
    parser.add_argument(
        "--store", type=Path, default=Path("twilio-relay.sqlite3"), help="its database (default %(default)s)"
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("RELAY_REDIS_URL") or None,
        help="share state with other relays in this Redis, e.g. redis://127.0.0.1:6379/0, or in a Redis Cluster: "
        "redis+cluster://any-node:6379 (default: $RELAY_REDIS_URL; unset: the --store file, one relay)",
    )
    parser.add_argument("--keep", type=int, default=1000, help="events kept per worker (default %(default)s)")
    parser.add_argument(
        "--replay-window",
        type=float,
        default=6 * 3600,
        help="seconds a request taken is remembered, to drop it again (default %(default)g)",
    )
    parser.add_argument("--max-connections", type=int, default=4096, help="more are answered 503 (default %(default)s)")
    parser.add_argument(
        "--header-timeout", type=float, default=10.0, help="seconds for a request's headers (default %(default)s)"
    )
    parser.add_argument(
        "--heartbeat",
        type=float,
        default=DEFAULT_HEARTBEAT_S,
        help="seconds between the keep-alive lines on every desk's stream; a Twilio desk counts its "
        "link lost after three missed (default %(default)g)",
    )
    args = parser.parse_args(argv)
    if not args.public_url and not is_loopback(args.host):
        print(
            f"twilio relay: bound to {args.host}, beyond loopback: set --public-url, the Event Callback URL set in "
            "Twilio (signatures are checked against it, never against a request's Host)",
            file=sys.stderr,
        )
        return 2
    if not all(importlib.util.find_spec(name) is not None for name in ("fastapi", "uvicorn", "twilio")):
        print("twilio relay: its server is not installed: pip install 'agent-desktop[relay]'", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        shared_keys = json.loads(os.environ.get("TWILIO_SHARED_KEYS") or "{}")
        settings = RelaySettings(
            auth_token=os.environ.get("TWILIO_AUTH_TOKEN", ""),
            secret=os.environ.get("RELAY_SECRET", ""),
            shared_keys=shared_keys,
            public_url=args.public_url,
            store_path=args.store,
            keep=args.keep,
            redis_url=args.redis_url,
            replay_window_s=args.replay_window,
            heartbeat_s=args.heartbeat,
        )
    except ValueError as error:
        if isinstance(error, ValidationError):
            first = error.errors()[0]
            print(f"twilio relay: {first['loc'][0]}: {first['msg']} (set {ENVIRONMENT})", file=sys.stderr)
        else:
            print(
                f"twilio relay: TWILIO_SHARED_KEYS is not a JSON object of key id → secret ({error})", file=sys.stderr
            )
        return 2
    if settings.redis_url and (why := _redis_unreachable(settings.redis_url)):
        print(f"twilio relay: Redis at {settings.redis_url}: {why}", file=sys.stderr)
        return 2
    from agent_desktop_relay.app import create_app
    from agent_desktop_relay.serving import server

    server(
        create_app(settings),
        args.host,
        args.port,
        header_timeout_s=args.header_timeout,
        max_connections=args.max_connections,
    ).run()
    return 0


def _redis_unreachable(url: str) -> str | None:
    """Why the relay cannot use the Redis at `url` (None: it can), said before it takes any callback: unreachable,
    a cluster's node named as one server (or the reverse), or a cluster primary without a replica (the relay
    answers a callback only once a replica has it)."""
    try:
        import redis
        from redis.cluster import RedisCluster
    except ImportError:
        return "the redis package is missing (pip install 'agent-desktop[relay-redis]')"
    try:
        if not url.split("://", 1)[0].endswith("+cluster"):
            with redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5) as client:
                client.ping()
                if client.info("cluster").get("cluster_enabled"):
                    return "a node of a Redis Cluster: give it as redis+cluster://host:port"
            return None
        try:
            from agent_desktop_relay.store_redis_cluster import node_url
        except ImportError:  # redis-py 8.0 brought sharded pub/sub to asyncio
            return f"a cluster needs redis-py 8 or later, not {redis.__version__} (pip install -U 'redis>=8,<9')"
        with RedisCluster.from_url(node_url(url), socket_connect_timeout=5, socket_timeout=5) as cluster:
            replication = cluster.info("replication", target_nodes=RedisCluster.PRIMARIES)
            alone = sorted(name for name, info in replication.items() if not info.get("connected_slaves"))
            if alone:
                return f"the primary {alone[0]} has no replica (each callback waits for one to have it: WAIT 1)"
    except (redis.RedisError, redis.exceptions.RedisClusterException, ValueError) as error:
        return str(error) or type(error).__name__
    return None


if __name__ == "__main__":
    raise SystemExit(main())

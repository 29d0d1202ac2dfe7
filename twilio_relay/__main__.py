"""`python -m twilio_relay` (or `agent-desktop-twilio-relay`): the relay, on the address and port given."""

from __future__ import annotations

import argparse
import os
import sys

import uvicorn
from pydantic import ValidationError

from twilio_relay.app import create_app
from twilio_relay.settings import DEFAULT_RELAY_PORT, RelaySettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="agent-desktop-twilio-relay", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_RELAY_PORT, help="default %(default)s")
    parser.add_argument("--public-url", help="the Event Callback URL set in Twilio, as Twilio calls it")
    parser.add_argument("--keep", type=int, default=1000, help="events kept per worker (default %(default)s)")
    args = parser.parse_args(argv)
    try:
        settings = RelaySettings(
            auth_token=os.environ.get("TWILIO_AUTH_TOKEN", ""), reader_token=os.environ.get("RELAY_READER_TOKEN", ""),
            public_url=args.public_url, keep=args.keep,
        )  # fmt: skip
    except ValidationError as error:
        first = error.errors()[0]
        print(f"twilio relay: {first['loc'][0]}: {first['msg']} (set TWILIO_AUTH_TOKEN and RELAY_READER_TOKEN)", file=sys.stderr)
        return 2
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning", timeout_keep_alive=75)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

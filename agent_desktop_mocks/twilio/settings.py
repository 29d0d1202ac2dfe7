"""What only the Twilio-shaped mock needs beside the shared MockSettings: its account, credentials and
where it sends its signed Event Callbacks."""

from __future__ import annotations

from pydantic import BaseModel, Field

DEFAULT_TWILIO_PORT = 8705
# Made-up SIDs of the demo account (Twilio's shapes: two letters and 32 hex digits).
DEMO_ACCOUNT_SID = "AC" + "0d" * 16
DEMO_AUTH_TOKEN = "demo-twilio-auth-token"
DEMO_API_KEY_SID = "SK" + "0e" * 16
DEMO_API_KEY_SECRET = "demo-twilio-api-key-secret"
DEMO_WORKSPACE_SID = "WS" + "0a" * 16
DEMO_WORKFLOW_SID = "WW" + "0b" * 16
# The demo agent (agent-001)'s Worker in the demo workspace (SIDs of agents are made from a hash: sids.py).
DEMO_WORKER_SID = "WKfac8a288a64ad9ef0ff72872b20526ab"
# The account's SMS number: the Twilio side of every SMS conversation (the test credentials' valid `From`).
DEMO_SMS_NUMBER = "+15005550006"


class TwilioMockSettings(BaseModel):
    account_sid: str = Field(DEMO_ACCOUNT_SID, pattern=r"^AC[0-9a-fA-F]{32}$")
    auth_token: str = Field(
        DEMO_AUTH_TOKEN, min_length=1, description="signs the Event Callbacks; basic auth with the account SID"
    )
    api_key_sid: str = Field(DEMO_API_KEY_SID, pattern=r"^SK[0-9a-fA-F]{32}$")
    api_key_secret: str = Field(DEMO_API_KEY_SECRET, min_length=1)
    workspace_sid: str = Field(DEMO_WORKSPACE_SID, pattern=r"^WS[0-9a-fA-F]{32}$")
    workflow_sid: str = Field(DEMO_WORKFLOW_SID, pattern=r"^WW[0-9a-fA-F]{32}$")
    event_callback_url: str | None = Field(
        None,
        description="the Workspace's EventCallbackUrl: each TaskRouter event is POSTed there, signed (None: none sent)",
    )
    sms_number: str = Field(
        DEMO_SMS_NUMBER,
        pattern=r"^\+[1-9]\d{1,14}$",
        description="the Twilio number SMS conversations are held on (their participants' `proxy_address`): a "
        "customer who texts STOP there is opted out of it (messaging/opt_outs.py)",
    )
    missed_activity: str = Field(
        "Missed", description="the Activity a worker is put in when a reservation times out or is rejected"
    )
    task_retention_s: float = Field(
        300.0,
        ge=0,
        description="TaskRouter deletes a task (and its reservations) this long after it is completed or canceled: "
        "five minutes (docs/vendors/twilio-taskrouter.md); tests shorten it",
    )

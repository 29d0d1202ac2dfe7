"""A backend's refusal in a supervisor's words: what happened, never a bare HTTP status ("409 …").

BackendError messages from the HTTP clients start with the status (`409 agent has a contact in hand`),
which suits a log and an integrator, not a person. The supervisor screen and its drill-downs show this
instead: a few words for the kind of refusal, then the backend's own detail without the number.
"""

from __future__ import annotations

import re

from agent_desktop.domain.errors import BackendError, NotServed
from agent_desktop.domain.formats.opaque_ids import without_addresses

_STATUS = re.compile(r"^\s*(\d{3})\b[\s:—-]*")
LEADS = {
    400: "Not accepted",
    401: "Your sign-in was refused",
    403: "Not allowed for your sign-in",
    404: "No longer there",
    409: "Not possible now",
    413: "Too long to send",
    422: "Not accepted",
    429: "The contact center asks to slow down; try again in a moment",
    501: "This contact center does not do that",
}


def refusal_words(error: BackendError) -> str:
    """`Not possible now: agent has a pending offer` for `409 agent has a pending offer`; a feature's stand-in's
    sentence as it is."""
    if isinstance(error, NotServed):
        return error.message
    message = error.message or ""
    found = _STATUS.match(message)
    status = error.status if error.status is not None else (int(found.group(1)) if found else None)
    detail = message[found.end() :] if found else message
    detail = without_addresses(detail).strip()  # no API path or SID: `join the contact first (PUT /v1/…)`
    if status is None:
        return detail or "The contact center did not answer"
    lead = LEADS.get(status) or ("The contact center failed" if status >= 500 else "Refused")
    if not detail or status == 429:
        return lead
    return f"{lead}: {detail}"

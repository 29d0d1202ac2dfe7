"""The TwiML the Twilio mock executes on a live call: `<Response><Enqueue workflowSid="WW…"><Task>{json}</Task>
</Enqueue></Response>`, what a desk sends with UpdateCall `Twiml` to transfer a call blind (TaskRouter's Call
Control Concepts: a new task for the same call, routed by its workflow).

Read with the standard library's expat parser, with limits instead of defusedxml (not a dependency here): the
document is at most 4,000 characters (Twilio's own limit on `Twiml`, error 32018), and any `<!DOCTYPE` or
`<!ENTITY` is refused before parsing, so no entity is ever expanded. The errors are Twilio's: 12100 (document parse
failure), 12102 (the root element must be Response), 32018 (too long). Any other verb, or an `<Enqueue>` by queue
name, is refused as this mock's limit (guessed codes: it runs no TwiML application)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from agent_desktop_mocks.twilio.http.errors import TwilioError

MAX_TWIML = 4000  # Twilio's limit on the Twiml parameter (error 32018)
_DECLARATIONS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_WORKFLOW = re.compile(r"^WW[0-9a-fA-F]{32}$")


@dataclass(frozen=True)
class Enqueue:
    """An `<Enqueue workflowSid>`: the new task's workflow, attributes (the `<Task>` JSON), priority and timeout."""

    workflow_sid: str
    attributes: dict[str, Any]
    priority: int | None
    timeout: int | None


def _refused(code: int, message: str) -> TwilioError:
    return TwilioError(400, code, message)


def _integer(task: ET.Element, name: str) -> int | None:
    value = task.get(name)
    if value is None:
        return None
    if not value.isdigit() or int(value) > 2**31 - 1:
        raise _refused(12200, f"<Task {name}={value!r}>: an integer from 0 to 2^31-1")
    return int(value)


def enqueue(twiml: str) -> Enqueue:
    """The `<Enqueue>` the document asks for; TwilioError (400, Twilio's code) for anything else."""
    if len(twiml) > MAX_TWIML:
        raise _refused(32018, f"Twiml size exceeded maximum allowed value of {MAX_TWIML} characters")
    if _DECLARATIONS.search(twiml):
        raise _refused(12100, "Document parse failure: a DOCTYPE or ENTITY declaration")
    try:
        root = ET.fromstring(twiml)
    except ET.ParseError as error:
        raise _refused(12100, f"Document parse failure: {error}") from None
    if root.tag != "Response":
        raise _refused(12102, "The root element must be Response")
    verbs = list(root)
    if len(verbs) != 1 or verbs[0].tag != "Enqueue":
        names = ", ".join(f"<{v.tag}>" for v in verbs) or "nothing"
        raise _refused(12200, f"This mock executes one <Enqueue workflowSid> only, not {names}")
    verb = verbs[0]
    workflow = verb.get("workflowSid") or ""
    if not _WORKFLOW.match(workflow):
        raise _refused(12200, "<Enqueue>: this mock routes by workflowSid (WW…) only, not by a queue name")
    tasks = [child for child in verb if child.tag == "Task"]
    if len(tasks) != 1 or len(list(verb)) != 1:
        raise _refused(12200, "<Enqueue workflowSid> takes one <Task> here")
    try:
        attributes = json.loads(tasks[0].text or "{}")
    except ValueError:
        raise _refused(12200, "<Task>: its body is not JSON") from None
    if not isinstance(attributes, dict):
        raise _refused(12200, "<Task>: its body is not a JSON object")
    return Enqueue(workflow, attributes, _integer(tasks[0], "priority"), _integer(tasks[0], "timeout"))

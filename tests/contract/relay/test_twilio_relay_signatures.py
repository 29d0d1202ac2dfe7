"""The relay takes a callback exactly when the `twilio` library's `RequestValidator` says Twilio signed it
(https://www.twilio.com/docs/usage/webhooks/webhooks-security; webhook-shared-keys for HMAC-SHA256): the URL
signed with or without its port, repeated parameters, a JSON body signed through `bodySHA256`, a SharedKey's
HMAC-SHA256 or HMAC-SHA1 named by `X-Twilio-Webhooks-Signature-Settings`; anything changed after signing is
refused, counted on /healthz. Generated requests, the library's verdict on the same inputs beside the relay's."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import parse_qsl, urlencode

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.datastructures import ImmutableMultiDict
from twilio.request_validator import RequestValidator, get_signature_algorithm

from agent_desktop_relay.app import create_app
from agent_desktop_relay.settings import RelaySettings

AUTH_TOKEN, SHARED_KEY, SHARED_SECRET = "the-account-auth-token", "webhooks_sharedkey_1", "the-shared-key-secret"
PUBLIC = "https://relay.example.com/twilio/events"
WORKER = "WK" + "1" * 32

APP = create_app(
    RelaySettings(
        auth_token=AUTH_TOKEN,
        secret="s" * 32,
        public_url=PUBLIC,
        shared_keys={SHARED_KEY: SHARED_SECRET},
        synchronous="NORMAL",
    )
)
CLIENT = TestClient(APP, base_url="http://10.0.0.5:8706")  # the relay behind a proxy: not the URL Twilio signs

names = st.sampled_from(["EventType", "WorkerSid", "TaskAttributes", "Filters", "Body", "Media"])
values = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
TAMPERS = [None, "param", "url", "token", "algorithm", "body-hash"]


# What `_signed` is given: JSON or a form, the port written, the signing, the tampering, the parameters.
SignedRequest = tuple[bool, str, str | None, str | None, list[tuple[str, str]]]


@st.composite
def requests(draw: st.DrawFn) -> SignedRequest:
    as_json = draw(st.booleans())
    port = draw(st.sampled_from(["", ":443"]))
    signing = draw(st.sampled_from([None, "HMAC_SHA1", "HMAC_SHA256"]))  # None: the auth token, no settings header
    tamper = draw(st.sampled_from(TAMPERS))
    pairs = [("WorkerSid", WORKER), ("EventType", "worker.activity.update")] + draw(
        st.lists(st.tuples(names, values), max_size=5)
    )
    return as_json, port, signing, tamper, pairs


def _signed(
    as_json: bool, port: str, signing: str | None, tamper: str | None, pairs: list[tuple[str, str]]
) -> tuple[str, bytes, dict[str, str]]:
    """The request as Twilio would send it (then changed as `tamper` says): its query, body, content type, headers."""
    secret = AUTH_TOKEN if signing is None else SHARED_SECRET
    signed_url = PUBLIC.replace("relay.example.com", f"relay.example.com{port}")
    query = ""
    if as_json:
        body = json.dumps(dict(pairs)).encode()
        query = "bodySHA256=" + hashlib.sha256(body).hexdigest()
        signed_url += "?" + query
        signature = RequestValidator(secret).compute_signature(signed_url, {}, signing)
        content_type = "application/json"
    else:
        body = urlencode(pairs).encode()
        signature = RequestValidator(secret).compute_signature(signed_url, ImmutableMultiDict(pairs), signing)
        content_type = "application/x-www-form-urlencoded"
    if tamper == "param":
        body += b"&Extra=1" if not as_json else b" "
    elif tamper == "url":
        query = (query + "&" if query else "") + "then=changed"
    elif tamper == "token":
        signature = RequestValidator("another-token").compute_signature(signed_url, ImmutableMultiDict(pairs), signing)
    elif tamper == "body-hash" and as_json:
        body = json.dumps(dict(pairs) | {"EventType": "reservation.accepted"}).encode()
    headers = {"X-Twilio-Signature": signature, "Content-Type": content_type}
    if signing is not None:
        algorithm = signing if tamper != "algorithm" else ("HMAC_SHA1" if signing == "HMAC_SHA256" else "HMAC_SHA256")
        headers["X-Twilio-Webhooks-Signature-Settings"] = f"key={SHARED_KEY},algorithm={algorithm}"
    elif tamper == "algorithm":
        headers["X-Twilio-Webhooks-Signature-Settings"] = f"key={SHARED_KEY},algorithm=HMAC_SHA256"
    return query, body, headers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_the_relay_takes_what_twilios_validator_takes_and_nothing_changed_after_signing(
    request: SignedRequest,
) -> None:
    as_json, port, signing, tamper, pairs = request
    query, body, headers = _signed(*request)
    answer = CLIENT.post("/twilio/events" + (f"?{query}" if query else ""), content=body, headers=headers)
    settings_header = headers.get("X-Twilio-Webhooks-Signature-Settings")
    secret = SHARED_SECRET if settings_header else AUTH_TOKEN
    url = PUBLIC + (f"?{query}" if query else "")
    params = body.decode() if as_json else ImmutableMultiDict(parse_qsl(body.decode(), keep_blank_values=True))
    library = RequestValidator(secret).validate(
        url, params, headers["X-Twilio-Signature"], get_signature_algorithm(settings_header)
    )
    assert (answer.status_code == 204) == library, (answer.status_code, answer.text)
    changed = tamper is not None and not (tamper == "body-hash" and not as_json)
    assert library == (not changed), "Twilio's own signing, as generated, is taken; a change after it is not"


def test_a_refused_callback_is_counted_where_an_operator_looks() -> None:
    before = CLIENT.get("/healthz").json()["refused"]
    assert (
        CLIENT.post(
            "/twilio/events", content=b"EventType=x", headers={"Content-Type": "application/x-www-form-urlencoded"}
        ).status_code
        == 403
    )
    assert (
        CLIENT.post("/twilio/events", content=b"EventType=x", headers={"X-Twilio-Signature": "bm9wZQ=="}).status_code
        == 403
    )
    health = CLIENT.get("/healthz").json()
    assert health["refused"] == before + 2
    assert health["refused_by_reason"]["signature"] >= 2


def _signed_for(url: str) -> tuple[bytes, dict[str, str]]:
    pairs = [("WorkerSid", WORKER), ("EventType", "worker.activity.update")]
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, ImmutableMultiDict(pairs), None)
    return urlencode(pairs).encode(), {
        "X-Twilio-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def test_without_a_public_url_a_callback_signed_for_another_host_is_refused_even_with_that_host_header() -> None:
    """Every callback of the account is signed with its one auth token: one Twilio sent another of its URLs, sent
    here with that URL's `Host`, must not pass. Without `public_url` the relay takes loopback only."""
    relay = create_app(RelaySettings(auth_token=AUTH_TOKEN, secret="s" * 32, synchronous="NORMAL"))
    other = "https://hooks.another-app.example.com/twilio/events"
    body, headers = _signed_for(other)
    assert RequestValidator(AUTH_TOKEN).validate(
        other, ImmutableMultiDict(parse_qsl(body.decode())), headers["X-Twilio-Signature"]
    )
    foreign = TestClient(relay, base_url="https://hooks.another-app.example.com")
    assert foreign.post("/twilio/events", content=body, headers=headers).status_code == 403
    loopback = "http://127.0.0.1:8706/twilio/events"
    body, headers = _signed_for(loopback)
    assert (
        TestClient(relay, base_url="http://127.0.0.1:8706")
        .post("/twilio/events", content=body, headers=headers)
        .status_code
        == 204
    ), "loopback, where the mock and the tests call it, is still taken"

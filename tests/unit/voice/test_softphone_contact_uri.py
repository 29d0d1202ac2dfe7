"""The mock contact center takes an agent's softphone only on this machine: a SIP contact URI on IPv4 loopback, each
refusal naming what is wrong (a contact elsewhere would send a caller's call, and its voice, off the machine)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.voice.contact_uri import ContactUriError, parse_contact_uri

users = st.from_regex(r"[A-Za-z0-9._~+-]{1,64}", fullmatch=True)
ports = st.integers(min_value=1, max_value=65535)
loopback = st.integers(min_value=0, max_value=(1 << 24) - 1).map(lambda n: str(ipaddress.IPv4Address((127 << 24) + n)))
elsewhere = st.ip_addresses(v=4).filter(lambda address: not address.is_loopback).map(str)


@given(st.none() | users, loopback, st.none() | ports)
def test_a_loopback_contact_is_taken_in_one_normal_form(user: str | None, host: str, port: int | None) -> None:
    text = f"sip:{user + '@' if user else ''}{host}{f':{port}' if port else ''}"
    contact = parse_contact_uri(text)
    assert (contact.user, contact.host, contact.port) == (user, host, port or 5060)
    assert parse_contact_uri(contact.uri) == contact


@given(st.none() | users, elsewhere, st.none() | ports)
def test_a_contact_off_the_machine_is_refused_as_not_loopback(user: str | None, host: str, port: int | None) -> None:
    text = f"sip:{user + '@' if user else ''}{host}{f':{port}' if port else ''}"
    with pytest.raises(ContactUriError, match="not loopback"):
        parse_contact_uri(text)


@given(st.text(max_size=300))
def test_whatever_is_sent_is_taken_on_loopback_or_refused_in_words(text: str) -> None:
    try:
        contact = parse_contact_uri(text)
    except ContactUriError as error:
        assert str(error)
    else:
        assert ipaddress.IPv4Address(contact.host).is_loopback


@pytest.mark.parametrize(
    ("uri", "said"),
    [
        ("sips:agent@127.0.0.1:5061", "only sip: is served"),
        ("tel:+12125550100", "starts with sip:"),
        ("sip:agent@localhost:5070", "IPv4 loopback address such as 127.0.0.1, not 'localhost'"),
        ("sip:agent@[::1]:5070", "IPv6 is not served"),
        ("sip:agent@10.0.0.7:5070", "10.0.0.7 is not loopback"),
        ("sip:agent@127.0.0.1:5070;transport=tcp", "no parameters"),
        ("sip:agent@127.0.0.1:5070?X-Evil=1", "no parameters (;) or headers (?)"),
        ("sip:agent@127.0.0.1:0", "port must be a number from 1 to 65535, not '0'"),
        ("sip:agent@127.0.0.1:99999", "not '99999'"),
        ("sip:a b@127.0.0.1", "without spaces"),
        ("sip:<x>@127.0.0.1", "user part"),
        ("sip:@127.0.0.1", "user part"),
        ("sip:" + "a" * 300, "at most 256"),
    ],
)
def test_each_refusal_names_the_part_refused(uri: str, said: str) -> None:
    with pytest.raises(ContactUriError) as refused:
        parse_contact_uri(uri)
    assert said in str(refused.value)

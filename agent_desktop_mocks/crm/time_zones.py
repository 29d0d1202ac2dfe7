"""A seeded customer's time zone, from the US state (or territory) of their address: the zone most of the state
keeps (Indiana's east, Texas's central…). A demo's callback is then offered in the customer's own time, as a CRM
that keeps a contact's zone (Zendesk's `iana_time_zone`, Salesforce's `TimeZoneSidKey`) would serve it."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_ZONES = {
    "America/New_York": "CT DE DC FL GA IN ME MD MA MI NH NJ NY NC OH PA RI SC VT VA WV KY",
    "America/Chicago": "AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI",
    "America/Denver": "CO MT NM UT WY ID",
    "America/Phoenix": "AZ",
    "America/Los_Angeles": "CA NV OR WA",
    "America/Anchorage": "AK",
    "Pacific/Honolulu": "HI",
    "America/Puerto_Rico": "PR VI",
    "Pacific/Guam": "GU MP",
    "Pacific/Pago_Pago": "AS",
    "Pacific/Palau": "PW",
    "Pacific/Majuro": "MH",
    "Pacific/Pohnpei": "FM",
}
STATE_ZONE = {state: zone for zone, states in _ZONES.items() for state in states.split()}


def zone_of_address(city_line: str) -> str | None:
    """`"Ginaville, MD 07654"` → `"America/New_York"`; None for a state it does not know (a military address)."""
    words = city_line.rsplit(",", 1)[-1].split()
    return STATE_ZONE.get(words[0]) if words else None


def checked_zone(name: str | None) -> str | None:
    """An IANA zone name as given, or ValueError in words (a path, an unknown name)."""
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name[:60]!r} is no IANA time zone (e.g. America/Chicago)") from None
    return name

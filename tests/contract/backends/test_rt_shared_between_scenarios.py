"""The test process's one Request Tracker, shared by the CRM scenarios (tests/support/request_tracker.py's
`fresh_rt`): each scenario meets the seeded RT a restart gives it, never what the scenario before it wrote — not in
RT's database, not in a worker's record cache (RT::Record keeps a loaded record 30 s)."""

from __future__ import annotations

from tests.support.protocol_rigs.crm import REQUEST_TRACKER_GROUP
from tests.support.request_tracker import fresh_rt

pytestmark = REQUEST_TRACKER_GROUP  # the scenarios on RT share one worker's one RT

ANA = {"Name": "ana.diaz@example.org", "EmailAddress": "ana.diaz@example.org", "RealName": "Ana Diaz"}
BILLY = "billy.smith3@example.com"  # seeded caller 3 of seed 7


def test_a_scenario_never_meets_the_tickets_and_users_the_one_before_it_wrote() -> None:
    with fresh_rt() as rt, rt.client() as client:
        assert client.post("/user", json=ANA).status_code == 201
        first = client.post("/ticket", json={"Queue": "General", "Subject": "Charged twice", "Requestor": BILLY})
        assert first.status_code == 201, first.text
        ticket = first.json()["id"]
        assert client.get(f"/ticket/{ticket}").json()["Subject"] == "Charged twice"  # now in this worker's cache
        url = rt.url
    with fresh_rt() as rt, rt.client() as client:
        assert rt.url == url, "the same server, not a new one"
        assert client.get(f"/user/{ANA['Name']}").status_code == 404
        assert client.get(f"/ticket/{ticket}").status_code == 404
        assert client.get(f"/user/{BILLY}").json()["RealName"] == "Billy Smith", "the seeded customers kept"
        second = client.post("/ticket", json={"Queue": "General", "Subject": "Lost card", "Requestor": BILLY})
        assert second.json()["id"] == ticket, "RT numbers its tickets as on a fresh start"
        assert client.get(f"/ticket/{ticket}").json()["Subject"] == "Lost card"
        found = client.get("/tickets", params={"query": "Subject LIKE 'Charged'"}).json()
        assert found["total"] == 0

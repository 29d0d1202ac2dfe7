"""The one rule for following a vendor's paging links (agent_desktop/adapters/wire/paging.py)."""

from __future__ import annotations

import pytest

from agent_desktop.adapters.wire.paging import MAX_PAGES, Pages
from agent_desktop.domain.errors import BackendError

BASE = "https://taskrouter.twilio.com"


def pages() -> Pages:
    return Pages("contact center", "Twilio", BASE)


def test_links_on_the_configured_host_are_followed_and_the_end_ends_the_list() -> None:
    walk = pages()
    assert walk.next(f"{BASE}/v1/Workers?PageToken=2") == f"{BASE}/v1/Workers?PageToken=2"
    assert walk.next("/v1/Workers?PageToken=3") == f"{BASE}/v1/Workers?PageToken=3", "a relative link: on the base"
    assert walk.next("https://TASKROUTER.twilio.com:443/v1/Workers?PageToken=4"), "the same origin, written otherwise"
    assert walk.next(None) is None
    assert walk.next("") is None


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/v1/Workers",
        "http://taskrouter.twilio.com/v1/Workers",
        "https://taskrouter.twilio.com:8443/x",
        "//evil.example/v1/Workers",
        "https://taskrouter.twilio.com.evil.example/v1",
    ],
)
def test_a_link_to_another_origin_is_refused_in_words(link: str) -> None:
    with pytest.raises(BackendError) as refused:
        pages().next(link)
    assert "a next page on another host" in refused.value.message
    assert refused.value.status == 502


@pytest.mark.parametrize("link", [42, ["x"], "\x00", "https://[::1", "\ud800"])
def test_a_link_that_is_not_a_url_is_refused_in_words(link: int | list[str] | str) -> None:
    with pytest.raises(BackendError) as refused:
        pages().next(link)
    assert refused.value.message.startswith("502 Twilio sent a next-page link")


def test_a_link_back_to_a_page_already_read_stops_the_list() -> None:
    walk = pages()
    walk.next(f"{BASE}/v1/Workers?PageToken=2")
    with pytest.raises(BackendError, match="lead back to one already read"):
        walk.next(f"{BASE}/v1/Workers?PageToken=2")


def test_no_list_reads_more_than_its_bound_of_pages() -> None:
    walk = pages()
    for page in range(2, MAX_PAGES + 1):
        walk.next(f"{BASE}/v1/Workers?PageToken={page}")
    with pytest.raises(BackendError, match=f"more than {MAX_PAGES} pages"):
        walk.next(f"{BASE}/v1/Workers?PageToken=next")

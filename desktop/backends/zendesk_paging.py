"""Which of Zendesk's `next_page` links the desk follows: only on the configured Zendesk, never one read
already, never more than a read needs.

The client sends the API token (basic auth) with every request it makes, so a `next_page` on another host
(or the same host over plain http) would hand that host the token: refused, never sent. A link back to a page
already read would be followed forever: the page count is bounded and a repeat stops the read. Either is a
retryable BackendError in words (a screen pop says it; the outbox keeps its entry with the reason).
"""

from __future__ import annotations

from typing import Any

import httpx

from desktop.backends.errors import BackendError

# The longest read is opening a past conversation (crm_zendesk.COMMENTS_MOST, 5,000 comments at 100 a page):
# fifty pages, and a few more for pages Zendesk sends short.
MOST_PAGES = 60


class ZendeskPages:
    """The links one read has followed so far (one instance per read)."""

    def __init__(self, backend: str, base_url: str) -> None:
        self._backend = backend
        self._base = httpx.URL(base_url)
        self._read: set[str] = set()

    def next_url(self, page: dict[str, Any]) -> str | None:
        """The page's `next_page` to read next, None at the last page; BackendError for one not to follow."""
        following = page.get("next_page")
        if not following:
            return None
        if not isinstance(following, str):
            raise BackendError(self._backend, f"{self._backend} gave a next page that is not a link: not followed")
        url = self._base.join(following)
        if (url.scheme, url.host, url.port) != (self._base.scheme, self._base.host, self._base.port):
            where = f"{url.scheme}://{url.host}" + (f":{url.port}" if url.port else "")
            raise BackendError(self._backend, f"{self._backend}'s next page is on another host ({where}): not followed, "
                               f"the API token goes only to {self._base.host}")  # fmt: skip
        if str(url) in self._read:
            raise BackendError(self._backend, f"{self._backend}'s pages loop back to one already read: stopped there")
        if len(self._read) >= MOST_PAGES:
            raise BackendError(self._backend, f"{self._backend} gave more than {MOST_PAGES} pages: stopped there")
        self._read.add(str(url))
        return str(url)

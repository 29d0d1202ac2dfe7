"""Following a vendor's paging links, bounded: the one rule every paged list of every backend keeps.

A list's next-page link comes from the answer, so it is whatever the server (or whoever stands in for it) wrote:
- a link back to a page already read was followed forever (thousands of requests, a screen pop that never
  finished): a link seen before stops the list, and no list reads more than `MAX_PAGES` pages;
- a link to another host received the API key and secret (the client sends its basic auth to any URL it is
  given): a link is followed only to the scheme, host and port the list started on, the backend's configured
  base URL. A relative link is taken on that base.
Each refusal is a `BackendError` naming the vendor, never the link's query (it may carry anything).
"""

from __future__ import annotations

import httpx

from agent_desktop.domain.errors import BackendError

MAX_PAGES = 50  # the longest list read here is 20 pages (a supervisor's Events at 1,000 a page)
DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str | httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port (the default port written out), as a browser's same-origin rule compares them."""
    parsed = httpx.URL(url)
    return parsed.scheme, parsed.host.lower(), parsed.port or DEFAULT_PORTS.get(parsed.scheme)


class Pages:
    """One list's walk through its pages: `next(link)` is the URL to read next, or None where the list ends."""

    def __init__(self, backend: str, vendor: str, base_url: str, max_pages: int = MAX_PAGES) -> None:
        self.backend, self.vendor = backend, vendor
        self._base = httpx.URL(base_url)
        self._origin = origin(self._base)
        self._seen: set[str] = set()
        self._max = max_pages
        self.read = 1  # the first page, asked for by the caller

    def next(self, link: object) -> str | None:
        if not link:
            return None
        if not isinstance(link, str):
            raise self._refused("a next-page link that is not a text")
        try:
            url = self._base.join(link)
            there = origin(url)
        except (httpx.InvalidURL, ValueError, TypeError):
            raise self._refused("a next-page link that is not a URL") from None
        if there != self._origin:
            host = f"{there[1]}:{there[2]}" if there[2] not in DEFAULT_PORTS.values() else there[1]
            raise self._refused(
                f"a next page on another host ({host[:80]}): not followed, the credentials go only to {self._origin[1]}"
            )
        key = str(url)
        if key in self._seen:
            raise self._refused("pages that lead back to one already read: the list stopped")
        if self.read >= self._max:
            raise self._refused(f"more than {self._max} pages: the list stopped")
        self._seen.add(key)
        self.read += 1
        return key

    def _refused(self, what: str) -> BackendError:
        return BackendError(self.backend, f"502 {self.vendor} sent {what}", 502)

"""Zendesk Help Center as the desk's knowledge base: Search Articles and Show Article, read into plain text.

Zendesk writes a result's `snippet` as HTML whose matched words are "delimited by <em></em> tags", and an article's
`body` as HTML. The desk reads the `<em>` pairs of a snippet as match offsets and HTML's character references as the
characters they stand for (`&lt;` is `<`); any other tag in a snippet is text, shown as it is written — a backend's
text is never markup on the desk. A body is read as HTML (paragraphs, headings, list items become lines; tags are
dropped, their text kept): it is the article's own markup, not text. Zendesk ranks its results but gives no score:
a hit's `score` is its place counted from the end (the first of ten scores 10). `docs/vendors/zendesk.md` cites
the reference.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent_desktop.adapters.wire.answer_json import kind_of, unreadable
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.knowledge.models import Article, ArticleHit, Audience, Passage

VENDOR = "Zendesk"
_EM = re.compile(r"(</?em>)", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]")


class _Read(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True, defer_build=True)


class _Article(_Read):
    id: int = Field(gt=0, lt=2**63)
    title: str
    html_url: str
    body: str | None = None
    section_id: int | None = None
    label_names: list[str] = []
    snippet: str | None = None
    # "The id of the user segment which defines who can see this article. Set to null to make it accessible to
    # everyone": only such an article is the customers'. An answer without the field is read as internal (-1).
    user_segment_id: int | None = -1


class _Answer(_Read):
    results: list[_Article] | None = None
    article: _Article | None = None


def checked(backend: str, value: Any) -> dict[str, Any]:
    """An answer of Search Articles or Show Article, holding only what the desk reads (a BackendError naming the
    first field that does not fit)."""
    if not isinstance(value, dict):
        raise BackendError(backend, f"502 {VENDOR} sent {kind_of(value)} where an object was expected", 502)
    try:
        return _Answer.model_validate(value).model_dump()
    except ValidationError as error:
        raise unreadable(backend, VENDOR, "answer", error) from None


def searchable(query: str) -> bool:
    """Whether `query` has a word to search for (else the desk refuses it, as the mock CRM does, and sends nothing)."""
    return _WORD.search(query) is not None


def passage(snippet: str) -> Passage:
    """A Zendesk snippet as plain text with its `<em>` pairs as match offsets. An `<em>` never closed marks nothing;
    a stray `</em>` is dropped; every other tag is text."""
    text: list[str] = []
    matches: list[tuple[int, int]] = []
    length, start = 0, None
    for piece in _EM.split(snippet):
        if piece.lower() == "<em>":
            start = length
        elif piece.lower() == "</em>":
            if start is not None and length > start:
                matches.append((start, length))
            start = None
        else:
            plain = html.unescape(piece)
            text.append(plain)
            length += len(plain)
    return Passage(text="".join(text), matches=tuple(matches))


class _BodyText(HTMLParser):
    """An article's HTML as lines of text: a block element starts a line, a list item is `- ` or its number."""

    BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "ul", "ol", "table", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [number so far] for <ol>, [] for <ul>
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in ("ul", "ol"):
            self.lists.append([0] if tag == "ol" else [])
        elif tag == "li":
            numbered = self.lists and self.lists[-1]
            if numbered:
                numbered[0] += 1
            self.parts.append(f"\n{numbered[0]}. " if numbered else "\n- ")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.parts.append("\n\n")
        elif tag in self.BLOCKS - {"br"} and not tag.startswith("h"):  # a heading's next block or item breaks the line
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def body_text(body_html: str) -> str:
    """An article's HTML body as plain text, paragraphs apart by a blank line."""
    reader = _BodyText()
    reader.feed(body_html)
    reader.close()
    lines = [line.strip() for line in "".join(reader.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def hits(results: list[dict[str, Any]]) -> list[ArticleHit]:
    """Search results as hits, best first; `score` is the place counted from the end."""
    return [
        ArticleHit(
            id=str(result["id"]),
            title=result["title"],
            snippet=passage(result["snippet"] or ""),
            url=result["html_url"],
            score=float(len(results) - place),
            queue=(result["label_names"] or [None])[0],
            section=str(result["section_id"]) if result["section_id"] is not None else None,
            audience=audience(result),
        )
        for place, result in enumerate(results)
    ]


def article(found: dict[str, Any]) -> Article:
    return Article(
        id=str(found["id"]),
        title=found["title"],
        body=body_text(found["body"] or ""),
        url=found["html_url"],
        queue=(found["label_names"] or [None])[0],
        section=str(found["section_id"]) if found["section_id"] is not None else None,
        audience=audience(found),
    )


def audience(found: dict[str, Any]) -> Audience:
    """Everyone may see it (no user segment): the customers'; restricted to a segment (agents and managers, or any
    other), or not said: internal."""
    return "customer" if found["user_segment_id"] is None else "internal"

"""The knowledge base in Zendesk Help Center's shapes: articles with integer ids, an HTML body, a section, a category
and labels, and search results with Zendesk's `snippet` (the matching words delimited by `<em></em>`).

The articles are the mock CRM's (`crm/knowledge/store.py`, the same `crm.db`): article `kb-00012` is 12, its queue
is its category and its label, its section a section. Text is HTML-escaped wherever it goes into HTML, as a Help
Center escapes an article's text; the desk reads the `<em>` tags as match positions and nothing else as markup.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from agent_desktop_mocks.crm.knowledge.seed import ArticleRow
from agent_desktop_mocks.crm.knowledge.store import Hit

CATEGORIES = {"billing": 200000000001, "tech_support": 200000000002, "sales": 200000000003}
SECTION_BASE = 300000000000
EDITED = datetime(2026, 1, 12, 9, 0, tzinfo=UTC).isoformat().replace("+00:00", "Z")  # one date: the demo's import
_NUMBERED, _BULLET = re.compile(r"^(\d+)\. (.*)$"), re.compile(r"^- (.*)$")


def article_number(article_id: str) -> int | None:
    """`kb-00012` → 12; None for an id that is not one of the knowledge base's."""
    prefix, _, digits = article_id.partition("-")
    return int(digits) if prefix == "kb" and digits.isdigit() and int(digits) > 0 else None


def section_id(section: str) -> int:
    return SECTION_BASE + sum(ord(c) * (i + 1) for i, c in enumerate(section)) % 1_000_000  # stable, no table


def html_body(body: str) -> str:
    """The plain body as a Help Center article's HTML: paragraphs, a heading above each list, lists as lists."""
    out: list[str] = []
    for block in body.split("\n\n"):
        lines = block.split("\n")
        if len(lines) > 1 and (_NUMBERED.match(lines[1]) or _BULLET.match(lines[1])):
            tag = "ol" if _NUMBERED.match(lines[1]) else "ul"
            items = [(_NUMBERED.match(line) or _BULLET.match(line)) for line in lines[1:]]
            out.append(f"<h2>{html.escape(lines[0])}</h2>")
            out.append(
                f"<{tag}>" + "".join(f"<li>{html.escape(m.groups()[-1])}</li>" for m in items if m) + f"</{tag}>"
            )
        else:
            out.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    return "".join(out)


def html_snippet(hit: Hit) -> str:
    """The passage as Zendesk writes a snippet: escaped text, each matched word between `<em>` and `</em>`."""
    parts, at = [], 0
    for start, end in hit.matches:
        parts.append(html.escape(hit.snippet[at:start]) + "<em>" + html.escape(hit.snippet[start:end]) + "</em>")
        at = end
    parts.append(html.escape(hit.snippet[at:]))
    return "".join(parts)


# Zendesk's "Agents and managers" user segment (internal articles); `user_segment_id` null is "visible to everyone".
# The id is the mock's own: a real account has its segment's.
AGENTS_AND_MANAGERS = 360000000001


def article_json(row: ArticleRow | Hit, base_url: str, body: str | None) -> dict[str, Any]:
    number = article_number(row.id) or 0
    return {
        "id": number,
        "url": f"{base_url}/api/v2/help_center/en-us/articles/{number}.json",
        "html_url": row.url,
        "title": row.title,
        "body": body,
        "locale": "en-us",
        "source_locale": "en-us",
        "section_id": section_id(row.section),
        "label_names": [row.queue],
        "user_segment_id": None if row.audience == "customer" else AGENTS_AND_MANAGERS,
        "draft": False,
        "promoted": False,
        "outdated": False,
        "author_id": 1,
        "vote_sum": 0,
        "vote_count": 0,
        "created_at": EDITED,
        "updated_at": EDITED,
        "edited_at": EDITED,
    }


def search_result(hit: Hit, base_url: str) -> dict[str, Any]:
    """An article as the search endpoint returns it: the article (without its body: guessed, the reference does not
    say) with `result_type` and `snippet`."""
    return {**article_json(hit, base_url, None), "result_type": "article", "snippet": html_snippet(hit)}

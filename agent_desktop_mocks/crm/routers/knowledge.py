"""The knowledge base: ranked search over the articles (FTS5, BM25, snippets), and an article whole."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from agent_desktop_mocks.crm.knowledge import store as knowledge_store
from agent_desktop_mocks.crm.schemas import KnowledgeArticle, KnowledgeHit, KnowledgePassage, KnowledgeSearch
from agent_desktop_mocks.crm.state import Crm

router = APIRouter(prefix="/knowledge", tags=["knowledge"])

QUERY_MAX_CHARS = 500
LIMIT_MOST = 50


@router.get(
    "/search",
    response_model=KnowledgeSearch,
    summary="Articles that match some words, best first, each with the passage that matched",
    description=(
        "`q` is words as an agent types them, not a search syntax: every word is searched for as written (quotes, "
        "brackets, `*`, `NEAR`, `OR`, `title:` are characters, never operators). Articles holding every word are "
        "found; where none holds them all, those with any of the words in their title; where none has, those "
        "holding any. They are ranked by BM25 (more of the words, rarer words and words in the title rank higher). "
        f"At most {knowledge_store.MOST_TERMS} distinct words are searched for. Each hit's `snippet` is plain text "
        "with the matched words' offsets in `matches`. `queue` keeps the articles written for one queue's agents."
    ),
    responses={
        422: {
            "description": "`q` empty, too long or without a word to search for; `limit` out of range; "
            "a `queue` the knowledge base has no article for"
        },
    },
)
async def search(
    crm: Crm,
    q: Annotated[str, Query(max_length=QUERY_MAX_CHARS, description="Words to search for")],
    limit: Annotated[int, Query(ge=1, le=LIMIT_MOST)] = 10,
    queue: Annotated[str | None, Query(max_length=100)] = None,
) -> KnowledgeSearch:
    words = knowledge_store.terms(q)
    if not words:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "q has no word to search for")
    if queue is not None and queue not in (known := knowledge_store.queues(crm.db)):
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, f"no articles for queue {queue!r}: {', '.join(known)}"
        )
    hits = knowledge_store.search(crm.db, words, limit, queue)
    return KnowledgeSearch(
        words=words,
        hits=[
            KnowledgeHit(
                id=h.id,
                title=h.title,
                snippet=KnowledgePassage(text=h.snippet, matches=h.matches),
                url=h.url,
                score=h.score,
                queue=h.queue,
                section=h.section,
                audience=h.audience,
            )
            for h in hits
        ],
    )


@router.get(
    "/articles/{article_id}",
    response_model=KnowledgeArticle,
    summary="One article whole, its body as plain text",
    responses={404: {"description": "No article with this id"}},
)
async def get_article(crm: Crm, article_id: str) -> KnowledgeArticle:
    found = knowledge_store.article(crm.db, article_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no article {article_id}")
    return KnowledgeArticle(
        id=found.id,
        title=found.title,
        body=found.body,
        url=found.url,
        queue=found.queue,
        section=found.section,
        audience=found.audience,
    )

"""The knowledge base's SQLite tables and its ranked search (FTS5, BM25, snippets).

`knowledge` holds the articles; `knowledge_fts` is an FTS5 index over their titles and bodies with **external
content** (`content='knowledge'`): the text is stored once, in `knowledge`, which `article()` reads, and FTS5 reads it
from there for `snippet()` — a contentless index could rank but not cut a snippet, and a plain FTS5 table would store
every body twice. The articles are written only when the CRM seeds them, so the index is built once from the table
(`rebuild`) rather than kept by triggers.

What an agent types is words, never FTS5 syntax: each word is quoted (`"refund" OR "visa"`), so a quote, a bracket, a
`NEAR`, a `*` or a column filter typed in the box is a character like any other, and no query the agent can type is
an FTS5 syntax error. Words are joined by OR and ranked by BM25, the title weighted above the body, so an article
with more of the words, and rarer ones, comes first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from agent_desktop_mocks.crm.knowledge_seed import ArticleRow

MOST_TERMS = 32  # words searched for; past them a pasted paragraph adds nothing to the ranking but time
TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0
SNIPPET_TOKENS = 24
OPEN, CLOSE = "\ue000", "\ue001"  # highlight markers no article holds (knowledge_seed.py removes them)
_TERM = re.compile(r"[^\W_]+")  # letters and digits: what FTS5's unicode61 tokenizer keeps

_TABLES = """
create table if not exists knowledge (id text primary key, title text, body text, queue text, section text, url text);
create virtual table if not exists knowledge_fts using fts5(
    title, body, content='knowledge', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
create index if not exists knowledge_queue on knowledge (queue);
"""


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    snippet: str  # plain text
    matches: list[tuple[int, int]]  # where the searched words are in `snippet`
    url: str
    score: float  # higher is better
    queue: str
    section: str


def create_tables(db: sqlite_utils.Database) -> None:
    db.conn.executescript(_TABLES)


def is_empty(db: sqlite_utils.Database) -> bool:
    return db.conn.execute("select not exists (select 1 from knowledge)").fetchone()[0] == 1


def insert_articles(db: sqlite_utils.Database, rows: Iterable[ArticleRow]) -> None:
    """The articles, then the index built from them, in one transaction."""
    with db.conn:
        db.conn.executemany(
            "insert into knowledge (id, title, body, queue, section, url) values (?, ?, ?, ?, ?, ?)",
            ((r.id, r.title, r.body, r.queue, r.section, r.url) for r in rows),
        )
        db.conn.execute("insert into knowledge_fts (knowledge_fts) values ('rebuild')")


def terms(query: str) -> list[str]:
    """What `query` searches for, each once, at most MOST_TERMS: each word between spaces, lower case, its letters
    and digits (a word joined by a hyphen or an apostrophe, `wi-fi`, is searched as the phrase `wi fi`)."""
    found = (" ".join(_TERM.findall(token)).lower() for token in query.split())
    return list(dict.fromkeys(term for term in found if term))[:MOST_TERMS]


def match_expression(words: list[str]) -> str:
    """An FTS5 query of `words` quoted, joined by OR: nothing the agent typed is read as syntax."""
    return " OR ".join('"' + word.replace('"', '""') + '"' for word in words)


def queues(db: sqlite_utils.Database) -> list[str]:
    return [queue for (queue,) in db.conn.execute("select distinct queue from knowledge order by queue")]


_SEARCH = f"""
select k.id, k.title, snippet(knowledge_fts, 1, '{OPEN}', '{CLOSE}', '…', {SNIPPET_TOKENS}),
       k.url, -bm25(knowledge_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}), k.queue, k.section
from knowledge_fts join knowledge k on k.rowid = knowledge_fts.rowid
where knowledge_fts match ? {{queue}}
order by bm25(knowledge_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}), k.id
limit ?
"""


def search(db: sqlite_utils.Database, words: list[str], limit: int, queue: str | None = None) -> list[Hit]:
    """The best `limit` articles for `words` (from `terms`), best first; `queue` keeps one queue's."""
    sql = _SEARCH.format(queue="and k.queue = ?" if queue is not None else "")
    params: list[object] = [match_expression(words), *([queue] if queue is not None else []), limit]
    hits = []
    for row in db.conn.execute(sql, params):
        text, matches = _marked(row[2])
        hits.append(Hit(row[0], row[1], text, matches, row[3], round(row[4], 6), row[5], row[6]))
    return hits


def _marked(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """A snippet with the markers taken out, and where they were as offsets."""
    text: list[str] = []
    matches: list[tuple[int, int]] = []
    length, start = 0, None
    for piece in re.split(f"([{OPEN}{CLOSE}])", snippet):
        if piece == OPEN:
            start = length
        elif piece == CLOSE:
            if start is not None and length > start:
                matches.append((start, length))
            start = None
        else:
            text.append(piece)
            length += len(piece)
    return "".join(text), matches


def count(db: sqlite_utils.Database, words: list[str], queue: str | None = None) -> int:
    """How many articles `search` would find with no limit."""
    sql = "select count(*) from knowledge_fts join knowledge k on k.rowid = knowledge_fts.rowid where knowledge_fts match ?"
    params: list[object] = [match_expression(words)]
    if queue is not None:
        sql, params = sql + " and k.queue = ?", [*params, queue]
    return int(db.conn.execute(sql, params).fetchone()[0])


def article(db: sqlite_utils.Database, article_id: str) -> ArticleRow | None:
    row = db.conn.execute(
        "select id, title, body, queue, section, url from knowledge where id = ?", [article_id]
    ).fetchone()
    return ArticleRow(*row) if row else None

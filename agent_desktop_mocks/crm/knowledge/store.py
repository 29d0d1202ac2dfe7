"""The knowledge base's SQLite tables and its ranked search (FTS5, BM25, snippets).

`knowledge` holds the articles; `knowledge_fts` is an FTS5 index over their titles and bodies with **external
content** (`content='knowledge'`): the text is stored once, in `knowledge`, which `article()` reads, and FTS5 reads it
from there for `snippet()` — a contentless index could rank but not cut a snippet, and a plain FTS5 table would store
every body twice. The articles are written only when the CRM seeds them, so the index is built once from the table
(`rebuild`) rather than kept by triggers.

What an agent types is words, never FTS5 syntax: each word is quoted (`"refund" OR "visa"`), so a quote, a bracket, a
`NEAR`, a `*` or a column filter typed in the box is a character like any other, and no query the agent can type is
an FTS5 syntax error. Every word must match (AND), as in any search box; where no article has them all (a
suggestion's words from a customer's message, a typo among them), any word of a title may, then any word anywhere
(`expressions`). Hits are ranked by BM25, the title weighted above the body, so an article with more of the words,
and rarer ones, comes first. The order is also what keeps a search over 10,000 articles fast: any word anywhere
ranks every article holding one common word (`benchmarks/bench_knowledge.py`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from agent_desktop_mocks.crm.knowledge.seed import ArticleRow
from agent_desktop_mocks.crm.knowledge.table import Audience

MOST_TERMS = 32  # words searched for; past them a pasted paragraph adds nothing to the ranking but time
TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0
SNIPPET_TOKENS = 24
OPEN, CLOSE = "\ue000", "\ue001"  # highlight markers no article holds (seed.py removes them)
_TERM = re.compile(r"[^\W_]+")  # letters and digits: what FTS5's unicode61 tokenizer keeps

_TABLES = """
create table if not exists knowledge (
    id text primary key, title text, body text, queue text, section text, url text, audience text not null
);
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
    audience: Audience


def create_tables(db: sqlite_utils.Database) -> None:
    """The tables; a file seeded before articles had an audience has its articles dropped, to be seeded again (they
    are the table's, never written by anyone since)."""
    columns = {row[1] for row in db.conn.execute("pragma table_info(knowledge)")}
    if columns and "audience" not in columns:
        db.conn.executescript("drop table if exists knowledge_fts; drop table knowledge;")
    db.conn.executescript(_TABLES)


def is_empty(db: sqlite_utils.Database) -> bool:
    empty: int = db.conn.execute("select not exists (select 1 from knowledge)").fetchone()[0]  # sqlite rows are Any
    return empty == 1


def seed_if_empty(db: sqlite_utils.Database, rows: Callable[[], Iterable[ArticleRow]]) -> None:
    """The articles `rows()` makes, where the file has none: checked and written in one immediate transaction, so two
    processes opening one file (the CRM served by several) seed it once, the second finding it seeded."""
    connection = db.conn
    connection.execute("begin immediate")
    try:
        if is_empty(db):
            _insert(connection, rows())
        connection.commit()
    except BaseException:
        connection.rollback()
        raise


def _insert(connection: sqlite3.Connection, rows: Iterable[ArticleRow]) -> None:
    connection.executemany(
        "insert into knowledge (id, title, body, queue, section, url, audience) values (?, ?, ?, ?, ?, ?, ?)",
        ((r.id, r.title, r.body, r.queue, r.section, r.url, r.audience) for r in rows),
    )
    connection.execute("insert into knowledge_fts (knowledge_fts) values ('rebuild')")


def insert_articles(db: sqlite_utils.Database, rows: Iterable[ArticleRow]) -> None:
    """The articles, then the index built again with them, in one transaction."""
    with db.conn:
        _insert(db.conn, rows)


def terms(query: str) -> list[str]:
    """What `query` searches for, each once, at most MOST_TERMS: each word between spaces, lower case, its letters
    and digits (a word joined by a hyphen or an apostrophe, `wi-fi`, is searched as the phrase `wi fi`)."""
    found = (" ".join(_TERM.findall(token)).lower() for token in query.split())
    return list(dict.fromkeys(term for term in found if term))[:MOST_TERMS]


def match_expression(words: list[str], joined_by: str = "AND") -> str:
    """An FTS5 query of `words` quoted, joined by AND (or OR): nothing the agent typed is read as syntax."""
    return f" {joined_by} ".join('"' + word.replace('"', '""') + '"' for word in words)


def expressions(words: list[str]) -> list[str]:
    """What is searched, in turn, until an article is found: every word anywhere; then any word of a title (a title
    says what an article is about, and titles are short: ranking every article holding any word of a customer's
    message in its body took most of a search's time); then any word anywhere."""
    every = match_expression(words, "AND")
    if len(words) == 1:
        return [every]
    some = match_expression(words, "OR")
    return [every, f"{{title}} : ({some})", some]


def queues(db: sqlite_utils.Database) -> list[str]:
    return [queue for (queue,) in db.conn.execute("select distinct queue from knowledge order by queue")]


# Ranked first, cut after: `snippet()` in the ranking statement would be computed for every matching article before
# the sort (SQLite fills its sorter with whole rows), so the ten best are chosen by BM25 alone and only theirs cut.
_RANKED = f"""
select knowledge_fts.rowid, -bm25(knowledge_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})
from knowledge_fts {{join}}
where knowledge_fts match ? {{queue}}
order by bm25(knowledge_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}), knowledge_fts.rowid
limit ?
"""
_CUT = f"""
select knowledge_fts.rowid, k.id, k.title, snippet(knowledge_fts, 1, '{OPEN}', '{CLOSE}', '…', {SNIPPET_TOKENS}),
       k.url, k.queue, k.section, k.audience
from knowledge_fts join knowledge k on k.rowid = knowledge_fts.rowid
where knowledge_fts match ? and knowledge_fts.rowid in ({{rowids}})
"""


def ranked_rows(
    conn: sqlite3.Connection, words: list[str], limit: int, queue: str | None = None
) -> list[tuple[float, tuple[Any, ...]]]:  # (sqlite rows are Any)
    """(score, row) of the best `limit` articles, best first: every word, or any where no article has them all."""
    ranked = _RANKED.format(
        join="join knowledge k on k.rowid = knowledge_fts.rowid" if queue is not None else "",
        queue="and k.queue = ?" if queue is not None else "",
    )
    for expression in expressions(words):
        best = conn.execute(ranked, [expression, *([queue] if queue is not None else []), limit]).fetchall()
        if best:
            cut = _CUT.format(rowids=", ".join("?" * len(best)))
            rows = {row[0]: row[1:] for row in conn.execute(cut, [expression, *(rowid for rowid, _ in best)])}
            return [(score, rows[rowid]) for rowid, score in best if rowid in rows]
    return []


def search(db: sqlite_utils.Database, words: list[str], limit: int, queue: str | None = None) -> list[Hit]:
    """The best `limit` articles for `words` (from `terms`), best first; `queue` keeps one queue's."""
    hits = []
    for score, (article_id, title, snippet, url, queue_id, section, audience) in ranked_rows(
        db.conn, words, limit, queue
    ):
        text, matches = _marked(snippet)
        hits.append(Hit(article_id, title, text, matches, url, round(score, 6), queue_id, section, audience))
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
    sql += " and k.queue = ?" if queue is not None else ""
    found = 0
    for joined_by in ("AND", "OR") if len(words) > 1 else ("AND",):
        found = int(
            db.conn.execute(sql, [match_expression(words, joined_by), *([queue] if queue else [])]).fetchone()[0]
        )
        if found:
            break
    return found


def article(db: sqlite_utils.Database, article_id: str) -> ArticleRow | None:
    row = db.conn.execute(
        "select id, title, body, queue, section, url, audience from knowledge where id = ?", [article_id]
    ).fetchone()
    return ArticleRow(*row) if row else None

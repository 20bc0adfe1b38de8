"""Articles stored a batch at a time, and dropped: each article's rows (its file, its columns and FTS row, its
acronyms, its events with their FTS rows, actors and postings) are gathered as it comes from the
workers and written with one ``executemany`` per table every few hundred articles.

The workers hand over rows, not records (``pipeline._parse_one``: the article's columns, its copy key,
its events as ``eventstore`` rows), so that storing an article costs the main process little more
than SQLite's own work; the ids (docid, event rid, actor id) are given here, the next of each after
the largest in the index, as SQLite would give them.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .eventstore import Row
    from .happenings import Changes, Staged

# (rel, id, size, mtime_ns, hash, warning): the files row of one file, but for its docid
FileRow = tuple[str, str, int, int, str, str | None]
# The columns of ``articles`` from id to copy_key, but for aliases (``store.ARTICLE_COLUMNS``)
ArticleRow = tuple[Any, ...]

ARTICLE_COLUMNS = "id, rel, title, subtitle, date, date_source, outlet, agency, dateline, url, body, curated, copy_key"


class Batch:
    """The rows of the articles stored since the last ``flush``."""

    def __init__(self, con: sqlite3.Connection, actor_ids: dict[tuple[str, str, str], int], *,
                 postings: bool = True, staged: Staged | None = None) -> None:
        # postings: write the events' gist postings (a fresh build leaves them to the full merge, which
        # writes those of the events taking part, in the table's order: from ``staged`` when given)
        self.con, self.actor_ids, self.postings, self.staged = con, actor_ids, postings, staged
        if not actor_ids:
            actor_ids.update(((n, s, o), i) for i, n, s, o in con.execute("SELECT id, name, side, office FROM actors"))
        self.next_actor = max(actor_ids.values(), default=0) + 1
        self.docid = (con.execute("SELECT max(docid) FROM articles").fetchone()[0] or 0) + 1
        self.rid = (con.execute("SELECT max(rid) FROM events").fetchone()[0] or 0) + 1
        self.added: list[int] = []  # docids stored (for the merge)
        self.copy_keys: set[str] = set()
        self._clear()

    def _clear(self) -> None:
        self.files: list[tuple[Any, ...]] = []
        self.articles: list[tuple[Any, ...]] = []
        self.fts: list[tuple[int, str, str, str]] = []
        self.doc_acronyms: list[tuple[int, str, str]] = []
        self.acronyms: Counter[tuple[str, str]] = Counter()
        self.actors: list[tuple[int, str, str, str]] = []
        self.events: list[tuple[Any, ...]] = []
        self.event_fts: list[tuple[int, str]] = []
        self.event_actors: list[tuple[int, int]] = []
        self.gist: list[tuple[str, int, str, str, int]] = []

    def __len__(self) -> int:
        return len(self.files)

    def add(self, file: FileRow, article: ArticleRow | None, acronyms: Sequence[tuple[str, str]] = (),
            aliases: str = "", events: Sequence[Row] = ()) -> None:
        """One file's rows, and when it holds an article, the article's (its columns as ``ARTICLE_COLUMNS``)."""
        docid = None
        if article is not None:
            docid = self.docid
            self.docid += 1
            self.articles.append((docid, *article, aliases))
            self.fts.append((docid, article[2] or "", article[10], aliases))
            self.doc_acronyms += [(docid, short, long) for short, long in acronyms]
            self.acronyms.update(acronyms)
            self._events(docid, article[0], events)
            self.added.append(docid)
            if article[-1] is not None:
                self.copy_keys.add(article[-1])
        self.files.append((*file, docid))

    def _events(self, docid: int, ident: str, rows: Sequence[Row]) -> None:
        for row in rows:
            rid = self.rid
            self.rid += 1
            self.events.append((rid, docid, ident, *row[:13], row[14]))  # (row[13], what it says: in event_fts)
            self.event_fts.append((rid, row[13]))
            for actor in row[15]:
                aid = self.actor_ids.get(actor)
                if aid is None:
                    aid = self.actor_ids[actor] = self.next_actor
                    self.next_actor += 1
                    self.actors.append((aid, *actor))
                self.event_actors.append((aid, rid))
            if self.postings:
                start, end = row[2], row[3]
                self.gist += [(term, year, start, end, rid) for term, year in row[16]]
            elif self.staged is not None:
                self.staged.add(rid, row[2], row[3], row[16])

    def flush(self) -> None:
        """Write the rows gathered (in the caller's transaction)."""
        if not self.files:
            return
        con = self.con
        con.executemany(f"INSERT INTO articles(docid, {ARTICLE_COLUMNS}, aliases) VALUES ({_marks(15)})",
                        self.articles)
        con.executemany("INSERT INTO fts(rowid, title, body, aliases) VALUES (?, ?, ?, ?)", self.fts)
        con.executemany("INSERT INTO doc_acronyms VALUES (?, ?, ?)", self.doc_acronyms)
        con.executemany("INSERT INTO acronyms VALUES (?, ?, ?) ON CONFLICT(short, long)"
                        " DO UPDATE SET n = n + excluded.n", [(s, lf, n) for (s, lf), n in self.acronyms.items()])
        con.executemany("INSERT INTO actors(id, name, side, office) VALUES (?, ?, ?, ?)", self.actors)
        con.executemany("INSERT INTO events(rid, docid, article, seq, id, start, \"end\", rank, type, status, relevant,"
                        f" outlet, tags, norm, gist, text, record) VALUES ({_marks(17)})", self.events)
        con.executemany("INSERT INTO event_fts(rowid, said) VALUES (?, ?)", self.event_fts)
        con.executemany("INSERT OR IGNORE INTO event_actors VALUES (?, ?)", self.event_actors)
        con.executemany("INSERT INTO gist VALUES (?, ?, ?, ?, ?)", self.gist)
        con.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", self.files)
        self._clear()


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def drop_article(con: sqlite3.Connection, docid: int, changes: Changes) -> list[tuple[str, str]]:
    """Forget one article's rows (its columns, FTS row, acronyms, events; its file's row is the caller's);
    return the acronyms no article defines now."""
    from .eventstore import delete

    key = con.execute("SELECT copy_key FROM articles WHERE docid=?", (docid,)).fetchone()
    if key and key[0] is not None:
        changes.copy_keys.add(key[0])
    changes.dropped += delete(con, docid)
    old = con.execute("SELECT title, body, aliases FROM articles WHERE docid=?", (docid,)).fetchone()
    if old:
        con.execute("INSERT INTO fts(fts, rowid, title, body, aliases) VALUES('delete', ?, ?, ?, ?)",
                    (docid, old[0] or "", old[1], old[2]))
    con.execute("DELETE FROM articles WHERE docid=?", (docid,))
    pairs = con.execute("SELECT short, long FROM doc_acronyms WHERE docid=?", (docid,)).fetchall()
    con.executemany("UPDATE acronyms SET n = n - 1 WHERE short=? AND long=?", pairs)
    gone: list[tuple[str, str]] = []
    if pairs:
        gone = [tuple(r) for r in con.execute("SELECT short, long FROM acronyms WHERE n <= 0")]
        con.execute("DELETE FROM acronyms WHERE n <= 0")
    con.execute("DELETE FROM doc_acronyms WHERE docid=?", (docid,))
    return gone


# -- a build from scratch ---------------------------------------------------------------------------


def drop_indexes(con: sqlite3.Connection) -> dict[str, str]:
    """Drop every secondary index (in the caller's transaction), and return them, name -> SQL: a build
    from scratch writes its rows into tables without them and makes each index once, by one sort."""
    found = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
    for name in found:
        con.execute(f'DROP INDEX "{name}"')
    return found


def make_indexes(con: sqlite3.Connection, dropped: dict[str, str], names: Sequence[str] | None = None) -> None:
    """Make again the indexes ``drop_indexes`` dropped (those of ``names``, or all), and forget them."""
    for name in list(dropped) if names is None else [n for n in names if n in dropped]:
        con.execute(dropped.pop(name))

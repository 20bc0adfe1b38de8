"""The events in the index: their tables, the rows an article's events become, and the SQL that
reads them back (one article's, one batch of happenings', the happenings a filter can match).

An event is one row with the columns the timeline filters and merges on (dates, precision rank,
type, status, relevance, outlet, tags, gist) and its whole record as JSON; its actors are rows of
``event_actors`` (for ``--actor``), its sources' sentences are in ``event_fts`` (for ``--keyword``),
and its gist terms, per year, in ``gist`` (the merge's inverted index: only events that take part in
the merge, i.e. not a syndicated copy's). ``happenings`` holds one row per merged event, with the
columns of its combined event that order and filter the timeline. ``happenings.py`` keeps them.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .merging import Report
    from .models import Article, Event
    from .queries import EventQuery, Filters

SCHEMA = """
CREATE TABLE events(
    rid INTEGER PRIMARY KEY, docid INTEGER NOT NULL, seq INTEGER NOT NULL, article TEXT NOT NULL,
    id TEXT NOT NULL, start TEXT NOT NULL, "end" TEXT NOT NULL, rank INTEGER NOT NULL, type TEXT NOT NULL,
    status TEXT NOT NULL, relevant INTEGER NOT NULL, outlet TEXT, tags TEXT NOT NULL, norm INTEGER NOT NULL,
    gist TEXT NOT NULL, text TEXT NOT NULL, happening INTEGER, record TEXT NOT NULL
);
-- tags: '|training|visit|'; norm: a 64-bit checksum of the sentence without case or extra space;
-- gist: its gist terms, space-separated; happening: the happenings row it belongs to, NULL while it
-- takes no part in the merge; record: its JSON without its sentence (``text``), which it holds twice
CREATE INDEX events_doc ON events(docid);
CREATE INDEX events_article ON events(article);
CREATE INDEX events_happening ON events(happening, docid, seq);
CREATE INDEX events_norm ON events(norm, start);
CREATE INDEX events_outlet ON events(outlet);
CREATE INDEX events_dates ON events(start, "end");
CREATE TABLE actors(id INTEGER PRIMARY KEY, name TEXT NOT NULL, side TEXT NOT NULL, office TEXT NOT NULL,
                    UNIQUE(name, side, office));
CREATE TABLE event_actors(actor INTEGER NOT NULL, event INTEGER NOT NULL, PRIMARY KEY(actor, event)) WITHOUT ROWID;
CREATE INDEX event_actors_event ON event_actors(event);
-- said: its sources' sentences (what --keyword looks in), only indexed: they are in the record
CREATE VIRTUAL TABLE event_fts USING fts5(said, content='', tokenize='unicode61 remove_diacritics 2');
-- ("end" may not be declared NOT NULL: SQLite 3.40's integrity_check then misreads this WITHOUT ROWID table)
CREATE TABLE gist(term TEXT NOT NULL, year INTEGER NOT NULL, start TEXT NOT NULL, "end" TEXT,
                  event INTEGER NOT NULL, PRIMARY KEY(term, year, start, event)) WITHOUT ROWID;
CREATE TABLE happenings(
    id INTEGER PRIMARY KEY, start TEXT NOT NULL, rank INTEGER NOT NULL, "end" TEXT NOT NULL, article TEXT NOT NULL,
    text TEXT NOT NULL, type TEXT NOT NULL, relevant INTEGER NOT NULL, status TEXT NOT NULL, span INTEGER NOT NULL
);
-- the order of merging.sort_events, and the longest span (days) so a date range can use the order
CREATE INDEX happenings_order ON happenings(start, rank, "end", article, text, id);
CREATE INDEX happenings_span ON happenings(span);
"""

TABLES = ("events", "actors", "event_actors", "gist", "happenings")

# One event as the worker that parsed its article hands it over: the columns of ``events`` from seq
# to record, with what its sources say (for event_fts) before the record, its actors as (name, side,
# office), and its gist postings as (term, year).
Row = tuple[int, str, str, str, int, str, str, int, str | None, str, int, str, str, str, str,
            tuple[tuple[str, str, str], ...], tuple[tuple[str, int], ...]]

_REPORT = 'rid, start, "end", type, article, norm, gist'


def checksum64(text: str) -> int:
    import hashlib

    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def event_rows(article: Article) -> list[Row]:
    """An article's events as rows (run in the worker that parsed it). (``events`` is imported as a module,
    not its ``article_events``: that name is also this module's own function, which a compiled build
    would have the local import overwrite.)"""
    from . import events
    from .merging import gist, norm_text, posting_keys, rank

    rows: list[Row] = []
    for seq, e in enumerate(events.article_events(article)):
        terms = sorted(gist(e))
        rows.append((seq, e.id, e.start.isoformat(), e.end.isoformat(), rank(e.precision), e.type, str(e.status),
                     int(e.relevant), e.outlet, "|" + "".join(t.casefold() + "|" for t in e.tags),
                     checksum64(norm_text(e.text)), " ".join(terms), e.text,
                     "\n".join(s.text for s in e.sources), stored_record(e.as_record()),
                     tuple((a.name, a.side, a.office or "") for a in e.actors),
                     tuple(posting_keys(e.start.year, e.end.year, terms))))
    return rows


# -- writing -----------------------------------------------------------------------------------------


def gist_rows(rid: int, start: str, end: str, terms: str) -> list[tuple[str, int, str, str, int]]:
    """An event's postings in the merge's inverted index: (term, year) of its gist terms and years."""
    from .merging import posting_keys

    return [(t, y, start, end, rid) for t, y in posting_keys(int(start[:4]), int(end[:4]), terms.split())]


def drop_postings(con: sqlite3.Connection, events: Iterable[tuple[int, str, str, str]]) -> None:
    """Delete the gist postings of events given as (rid, start, end, gist), by the table's own key: an
    event's postings follow from its row (``gist_rows``), so the table needs no index by event, which
    a build would make of 1.7 million postings at 100,000 articles."""
    con.executemany("DELETE FROM gist WHERE term=? AND year=? AND start=? AND event=?",
                    [(term, year, start, rid) for row in events for term, year, start, _, rid in gist_rows(*row)])


def stored_record(rec: dict[str, Any]) -> str:
    """An event's record as the index keeps it: without its sentence, in the ``text`` column, and in
    each source that cites that sentence (most do; ``record_of`` puts it back)."""
    text = rec.pop("text")
    for source in rec["sources"]:
        if source["text"] == text:
            del source["text"]
    return _RECORD.encode(rec)


_RECORD = json.JSONEncoder(ensure_ascii=False)  # (json.dumps with an option builds one a call)


def record_of(record: str, text: str) -> dict[str, Any]:
    r: dict[str, Any] = json.loads(record)
    r["text"] = text
    for source in r["sources"]:
        source.setdefault("text", text)
    return r


def delete(con: sqlite3.Connection, docid: int) -> list[tuple[int, int | None, str]]:
    """Forget one article's events; (rid, happening, gist postings as 'term year ...') of those forgotten."""
    gone = []
    rows = con.execute('SELECT rid, happening, text, record, start, "end", gist FROM events WHERE docid=?',
                       (docid,)).fetchall()
    for rid, happening, text, record, start, end, terms in rows:
        said = "\n".join(s["text"] for s in record_of(record, text)["sources"])  # what was indexed, to unindex it
        con.execute("INSERT INTO event_fts(event_fts, rowid, said) VALUES('delete', ?, ?)", (rid, said))
        gone.append((rid, happening, f"{start[:4]} {end[:4]} {terms}"))
    con.execute("DELETE FROM event_actors WHERE event IN (SELECT rid FROM events WHERE docid=?)", (docid,))
    drop_postings(con, ((rid, start, end, terms) for rid, _, _, _, start, end, terms in rows))
    con.execute("DELETE FROM events WHERE docid=?", (docid,))
    return gone


def clear(con: sqlite3.Connection) -> None:
    for table in TABLES:
        con.execute(f"DELETE FROM {table}")
    con.execute("INSERT INTO event_fts(event_fts) VALUES('delete-all')")


# -- reading -----------------------------------------------------------------------------------------


def event_of_row(text: str, record: str) -> Event:
    from .store import event_of

    return event_of(record_of(record, text))


def report_of_row(r: Sequence[Any]) -> Report:
    from .merging import Report

    return Report(r[0], r[1], r[2], r[3], r[4], r[5], frozenset(r[6].split()))


def reports(con: sqlite3.Connection, where: str, args: Sequence[Any] = ()) -> list[Report]:
    """``report_of_row`` of the events that ``where`` selects (its import and call made once: a full
    merge reads every event)."""
    from .merging import Report

    rows = con.execute(f"SELECT {_REPORT} FROM events WHERE {where}", args)
    return [Report(key, start, end, kind, article, norm, frozenset(gist.split()))
            for key, start, end, kind, article, norm, gist in rows]


def article_events(con: sqlite3.Connection, article: str) -> list[Event]:
    rows = con.execute("SELECT text, record FROM events WHERE article=? ORDER BY seq", (article,))
    return [event_of_row(*r) for r in rows]


def merged_input(con: sqlite3.Connection) -> list[Event]:
    """Every event taking part in the merge, in the order the whole-corpus merge reads them (for tests)."""
    rows = con.execute("SELECT text, record FROM events WHERE happening IS NOT NULL ORDER BY docid, seq")
    return [event_of_row(*r) for r in rows]


def members(con: sqlite3.Connection, happenings: Sequence[int]) -> dict[int, list[Event]]:
    """The member events of some happenings, each list in the merge's reading order."""
    out: dict[int, list[Event]] = {h: [] for h in happenings}
    marks = ",".join("?" * len(happenings))
    for h, text, record in con.execute(f"SELECT happening, text, record FROM events WHERE happening IN ({marks})"
                                 " ORDER BY happening, docid, seq", tuple(happenings)):
        out[h].append(event_of_row(text, record))
    return out


def timeline(con: sqlite3.Connection, f: Filters, q: EventQuery, tally: Callable[[int], None],
             chunk: int = 500) -> Iterator[Event]:
    """The merged events passing the filters, in timeline order: the happenings that may pass are found
    by SQL (``happening_ids``), then only their members are read, ``chunk`` happenings at a time,
    combined as the whole-corpus merge combines them, and tested exactly (``tally`` counts the records read)."""
    import itertools

    from .merging import combine
    from .queries import select_events

    ids = happening_ids(con, f, q)
    while batch := list(itertools.islice(ids, chunk)):
        found = members(con, batch)
        tally(sum(len(v) for v in found.values()))
        yield from select_events((combine(found[h]) for h in batch if found[h]), f, q)


def happening_ids(con: sqlite3.Connection, f: Filters, q: EventQuery) -> Iterator[int]:
    """The happenings that may pass the filters, in timeline order: for each filter, those with a
    member (or, for what the combined event decides — dates, type, status, relevance — a combined
    event) passing it. A superset of the answer: ``queries.select_events`` decides."""
    where, args = [], []
    if f.since is not None or f.until is not None:
        span = con.execute("SELECT max(span) FROM happenings").fetchone()[0] or 0
        if f.until is not None:
            where.append("start <= ?")
            args.append(f.until.isoformat())
        if f.since is not None:
            where += ["start >= ?", '"end" >= ?']
            args += [(f.since - dt.timedelta(days=span)).isoformat(), f.since.isoformat()]
    if not q.everything:
        where.append("relevant = 1")
    if q.types:
        where.append(f"type IN ({','.join('?' * len(q.types))})")
        args += q.types
    if q.status:
        where.append("status = ?")
        args.append(q.status)
    for sub, sub_args in _member_filters(con, f, q):
        where.append(sub)
        args += sub_args
    sql = "SELECT id FROM happenings" + (" WHERE " + " AND ".join(where) if where else "")
    yield from (r[0] for r in con.execute(sql + ' ORDER BY start, rank, "end", article, text, id', args))


def _member_filters(con: sqlite3.Connection, f: Filters, q: EventQuery) -> Iterator[tuple[str, list[Any]]]:
    from .queries import any_part

    # (a member filter on a column of its own is asked of each candidate, through events_happening;
    # one with an index of its own, as a set of happenings)
    if q.article:
        yield "id IN (SELECT happening FROM events WHERE article = ?)", [q.article]
    if f.outlet:
        outlets = [o for (o,) in con.execute("SELECT DISTINCT outlet FROM events WHERE outlet IS NOT NULL")
                   if any_part(f.outlet, [o])]
        yield (f"EXISTS (SELECT 1 FROM events e WHERE e.happening = happenings.id AND e.outlet IN"
               f" ({','.join('?' * len(outlets))}))"), outlets
    if f.tag:
        tags = ["|" + t.casefold() + "|" for t in f.tag]
        yield ("EXISTS (SELECT 1 FROM events e WHERE e.happening = happenings.id AND ("
               + " OR ".join("instr(e.tags, ?)" for _ in tags) + "))"), tags
    if q.actors:
        ids = _actor_ids(con, q.actors)
        yield ("id IN (SELECT e.happening FROM event_actors a JOIN events e ON e.rid = a.event"
               f" WHERE a.actor IN ({','.join('?' * len(ids))}))"), ids
    if f.keyword:
        phrase = fts_words(f.keyword)
        if phrase:
            yield ("id IN (SELECT happening FROM events WHERE rid IN"
                   " (SELECT rowid FROM event_fts WHERE event_fts MATCH ?))"), [phrase]


def _actor_ids(con: sqlite3.Connection, wanted: Iterable[str]) -> list[int]:
    from .models import Actor, Event, Precision, Status
    from .queries import _actor

    day = dt.date.min
    out = []
    for aid, name, side, office in con.execute("SELECT id, name, side, office FROM actors"):
        probe = Event(Precision.day, day, day, "", "", "", None, (), Status.reported,
                      actors=(Actor(name, side, office or None),))
        if any(_actor(w, probe) for w in wanted):
            out.append(aid)
    return out


def fts_words(keyword: str) -> str:
    """A keyword as an FTS5 phrase of its words ('' when it has none): every text in which the
    keyword stands as a whole word holds that phrase (the exact test follows)."""
    import re

    words = re.findall(r"\w+", keyword.replace("_", " "))
    return '"' + " ".join(words) + '"' if words else ""

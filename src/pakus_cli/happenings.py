"""The merge of one happening across articles, kept in the index as articles come and go.

Every event taking part in the merge (any article's but a syndicated copy's: its first copy speaks for
it) belongs to one ``happenings`` row. The rows are those of ``merging.merge`` over the same events:

- a full build joins every ``alike`` pair through the same candidate rules (the same sentence; a shared
  gist posting, not too common), one calendar year of events at a time, so memory holds one year;
- after a change, only what it touches is merged again: a new event is compared with the events that
  share its sentence or a gist posting at overlapping dates, and joins (relabels) their happenings; a
  happening that lost a member, or whose members are filed under a posting that became too common (or
  common enough again), is merged again from its remaining members and their neighbours.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Sequence
from typing import Any

from . import merging
from .eventstore import drop_postings, gist_rows, report_of_row, reports
from .merging import Groups, Report, alike, join_alike, posting_keys

# Above this many events to merge again, a change is merged as a full build is (the same result).
INCREMENTAL_UNDER = 20_000
# The indexes a full merge reads (a build from scratch makes the others after it)
READS = ("articles_copy", "events_dates")


class Changes:
    """What a refresh did to the events, for ``settle``: the events dropped (rid, happening, postings
    as "start-year end-year terms..."), the articles stored, the copy keys they carry."""

    __slots__ = ("dropped", "added", "copy_keys", "staged")

    def __init__(self) -> None:
        self.dropped: list[tuple[int, int | None, str]] = []
        self.added: list[int] = []
        self.copy_keys: set[str] = set()
        self.staged: Staged | None = None  # a build from scratch: its events' postings, for the full merge

    def __bool__(self) -> bool:
        return bool(self.dropped or self.added or self.copy_keys)


class Staged:
    """The gist postings of a build from scratch, gathered as its batches are stored, so that the full
    merge writes them in the gist table's order without having SQLite sort 1.7 million rows (at
    100,000 articles): per (term, year), the events filed under it, as positions in compact arrays of
    their rids and dates (each date an index into the distinct dates: four bytes a posting)."""

    __slots__ = ("keys", "rids", "starts", "ends", "dates", "_date_at")

    def __init__(self) -> None:
        self.keys: dict[tuple[str, int], array[int]] = {}
        self.rids, self.starts, self.ends = array("q"), array("i"), array("i")
        self.dates: list[str] = []
        self._date_at: dict[str, int] = {}

    def add(self, rid: int, start: str, end: str, keys: Iterable[tuple[str, int]]) -> None:
        """One event's postings (``merging.posting_keys`` of its dates and gist)."""
        at = len(self.rids)
        self.rids.append(rid)
        self.starts.append(self._date(start))
        self.ends.append(self._date(end))
        for key in keys:
            found = self.keys.get(key)
            if found is None:
                found = self.keys[key] = array("i")
            found.append(at)

    def _date(self, day: str) -> int:
        i = self._date_at.get(day)
        if i is None:
            i = self._date_at[day] = len(self.dates)
            self.dates.append(day)
        return i

    def rows(self, leave_out: Container[int]) -> Iterator[tuple[str, int, str, str, int]]:
        """The gist table's rows but those of the events ``leave_out`` names, in its order: by (term,
        year), then by start and rid (sorted within each posting, a few hundred rows at a time)."""
        rids, starts, ends, dates = self.rids, self.starts, self.ends, self.dates
        for key in sorted(self.keys):
            term, year = key
            found = [(dates[starts[i]], rids[i], dates[ends[i]]) for i in self.keys[key] if rids[i] not in leave_out]
            found.sort()
            for start, rid, end in found:
                yield term, year, start, end, rid


def _keys(postings: str) -> list[tuple[str, int]]:
    y0, y1, *terms = postings.split()
    return posting_keys(int(y0), int(y1), terms)


def settle(con: sqlite3.Connection, changes: Changes, *, full: bool) -> None:
    """Bring the happenings up to date after a refresh stored and dropped articles."""
    if full:
        rebuild(con, changes.staged)
    elif len(changes.added) + len(changes.dropped) > INCREMENTAL_UNDER // 4:
        rebuild(con)
    elif changes:
        _Update(con, changes).run()
    changes.__init__()  # type: ignore[misc]


# -- a full build --------------------------------------------------------------------------------------


def _hidden_docs(con: sqlite3.Connection, keys: Iterable[str] | None = None) -> list[int]:
    """Syndicated copies after the first (by id): their events are their first copy's."""
    sql = ("SELECT a.docid FROM articles a WHERE a.copy_key IS NOT NULL AND EXISTS (SELECT 1 FROM articles b"
           " WHERE b.copy_key = a.copy_key AND b.id < a.id)")
    if keys is None:
        return [r[0] for r in con.execute(sql)]
    out: list[int] = []
    for k in keys:
        out += [r[0] for r in con.execute(sql + " AND a.copy_key = ?", (k,))]
    return out


# The page cache a full merge sorts its postings in (KiB): at 100,000 articles SQLite's default of 2 MB
# sorts 1.7 million postings through temporary files, 2 s longer. The merge runs after the workers are
# gone, so the memory is theirs; the cache is set back after it.
MERGE_CACHE_KIB = 65536


def rebuild(con: sqlite3.Connection, staged: Staged | None = None) -> None:
    """``_rebuild``; with a page cache large enough to sort the postings in memory, unless they were
    ``staged`` (a build from scratch: they are written in order)."""
    if staged is not None:
        _rebuild(con, staged)
        return
    before = con.execute("PRAGMA cache_size").fetchone()[0]
    con.execute(f"PRAGMA cache_size=-{MERGE_CACHE_KIB}")
    try:
        _rebuild(con)
    finally:
        con.execute(f"PRAGMA cache_size={int(before)}")


def _rebuild(con: sqlite3.Connection, staged: Staged | None = None) -> None:
    """Merge every event again, one calendar year of events at a time (an event is in each year it
    covers, so every pair whose dates overlap meets in some year). The postings are written again, of
    the events taking part only, in the gist table's order; an event's row is written only when its
    happening changes (a fresh build stores its events outside the merge: happening NULL)."""
    con.execute("DELETE FROM happenings")
    con.execute("DELETE FROM gist")
    con.execute("CREATE TEMP TABLE hidden(docid INTEGER PRIMARY KEY)")
    con.executemany("INSERT INTO temp.hidden VALUES (?)", ((d,) for d in _hidden_docs(con)))
    con.execute("UPDATE events SET happening = NULL WHERE happening IS NOT NULL AND docid IN temp.hidden")
    taking = "docid NOT IN temp.hidden"
    if staged is None:
        _write_postings(con, taking)
    else:
        hidden = {r[0] for r in con.execute("SELECT rid FROM events WHERE docid IN temp.hidden")}
        con.executemany("INSERT INTO gist VALUES (?, ?, ?, ?, ?)", staged.rows(hidden))
    too_common = set(con.execute("SELECT term, year FROM gist GROUP BY term, year HAVING count(*) > ?",
                                 (merging.MAX_POSTING,)))
    top, lo, hi, longest = con.execute(
        'SELECT max(rid), min(substr(start, 1, 4)), max(substr("end", 1, 4)),'
        f' max(substr("end", 1, 4) - substr(start, 1, 4)) FROM events WHERE {taking}').fetchone()
    forest = Groups((top or 0) + 1)
    for year in range(int(lo or 0), int(hi or -1) + 1):
        window = reports(con, f'start >= ? AND start <= ? AND "end" >= ? AND {taking}',
                         (f"{year - int(longest):04d}", f"{year:04d}-12-31", f"{year:04d}"))
        join_alike(window, forest, too_common)
    for chunk in _chunks(con.execute(f"SELECT rid, happening FROM events WHERE {taking}")):
        con.executemany("UPDATE events SET happening = ? WHERE rid = ?",
                        [(root, rid) for rid, happening in chunk if (root := forest.find(rid)) != happening])
    con.execute("DROP TABLE temp.hidden")
    _write(con, None)


def _write_postings(con: sqlite3.Connection, taking: str) -> None:
    """The gist table's rows of the events taking part, inserted in its key's order (sorted by SQLite, in
    a temporary table: appended, the table's pages are written once each)."""
    con.execute("CREATE TEMP TABLE postings(term TEXT, year INTEGER, start TEXT, \"end\" TEXT, event INTEGER)")
    events = con.execute(f'SELECT rid, start, "end", gist FROM events WHERE {taking}')
    while chunk := events.fetchmany(5000):  # (read while a temporary table is written: no other table is)
        con.executemany("INSERT INTO temp.postings VALUES (?, ?, ?, ?, ?)",
                        [g for row in chunk for g in gist_rows(*row)])
    con.execute("INSERT INTO gist SELECT * FROM temp.postings ORDER BY term, year, start, event")
    con.execute("DROP TABLE temp.postings")


def _chunks(cur: sqlite3.Cursor, size: int = 5000) -> Iterable[list[Any]]:
    """A query's rows a few thousand at a time, read to the end before any is written back."""
    rows = cur.fetchall()  # (rids and short columns only: a few MB at 100,000 articles)
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _write(con: sqlite3.Connection, ids: Sequence[int] | None) -> None:
    """The happenings rows (all, or those of ``ids``) from their members: the combined event's sort key,
    type and dates (its most precise member's, as ``merging.combine`` picks it), relevance and status."""
    where = "happening IS NOT NULL"
    if ids is not None:
        con.executemany("DELETE FROM happenings WHERE id = ?", ((i,) for i in ids))
        where = f"happening IN ({','.join(str(int(i)) for i in ids)})"
    con.execute(
        "INSERT INTO happenings(id, start, rank, \"end\", article, text, type, relevant, status, span)"
        " SELECT happening, start, rank, \"end\", article, text, type, anyrel, CASE WHEN planned THEN 'planned'"
        " ELSE 'reported' END, CAST(julianday(\"end\") - julianday(start) AS INTEGER) FROM ("
        "  SELECT happening, start, rank, \"end\", article, text, type,"
        "   row_number() OVER (PARTITION BY happening ORDER BY rank, relevant DESC, article, docid, seq) AS n,"
        "   max(relevant) OVER (PARTITION BY happening) AS anyrel,"
        "   min(status = 'planned') OVER (PARTITION BY happening) AS planned"
        f"  FROM events WHERE {where}) WHERE n = 1")


# -- after a change ----------------------------------------------------------------------------------------


class _Update:
    """One incremental merge (see the module's docstring)."""

    def __init__(self, con: sqlite3.Connection, changes: Changes) -> None:
        self.con, self.changes = con, changes
        self.counts: dict[tuple[str, int], int] = {}

    def count(self, key: tuple[str, int]) -> int:
        n = self.counts.get(key)
        if n is None:
            n = self.counts[key] = self.con.execute("SELECT count(*) FROM gist WHERE term = ? AND year = ?",
                                                    key).fetchone()[0]
        return n

    def run(self) -> None:
        con, ch = self.con, self.changes
        dropped = list(ch.dropped)
        hidden = set(_hidden_docs(con, ch.copy_keys))
        shown = [r[0] for k in ch.copy_keys for r in con.execute(
            "SELECT docid FROM articles WHERE copy_key = ? ORDER BY id LIMIT 1", (k,))]
        for docid in hidden:  # newly hidden copies leave the merge
            for rid, happening, start, end, terms in con.execute(
                    "SELECT rid, happening, start, \"end\", gist FROM events WHERE docid = ? AND happening IS NOT NULL",
                    (docid,)).fetchall():
                if docid not in ch.added:
                    dropped.append((rid, happening, f"{start[:4]} {end[:4]} {terms}"))
            drop_postings(con, con.execute('SELECT rid, start, "end", gist FROM events WHERE docid = ?',
                                           (docid,)).fetchall())
            con.execute("UPDATE events SET happening = NULL WHERE docid = ?", (docid,))
        new = [r for d in ch.added if d not in hidden for r in reports(con, "docid = ?", (d,))]
        for docid in set(shown) - set(ch.added) - hidden:  # a first copy again: it joins the merge
            rows = con.execute("SELECT rid, start, \"end\", gist FROM events WHERE docid = ? AND happening IS NULL",
                               (docid,)).fetchall()
            con.executemany("INSERT OR IGNORE INTO gist VALUES (?, ?, ?, ?, ?)",
                            [g for row in rows for g in gist_rows(*row)])
            new += reports(con, "docid = ? AND happening IS NULL", (docid,))
        self.merge(new, dropped)

    def merge(self, new: list[Report], dropped: list[tuple[int, int | None, str]]) -> None:
        con = self.con
        moved: Counter[tuple[str, int]] = Counter()  # postings: events added minus events removed
        for r in new:
            moved.update(posting_keys(int(r.start[:4]), int(r.end[:4]), r.gist))
        moved.subtract(k for _, _, postings in dropped for k in _keys(postings))
        dirty = {h for _, h, _ in dropped if h is not None}
        for key, delta in moved.items():
            now = self.count(key)
            if (now > merging.MAX_POSTING) != (now - delta > merging.MAX_POSTING):  # too common now, or no longer
                dirty |= {r[0] for r in con.execute(
                    "SELECT DISTINCT e.happening FROM gist g JOIN events e ON e.rid = g.event WHERE g.term = ?"
                    " AND g.year = ? AND e.happening IS NOT NULL", key)}
        todo = {r.key: r for r in new}
        for h in dirty:
            todo.update((r.key, r) for r in reports(con, "happening = ?", (h,)))
        if len(todo) > INCREMENTAL_UNDER:
            rebuild(con)
            return
        con.executemany("UPDATE events SET happening = NULL WHERE happening = ?", ((h,) for h in dirty))
        con.executemany("DELETE FROM happenings WHERE id = ?", ((h,) for h in dirty))
        self.relabel(todo, self.neighbours(todo))

    def neighbours(self, todo: dict[int, Report]) -> dict[tuple[str, int], tuple[str, int]]:
        """Union-find over the events to merge ("e", rid) and the untouched happenings ("h", id)."""
        parent: dict[tuple[str, int], tuple[str, int]] = {("e", k): ("e", k) for k in todo}

        def find(n: tuple[str, int]) -> tuple[str, int]:
            while parent.setdefault(n, n) != n:
                n = parent[n]
            return n

        cache: dict[int, tuple[Report, int | None]] = {}
        for r in todo.values():
            for c, happening in self.candidates(r, cache):
                if c.key != r.key and (happening is not None or c.key in todo) and alike(r, c):
                    node = ("e", c.key) if happening is None else ("h", happening)
                    parent[find(node)] = find(("e", r.key))
        return {n: find(n) for n in list(parent)}

    def candidates(self, r: Report, cache: dict[int, tuple[Report, int | None]]) -> list[tuple[Report, int | None]]:
        """The events sharing ``r``'s sentence in another article, or a posting not too common, at
        overlapping dates (with their happening)."""
        con = self.con
        rids = [row[0] for row in con.execute(
            "SELECT rid FROM events WHERE norm = ? AND start <= ? AND \"end\" >= ? AND article != ?",
            (r.norm, r.end, r.start, r.article))]
        for key in set(posting_keys(int(r.start[:4]), int(r.end[:4]), r.gist)):
            if 1 < self.count(key) <= merging.MAX_POSTING:
                rids += [row[0] for row in con.execute(
                    "SELECT event FROM gist WHERE term = ? AND year = ? AND start <= ? AND \"end\" >= ?",
                    (*key, r.end, r.start))]
        missing = [rid for rid in set(rids) if rid not in cache]
        for i in range(0, len(missing), 500):
            chunk = missing[i:i + 500]
            for row in con.execute("SELECT rid, start, \"end\", type, article, norm, gist, happening FROM events"
                                   f" WHERE rid IN ({','.join('?' * len(chunk))})", chunk):
                cache[row[0]] = (report_of_row(row[:7]), row[7])
        return [cache[rid] for rid in set(rids) if rid in cache]

    def relabel(self, todo: dict[int, Report], roots: dict[tuple[str, int], tuple[str, int]]) -> None:
        con = self.con
        comps: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for node, root in roots.items():
            comps.setdefault(root, []).append(node)
        touched = []
        for nodes in comps.values():
            olds = sorted(n[1] for n in nodes if n[0] == "h")
            if olds:
                target = olds[0]
            else:
                target = (con.execute("SELECT max(id) FROM happenings").fetchone()[0] or 0) + 1
                con.execute("INSERT INTO happenings(id, start, rank, \"end\", article, text, type, relevant, status,"
                            " span) VALUES (?, '', 0, '', '', '', '', 0, '', 0)", (target,))
            for old in olds[1:]:
                con.execute("UPDATE events SET happening = ? WHERE happening = ?", (target, old))
            con.executemany("UPDATE events SET happening = ? WHERE rid = ?",
                            [(target, n[1]) for n in nodes if n[0] == "e"])
            touched += [target, *olds[1:]]
        for i in range(0, len(touched), 500):
            _write(con, touched[i:i + 500])

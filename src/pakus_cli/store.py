"""The on-disk cache: one SQLite database (with FTS5) per corpus folder, in the user's cache.

This module owns the schema, the writers' lock, transactions and the mapping between rows and
records. It imports only the records: it never reads a corpus file and never runs a pipeline
stage (``pipeline`` decides what goes in, ``search`` asks what comes out). The corpus stays the
only source of truth: deleting the cache loses nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from .lock import writers_lock
from .records import article_of as article_of
from .records import event_of as event_of

if TYPE_CHECKING:  # the records are built lazily: `search` never needs them (start-up time)
    from .batch import ArticleRow, Batch, FileRow
    from .eventstore import Row
    from .happenings import Changes
    from .models import Article, Copy, Event

SCHEMA_VERSION = 12
BM25_WEIGHTS = "4.0, 1.0, 0.5"  # a match in the title, the body, the acronyms (search ranks by them too)

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(
    rel TEXT PRIMARY KEY, id TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL, warning TEXT, docid INTEGER
);
CREATE TABLE dirs(rel TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL);
CREATE TABLE articles(
    docid INTEGER PRIMARY KEY, id TEXT NOT NULL, rel TEXT NOT NULL, title TEXT, subtitle TEXT,
    date TEXT, date_source TEXT, outlet TEXT, agency TEXT, dateline TEXT, url TEXT, body TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '', curated TEXT NOT NULL, copy_key TEXT
);
CREATE INDEX articles_id ON articles(id);
-- copy_key: syndicated copies share it (copies.py); the index holds what a group's listing reads
CREATE INDEX articles_copy ON articles(copy_key, id, rel, outlet, title, date) WHERE copy_key IS NOT NULL;
-- aliases: the acronyms whose long form the article contains (IMET for "International Military Education
-- and Training"), so that searching an acronym is one term, not a costly phrase, at any corpus size
CREATE VIRTUAL TABLE fts USING fts5(
    title, body, aliases, content='articles', content_rowid='docid',
    tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(""" + BM25_WEIGHTS + """)');
CREATE INDEX files_warned ON files(rel) WHERE warning IS NOT NULL;
-- acronym definitions found in each article, and how many articles make each one
CREATE TABLE doc_acronyms(docid INTEGER NOT NULL, short TEXT NOT NULL, long TEXT NOT NULL);
CREATE INDEX doc_acronyms_doc ON doc_acronyms(docid);
CREATE TABLE acronyms(short TEXT NOT NULL, long TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(short, long));
CREATE INDEX acronyms_short ON acronyms(short COLLATE NOCASE, n);
CREATE INDEX acronyms_long ON acronyms(long COLLATE NOCASE, n);
"""

_COLUMNS = "id, rel, title, subtitle, date, date_source, outlet, agency, dateline, url, body, curated"

FileStats = dict[str, tuple[int, int]]  # rel -> (size, mtime_ns)
BATCH = 500  # articles stored before their rows are written


LOCK_WAIT = 300.0  # seconds to wait for another pakus's write (100,000 articles take ~90 s): never unbounded


class CacheProblem(Exception):
    """The cache file cannot be used as it is (corrupt, truncated, another schema)."""


class CacheUnusable(Exception):
    """No cache this run: $PAKUS_CACHE is a file (or below one), or another pakus holds it too long."""


def cache_dir() -> Path:
    """``$PAKUS_CACHE``, else ``$XDG_CACHE_HOME/pakus``, else ``~/.cache/pakus``."""
    if os.environ.get("PAKUS_CACHE"):
        return Path(os.environ["PAKUS_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pakus"


def checksum(data: bytes) -> str:
    """A short checksum (zlib rather than hashlib: already loaded; a name, not a seal)."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def db_path(root: Path) -> Path:
    """One database per corpus folder, named by a checksum of its real path."""
    return cache_dir() / f"{root.name or 'corpus'}-{checksum(str(root.resolve()).encode())}.sqlite"


def is_busy(exc: sqlite3.Error) -> bool:
    """SQLite's "the file is locked by someone else", as opposed to a damaged file."""
    return "locked" in str(exc) or "busy" in str(exc)


class Store:
    """The cache of one corpus folder."""

    def __init__(self, root: Path, path: Path | None = None) -> None:
        self.root = root.resolve()
        self.path = path or db_path(self.root)
        self.warnings: list[str] = []
        self.memory = False  # the cache cannot be written: this run indexes in memory
        self._con: sqlite3.Connection | None = None
        self._changes: Changes | None = None  # what this refresh did to the events (``happenings.settle``)
        self._actor_ids: dict[tuple[str, str, str], int] = {}
        self._batch: Batch | None = None  # rows stored and not written yet
        self._dropped: dict[str, str] = {}  # the indexes a rebuild dropped until its rows are in
        self.events_read = 0  # event records materialised by queries (tests count them)

    # -- connection, lock, transactions ------------------------------------------------------------

    @property
    def con(self) -> sqlite3.Connection:
        if self._con is None:
            self._con = self._connect()
        return self._con

    def _connect(self) -> sqlite3.Connection:
        if not self.memory:
            self._check_folder()
        if self.memory:
            return sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        con = sqlite3.connect(self.path, timeout=LOCK_WAIT, isolation_level=None, check_same_thread=False)
        try:
            # (WAL is a property of the file, set once after its first build: ``_use_wal``)
            con.execute("PRAGMA synchronous=NORMAL")
            # Both reads in one snapshot: another process may be creating the schema right now, and
            # between two separate reads it would look like tables without a version (a foreign file).
            con.execute("BEGIN")
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            con.execute("COMMIT")
            if version == 0:
                if tables:
                    raise CacheProblem("it is not a pakus index")
            elif version != SCHEMA_VERSION:
                raise CacheProblem(f"it has schema {version}, this pakus uses {SCHEMA_VERSION}")
        except (sqlite3.DatabaseError, CacheProblem) as exc:
            con.close()
            if isinstance(exc, CacheProblem) or (isinstance(exc, sqlite3.OperationalError) and is_busy(exc)):
                raise  # (busy: another pakus holds the file, not a reason to throw it away)
            raise CacheProblem(str(exc)) from exc
        return con

    def _check_folder(self) -> None:
        """A folder that cannot be one is an error; one that cannot be written, an index in memory."""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise CacheUnusable(f"the index cache folder {folder} cannot be made: a file is in the way; "
                                "point $PAKUS_CACHE at a folder") from None
        except OSError as exc:
            self.use_memory(f"cannot create {folder} ({(exc.strerror or str(exc)).lower()})")
            return
        if not os.access(folder, os.W_OK) or (self.path.exists() and not os.access(self.path, os.W_OK)):
            self.use_memory(f"{self.path if self.path.exists() else folder} is read-only")

    def use_memory(self, why: str) -> None:
        """Index in memory from now on (the cache file cannot be written), and say so once."""
        self.close()
        self.memory = True
        self.warnings.append(f"cannot write the index cache: {why}; indexing in memory for this run (slower)")

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    @contextmanager
    def locked(self) -> Iterator[None]:
        """An exclusive lock for writers, so refreshes take turns (flock needs no write permission)."""
        if not self.memory:
            self._check_folder()
        if self.memory:
            return (yield)
        with writers_lock(Path(str(self.path) + ".lock"), LOCK_WAIT, CacheUnusable):
            yield

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole, or rolled back whole (Ctrl-C included)."""
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
            self.make_indexes()
            con.execute("COMMIT")
            self._use_wal()
        except BaseException:
            self._batch, self._dropped = None, {}  # (the rows and indexes are as they were)
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise

    def discard(self, reason: str) -> None:
        """Delete an unusable cache file (under the writers' lock) so it is rebuilt."""
        self.close()
        if self.memory:
            return
        with self.locked():
            for suffix in ("", "-wal", "-shm", "-journal"):
                try:
                    os.unlink(str(self.path) + suffix)
                except FileNotFoundError:
                    pass
        self.warnings.append(f"the index cache {self.path} was unusable ({reason}); rebuilt it")

    def _use_wal(self) -> None:
        """WAL mode (readers read while a refresh writes), once the first build is in: that build's pages,
        all new, are written once with a rollback journal, not to the log and again into the file at the
        commit (4 s at 100,000 articles). Should a reader hold the file now, the next refresh tries again."""
        con = self.con
        if self.memory or con.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            return
        con.execute("PRAGMA busy_timeout=200")
        with suppress(sqlite3.OperationalError):  # (the switch does not wait for a reader's lock)
            con.execute("PRAGMA journal_mode=WAL")
        con.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT * 1000)}")

    def is_new(self) -> bool:
        return bool(self.con.execute("PRAGMA user_version").fetchone()[0] == 0)

    def create(self) -> None:
        """Make a new cache file a pakus index, once: under the writers' lock, so that processes
        starting together cannot both create it (executescript commits any open transaction first,
        so an SQLite transaction alone cannot guard the check and the creation)."""
        with self.locked():
            if not self.is_new():
                return  # another process made it while this one waited
            from .eventstore import SCHEMA

            self.con.executescript("BEGIN;" + _SCHEMA + SCHEMA + f"PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")

    # -- meta, files, folders ---------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, values: Iterable[tuple[str, str]]) -> None:
        self.con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values)

    def file_count(self) -> int:
        """Files in the index: kept in meta by each refresh, so a warm run counts no 100,000 rows."""
        kept = self.meta("files")
        if kept is not None:
            return int(kept)
        return self.count_files()

    def count_files(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM files").fetchone()[0])

    def file_stats(self) -> FileStats:
        return {rel: (size, mtime) for rel, size, mtime in self.con.execute("SELECT rel, size, mtime_ns FROM files")}

    def known_files(self) -> dict[str, tuple[str, int, int, str]]:
        """rel -> (id, size, mtime_ns, hash) of every indexed file."""
        return {r[0]: r[1:] for r in self.con.execute("SELECT rel, id, size, mtime_ns, hash FROM files")}

    def dirs(self) -> dict[str, int]:
        return dict(self.con.execute("SELECT rel, mtime_ns FROM dirs").fetchall())

    def set_dirs(self, dirs: dict[str, int]) -> None:
        self.con.execute("DELETE FROM dirs")
        self.con.executemany("INSERT INTO dirs VALUES (?, ?)", dirs.items())

    def touch_file(self, rel: str, size: int, mtime_ns: int) -> None:
        """A file touched but not changed: remember its new stat."""
        self.con.execute("UPDATE files SET size=?, mtime_ns=? WHERE rel=?", (size, mtime_ns, rel))

    def clear(self) -> None:
        """Empty every table (a rebuild), inside the caller's transaction; the secondary indexes are
        dropped until the rows are in (``make_indexes``)."""
        from .batch import drop_indexes

        self._dropped = drop_indexes(self.con)
        for table in ("files", "dirs", "acronyms", "doc_acronyms", "meta"):
            self.con.execute(f"DELETE FROM {table}")
        self.con.execute("INSERT INTO fts(fts) VALUES('delete-all')")
        self.con.execute("DELETE FROM articles")
        from . import eventstore

        eventstore.clear(self.con)
        self._actor_ids.clear()
        self._changes = None
        self._batch = None

    # -- articles -----------------------------------------------------------------------------------

    def put(self, file: FileRow, article: ArticleRow | None, acronyms: Sequence[tuple[str, str]] = (),
            aliases: str = "", events: Sequence[Row] = ()) -> None:
        """Store one file's row and, when it holds an article, the article (its columns as ``batch.ARTICLE_COLUMNS``),
        its FTS row, acronyms and events: gathered, and written a batch at a time (``flush``)."""
        if self._batch is None:
            from .batch import Batch

            if self._dropped and self.changes.staged is None:  # a build from scratch
                from .happenings import Staged

                self.changes.staged = Staged()
            self._batch = Batch(self.con, self._actor_ids, postings=not self._dropped, staged=self.changes.staged)
        self._batch.add(file, article, acronyms, aliases, events)
        if len(self._batch) >= BATCH:
            self.flush()

    def make_indexes(self, names: Sequence[str] | None = None) -> None:
        """Make the indexes ``clear`` dropped: those of ``names``, or all."""
        if self._dropped:
            from .batch import make_indexes

            make_indexes(self.con, self._dropped, names)

    def flush(self) -> None:
        """Write the rows ``put`` gathered: before anything reads them or writes over them."""
        batch, self._batch = self._batch, None
        if batch is not None:
            batch.flush()
            self.changes.added += batch.added
            self.changes.copy_keys |= batch.copy_keys

    def drop(self, rel: str) -> list[tuple[str, str]]:
        """Forget one file and its article (FTS row, acronyms); return the acronyms no article defines now."""
        from .batch import drop_article

        self.flush()
        row = self.con.execute("SELECT docid FROM files WHERE rel=?", (rel,)).fetchone()
        gone = drop_article(self.con, row[0], self.changes) if row and row[0] is not None else []
        self.con.execute("DELETE FROM files WHERE rel=?", (rel,))
        return gone

    @property
    def changes(self) -> Changes:
        if self._changes is None:
            from .happenings import Changes

            self._changes = Changes()
        return self._changes

    def settle_events(self, *, full: bool) -> None:
        """Merge the events stored and dropped since the last call into the happenings."""
        from .happenings import READS, settle

        self.flush()
        self.make_indexes(READS)
        settle(self.con, self.changes, full=full)
        self.make_indexes()

    def set_aliases(self, docid: int, aliases: str) -> None:
        """Replace one article's aliases (and its FTS row with them)."""
        con = self.con
        title, body, old = con.execute("SELECT title, body, aliases FROM articles WHERE docid=?", (docid,)).fetchone()
        con.execute("INSERT INTO fts(fts, rowid, title, body, aliases) VALUES('delete', ?, ?, ?, ?)",
                    (docid, title or "", body, old))
        con.execute("UPDATE articles SET aliases=? WHERE docid=?", (aliases, docid))
        con.execute("INSERT INTO fts(rowid, title, body, aliases) VALUES (?, ?, ?, ?)",
                    (docid, title or "", body, aliases))

    def alias_basis(self, docid: int) -> tuple[set[str], str]:
        """The acronyms one article defines itself, and its body."""
        body = self.con.execute("SELECT body FROM articles WHERE docid=?", (docid,)).fetchone()[0]
        return {r[0] for r in self.con.execute("SELECT short FROM doc_acronyms WHERE docid=?", (docid,))}, body

    def aliases_of(self, docid: int) -> str:
        return str(self.con.execute("SELECT aliases FROM articles WHERE docid=?", (docid,)).fetchone()[0])

    def matching(self, fts_query: str) -> list[int]:
        """The docids an FTS5 expression matches."""
        return [r[0] for r in self.con.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (fts_query,))]

    # -- acronyms -----------------------------------------------------------------------------------

    def acronym_pairs(self) -> list[tuple[str, str]]:
        return list(self.con.execute("SELECT short, long FROM acronyms"))

    def long_forms(self, short: str) -> list[str]:
        rows = self.con.execute("SELECT long FROM acronyms WHERE short = ? COLLATE NOCASE ORDER BY n DESC LIMIT 5",
                                (short,))
        return list(dict.fromkeys(r[0].lower() for r in rows))[:3]

    def short_forms(self, long: str) -> list[str]:
        rows = self.con.execute("SELECT short FROM acronyms WHERE long = ? COLLATE NOCASE ORDER BY n DESC LIMIT 3",
                                (long,))
        return list(dict.fromkeys(r[0] for r in rows))

    # -- reading ------------------------------------------------------------------------------------

    def file_warnings(self) -> list[tuple[str, str]]:
        """(rel, warning) of every file read with a warning, and of what the walk could not take in
        (unreadable folders, names too long), by name."""
        rows = self.con.execute("SELECT rel, warning FROM files WHERE warning IS NOT NULL ORDER BY rel")
        problems = json.loads(self.meta("problems") or "{}")
        return sorted([(rel, w) for rel, w in rows] + list(problems.items()))

    def warned_files(self) -> dict[str, tuple[str, str]]:
        """rel -> (warning, hash) of every file read with a warning."""
        rows = self.con.execute("SELECT rel, warning, hash FROM files WHERE warning IS NOT NULL")
        return {rel: (warning, digest) for rel, warning, digest in rows}

    def count_file_warnings(self) -> int:
        files = self.con.execute("SELECT count(*) FROM files WHERE warning IS NOT NULL").fetchone()[0]
        return int(files) + len(json.loads(self.meta("problems") or "{}"))

    def unreadable(self) -> int:
        """Files that hold no article, and what the walk could not take in (folders, names)."""
        files = self.con.execute("SELECT count(*) FROM files WHERE docid IS NULL").fetchone()[0]
        return int(files) + len(json.loads(self.meta("problems") or "{}"))

    def files(self) -> list[tuple[str, str]]:
        """(id, rel) of every file in the corpus, readable or not."""
        return list(self.con.execute("SELECT id, rel FROM files ORDER BY rel"))

    def articles(self) -> list[Article]:
        return [article_of(r) for r in self.con.execute(f"SELECT {_COLUMNS} FROM articles ORDER BY id")]

    def article(self, ident: str) -> Article | None:
        row = self.con.execute(f"SELECT {_COLUMNS} FROM articles WHERE id=?", (ident,)).fetchone()
        return article_of(row) if row else None

    def values(self, column: str) -> list[str]:
        """Distinct ids, outlets or agencies (for completion)."""
        assert column in ("outlet", "agency", "id")
        rows = self.con.execute(f"SELECT DISTINCT {column} FROM articles WHERE {column} IS NOT NULL ORDER BY 1")
        return [r[0] for r in rows]

    # -- events -------------------------------------------------------------------------------------

    def copy_groups(self, ids: Sequence[str] | None = None) -> list[list[Copy]]:
        """The groups of articles that share a copy key (each in id order), all or those holding ``ids``."""
        from .copies import groups

        return groups(self.con, ids)

    def article_events(self, article: str) -> list[Event]:
        """One article's events, unmerged, in reading order."""
        from .eventstore import article_events

        return article_events(self.con, article)

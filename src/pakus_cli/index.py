"""The on-disk index: one SQLite database (with FTS5) per corpus folder, in the user's cache.

The corpus files stay the only source of truth; deleting the cache loses nothing. Refresh is
incremental (size, mtime, then content hash), and the parser's version is part of the cache
key, so a new pakus rebuilds. Writers take an exclusive lock file, write in one transaction,
and a killed build leaves the old index; a corrupt, truncated or foreign database is
discarded with one warning and rebuilt.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__

if TYPE_CHECKING:  # the records are built lazily: `search` never needs them (start-up time)
    from .models import Article, Event
    from .search import Hit

SCHEMA_VERSION = 5
# Bump when parsing, dating or event rules change what an index would hold.
PARSER_REVISION = 1
# Below this many files every command stats every file; above it, only folders (a file added,
# removed or renamed changes its folder), and `pakus index` does the full check.
FULL_CHECK_UNDER = 5000
PARALLEL_OVER = 64

Progress = Callable[[int, int], None]
# (rel, id, size, mtime_ns, hash known before or None to force a new parse, whether the file was indexed)
Job = tuple[str, str, int, int, str | None, bool]

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(
    rel TEXT PRIMARY KEY, id TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL, warning TEXT, docid INTEGER
);
CREATE TABLE dirs(rel TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL);
CREATE TABLE articles(
    docid INTEGER PRIMARY KEY, id TEXT NOT NULL, rel TEXT NOT NULL, title TEXT, subtitle TEXT,
    date TEXT, date_source TEXT, outlet TEXT, agency TEXT, dateline TEXT, body TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '', curated TEXT NOT NULL, events TEXT
);
CREATE INDEX articles_id ON articles(id);
-- aliases: the acronyms whose long form the article contains (IMET for "International Military Education
-- and Training"), so that searching an acronym is one term, not a costly phrase, at any corpus size
CREATE VIRTUAL TABLE fts USING fts5(
    title, body, aliases, content='articles', content_rowid='docid',
    tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(4.0, 1.0, 0.5)');
CREATE INDEX files_warned ON files(rel) WHERE warning IS NOT NULL;
-- acronym definitions found in each article, and how many articles make each one
CREATE TABLE doc_acronyms(docid INTEGER NOT NULL, short TEXT NOT NULL, long TEXT NOT NULL);
CREATE INDEX doc_acronyms_doc ON doc_acronyms(docid);
CREATE TABLE acronyms(short TEXT NOT NULL, long TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(short, long));
CREATE INDEX acronyms_short ON acronyms(short COLLATE NOCASE, n);
CREATE INDEX acronyms_long ON acronyms(long COLLATE NOCASE, n);
"""


class CacheProblem(Exception):
    """The cache file cannot be used as it is (corrupt, truncated, another schema)."""


def cache_dir() -> Path:
    """``$PAKUS_CACHE``, else ``$XDG_CACHE_HOME/pakus``, else ``~/.cache/pakus``."""
    if os.environ.get("PAKUS_CACHE"):
        return Path(os.environ["PAKUS_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pakus"


def _key(data: bytes) -> str:
    # zlib rather than hashlib: it is already loaded, and OpenSSL's start-up cost is not (a name, not a seal)
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def db_path(root: Path) -> Path:
    """One database per corpus folder, named by a checksum of its real path."""
    return cache_dir() / f"{root.name or 'corpus'}-{_key(str(root.resolve()).encode())}.sqlite"


# The modules whose code decides what the index holds: any change to them, or to the data tables,
# rebuilds the index, with or without a version bump.
_PARSING = ("article.py", "corpus.py", "dates.py", "events.py", "search.py", "models.py", "tables.py")


def parser_version() -> str:
    """A checksum of pakus's version and the size and mtime of the parsing code and data tables:
    any change to them rebuilds (their stats are read on every run, their content is not)."""
    here = Path(__file__).resolve().parent
    parts = [f"{__version__}/{PARSER_REVISION}/{SCHEMA_VERSION}"]
    for path in [*(here / name for name in _PARSING), *sorted((here / "data").glob("*.toml"))]:
        st = path.stat()
        parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    return _key("\0".join(parts).encode())


class Report:
    """What a refresh did (a plain class: it is made on every run, dataclasses cost start-up time)."""

    __slots__ = ("added", "changed", "removed", "unchanged", "failed", "rebuilt", "checked", "seconds", "notes")

    def __init__(self) -> None:
        self.added = self.changed = self.removed = self.unchanged = self.failed = 0
        self.rebuilt = False
        self.checked = "files"  # "files" (every file stat'ed) or "folders"
        self.seconds = 0.0
        self.notes: list[str] = []

    def __repr__(self) -> str:
        return "Report(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.rebuilt)


# -- parsing files (runs in worker processes) ---------------------------------------------------

_ANNOTATIONS: dict[str, dict[str, Any]] = {}


def _init_worker(annotations: dict[str, dict[str, Any]] | None = None) -> None:
    """Set up a worker: Ctrl-C is the main process's to handle (it stops the pool), so workers
    ignore SIGINT instead of each printing a traceback and leaving the pool stuck."""
    global _ANNOTATIONS
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _ANNOTATIONS = annotations or {}


class Parsed:
    """One file read and parsed by a worker (a slotted class: cheap to define and to pickle)."""

    __slots__ = ("rel", "id", "size", "mtime_ns", "hash", "warning", "article", "acronyms")

    def __init__(self, rel: str, id: str, size: int, mtime_ns: int, hash: str,  # noqa: A002
                 warning: str | None, article: Article | None, acronyms: tuple[tuple[str, str], ...] = ()) -> None:
        self.rel, self.id, self.size, self.mtime_ns, self.hash = rel, id, size, mtime_ns, hash
        self.warning, self.article, self.acronyms = warning, article, acronyms


def _parse_one(job: tuple[str, str, str, int, int]) -> Parsed:
    """Read and parse one file, plus the acronyms it defines. Never raises."""
    from .corpus import read_article
    from .search import acronyms

    root, rel, ident, size, mtime = job
    article, warning, digest = read_article(Path(root), rel, ident, _ANNOTATIONS)
    found = tuple(dict.fromkeys(acronyms(" ".join(article.paragraphs)))) if article else ()
    return Parsed(rel, ident, size, mtime, digest, warning, article, found)


def _events_one(article: Article) -> str:
    from .events import article_events

    return json.dumps([e.as_record() for e in article_events(article)], ensure_ascii=False)


# -- the index -----------------------------------------------------------------------------------


class Index:
    """The cache of one corpus folder."""

    def __init__(self, root: Path, path: Path | None = None) -> None:
        self.root = root.resolve()
        self.path = path or db_path(self.root)
        self.warnings: list[str] = []
        self._con: sqlite3.Connection | None = None
        self._acronyms: dict[str, set[str]] = {}  # during a refresh: long form (tokens) -> acronyms
        self._learned: set[tuple[str, str]] = set()  # acronyms first met in this refresh

    # connection and lifecycle

    @property
    def con(self) -> sqlite3.Connection:
        if self._con is None:
            self._con = self._connect()
        return self._con

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=600, isolation_level=None, check_same_thread=False)
        try:
            # WAL is a property of the file, set once by _create: switching to it needs an exclusive
            # lock that SQLite does not wait for, so it is no business of every connection.
            con.execute("PRAGMA synchronous=NORMAL")
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise CacheProblem("it is not a pakus index")
            elif version != SCHEMA_VERSION:
                raise CacheProblem(f"it has schema {version}, this pakus uses {SCHEMA_VERSION}")
        except sqlite3.OperationalError as exc:
            con.close()
            if is_busy(exc):
                raise  # another pakus holds the file: not a reason to throw it away
            raise CacheProblem(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            con.close()
            raise CacheProblem(str(exc)) from exc
        except CacheProblem:
            con.close()
            raise
        return con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """An exclusive lock for writers: concurrent refreshes take turns."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(str(self.path) + ".lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def discard(self, reason: str) -> None:
        """Delete an unusable cache file (under the writers' lock) so it is rebuilt."""
        self.close()
        with self._locked():
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(str(self.path) + suffix)
                except FileNotFoundError:
                    pass
        self.warnings.append(f"the index cache {self.path} was unusable ({reason}); rebuilt it")

    def _create(self) -> None:
        """Make a new cache file a pakus index, once: under the writers' lock, so that processes
        starting together cannot both create it (executescript commits any open transaction first,
        so an SQLite transaction alone cannot guard the check and the creation)."""
        with self._locked():
            con = self.con
            if con.execute("PRAGMA user_version").fetchone()[0] != 0:
                return  # another process made it while this one waited
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript("BEGIN;" + _SCHEMA + f"PRAGMA user_version={SCHEMA_VERSION}; COMMIT;")

    def meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    # refresh

    def refresh(self, *, full: bool = False, rebuild: bool = False, progress: Progress | None = None) -> Report:
        """Bring the index up to date with the corpus; cheap when nothing changed."""
        import time

        t0 = time.perf_counter()
        report = Report()
        if self.con.execute("PRAGMA user_version").fetchone()[0] == 0:
            self._create()
        version = parser_version()
        stale = rebuild or self.meta("parser") != version or self.meta("complete") != "1"
        count = 0 if stale else self._file_count()
        only: set[str] | None = None
        if not stale:
            # The common case, kept cheap and lock-free: nothing changed since the last run.
            if not full and count > FULL_CHECK_UNDER:
                only = self._changed_folders()
                report.checked = "folders"
                unchanged = only == set()
            else:
                unchanged = self._same_files()
            if unchanged:
                report.unchanged = count
                report.seconds = time.perf_counter() - t0
                return report
        with self._locked():
            self._refresh_locked(report, version, rebuild, progress, only)
        report.seconds = time.perf_counter() - t0
        return report

    def _file_count(self) -> int:
        """Files in the index: kept in meta by each refresh, so a warm run counts no 100,000 rows."""
        kept = self.meta("files")
        if kept is not None:
            return int(kept)
        return int(self.con.execute("SELECT count(*) FROM files").fetchone()[0])

    def _changed_folders(self) -> set[str] | None:
        """Folders whose mtime differs from the index's (a file added, removed or renamed in them);
        None when the annotations changed or a folder cannot be read (then everything is checked)."""
        changed = set()
        for rel, mtime in self.con.execute("SELECT rel, mtime_ns FROM dirs").fetchall():
            try:
                if os.stat(self.root / rel if rel else self.root).st_mtime_ns != mtime:
                    changed.add(rel)
            except OSError:
                return None
        if _stat_sig(self.root / "annotations.toml") != (self.meta("annotations_stat") or ""):
            return None
        return changed

    def _same_files(self) -> bool:
        """Whether every file and folder has the size and mtime the index knows."""
        files, dirs = self._scan()
        known = {rel: (size, mtime) for rel, size, mtime in self.con.execute("SELECT rel, size, mtime_ns FROM files")}
        if files != known or any(v == (-1, -1) for v in files.values()):
            return False
        if dict(self.con.execute("SELECT rel, mtime_ns FROM dirs")) != dirs:
            return False
        return _stat_sig(self.root / "annotations.toml") == (self.meta("annotations_stat") or "")

    def _list_dir(self, rel_dir: str, files: dict[str, tuple[int, int]], dirs: dict[str, int]) -> list[str]:
        """Record one folder's .txt files and mtime; return its subfolders (links to folders are not
        followed, so a link loop cannot trap the walk)."""
        path = os.path.join(str(self.root), rel_dir) if rel_dir else str(self.root)
        subdirs = []
        try:
            dirs[rel_dir] = os.stat(path).st_mtime_ns
            entries = list(os.scandir(path))
        except OSError:
            return []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            rel = f"{rel_dir}/{name}" if rel_dir else name
            try:
                if entry.is_dir(follow_symlinks=False):
                    subdirs.append(rel)
                    continue
            except OSError:
                continue
            if not name.lower().endswith(".txt"):
                continue
            try:
                st = entry.stat()
                files[rel] = (st.st_size, st.st_mtime_ns)
            except OSError:
                files[rel] = (-1, -1)  # a dangling link or a loop: parsed, it becomes a warning
        return subdirs

    def _walk(self, start: str, files: dict[str, tuple[int, int]], dirs: dict[str, int]) -> None:
        todo = [start]
        while todo:
            todo.extend(self._list_dir(todo.pop(), files, dirs))

    def _scan(self) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
        """Every .txt file (size, mtime) and every folder (mtime) of the corpus."""
        files: dict[str, tuple[int, int]] = {}
        dirs: dict[str, int] = {}
        self._walk("", files, dirs)
        return files, dirs

    def _rescan(self, changed: set[str]) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
        """The index's file list with only the changed folders listed again (new subfolders walked,
        vanished ones dropped): a file added to a 100,000-file corpus costs one folder's listing."""
        files = {rel: (size, mtime) for rel, size, mtime in self.con.execute("SELECT rel, size, mtime_ns FROM files")}
        dirs = dict(self.con.execute("SELECT rel, mtime_ns FROM dirs").fetchall())

        def parent(rel: str) -> str:
            return rel.rsplit("/", 1)[0] if "/" in rel else ""

        for folder in sorted(changed):
            known_sub = {d for d in dirs if d and parent(d) == folder}
            for rel in [r for r in files if parent(r) == folder]:
                del files[rel]
            if not os.path.isdir(self.root / folder if folder else self.root):
                self._forget(folder, files, dirs)
                continue
            for sub in self._list_dir(folder, files, dirs):
                if sub not in dirs:
                    self._walk(sub, files, dirs)
                known_sub.discard(sub)
            for gone in known_sub:
                self._forget(gone, files, dirs)
        return files, dirs

    @staticmethod
    def _forget(folder: str, files: dict[str, tuple[int, int]], dirs: dict[str, int]) -> None:
        prefix = folder + "/"
        for rel in [r for r in files if r.startswith(prefix)]:
            del files[rel]
        for d in [d for d in dirs if d == folder or d.startswith(prefix)]:
            del dirs[d]

    def _refresh_locked(self, report: Report, version: str, rebuild: bool, progress: Progress | None,
                        only: set[str] | None = None) -> None:
        from .corpus import assign_ids, read_annotations

        con = self.con
        # Asked again under the lock: another pakus may have rebuilt the index while this one waited.
        stale = rebuild or self.meta("parser") != version or self.meta("complete") != "1"
        files, dirs = self._scan() if stale or not only else self._rescan(only)
        annotations, notes = read_annotations(self.root)
        report.notes.extend(notes)
        ann_json = json.dumps(annotations, sort_keys=True, default=str)
        old_ann = json.loads(self.meta("annotations") or "{}") if not stale else {}
        ann_changed = {k for k in set(old_ann) | set(annotations)
                       if json.dumps(old_ann.get(k), sort_keys=True, default=str)
                       != json.dumps(annotations.get(k), sort_keys=True, default=str)}
        ids = assign_ids(sorted(files))
        known = {} if stale else {
            r[0]: r[1:] for r in con.execute("SELECT rel, id, size, mtime_ns, hash FROM files")
        }
        jobs: list[Job] = []
        for rel, (size, mtime) in files.items():
            old = known.get(rel)
            ident = ids[rel]
            if old is None:
                jobs.append((rel, ident, size, mtime, None, False))
            elif ident in ann_changed or size < 0 or old[0] != ident:
                # parse again whatever the hash says: the annotation or the id (which the article and
                # its events carry) has changed
                jobs.append((rel, ident, size, mtime, None, True))
            elif (old[1], old[2]) != (size, mtime):
                jobs.append((rel, ident, size, mtime, old[3], True))
            else:
                report.unchanged += 1
        gone = [rel for rel in known if rel not in files]
        if not (jobs or gone or stale) and dict(con.execute("SELECT rel, mtime_ns FROM dirs")) == dirs \
                and self.meta("annotations") == ann_json:
            return
        con.execute("BEGIN IMMEDIATE")
        try:
            if stale:
                report.rebuilt = bool(self.meta("parser"))
                for table in ("files", "dirs", "acronyms", "doc_acronyms", "meta"):
                    con.execute(f"DELETE FROM {table}")
                con.execute("INSERT INTO fts(fts) VALUES('delete-all')")
                con.execute("DELETE FROM articles")
            for rel in gone:
                self._drop(rel)
                report.removed += 1
            self._parse_jobs(jobs, annotations, report, progress)
            con.execute("DELETE FROM dirs")
            con.executemany("INSERT INTO dirs VALUES (?, ?)", dirs.items())
            for key, value in (("parser", version), ("annotations", ann_json), ("root", str(self.root)),
                               ("annotations_stat", _stat_sig(self.root / "annotations.toml")), ("complete", "1"),
                               ("files", str(con.execute("SELECT count(*) FROM files").fetchone()[0]))):
                con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise

    def _drop(self, rel: str) -> None:
        row = self.con.execute("SELECT docid FROM files WHERE rel=?", (rel,)).fetchone()
        if row and row[0] is not None:
            self._drop_doc(row[0])
        self.con.execute("DELETE FROM files WHERE rel=?", (rel,))

    def _drop_doc(self, docid: int) -> None:
        con = self.con
        old = con.execute("SELECT title, body, aliases FROM articles WHERE docid=?", (docid,)).fetchone()
        if old:
            con.execute("INSERT INTO fts(fts, rowid, title, body, aliases) VALUES('delete', ?, ?, ?, ?)",
                        (docid, old[0] or "", old[1], old[2]))
        con.execute("DELETE FROM articles WHERE docid=?", (docid,))
        pairs = con.execute("SELECT short, long FROM doc_acronyms WHERE docid=?", (docid,)).fetchall()
        con.executemany("UPDATE acronyms SET n = n - 1 WHERE short=? AND long=?", pairs)
        if pairs:
            con.execute("DELETE FROM acronyms WHERE n <= 0")
        con.execute("DELETE FROM doc_acronyms WHERE docid=?", (docid,))

    def _parse_jobs(self, jobs: list[Job], annotations: dict[str, dict[str, Any]],
                    report: Report, progress: Progress | None) -> None:
        con = self.con
        root = str(self.root)
        work = [(root, rel, ident, size, mtime) for rel, ident, size, mtime, _, _ in jobs]
        previous = {rel: (h, known) for rel, _, _, _, h, known in jobs}
        total = len(work)
        self._acronyms = self._known_acronyms()
        self._learned = set()
        for done, parsed in enumerate(_run_parallel(work, annotations), 1):
            prev, known = previous[parsed.rel]
            if prev is not None and prev == parsed.hash and parsed.hash:
                # touched but not changed: keep the article, remember the new stat
                con.execute("UPDATE files SET size=?, mtime_ns=? WHERE rel=?",
                            (parsed.size, parsed.mtime_ns, parsed.rel))
                report.unchanged += 1
            else:
                if known:
                    self._drop(parsed.rel)
                    report.changed += 1
                else:
                    report.added += 1
                self._store(parsed)
            if parsed.warning and parsed.article is None:
                report.failed += 1
            if progress and (done % 200 == 0 or done == total):
                progress(done, total)
        self._backfill_aliases()

    def _known_acronyms(self) -> dict[str, set[str]]:
        """Long forms (lower-case) and the acronyms that stand for them."""
        known: dict[str, set[str]] = {}
        for short, long in self.con.execute("SELECT short, long FROM acronyms"):
            known.setdefault(long.lower(), set()).add(short)
        return known

    def _aliases(self, body: str, own: Sequence[tuple[str, str]]) -> str:
        """The acronyms an article stands for: those it defines, and those whose long form it contains.
        (A substring test on the lower-cased body, whose white space is already folded: it runs for every
        article stored; spelling variants are caught by the back-fill's FTS phrase.)"""
        shorts = {short for short, _ in own}
        low = body.lower()
        for long, forms in self._acronyms.items():
            if long in low:
                shorts |= forms
        return " ".join(sorted(shorts))

    def _backfill_aliases(self) -> None:
        """Acronyms learned in this refresh: give them to articles stored before they were known."""
        from .search import fts_phrase

        con = self.con
        for short, long in sorted(self._learned):
            query = f"{fts_phrase(long)} NOT aliases : {fts_phrase(short)}"
            try:
                rows = con.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (query,)).fetchall()
            except sqlite3.OperationalError:
                continue  # a long form FTS5 cannot phrase (no word characters): nothing to give
            for (docid,) in rows:
                title, body, aliases = con.execute(
                    "SELECT title, body, aliases FROM articles WHERE docid=?", (docid,)).fetchone()
                new = " ".join(sorted(set(aliases.split()) | {short}))
                con.execute("INSERT INTO fts(fts, rowid, title, body, aliases) VALUES('delete', ?, ?, ?, ?)",
                            (docid, title or "", body, aliases))
                con.execute("UPDATE articles SET aliases=? WHERE docid=?", (new, docid))
                con.execute("INSERT INTO fts(rowid, title, body, aliases) VALUES (?, ?, ?, ?)",
                            (docid, title or "", body, new))

    def _store(self, p: Parsed) -> None:
        con = self.con
        docid = None
        a = p.article
        if a is not None:
            body = "\n\n".join(a.paragraphs)
            for short, long in p.acronyms:
                forms = self._acronyms.setdefault(long.lower(), set())
                if short not in forms:
                    forms.add(short)
                    self._learned.add((short, long))
            aliases = self._aliases(body, p.acronyms)
            cur = con.execute(
                "INSERT INTO articles(id, rel, title, subtitle, date, date_source, outlet, agency, dateline, body,"
                " aliases, curated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (a.id, a.file, a.title, a.subtitle, a.date.isoformat() if a.date else None, a.date_source, a.outlet,
                 a.agency, a.dateline, body, aliases, json.dumps(sorted(a.curated))),
            )
            docid = cur.lastrowid
            con.execute("INSERT INTO fts(rowid, title, body, aliases) VALUES (?, ?, ?, ?)",
                        (docid, a.title or "", body, aliases))
            con.executemany("INSERT INTO doc_acronyms VALUES (?, ?, ?)", [(docid, s, lf) for s, lf in p.acronyms])
            con.executemany("INSERT INTO acronyms VALUES (?, ?, 1) ON CONFLICT(short, long) DO UPDATE SET n = n + 1",
                            p.acronyms)
        con.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (p.rel, p.id, p.size, p.mtime_ns, p.hash, p.warning, docid))

    # reading

    def file_warnings(self) -> list[str]:
        rows = self.con.execute("SELECT rel, warning FROM files WHERE warning IS NOT NULL ORDER BY rel")
        return [f"{rel}: {w}" for rel, w in rows]

    def files(self) -> list[tuple[str, str]]:
        """(id, rel) of every file in the corpus, readable or not."""
        return list(self.con.execute("SELECT id, rel FROM files ORDER BY rel"))

    _COLUMNS = "id, rel, title, subtitle, date, date_source, outlet, agency, dateline, body, curated"

    def articles(self) -> list[Article]:
        rows = self.con.execute(f"SELECT {self._COLUMNS} FROM articles ORDER BY id")
        return [_article(r) for r in rows]

    def article(self, ident: str) -> Article | None:
        row = self.con.execute(f"SELECT {self._COLUMNS} FROM articles WHERE id=?", (ident,)).fetchone()
        return _article(row) if row else None

    def values(self, column: str) -> list[str]:
        """Distinct ids, outlets or agencies (for completion)."""
        assert column in ("outlet", "agency", "id")
        rows = self.con.execute(f"SELECT DISTINCT {column} FROM articles WHERE {column} IS NOT NULL ORDER BY 1")
        return [r[0] for r in rows]

    def events(self, article: str | None = None, progress: Progress | None = None) -> list[Event]:
        """Events of every article (or one), computed on first use and kept in the index."""
        self._ensure_events(progress)
        sql = "SELECT events FROM articles" + (" WHERE id=?" if article else "")
        out: list[Event] = []
        for (blob,) in self.con.execute(sql, (article,) if article else ()):
            out.extend(_event(r) for r in json.loads(blob or "[]"))
        return out

    def _ensure_events(self, progress: Progress | None) -> None:
        con = self.con
        if con.execute("SELECT 1 FROM articles WHERE events IS NULL LIMIT 1").fetchone() is None:
            return
        with self._locked():
            rows = con.execute(f"SELECT docid, {self._COLUMNS} FROM articles WHERE events IS NULL").fetchall()
            if not rows:
                return
            articles = [_article(r[1:]) for r in rows]
            con.execute("BEGIN IMMEDIATE")
            try:
                for done, ((docid, *_), blob) in enumerate(zip(rows, _map_events(articles), strict=True), 1):
                    con.execute("UPDATE articles SET events=? WHERE docid=?", (blob, docid))
                    if progress and (done % 200 == 0 or done == len(rows)):
                        progress(done, len(rows))
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise

    def long_forms(self, short: str) -> list[str]:
        rows = self.con.execute(
            "SELECT long FROM acronyms WHERE short = ? COLLATE NOCASE ORDER BY n DESC LIMIT 5", (short,)
        )
        return list(dict.fromkeys(r[0].lower() for r in rows))[:3]

    def short_forms(self, long: str) -> list[str]:
        rows = self.con.execute("SELECT short FROM acronyms WHERE long = ? COLLATE NOCASE ORDER BY n DESC LIMIT 3",
                                (long,))
        return list(dict.fromkeys(r[0] for r in rows))

    def search(self, query: str, *, since: dt.date | None = None, until: dt.date | None = None,
               outlet: str | None = None, agency: str | None = None, limit: int = 20) -> list[Hit]:
        """BM25-ranked articles for a query, with up to three marked snippets each."""
        from .search import MARK_CLOSE, MARK_OPEN, Hit, as_long_form, fts_phrase, parse_query, snippets, to_fts

        node = parse_query(query)
        whole = as_long_form(node)
        extra = self.short_forms(whole) if whole and " " in whole else []
        # Ranking needs no long forms: every article containing one carries its acronym in `aliases`.
        # Highlighting does, so the full expansion marks the snippets of the rows returned.
        expr = to_fts(node, None, self.short_forms)
        marks = to_fts(node, self.long_forms, self.short_forms)
        if extra:  # the whole query is a long form: its acronyms count too
            also = "".join(" OR " + fts_phrase(s) for s in extra)
            expr, marks = f"({expr}{also})", f"({marks}{also})"
        where = ["fts MATCH ?"]
        args: list[Any] = [expr]
        if since:
            where.append("a.date >= ?")
            args.append(since.isoformat())
        if until:
            where.append("a.date <= ?")
            args.append(until.isoformat())
        for column, value in (("outlet", outlet), ("agency", agency)):
            if value:
                where.append(f"a.{column} LIKE ? ESCAPE '\\'")
                args.append("%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        sql = (
            "SELECT a.docid, a.id, a.title, a.date, a.outlet, a.agency, fts.rank"
            " FROM fts JOIN articles a ON a.docid = fts.rowid"
            f" WHERE {' AND '.join(where)} ORDER BY fts.rank LIMIT ?"
        )
        args.append(limit)
        try:
            rows = self.con.execute(sql, args).fetchall()
            marked = dict(self.con.execute(
                f"SELECT rowid, highlight(fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}') FROM fts WHERE fts MATCH ?"
                f" AND rowid IN ({','.join('?' * len(rows))})", [marks, *(r[0] for r in rows)]).fetchall())
        except sqlite3.OperationalError as exc:
            from .errors import BadQuery

            raise BadQuery(f"the query cannot be searched ({exc}); simplify it or quote it as a \"phrase\"") from None
        return [
            Hit(ident, title, dt.date.fromisoformat(date) if date else None, out, ag, -rank,
                tuple(snippets(marked.get(docid, ""))))
            for docid, ident, title, date, out, ag, rank in rows
        ]


def is_busy(exc: sqlite3.Error) -> bool:
    """SQLite's "the file is locked by someone else", as opposed to a damaged file."""
    return "locked" in str(exc) or "busy" in str(exc)


def _stat_sig(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


def _article(r: Sequence[Any]) -> Article:
    from .models import Article

    ident, rel, title, subtitle, date, date_source, outlet, agency, dateline, body, curated = r
    return Article(ident, rel, title, subtitle, dt.date.fromisoformat(date) if date else None, date_source,
                   outlet, agency, dateline, tuple(p for p in body.split("\n\n") if p),
                   frozenset(json.loads(curated)))


def _event(r: dict[str, Any]) -> Event:
    from .models import Event, Source

    return Event(r["precision"], dt.date.fromisoformat(r["start"]), dt.date.fromisoformat(r["end"]), r["basis"],
                 r["text"], r["article"], r["outlet"], tuple(r["tags"]), r["status"],
                 tuple(Source(s["article"], s["outlet"], s["text"]) for s in r["sources"]))


def _workers(n: int) -> int:
    if n < PARALLEL_OVER:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _run_parallel(work: list[tuple[str, str, str, int, int]],
                  annotations: dict[str, dict[str, Any]]) -> Iterator[Parsed]:
    """Parse files, in worker processes when there are many (order of results not kept)."""
    if _workers(len(work)) == 1:
        global _ANNOTATIONS
        _ANNOTATIONS = annotations
        yield from map(_parse_one, work)
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ctx.Pool(_workers(len(work)), initializer=_init_worker, initargs=(annotations,)) as pool:
        yield from pool.imap_unordered(_parse_one, work, chunksize=64)


def _map_events(articles: list[Article]) -> Iterator[str]:
    if _workers(len(articles)) == 1:
        yield from map(_events_one, articles)
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ctx.Pool(_workers(len(articles)), initializer=_init_worker) as pool:
        yield from pool.imap(_events_one, articles, chunksize=64)

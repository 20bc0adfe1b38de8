"""The pipeline: the one module that runs the stages (read → parse → acronyms → events) over a
corpus and writes their results to the store.

A refresh is incremental (size, mtime, then content hash), and the parser's version is part of
the cache key, so a new pakus rebuilds. Writers take the store's lock and write in one
transaction: a killed build leaves the old index.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, scan
from .store import SCHEMA_VERSION, Store, checksum

if TYPE_CHECKING:
    from .batch import ArticleRow
    from .eventstore import Row
    from .models import Article

# Bump when parsing, dating or event rules change what an index would hold.
PARSER_REVISION = 6
# Below this many files every command stats every file; above it, only folders (a file added,
# removed or renamed changes its folder), and `pakus index` does the full check.
FULL_CHECK_UNDER = 5000
PARALLEL_OVER = 64
# Above this many files the workers are started afresh ("spawn"), not forked: a forked worker carries
# the main process's memory at the fork (the list of every file, ~60 MB at 100,000 files), counted
# again in each worker as its pages are touched. Fresh workers take ~0.35 s longer to start, which
# only a large build repays. (At 100,000 articles: peak memory 321 -> 213 MB.)
SPAWN_OVER = 5000

Progress = Callable[[int, int], None]
# (rel, id, size, mtime_ns, hash known before or None to force a new parse, whether the file was indexed)
Job = tuple[str, str, int, int, str | None, bool]

# The modules whose code decides what the index holds: any change to them, or to the data tables,
# rebuilds the index, with or without a version bump.
_PARSING = ("article.py", "webpage.py", "lines.py", "metadata.py", "outlets.py", "corpus.py", "dates.py",
            "resolvers.py", "copies.py", "acronyms.py", "events.py", "clauses.py", "actors.py", "merging.py",
            "search.py", "models.py", "eventstore.py", "happenings.py", "tables.py", "text.py")


def parser_version() -> str:
    """A checksum of pakus's version and the size and mtime of the parsing code and data tables:
    any change to them rebuilds (their stats are read on every run, their content is not; the tables
    are listed without a glob, whose pattern would be compiled on every run)."""
    here = os.path.dirname(os.path.realpath(__file__))
    data = os.path.join(here, "data")
    tables = sorted(e.name for e in os.scandir(data) if e.name.endswith(".toml"))
    parts = [f"{__version__}/{PARSER_REVISION}/{SCHEMA_VERSION}"]
    for folder, name in [*((here, n) for n in _PARSING), *((data, n) for n in tables)]:
        st = os.stat(os.path.join(folder, name))
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return checksum("\0".join(parts).encode())


class Report:
    """What a refresh did (a plain slotted class: it is made on every run, and defining a dataclass
    costs start-up time). ``as_record`` is its JSON contract."""

    __slots__ = ("added", "changed", "removed", "unchanged", "failed", "rebuilt", "checked", "seconds", "notes",
                 "warned")

    def __init__(self) -> None:
        self.added = self.changed = self.removed = self.unchanged = self.failed = 0
        self.rebuilt = False
        self.checked = "files"  # "files" (every file stat'ed) or "folders"
        self.seconds = 0.0
        self.notes: list[str] = []
        self.warned: list[str] = []  # "file: why" of the files read in this refresh with a warning

    def __repr__(self) -> str:
        return "Report(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.rebuilt)

    def as_record(self) -> dict[str, Any]:
        return {"added": self.added, "changed": self.changed, "removed": self.removed, "unchanged": self.unchanged,
                "unreadable": self.failed, "rebuilt": self.rebuilt, "seconds": round(self.seconds, 3)}


# -- the stages, per file (run in worker processes when there are many) ----------------------------

_ANNOTATIONS: dict[str, dict[str, Any]] = {}


def _init_worker(annotations: dict[str, dict[str, Any]] | None = None, parent: int = 0) -> None:
    """Set up a worker: Ctrl-C is the main process's to handle (it stops the pool), so workers
    ignore SIGINT instead of each printing a traceback and leaving the pool stuck; and a worker
    dies quietly with its parent instead of writing a BrokenPipe traceback into a closed pool."""
    global _ANNOTATIONS
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    _ANNOTATIONS = annotations or {}


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere, or
    should the call fail, the worker's stderr goes to /dev/null, so an orphan at least says nothing."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        armed = sys.platform.startswith("linux") and libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        armed = False
    if not armed:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    if parent and os.getppid() != parent:  # the parent died before the request was made
        os._exit(0)


class Parsed:
    """One file read and parsed by a worker, as the rows the index stores (a slotted class: cheap to
    define and to pickle; rows, not records, so the main process only writes them)."""

    __slots__ = ("rel", "id", "size", "mtime_ns", "hash", "warning", "row", "acronyms", "events")

    def __init__(self, rel: str, id: str, size: int, mtime_ns: int, hash: str,  # noqa: A002
                 warning: str | None, row: ArticleRow | None, acronyms: tuple[tuple[str, str], ...] = (),
                 events: list[Row] | None = None) -> None:
        self.rel, self.id, self.size, self.mtime_ns, self.hash = rel, id, size, mtime_ns, hash
        self.warning, self.row, self.acronyms, self.events = warning, row, acronyms, events or []


def _parse_one(job: tuple[str, str, str, int, int]) -> Parsed:
    """Read and parse one file, plus the acronyms it defines and its events, as the index's rows. Never raises."""
    from .acronyms import acronyms
    from .corpus import read_article
    from .eventstore import event_rows

    root, rel, ident, size, mtime = job
    article, warning, digest = read_article(Path(root), rel, ident, _ANNOTATIONS)
    if article is None:
        return Parsed(rel, ident, size, mtime, digest, warning, None)
    body = "\n\n".join(article.paragraphs)
    found = tuple(dict.fromkeys(acronyms(" ".join(article.paragraphs))))
    rows: list[Any] = []
    try:
        rows = event_rows(article)
    except Exception as exc:  # noqa: BLE001 - one article's failure is its warning, not the corpus's
        why = f"its events could not be found ({type(exc).__name__}); it is left out of the timeline"
        warning = f"{warning}; {why}" if warning else why
    return Parsed(rel, ident, size, mtime, digest, warning, article_row(article, body), found, rows)


def article_row(a: Article, body: str) -> ArticleRow:
    """An article's columns in the index (``batch.ARTICLE_COLUMNS``), its copy key among them."""
    from .copies import copy_key

    return (a.id, a.file, a.title, a.subtitle, a.date.isoformat() if a.date else None,
            str(a.date_source) if a.date_source else None, a.outlet,
            a.agency, a.dateline, a.url, body, json.dumps(sorted(a.curated)), copy_key(a))


def _workers(n: int) -> int:
    if n < PARALLEL_OVER:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _pool_map(fn: Callable[[Any], Any], work: Sequence[Any], *, ordered: bool,
              annotations: dict[str, dict[str, Any]] | None = None) -> Iterator[Any]:
    """``fn`` over ``work``, in worker processes when there is much of it."""
    if _workers(len(work)) == 1:
        global _ANNOTATIONS
        _ANNOTATIONS = annotations or {}
        yield from map(fn, work)
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork" if len(work) <= SPAWN_OVER and sys.platform.startswith("linux") else "spawn")
    with ctx.Pool(_workers(len(work)), initializer=_init_worker, initargs=(annotations, os.getpid())) as pool:
        yield from (pool.imap if ordered else pool.imap_unordered)(fn, work, chunksize=64)


# -- refresh ----------------------------------------------------------------------------------------


def refresh(store: Store, *, full: bool = False, rebuild: bool = False, progress: Progress | None = None) -> Report:
    """Bring the store up to date with its corpus folder; cheap when nothing changed."""
    import time

    t0 = time.perf_counter()
    report = Report()
    if store.is_new():
        store.create()
    version = parser_version()
    stale = rebuild or store.meta("parser") != version or store.meta("complete") != "1"
    only: set[str] | None = None
    if not stale:
        # The common case, kept cheap and lock-free: nothing changed since the last run.
        count = store.file_count()
        if not full and count > FULL_CHECK_UNDER:
            only = _changed_folders(store)
            report.checked = "folders"
            unchanged = only == set()
        else:
            unchanged = _same_files(store)
        if unchanged:
            report.unchanged = count
            _count_unreadable(store, report, full)
            report.seconds = time.perf_counter() - t0
            return report
    with store.locked():
        _Refresh(store, report, version, rebuild, progress).run(only)
    _count_unreadable(store, report, full)
    report.seconds = time.perf_counter() - t0
    return report


def _count_unreadable(store: Store, report: Report, full: bool) -> None:
    """For `pakus index`: every file and folder of the corpus that holds no article, whether parsed in
    this run or before (the report's count matches the warnings printed beside it)."""
    if full:
        report.failed = store.unreadable()


def _annotations_sig(store: Store) -> str:
    return scan.stat_sig(store.root / "annotations.toml")


def _changed_folders(store: Store) -> set[str] | None:
    """Changed folders; None when the annotations changed or a folder cannot be read."""
    if _annotations_sig(store) != (store.meta("annotations_stat") or ""):
        return None
    return scan.changed_folders(store.root, store.dirs())


def _same_files(store: Store) -> bool:
    """Whether every file and folder has the size and mtime the store knows."""
    files, dirs = scan.scan(store.root)
    if files != store.file_stats() or any(v == (-1, -1) for v in files.values()):
        return False
    if store.dirs() != dirs:
        return False
    return _annotations_sig(store) == (store.meta("annotations_stat") or "")


def _kept_problems(store: Store, relisted: set[str], dirs: scan.DirStats) -> scan.Problems:
    """The walk's problems known from before that a partial listing did not look at again: those of
    folders not listed this time (a folder is listed when it or its parent changed)."""
    old: scan.Problems = json.loads(store.meta("problems") or "{}")
    return {rel: why for rel, why in old.items()
            if rel not in relisted and (scan.parent(rel) not in relisted or rel in dirs)}


def _annotation_changes(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    def text(d: dict[str, Any], k: str) -> str:
        return json.dumps(d.get(k), sort_keys=True, default=str)

    return {k for k in set(old) | set(new) if text(old, k) != text(new, k)}


class _Refresh:
    """One refresh under the writers' lock."""

    def __init__(self, store: Store, report: Report, version: str, rebuild: bool, progress: Progress | None) -> None:
        self.store, self.report, self.version, self.progress = store, report, version, progress
        # Asked again under the lock: another pakus may have rebuilt the store while this one waited.
        self.stale = rebuild or store.meta("parser") != version or store.meta("complete") != "1"
        self.acronyms: dict[str, set[str]] = {}  # long form (lower case) -> the acronyms that stand for it
        self.learned: set[tuple[str, str]] = set()  # acronyms first met in this refresh
        self.forgotten: set[tuple[str, str]] = set()  # acronyms no article defines any more

    def run(self, only: set[str] | None) -> None:
        from .corpus import assign_ids, read_annotations

        store = self.store
        problems: scan.Problems = {}
        if self.stale or not only:
            files, dirs = scan.scan(store.root, problems)
        else:
            files, dirs = scan.rescan(store.root, store.file_stats(), store.dirs(), only, problems)
            problems = {**_kept_problems(store, only, dirs), **problems}
        problems_json = json.dumps(problems, sort_keys=True, ensure_ascii=False)
        before = {} if self.stale else json.loads(store.meta("problems") or "{}")
        # a folder the walk could not take in is told when it is new, then counted, as a bad file is
        self.report.warned.extend(f"{rel}: {why}" for rel, why in problems.items() if before.get(rel) != why)
        annotations, notes = read_annotations(store.root)
        self.report.notes.extend(notes)
        ann_json = json.dumps(annotations, sort_keys=True, default=str)
        old_ann = json.loads(store.meta("annotations") or "{}") if not self.stale else {}
        jobs, gone = self._jobs(files, assign_ids(sorted(files)), _annotation_changes(old_ann, annotations))
        if (not (jobs or gone or self.stale) and store.dirs() == dirs and store.meta("annotations") == ann_json
                and (store.meta("problems") or "{}") == problems_json):
            return
        with store.transaction():
            if self.stale:
                self.report.rebuilt = bool(store.meta("parser"))
                store.clear()
            for rel in gone:
                self.forgotten.update(store.drop(rel))
                self.report.removed += 1
            self._parse(jobs, annotations)
            self._prune_aliases()
            store.settle_events(full=self.stale)
            store.set_dirs(dirs)
            store.set_meta((("parser", self.version), ("annotations", ann_json), ("root", str(store.root)),
                            ("annotations_stat", _annotations_sig(store)), ("complete", "1"),
                            ("problems", problems_json),
                            ("files", str(store.count_files()))))

    def _jobs(self, files: scan.FileStats, ids: dict[str, str], ann_changed: set[str]) -> tuple[list[Job], list[str]]:
        known = {} if self.stale else self.store.known_files()
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
                self.report.unchanged += 1
        return jobs, [rel for rel in known if rel not in files]

    def _parse(self, jobs: list[Job], annotations: dict[str, dict[str, Any]]) -> None:
        store, report = self.store, self.report
        root = str(store.root)
        work = [(root, rel, ident, size, mtime) for rel, ident, size, mtime, _, _ in jobs]
        previous = {rel: (h, known) for rel, _, _, _, h, known in jobs}
        for short, long in store.acronym_pairs():
            self.acronyms.setdefault(long.lower(), set()).add(short)
        # The warnings told before: a file read again (a link loop is, on every run) that says the same
        # about the same content is not told again; only counted.
        told = {} if self.stale else store.warned_files()
        # In the files' order, whichever worker finishes first: the docids (the order of a happening's
        # members, so of its tags and actors) and the acronyms known when an article is stored (its aliases)
        # are then those of a one-process run, on every build.
        for done, parsed in enumerate(_pool_map(_parse_one, work, ordered=True, annotations=annotations), 1):
            prev, known = previous[parsed.rel]
            if prev is not None and prev == parsed.hash and parsed.hash:
                store.touch_file(parsed.rel, parsed.size, parsed.mtime_ns)  # touched but not changed
                report.unchanged += 1
            else:
                if known:
                    self.forgotten.update(store.drop(parsed.rel))
                    report.changed += 1
                else:
                    report.added += 1
                self._store(parsed)
            if parsed.warning and told.get(parsed.rel) != (parsed.warning, parsed.hash):
                report.warned.append(f"{parsed.rel}: {parsed.warning}")  # new to the user: tell it
            if parsed.warning and parsed.row is None:
                report.failed += 1
            if self.progress and (done % 200 == 0 or done == len(work)):
                self.progress(done, len(work))
        store.flush()
        self._backfill_aliases()

    def _store(self, p: Parsed) -> None:
        aliases = ""
        if p.row is not None:
            for short, long in p.acronyms:
                forms = self.acronyms.setdefault(long.lower(), set())
                if short not in forms:
                    forms.add(short)
                    self.learned.add((short, long))
            aliases = self._aliases(p.row[10], p.acronyms)
        self.store.put((p.rel, p.id, p.size, p.mtime_ns, p.hash, p.warning), p.row, p.acronyms, aliases, p.events)

    def _aliases(self, body: str, own: Sequence[tuple[str, str]]) -> str:
        """The acronyms an article stands for: those it defines, and those whose long form it contains.
        (A substring test on the lower-cased body, whose white space is already folded: it runs for every
        article stored; spelling variants are caught by the back-fill's FTS phrase.)"""
        shorts = {short for short, _ in own}
        low = body.lower()
        for long, forms in self.acronyms.items():
            if long in low:
                shorts |= forms
        return " ".join(sorted(shorts))

    def _prune_aliases(self) -> None:
        """Acronyms no article defines any more (its only definer deleted or changed): take them from the
        aliases of the articles that carried them, unless the article defines the acronym itself or holds
        another long form still defined for it (what a rebuild would give)."""
        import sqlite3

        from .search import fts_phrase

        store = self.store
        still: dict[str, list[str]] = {}
        for short, long in store.acronym_pairs():
            still.setdefault(short, []).append(long.lower())
        for short in sorted({s for s, _ in self.forgotten}):
            try:
                docids = store.matching(f"aliases : {fts_phrase(short)}")
            except sqlite3.OperationalError:
                continue
            for docid in docids:
                own, body = store.alias_basis(docid)
                if short in own or any(long in body.lower() for long in still.get(short, ())):
                    continue
                old = store.aliases_of(docid).split()
                store.set_aliases(docid, " ".join(a for a in old if a != short))

    def _backfill_aliases(self) -> None:
        """Acronyms learned in this refresh: give them to articles stored before they were known."""
        import sqlite3

        from .search import fts_phrase

        for short, long in sorted(self.learned):
            try:
                docids = self.store.matching(f"{fts_phrase(long)} NOT aliases : {fts_phrase(short)}")
            except sqlite3.OperationalError:
                continue  # a long form FTS5 cannot phrase (no word characters): nothing to give
            for docid in docids:
                old = self.store.aliases_of(docid)
                self.store.set_aliases(docid, " ".join(sorted(set(old.split()) | {short})))

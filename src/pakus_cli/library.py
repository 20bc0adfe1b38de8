"""The corpus as the commands see it: articles, ids, events, search, all through the index.

``open_library`` is the one door the CLI uses. It refreshes the on-disk index when the corpus
changed and answers from it; an unusable cache is discarded with one warning and rebuilt.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .errors import CorpusError, UnknownArticle
from .store import CacheProblem, CacheUnusable, Store, is_busy

if TYPE_CHECKING:
    from .corpus import SourceFile
    from .models import Article, Event, TimeValue
    from .pipeline import Progress, Report
    from .queries import EventQuery, Filters
    from .search import Hit

T = TypeVar("T")


class Library:
    """A corpus folder and its index."""

    def __init__(self, root: Path, *, refresh: bool = True) -> None:
        self.root = root
        self.store = Store(root)
        self.report: Report | None = None
        self.late: list[str] = []  # warnings of work done after the index was opened (events, highlighting)
        self._shown: set[str] = set()
        if refresh:
            self.report = self.recovering(self._refresh, builds=True)

    def _refresh(self, *, full: bool = False, rebuild: bool = False, progress: Progress | None = None) -> Report:
        from .pipeline import refresh

        return refresh(self.store, full=full, rebuild=rebuild, progress=progress)

    def recovering(self, op: Callable[[], T], *, builds: bool = False) -> T:
        """Run an index operation; if the cache proves unusable, discard it (or, when it cannot be
        written, index in memory), rebuild, retry once. (``builds``: the operation is itself the
        refresh that rebuilds.) A cache that is busy too long or cannot exist is a one-line error."""
        try:
            try:
                return op()
            except (CacheProblem, sqlite3.DatabaseError) as exc:
                if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
                    raise CorpusError("the index cache is busy in another pakus; try again in a moment") from None
                if isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc):
                    self.store.use_memory(str(exc))
                else:
                    self.store.discard(str(exc))
                if not builds:
                    self.report = self._refresh()
                return op()
        except CacheUnusable as exc:
            raise CorpusError(str(exc)) from None

    def refresh(self, *, rebuild: bool = False, progress: Progress | None = None) -> Report:
        self.report = self.recovering(lambda: self._refresh(full=True, rebuild=rebuild, progress=progress),
                                      builds=True)
        return self.report

    @property
    def warnings(self) -> list[str]:
        """What this run tells the user: the cache's and annotations' notes, one warning per bad file
        read in this refresh (new or changed), and one line counting the bad files told before (so
        that 2,000 bad files are not 2,000 lines on every command)."""
        fresh = sorted(self.report.warned) if self.report else []
        # (a late warning, an article whose events failed, is kept with its file: told now, not counted)
        earlier = self.recovering(self.store.count_file_warnings) - len(fresh) - len(self.late)
        told = self.notes() + fresh + self.late
        if earlier > 0:
            files = "1 file" if earlier == 1 else f"{earlier} files"
            told.append(f"{files} could not be read well (told before); `pakus index --warnings` lists them")
        return list(dict.fromkeys(told))

    def notes(self) -> list[str]:
        """The warnings that are not about one file: a discarded cache, a bad annotations file."""
        return self.store.warnings + (self.report.notes if self.report else [])

    def file_warnings(self) -> list[tuple[str, str]]:
        """(file, warning) of every file the index could not read well, kept in the index."""
        return self.recovering(self.store.file_warnings)

    def all_warnings(self) -> list[str]:
        """Every warning, told before or not (for reports that stand alone, as the evaluation)."""
        return self.notes() + [f"{rel}: {why}" for rel, why in self.file_warnings()]

    def unseen_warnings(self) -> list[str]:
        """The warnings not handed out yet: a cache found damaged in the middle of a search, an article
        whose events failed, come after the ones of opening the index."""
        new = [w for w in self.warnings if w not in self._shown]
        self._shown.update(new)
        return new

    @property
    def files(self) -> list[SourceFile]:
        from .corpus import SourceFile

        return [SourceFile(ident, self.root / rel, rel) for ident, rel in self.recovering(self.store.files)]

    def articles(self) -> list[Article]:
        """Every article of the corpus, syndicated copies included (each on its own)."""
        return self.recovering(self.store.articles)

    def listed(self) -> list[Article]:
        """The articles as `list` shows them: syndicated copies once, under the first of them by id,
        with the others in its ``copies``."""
        from dataclasses import replace

        groups = self.recovering(self.store.copy_groups)
        copies = {g[0].id: tuple(g[1:]) for g in groups}
        hidden = {c.id for g in groups for c in g[1:]}
        return [replace(a, copies=copies.get(a.id, ())) for a in self.articles() if a.id not in hidden]

    def resolve(self, ident: str) -> str:
        """The id of the article an id, hash or prefix names."""
        from .corpus import resolve_id

        return resolve_id(ident, self.files).id

    def article(self, ident: str) -> Article:
        from .corpus import resolve_id

        sf = resolve_id(ident, self.files)
        found = self.recovering(lambda: self.store.article(sf.id))
        if found is None:
            raise UnknownArticle(f"article {sf.id!r} ({sf.rel}) holds no readable article; see the warning above")
        return found

    def raw(self, ident: str) -> str:
        from .corpus import read_dump, resolve_id

        sf = resolve_id(ident, self.files)
        text, note = read_dump(sf.path, self.root)
        if text is None:
            raise UnknownArticle(f"{sf.rel} {note}")
        return text

    def events(self) -> list[Event]:
        """The merged, chronological timeline of the whole corpus, every event (on topic or not)."""
        from .queries import EventQuery, Filters

        return list(self.timeline(Filters(), EventQuery(everything=True)))

    def timeline(self, f: Filters, q: EventQuery) -> Iterator[Event]:
        """The merged events passing the filters, in timeline order, read from the index as they are
        yielded: only the happenings that may pass are read (``eventstore.timeline``)."""
        from .eventstore import timeline

        store = self.store
        self.recovering(lambda: store.con)

        def tally(n: int) -> None:
            store.events_read += n

        return timeline(store.con, f, q, tally)

    def article_events(self, ident: str) -> list[Event]:
        """The events of one article, unmerged, in date order."""
        from .events import sort_events

        return sort_events(self.recovering(lambda: self.store.article_events(ident)))

    def time_marks(self, article: Article) -> dict[int, list[TimeValue]]:
        """Time expressions per paragraph, with offsets into the paragraph (for highlighting)."""
        from dataclasses import replace

        from .events import mark

        marks: dict[int, list[TimeValue]] = {}
        try:
            found = mark(article)
        except Exception as exc:  # noqa: BLE001 - a strange page loses its highlights, not the command
            self.late.append(f"{article.file}: its dates could not be marked ({type(exc).__name__})")
            return marks
        for m in found:
            for v in m.values:
                moved = replace(v, begin=v.begin + m.offset, finish=v.finish + m.offset)
                marks.setdefault(m.paragraph, []).append(moved)
        return marks

    def search(self, query: str, *, since: dt.date | None = None, until: dt.date | None = None,
               outlet: Sequence[str] = (), agency: Sequence[str] = (), limit: int = 20) -> list[Hit]:
        from .search import search

        found = self.recovering(
            lambda: search(self.store, query, since=since, until=until, outlet=outlet, agency=agency, limit=limit)
        )
        return self._once(found)

    def _once(self, hits: list[Hit]) -> list[Hit]:
        """Search hits with syndicated copies once: the best-ranked copy, the others in its ``copies``."""
        if not hits:
            return hits
        groups = self.recovering(lambda: self.store.copy_groups([h.id for h in hits]))
        group_of = {c.id: g for g in groups for c in g}
        out, seen = [], set()
        for h in hits:
            g = group_of.get(h.id)
            if g is None:
                out.append(h)
            elif id(g) not in seen:
                seen.add(id(g))
                out.append(h._replace(copies=tuple(c for c in g if c.id != h.id)))
        return out

    def values(self, column: str) -> list[str]:
        return self.recovering(lambda: self.store.values(column))


def open_library(root: Path, *, refresh: bool = True) -> Library:
    return Library(root, refresh=refresh)

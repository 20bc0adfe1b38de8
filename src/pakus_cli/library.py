"""The corpus as the commands see it: articles, ids, events, search.

``open_library`` is the one door the CLI uses. It is backed by the on-disk index
(``index.py``) so that every command answers from the cache after the first run.
"""

from __future__ import annotations

from pathlib import Path

from .corpus import Loaded, SourceFile, list_files, load, resolve_id
from .errors import UnknownArticle
from .models import Article, Event, TimeValue


class Library:
    """A corpus folder, parsed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[SourceFile] = list_files(root)
        self._loaded: Loaded = load(root, self.files)

    @property
    def warnings(self) -> list[str]:
        return self._loaded.warnings

    def articles(self) -> list[Article]:
        return list(self._loaded.articles)

    def article(self, ident: str) -> Article:
        sf = resolve_id(ident, self.files)
        for a in self._loaded.articles:
            if a.id == sf.id:
                return a
        raise UnknownArticle(f"article {sf.id!r} ({sf.rel}) could not be read; see the warning above")

    def resolve(self, ident: str) -> str:
        """The id of the article an id, hash or prefix names."""
        return resolve_id(ident, self.files).id

    def raw(self, ident: str) -> str:
        from .corpus import read_dump

        sf = resolve_id(ident, self.files)
        text, note = read_dump(sf.path, self.root)
        if text is None:
            raise UnknownArticle(f"{sf.rel} {note}")
        return text


    def events(self) -> list[Event]:
        """The merged, chronological timeline of the whole corpus."""
        from .events import timeline

        return timeline(self._loaded.articles)

    def article_events(self, ident: str) -> list[Event]:
        """The events of one article, unmerged, in date order."""
        from .events import article_events, sort_events

        return sort_events(article_events(self.article(ident)))

    def time_marks(self, article: Article) -> dict[int, list[TimeValue]]:
        """Time expressions per paragraph, with offsets into the paragraph (for highlighting)."""
        from dataclasses import replace

        from .events import mark

        marks: dict[int, list[TimeValue]] = {}
        for m in mark(article):
            for v in m.values:
                marks.setdefault(m.paragraph, []).append(
                    replace(v, begin=v.begin + m.offset, finish=v.finish + m.offset)
                )
        return marks


def open_library(root: Path) -> Library:
    return Library(root)

"""The corpus as the commands see it: articles, ids, events, search.

``open_library`` is the one door the CLI uses. It is backed by the on-disk index
(``index.py``) so that every command answers from the cache after the first run.
"""

from __future__ import annotations

from pathlib import Path

from .corpus import Loaded, SourceFile, list_files, load, resolve_id
from .errors import UnknownArticle
from .models import Article


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

    def raw(self, ident: str) -> str:
        from .corpus import read_dump

        sf = resolve_id(ident, self.files)
        text, note = read_dump(sf.path, self.root)
        if text is None:
            raise UnknownArticle(f"{sf.rel} {note}")
        return text


def open_library(root: Path) -> Library:
    return Library(root)

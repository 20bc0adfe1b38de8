"""Values for shell completion, read from the index cache as it is: never parsing or refreshing
the corpus, since every Tab press starts pakus. No cache yet means no suggestions."""

from __future__ import annotations

import os
import sqlite3


def cached_values(corpus: str | os.PathLike[str] | None, column: str) -> list[str]:
    """Distinct ids, outlets, agencies or tags of the corpus, from its cache; [] on any trouble."""
    try:
        from .corpus import corpus_root
        from .store import Store

        root = corpus_root(corpus)
        if column == "tag":
            from .tables import tags

            return sorted(tags())
        store = Store(root)
        if not store.path.exists():
            return []
        return store.values(column)
    except (Exception, sqlite3.Error):  # noqa: BLE001 - completion must never print a traceback
        return []


__all__ = ["cached_values"]

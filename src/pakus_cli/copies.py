"""Syndicated copies: the same article text saved from two outlets is one article with its copies.

An article's copy key is a fingerprint of its text; the index keeps it, and the articles that share
one are a group, listed once under the first of them by id.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Article, Copy

COPY_WORDS = 60  # the words two files must share, from the start of the text after the dateline
_HEAD = 1_000  # characters in which COPY_WORDS words are looked for first
_WORD = re.compile(r"\w+")


def head_words(text: str) -> list[str]:
    """The words of ``text`` case-folded (``\\w+``): all of them, or, when its first ``_HEAD``
    characters hold more than ``COPY_WORDS``, those (case folding is letter by letter, and a word the
    cut may split is not among the first ``COPY_WORDS``). Looked for in the first half of that first:
    when it holds more than ``COPY_WORDS + 1`` words, the first ``COPY_WORDS + 1`` are whole (a word
    follows them) and are the first words of the longer cut too; a copy key reads no further."""
    words = _WORD.findall(text[: _HEAD // 2].casefold())
    if len(words) > COPY_WORDS + 1:
        return words[: COPY_WORDS + 1]
    words = _WORD.findall(text[:_HEAD].casefold())
    if len(words) <= COPY_WORDS and len(text) > _HEAD:
        return _WORD.findall(text.casefold())
    return words


def copy_key(article: Article) -> str | None:
    """A fingerprint of the article's text that syndicated copies share: the first ``COPY_WORDS``
    words of the body after its dateline (outlets re-dateline or re-credit a wire story, and re-title
    it, but keep its text), or None for a text too short to tell copies from coincidence."""
    import hashlib

    from .metadata import find_dateline

    paragraphs = list(article.paragraphs)
    if paragraphs:
        dl = find_dateline(paragraphs[0])
        if dl is not None:
            paragraphs[0] = paragraphs[0][dl.end:]
    words = head_words(" ".join(paragraphs))
    if len(words) < COPY_WORDS // 2:
        return None
    return hashlib.sha1(" ".join(words[:COPY_WORDS]).encode()).hexdigest()[:20]


def groups(con: sqlite3.Connection, ids: Sequence[str] | None = None) -> list[list[Copy]]:
    """The groups of articles that share a copy key (each in id order), all or those holding ``ids``."""
    if ids is None:
        keys = "SELECT copy_key FROM articles WHERE copy_key IS NOT NULL GROUP BY copy_key HAVING count(*) > 1"
    else:  # (the keys of a few articles, not every key of the corpus counted; the lone ones left out below)
        keys = f"SELECT copy_key FROM articles WHERE copy_key IS NOT NULL AND id IN ({','.join('?' * len(ids))})"
    # (read from the index articles_copy alone, which holds every column asked here)
    found = con.execute(f"SELECT copy_key, id, rel, outlet, title, date FROM articles WHERE copy_key IN ({keys})"
                        " ORDER BY copy_key, id", tuple(ids or ())).fetchall()
    if len({row[0] for row in found}) == len(found):
        return []  # no key twice (most corpora): and `search` need not import the records to say so
    from .models import Copy

    out: dict[str, list[Copy]] = {}
    day = dt.date.fromisoformat
    for key, ident, rel, outlet, title, date in found:
        out.setdefault(key, []).append(Copy(ident, rel, outlet, title, day(date) if date else None))
    return [g for g in out.values() if len(g) > 1]

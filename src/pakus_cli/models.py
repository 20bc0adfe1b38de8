"""The typed records that flow through pakus: Article, TimeValue, Event, Source (Hit is in search.py).

Records hold ``datetime.date`` values, never date strings; ``as_record`` gives the JSON
contract (ISO-8601 dates, stable keys) that ``render`` prints and the tests pin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .vocabulary import DateSource as DateSource
from .vocabulary import Precision as Precision
from .vocabulary import Status as Status

ARTICLE_KEYS = (
    "id", "file", "title", "subtitle", "date", "date_source", "outlet", "agency",
    "dateline", "url", "words", "curated", "copies",
)
COPY_KEYS = ("id", "file", "outlet", "title", "date")
EVENT_KEYS = (
    "id", "date", "precision", "start", "end", "headline", "type", "actors", "location", "relevant",
    "reason", "basis", "text", "article", "outlet", "tags", "status", "sources",
)
ACTOR_KEYS = ("name", "side", "office")
SOURCE_KEYS = ("article", "outlet", "title", "date", "text")


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    if month == 12:
        return dt.date(year, 12, 31)  # (the first of next January does not exist after 9999)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def iso(d: dt.date | None) -> str | None:
    """ISO-8601 text of a date, or None."""
    return d.isoformat() if d is not None else None


@dataclass(frozen=True, slots=True)
class Copy:
    """Another file of the corpus that holds the same article text (a syndicated copy)."""

    id: str
    file: str
    outlet: str | None
    title: str | None
    date: dt.date | None

    def as_record(self) -> dict[str, Any]:
        return {"id": self.id, "file": self.file, "outlet": self.outlet, "title": self.title, "date": iso(self.date)}


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: its metadata and its clean paragraphs, in order."""

    id: str
    file: str
    title: str | None
    subtitle: str | None
    date: dt.date | None
    date_source: DateSource | None
    outlet: str | None
    agency: str | None
    dateline: str | None
    paragraphs: tuple[str, ...]
    curated: frozenset[str] = frozenset()
    url: str | None = None  # a saved web page's canonical URL; None for a text dump
    copies: tuple[Copy, ...] = ()  # other files with the same text (filled in by the library)

    @property
    def words(self) -> int:
        """Words in the clean body."""
        return sum(len(p.split()) for p in self.paragraphs)

    @property
    def body(self) -> str:
        """The clean body as one text, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    def as_record(self, *, paragraphs: bool = False) -> dict[str, Any]:
        """The JSON contract of an article (``ARTICLE_KEYS``, plus ``paragraphs`` on request)."""
        rec: dict[str, Any] = {
            "id": self.id,
            "file": self.file,
            "title": self.title,
            "subtitle": self.subtitle,
            "date": iso(self.date),
            "date_source": self.date_source,
            "outlet": self.outlet,
            "agency": self.agency,
            "dateline": self.dateline,
            "url": self.url,
            "words": self.words,
            "curated": sorted(self.curated),
            "copies": [c.as_record() for c in self.copies],
        }
        if paragraphs:
            rec["paragraphs"] = list(self.paragraphs)
        return rec


@dataclass(frozen=True, slots=True)
class TimeValue:
    """A time expression found in a sentence and what it resolves to.

    ``start``/``end`` are the calendar days the expression covers; both are None when the
    expression could not be resolved (vague, or relative with no anchor).
    """

    text: str
    begin: int  # character offsets of ``text`` in its sentence
    finish: int
    precision: Precision | None
    start: dt.date | None
    end: dt.date | None
    relative: bool  # resolved against the article date (or the date just mentioned)

    @property
    def resolved(self) -> bool:
        return self.start is not None

    @property
    def value(self) -> str | None:
        """ISO-8601 at the precision: ``2018``, ``2022-12``, ``2024-W26``, ``2021-01-19``."""
        return format_value(self.precision, self.start, self.end)


def format_value(precision: str | None, start: dt.date | None, end: dt.date | None) -> str | None:
    """The ISO-8601 label of an interval at its precision."""
    if start is None or end is None or precision is None:
        return None
    if precision == "year":
        return f"{start.year:04d}" if start.year == end.year else f"{start.year:04d}/{end.year:04d}"
    if precision == "month":
        a, b = f"{start.year:04d}-{start.month:02d}", f"{end.year:04d}-{end.month:02d}"
        return a if a == b else f"{a}/{b}"
    if precision == "week":
        y, w, _ = start.isocalendar()
        if (y, w) == end.isocalendar()[:2]:
            return f"{y:04d}-W{w:02d}"
        return f"{start.isoformat()}/{end.isoformat()}"  # a 7-day span across two ISO weeks
    return start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"


@dataclass(frozen=True, slots=True)
class Source:
    """One article's report of an event: the article and the sentence."""

    article: str
    outlet: str | None
    text: str
    title: str | None = None
    date: dt.date | None = None

    def as_record(self) -> dict[str, Any]:
        return {"article": self.article, "outlet": self.outlet, "title": self.title, "date": iso(self.date),
                "text": self.text}


@dataclass(frozen=True, slots=True)
class Actor:
    """A party to an event: a person (with the office the article gives them) or a body, and its side."""

    name: str
    side: str  # "US", "Pakistan" or "other"
    office: str | None = None

    def as_record(self) -> dict[str, Any]:
        return {"name": self.name, "side": self.side, "office": self.office}


@dataclass(frozen=True, slots=True)
class Event:
    """A dated cooperation event, citing the sentence(s) that report it."""

    precision: Precision
    start: dt.date
    end: dt.date
    basis: str
    text: str
    article: str
    outlet: str | None
    tags: tuple[str, ...]
    status: Status
    sources: tuple[Source, ...] = field(default=())
    id: str = ""
    headline: str = ""
    type: str = "other"
    actors: tuple[Actor, ...] = ()
    location: str | None = None
    relevant: bool = False
    reason: str = ""

    @property
    def date(self) -> str:
        return format_value(self.precision, self.start, self.end) or self.start.isoformat()

    def as_record(self) -> dict[str, Any]:
        """The JSON contract of an event (``EVENT_KEYS``)."""
        return {
            "id": self.id,
            "date": self.date,
            "precision": self.precision,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "headline": self.headline,
            "type": self.type,
            "actors": [a.as_record() for a in self.actors],
            "location": self.location,
            "relevant": self.relevant,
            "reason": self.reason,
            "basis": self.basis,
            "text": self.text,
            "article": self.article,
            "outlet": self.outlet,
            "tags": list(self.tags),
            "status": self.status,
            "sources": [s.as_record() for s in self.sources],
        }

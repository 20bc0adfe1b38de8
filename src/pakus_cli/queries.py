"""Filtering and ordering records for the commands: pure functions over Articles and Events."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Article, Event


class Filters:
    """The filters ``list``, ``search`` and ``timeline`` share. None or () means "any".

    A repeatable option (``--outlet``, ``--agency``, ``--tag``) is a tuple of wanted values: a record
    passes when it matches any of them (OR within one option) and every option given (AND across
    options). A new one (``--actor``, ``--type``) is one more slot, matched with ``any_part`` or
    ``any_equal`` in the ``select_`` function of its records, and for search one more column in
    ``search._where``.

    (A plain slotted class, like the other small records on the start-up path: defining a
    NamedTuple or dataclass costs ~1 ms of start-up each.)"""

    __slots__ = ("since", "until", "outlet", "agency", "tag", "keyword")

    def __init__(self, since: dt.date | None = None, until: dt.date | None = None, outlet: Sequence[str] = (),
                 agency: Sequence[str] = (), keyword: str | None = None, tag: Sequence[str] = ()) -> None:
        self.since, self.until, self.keyword = since, until, keyword
        self.outlet, self.agency, self.tag = tuple(outlet), tuple(agency), tuple(tag)

    def date_ok(self, start: dt.date | None, end: dt.date | None = None) -> bool:
        """Whether an interval lies inside the bounds; an undated record never passes a bound."""
        if self.since is None and self.until is None:
            return True
        if start is None:
            return False
        end = end or start
        return (self.since is None or end >= self.since) and (self.until is None or start <= self.until)

    def source_ok(self, outlet: str | None, agency: str | None) -> bool:
        return any_part(self.outlet, [outlet]) and any_part(self.agency, [agency])


def any_part(wanted: Sequence[str], values: Iterable[str | None]) -> bool:
    """OR within one option: nothing wanted, or some value contains some wanted text (any case)."""
    if not wanted:
        return True
    folded = [v.casefold() for v in values if v]
    return any(w.casefold() in v for w in wanted for v in folded)


def any_equal(wanted: Sequence[str], values: Iterable[str | None]) -> bool:
    """OR within one option: nothing wanted, or some value is some wanted word (any case)."""
    if not wanted:
        return True
    folded = {v.casefold() for v in values if v}
    return any(w.casefold() in folded for w in wanted)


def keyword_in(keyword: str, *texts: str | None) -> bool:
    """Whole-word, case-insensitive match of a keyword in any of the texts."""
    rx = re.compile(rf"(?<!\w){re.escape(keyword)}(?!\w)", re.I)
    return any(t and rx.search(t) for t in texts)


def article_order(a: Article) -> tuple[int, dt.date, str]:
    """Oldest first, undated last, then by id."""
    return (a.date is None, a.date or dt.date.min, a.id)


def select_articles(articles: Iterable[Article], f: Filters) -> list[Article]:
    """The articles passing the filters, oldest first, undated last."""
    out = [
        a for a in articles
        if f.date_ok(a.date)
        and f.source_ok(a.outlet, a.agency)
        and (f.keyword is None or keyword_in(f.keyword, a.title, a.subtitle, a.body))
    ]
    return sorted(out, key=article_order)


class EventQuery:
    """What `timeline` asks of events beyond the shared filters. Values of one option are
    alternatives (``--type visit --type meeting``: either); options combine (both). (A plain slotted
    class, as Filters: a dataclass would cost start-up time on every command.)"""

    __slots__ = ("types", "actors", "article", "status", "everything")

    def __init__(self, types: Sequence[str] = (), actors: Sequence[str] = (), article: str | None = None,
                 status: str | None = None, everything: bool = False) -> None:
        self.types, self.actors = tuple(types), tuple(actors)
        self.article, self.status = article, status
        self.everything = everything  # --all: off-topic happenings too

    def wants(self, e: Event) -> bool:
        if not (self.everything or e.relevant):
            return False
        if self.types and e.type not in self.types:
            return False
        if self.actors and not any(_actor(a, e) for a in self.actors):
            return False
        if self.article and not any(s.article == self.article for s in e.sources):
            return False
        return not (self.status and e.status != self.status)


def _actor(name: str, e: Event) -> bool:
    """An actor filter matches a party's or person's name, office or side, or any of the ways a
    party is named (``--actor CENTCOM``), without case."""
    from .actors import parties_named

    want, parties = name.casefold(), parties_named(name)
    return any(want in a.name.casefold() or a.name in parties or want == a.side.casefold()
               or want in (a.office or "").casefold() for a in e.actors)


def select_events(events: Iterable[Event], f: Filters, q: EventQuery | None = None) -> list[Event]:
    """Events passing the filters and the query; an event passes a source filter when any of its
    sources does."""
    q = q or EventQuery()
    out = []
    for e in events:
        if not f.date_ok(e.start, e.end):
            continue
        if not any_part(f.outlet, (s.outlet for s in e.sources)) or not any_equal(f.tag, e.tags):
            continue
        if f.keyword and not any(keyword_in(f.keyword, s.text) for s in e.sources):
            continue
        if q.wants(e):
            out.append(e)
    return out


def known_types(types: Iterable[str]) -> None:
    """An unknown event type is a usage error that lists the valid ones (data/events.toml)."""
    from . import errors
    from .tables import load

    table = load("events.toml")
    known = [row["name"] for row in table["type"]] + [table["type_fallback"]["name"]]
    for t in types:
        if t.casefold() not in known:
            raise errors.BadValue(f"unknown type {t!r}; use one of {', '.join(known)}")


def period(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day of ``2022``, ``2022-12`` or ``2022-12-23`` (for --since/--until).

    Raises ValueError with a message for people on anything else.
    """
    t = text.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", t)
    if not m:
        raise ValueError(f"{text!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    from .models import month_end

    y = int(m[1])
    try:
        if m[3]:
            d = dt.date(y, int(m[2]), int(m[3]))
            return d, d
        if m[2]:
            return dt.date(y, int(m[2]), 1), month_end(y, int(m[2]))
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date; use YYYY, YYYY-MM or YYYY-MM-DD") from None

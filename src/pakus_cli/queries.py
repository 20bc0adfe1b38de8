"""Filtering and ordering records for the commands: pure functions over Articles and Events."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .models import Article, Event


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters ``list``, ``search`` and ``timeline`` share. None means "any"."""

    since: dt.date | None = None
    until: dt.date | None = None
    outlet: str | None = None
    agency: str | None = None
    keyword: str | None = None

    def date_ok(self, start: dt.date | None, end: dt.date | None = None) -> bool:
        """Whether an interval lies inside the bounds; an undated record never passes a bound."""
        if self.since is None and self.until is None:
            return True
        if start is None:
            return False
        end = end or start
        return (self.since is None or end >= self.since) and (self.until is None or start <= self.until)

    def source_ok(self, outlet: str | None, agency: str | None) -> bool:
        return _same(self.outlet, outlet) and _same(self.agency, agency)


def _same(wanted: str | None, value: str | None) -> bool:
    if wanted is None:
        return True
    return value is not None and wanted.casefold() in value.casefold()


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


@dataclass(frozen=True, slots=True)
class EventFilters:
    """What ``timeline`` narrows events by, beyond the shared filters."""

    tag: str | None = None
    article: str | None = None
    status: str | None = None


def select_events(events: Iterable[Event], f: Filters, ef: EventFilters) -> list[Event]:
    """Events passing the filters; an event passes a source filter when any of its sources does."""
    out = []
    for e in events:
        if not f.date_ok(e.start, e.end):
            continue
        if f.outlet and not any(_same(f.outlet, s.outlet) for s in e.sources):
            continue
        if f.keyword and not any(keyword_in(f.keyword, s.text) for s in e.sources):
            continue
        if ef.tag and ef.tag.casefold() not in (t.casefold() for t in e.tags):
            continue
        if ef.article and not any(s.article == ef.article for s in e.sources):
            continue
        if ef.status and e.status != ef.status:
            continue
        out.append(e)
    return out

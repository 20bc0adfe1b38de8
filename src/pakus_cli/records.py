"""Rows of the index ↔ typed records: an article's columns, an event's stored JSON.

The store reads rows; these turn them into the records the rest of pakus works with (lazily
importing ``models``, so that `search` never builds one).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Article, Event


def article_of(r: Sequence[Any]) -> Article:
    from .models import Article, DateSource

    ident, rel, title, subtitle, date, date_source, outlet, agency, dateline, url, body, curated = r
    return Article(ident, rel, title, subtitle, dt.date.fromisoformat(date) if date else None,
                   DateSource(date_source) if date_source else None,
                   outlet, agency, dateline, tuple(p for p in body.split("\n\n") if p),
                   frozenset(json.loads(curated)), url)


def event_of(r: dict[str, Any]) -> Event:
    from .models import Actor, Event, Precision, Source, Status

    def day(v: str | None) -> dt.date | None:
        return dt.date.fromisoformat(v) if v else None

    sources = tuple(Source(s["article"], s["outlet"], s["text"], s.get("title"), day(s.get("date")))
                    for s in r["sources"])
    actors = tuple(Actor(a["name"], a["side"], a.get("office")) for a in r.get("actors", ()))
    return Event(Precision(r["precision"]), dt.date.fromisoformat(r["start"]), dt.date.fromisoformat(r["end"]),
                 r["basis"], r["text"], r["article"], r["outlet"], tuple(r["tags"]), Status(r["status"]),
                 sources, r.get("id", ""), r.get("headline", ""), r.get("type", "other"), actors,
                 r.get("location"), bool(r.get("relevant", False)), r.get("reason", ""))

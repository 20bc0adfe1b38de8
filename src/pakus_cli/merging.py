"""One event per happening: the same happening told by several sentences or articles, joined.

Near-linear, so a corpus of 100,000 articles merges in seconds: the same sentence reported by
several articles is joined by a sort and sweep over its dates; other candidate pairs come from an
inverted index over each report's gist terms, per year.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from . import tables
from .models import Event, Status

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d+")
_STOP = frozenset(
    "the a an and or of to in on for with by at from as that this these those is was were are be been has have had "
    "will would said says its it their his her he she they we our us not but also which who whom after before "
    "about into over than more most such any all two one new us's".split()
)


def key_terms(text: str) -> frozenset[str]:
    """The content words of a sentence, lower-cased, stemmed crudely (for overlap only)."""
    terms = set()
    for w in _WORD.findall(text):
        lw = w.lower().strip("'’")
        if lw in _STOP or len(lw) < 3:
            continue
        terms.add(lw[:6])
    return frozenset(terms)


SIMILAR = 0.5  # gist overlap (Jaccard) above which two reports with overlapping dates are one happening
SAME_TYPE = 0.3  # ... when both are of the same type
MAX_POSTING = 2000  # a term that common in one year tells nothing


def _overlap(a: Event, b: Event) -> bool:
    return a.start <= b.end and b.start <= a.end


_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def merge(events: Sequence[Event]) -> list[Event]:
    """One event per happening: events from different articles that are `similar` are joined,
    keeping the most precise date and every source.

    Near-linear, so a corpus of 100,000 articles merges in seconds: the same sentence reported
    by several articles is joined by a sort and sweep over its dates; other candidate pairs come
    from an inverted index over each event's rarest key terms.
    """
    groups = _Groups(len(events))
    by_text: dict[str, list[int]] = {}
    for i, e in enumerate(events):
        by_text.setdefault(" ".join(e.text.split()).casefold(), []).append(i)
    _join_same_text(events, by_text, groups)
    _join_alike(events, by_text, groups)
    merged: dict[int, list[Event]] = {}
    for i, e in enumerate(events):
        merged.setdefault(groups.find(i), []).append(e)
    return sort_events(_combine(grp) for grp in merged.values())


class _Groups:
    """Union-find over event positions: which events are one happening."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.parent[self.find(j)] = self.find(i)


def _join_same_text(events: Sequence[Event], by_text: dict[str, list[int]], groups: _Groups) -> None:
    """The same sentence in several articles, at overlapping dates: a sort and sweep per text."""
    for group in by_text.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda i: events[i].start)
        current, reach = group[0], events[group[0]].end
        for i in group[1:]:
            if events[i].start <= reach and events[i].article != events[current].article:
                groups.join(current, i)
                reach = max(reach, events[i].end)
            else:
                current, reach = i, events[i].end


def _join_alike(events: Sequence[Event], by_text: dict[str, list[int]], groups: _Groups) -> None:
    """Different wording: reports whose dates overlap and whose gists (``gist``) share at least two
    terms are candidates, found through an inverted index keyed by term and year; they are one
    happening when their gists overlap enough (less is needed for two reports of the same type)."""
    gists = [gist(e) for e in events]
    postings: dict[tuple[str, int], list[int]] = {}
    for i, e in enumerate(events):
        years = range(e.start.year, min(e.end.year, e.start.year + 2) + 1)
        for t in gists[i]:
            for y in years:
                postings.setdefault((t, y), []).append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for plist in postings.values():
        if 1 < len(plist) <= MAX_POSTING:
            for x, i in enumerate(plist):
                for j in plist[x + 1:]:
                    shared[(i, j)] += 1
    for (i, j), _ in shared.items():
        a, b = events[i], events[j]
        ga, gb = gists[i], gists[j]
        both = len(ga & gb)
        if both < 2 or not _overlap(a, b):
            continue
        if both / len(ga | gb) >= (SAME_TYPE if a.type == b.type else SIMILAR):
            groups.join(i, j)


@functools.cache
def _gist_words() -> tuple[frozenset[str], dict[str, str]]:
    table = tables.load("events.toml")["merge"]
    same = {w: canon for canon, words in table["same"].items() for w in words}
    return frozenset(table["ignore"]), same


def gist(e: Event) -> frozenset[str]:
    """What a report is about, for matching reports of one happening: the content words of its
    headline, crudely stemmed, with synonyms folded ("froze" is "suspend") and the words every
    report has (the two parties' names, dates, reporting verbs) left out (``data/events.toml``)."""
    ignore, same = _gist_words()
    out = set()
    for w in _WORD.findall(e.headline or e.text):
        lw = w.lower().strip("'’")
        if lw in _STOP or len(lw) < 3 or lw.isdigit() or lw in ignore:
            continue
        out.add(same.get(lw, same.get(lw[:6], lw[:6])))
    return frozenset(out)


def _combine(grp: list[Event]) -> Event:
    """One event for a happening: the most precise report (its headline and type), with every
    source, tag, actor and status; on topic when any report is; the smallest member id, so the id
    stays put as long as that report does."""
    best = min(grp, key=lambda e: (_RANK[e.precision], not e.relevant, e.article))
    if len(grp) == 1:
        return best
    sources = tuple(s for e in sorted(grp, key=lambda e: e.article) for s in e.sources)
    tags = tuple(dict.fromkeys(t for e in grp for t in e.tags))
    status = Status.planned if all(e.status is Status.planned for e in grp) else Status.reported
    actors = tuple(dict.fromkeys(a for e in grp for a in e.actors))
    relevant = next((e for e in grp if e.relevant), best)
    return replace(best, sources=sources, tags=tags, status=status, actors=actors, id=min(e.id for e in grp),
                   relevant=relevant.relevant, reason=relevant.reason,
                   location=best.location or next((e.location for e in grp if e.location), None))


def sort_events(events: Iterable[Event]) -> list[Event]:
    """Chronological: by start, then the more precise first, then article."""
    return sorted(events, key=lambda e: (e.start, _RANK[e.precision], e.end, e.article, e.text))

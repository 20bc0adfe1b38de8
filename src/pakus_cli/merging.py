"""One event per happening: the same happening told by several sentences or articles, joined.

Near-linear, so a corpus of 100,000 articles merges in seconds: the same sentence reported by
several articles is joined by a sort and sweep over its dates; other candidate pairs come from an
inverted index over each event's rarest key terms.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

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


SIMILAR = 0.35  # Jaccard of key terms above which two overlapping events are one happening
RARE_TERMS = 5  # an event is looked up by its rarest key terms that other texts share ...
MAX_POSTING = 2000  # ... unless a term is so common it tells nothing


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
    """Different wording: candidate pairs share one of their rarest key terms (one per distinct text),
    and are joined when their key terms overlap strongly and their dates overlap."""
    members = {group[0]: group for group in by_text.values()}
    terms = {i: key_terms(events[i].text) for i in members}
    df: Counter[str] = Counter(t for ts in terms.values() for t in ts)
    postings: dict[str, list[int]] = {}
    for i, ts in terms.items():
        shared = [t for t in ts if df[t] > 1]  # a term no other text has can pair with nothing
        for t in sorted(shared, key=lambda t: (df[t], t))[:RARE_TERMS]:
            postings.setdefault(t, []).append(i)
    seen: set[tuple[int, int]] = set()
    for plist in postings.values():
        if len(plist) < 2 or len(plist) > MAX_POSTING:
            continue
        pairs = [(i, j) for x, i in enumerate(plist) for j in plist[x + 1 :] if (i, j) not in seen]
        seen.update(pairs)
        for i, j in pairs:
            ti, tj = terms[i], terms[j]
            if len(ti & tj) / len(ti | tj) < SIMILAR:
                continue
            for a in members[i]:  # the texts are alike: join the members whose dates overlap
                for b in members[j]:
                    if events[a].article != events[b].article and _overlap(events[a], events[b]):
                        groups.join(a, b)


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

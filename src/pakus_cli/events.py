"""Sentences -> Events: dated, tagged, cited; the same happening across articles merged.

An event is a clean-body sentence that reports something and carries a resolved date. The
article's lead is its own news, an event on the publication date. A sentence with several
dates yields one event per date. Only the clean body is read, so site debris never becomes
an event.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from . import tables
from .dates import Context, tag
from .metadata import find_dateline, reference_day
from .models import Article, Event, Precision, Source, Status, TimeValue
from .text import is_heading, sentences

_VERB = re.compile(
    r"\b(?:[A-Za-z]+ed|said|says|say|met|meet|held|hold|took|take|made|make|told|sought|seeks?|spoke|began|begun|will|"
    r"would|is|was|were|are|has|have|had|agreed|signed|visit\w*|launch\w*|urg\w+|called|plans?|announc\w+|"
    r"discuss\w*|expects?|offered|went|came|led|left)\b",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d+")
_STOP = frozenset(
    "the a an and or of to in on for with by at from as that this these those is was were are be been has have had "
    "will would said says its it their his her he she they we our us not but also which who whom after before "
    "about into over than more most such any all two one new us's".split()
)


def tags_for(text: str) -> tuple[str, ...]:
    """The event tags whose keywords the text holds, in table order."""
    low = text.lower()
    return tuple(name for name, rx in _tag_patterns() if rx.search(low))


@functools.cache
def _tag_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    def one(k: str) -> str:
        return re.escape(k[:-1]) + r"(?![a-z])" if k.endswith("$") else re.escape(k)

    return tuple(
        (name, re.compile(r"(?<![a-z])(?:" + "|".join(one(k) for k in keywords) + ")"))
        for name, keywords in tables.tags().items()
    )


@dataclass(frozen=True, slots=True)
class Marked:
    """A sentence of an article with its time expressions (for `show --events`)."""

    paragraph: int
    offset: int  # where the sentence starts in its paragraph
    sentence: str
    values: tuple[TimeValue, ...]


def mark(article: Article) -> list[Marked]:
    """Every sentence of the clean body with its time expressions, resolved in reading order."""
    out: list[Marked] = []
    previous: dt.date | None = None
    day = reference_day(article.paragraphs[0] if article.paragraphs else None, article.date)
    for p, para in enumerate(article.paragraphs):
        if is_heading(para):
            continue
        pos = 0
        for sent in sentences(para):
            offset = para.find(sent, pos)
            pos = offset + len(sent)
            skip_to = 0
            if p == 0 and offset == 0:
                dl = find_dateline(sent)
                if dl is not None:  # the dateline's date is metadata, not an event date
                    skip_to = dl.end
            values = tuple(v for v in tag(sent, Context(day, previous)) if v.begin >= skip_to)
            for v in values:
                if v.resolved and v.precision == "day":
                    previous = v.start
            out.append(Marked(p, offset, sent, values))
    return out


def _status(tv: TimeValue | None, sentence: str, dct: dt.date | None) -> Status:
    from .resolvers import speaks_of_future

    if dct is None or tv is None or tv.start is None or tv.end is None:
        return Status.reported
    if tv.start > dct:
        return Status.planned
    if tv.end >= dct and speaks_of_future(sentence, tv.begin, tv.finish):
        return Status.planned
    return Status.reported


def article_events(article: Article) -> list[Event]:
    """The events one article reports, in reading order."""
    events: list[Event] = []
    marked = mark(article)
    lead_done = False
    day = reference_day(article.paragraphs[0] if article.paragraphs else None, article.date)
    basis = "publication date" if day == article.date else "dateline"
    for m in marked:
        wants_lead = not lead_done and day is not None
        if not wants_lead and not any(v.resolved for v in m.values):
            lead_done = True
            continue  # nothing dates this sentence: no event, and no need to look further
        if not _VERB.search(m.sentence):
            continue
        tags = tags_for(m.sentence)
        source = (Source(article.id, article.outlet, m.sentence),)
        if wants_lead and day is not None:
            events.append(Event(Precision.day, day, day, basis, m.sentence, article.id, article.outlet, tags,
                                Status.reported, source))
        seen: set[tuple[dt.date, dt.date]] = set()
        for tv in m.values:
            if not tv.resolved or tv.precision is None or tv.start is None or tv.end is None:
                continue
            if (tv.start, tv.end) in seen:
                continue
            seen.add((tv.start, tv.end))
            events.append(Event(tv.precision, tv.start, tv.end, tv.text, m.sentence, article.id, article.outlet,
                                tags, _status(tv, m.sentence, day), source))
        lead_done = True
    return events


# -- merging the same happening across articles ----------------------------------------------


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
    """One event for a happening: the most precise report, with every source, tag and status."""
    best = min(grp, key=lambda e: (_RANK[e.precision], e.article))
    sources = tuple(s for e in sorted(grp, key=lambda e: e.article) for s in e.sources)
    tags = tuple(dict.fromkeys(t for e in grp for t in e.tags))
    status = Status.planned if all(e.status is Status.planned for e in grp) else Status.reported
    return replace(best, sources=sources, tags=tags, status=status)


def sort_events(events: Iterable[Event]) -> list[Event]:
    """Chronological: by start, then the more precise first, then article."""
    return sorted(events, key=lambda e: (e.start, _RANK[e.precision], e.end, e.article, e.text))

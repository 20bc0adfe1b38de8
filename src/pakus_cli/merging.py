"""One event per happening: the same happening told by several sentences or articles, joined.

Two reports are one happening when ``alike``: their dates overlap and they are the same sentence in
two articles, or their gists overlap enough. Candidate pairs come from the same sentence or from an
inverted index over each report's gist terms, per year (a term too common in a year tells nothing).
The whole-corpus ``merge`` (near-linear: sorts and sweeps over dates) and the index's incremental
merge (``happenings``) share ``alike``, ``posting_keys`` and ``combine``, so both give the same events.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from array import array
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from . import tables

if TYPE_CHECKING:
    import datetime as dt

    from .models import Event

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
COARSE = 0.6  # ... when one dates it far more loosely than the other (a year against a day)
MAX_POSTING = 2000  # a term that common in one year tells nothing

_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def rank(precision: str) -> int:
    return _RANK[precision]


class Report:
    """What merging needs of an event (a slotted class: the index merges thousands at a time)."""

    __slots__ = ("key", "start", "end", "type", "article", "norm", "gist", "days")

    def __init__(self, key: int, start: str, end: str, type: str,  # noqa: A002
                 article: str, norm: str | int, gist: frozenset[str]) -> None:
        # dates as ISO text (they compare as dates): the index's rows hold them so
        self.key, self.start, self.end, self.type = key, start, end, type
        self.article, self.norm, self.gist = article, norm, gist
        self.days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1  # how long it spans


def norm_text(text: str) -> str:
    """A sentence with its white space folded, without case: "the same sentence" in two articles."""
    return " ".join(text.split()).casefold()


def report_of(e: Event, key: int = 0) -> Report:
    return Report(key, e.start.isoformat(), e.end.isoformat(), e.type, e.article, norm_text(e.text), gist(e))


def posting_keys(start_year: int, end_year: int, terms: Iterable[str]) -> list[tuple[str, int]]:
    """The (term, year) postings a report is filed under: its gist terms in each year it covers (at most 3)."""
    years = range(start_year, min(end_year, start_year + 2) + 1)
    return [(t, y) for t in terms for y in years]


def alike(a: Report, b: Report) -> bool:
    """Whether two candidate reports (the same sentence, or sharing a gist posting) are one happening:
    their dates overlap, and they are the same sentence in two articles or their gists share at least
    two terms and overlap enough (less is needed for two reports of the same type)."""
    if not (a.start <= b.end and b.start <= a.end):
        return False
    if a.norm == b.norm and a.article != b.article:
        return True
    both = len(a.gist & b.gist)
    if both < 2 or _opposed(a.gist, b.gist):
        return False
    need = SAME_TYPE if a.type == b.type else SIMILAR
    if _coarser(a, b):  # "in 2018" may be any 2018 happening: it joins only a report saying nearly the same
        need = max(need, COARSE)
    return both / len(a.gist | b.gist) >= need


def _coarser(a: Report, b: Report) -> bool:
    """One report dates the happening far more loosely than the other (a year against a day)."""
    wide, narrow = max(a.days, b.days), min(a.days, b.days)
    return wide > 40 and wide > 4 * narrow


def _opposed(a: frozenset[str], b: frozenset[str]) -> bool:
    """A suspension and a resumption (and the like) are never one happening, however alike. (Most
    gists hold no word of an opposite pair: then the pairs need not be asked.)"""
    pairs, words = _opposites()
    if words.isdisjoint(a) or words.isdisjoint(b):
        return False
    return any((x in a and y in b and y not in a and x not in b) or (y in a and x in b and x not in a and y not in b)
               for x, y in pairs)


@functools.cache
def _opposites() -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """The opposite pairs (``events.toml``), and every word of them."""
    pairs = tuple((x, y) for x, y in tables.load("events.toml")["merge"]["opposites"])
    return pairs, frozenset(w for pair in pairs for w in pair)


def merge(events: Sequence[Event]) -> list[Event]:
    """One event per happening: events that are ``alike`` are joined, keeping the most precise date
    and every source (``combine``), in chronological order."""
    reports = [report_of(e, i) for i, e in enumerate(events)]
    groups = Groups(len(events))
    join_alike(reports, groups)
    merged: dict[int, list[Event]] = {}
    for i, e in enumerate(events):
        merged.setdefault(groups.find(i), []).append(e)
    return sort_events(combine(grp) for grp in merged.values())


class Groups:
    """Union-find over the reports' keys (positions, or the index's event rids): which reports are one
    happening. An array: eight bytes an event, at any corpus size. ``join(i, j)`` keeps ``i``'s root."""

    def __init__(self, n: int) -> None:
        self.parent = array("q", range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.parent[self.find(j)] = self.find(i)


def join_alike(reports: Sequence[Report], groups: Groups, too_common: Container[tuple[str, int]] | None = None) -> None:
    """Join (by their keys) every candidate pair of ``reports`` that is ``alike``. A posting is too
    common when it holds more than MAX_POSTING reports: here, or in ``too_common`` when the reports
    are one window of a larger corpus (the index's). (Which pairs are joined, and in what order, decides
    the groups and their roots; a pair already in one group is skipped, as a join would change nothing.)"""
    by_text: dict[str | int, list[Report]] = {}
    postings: dict[tuple[str, int], list[Report]] = {}
    for r in reports:
        by_text.setdefault(r.norm, []).append(r)
        for k in posting_keys(int(r.start[:4]), int(r.end[:4]), r.gist):
            postings.setdefault(k, []).append(r)
    for group in by_text.values():
        if len(group) > 1:
            _same_text(group, groups.join)
    for k, plist in postings.items():
        if 1 < len(plist) <= MAX_POSTING and (too_common is None or k not in too_common):
            _sweep(plist, groups, k[0])


def _sweep(plist: list[Report], groups: Groups, term: str) -> None:
    """The pairs of one posting (``term``'s) whose dates overlap (a sort and sweep by start), joined when
    alike: a pair of it shares two gist terms when it shares one other than ``term``. Each
    report's last known root is kept: a pair whose roots are one is in one group already (a root stays
    one until joined under another, and ``join`` keeps the first report's root)."""
    from bisect import bisect_right

    find, join = groups.find, groups.join
    plist = sorted(plist, key=_start)
    roots = [find(r.key) for r in plist]
    if roots.count(roots[0]) == len(roots):
        return  # one happening already
    starts = [r.start for r in plist]
    for x, a in enumerate(plist):
        root = find(a.key)
        stop = bisect_right(starts, a.end, x + 1)  # the later reports starting before this one ends
        if roots[x + 1:stop].count(root) == stop - x - 1:
            continue
        others, norm = a.gist - {term}, a.norm
        for y in range(x + 1, stop):
            if roots[y] == root:
                continue
            b = plist[y]
            if others.isdisjoint(b.gist) and norm != b.norm:
                continue  # never ``alike``: most pairs of a posting, passed over without building a set
            other = find(b.key)
            if other != root and alike(a, b):
                join(a.key, b.key)
                other = root
            roots[y] = other


def _start(r: Report) -> str:
    return r.start


def _same_text(group: list[Report], join: Callable[[int, int], None]) -> None:
    """The same sentence in two articles at overlapping dates, in one sweep by start. Each live run of
    joined reports keeps its two latest-ending reports of distinct articles: a report overlapping the
    run's members of another article overlaps the latest-ending of them."""
    live: list[tuple[int, list[tuple[str, str]]]] = []  # (a member's key, [(end, article)] top two)
    for r in sorted(group, key=_start):
        kept, tops = [], [(r.end, r.article)]
        for member, top in live:
            if top[0][0] < r.start:
                continue  # ended before this one starts: so will every later one
            if any(end >= r.start and art != r.article for end, art in top):
                join(member, r.key)
                tops += top
            else:
                kept.append((member, top))
        best: dict[str, str] = {}
        for end, art in tops:
            if end > best.get(art, ""):
                best[art] = end
        kept.append((r.key, sorted(((e, a) for a, e in best.items()), reverse=True)[:2]))
        live = kept


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


def combine(grp: list[Event]) -> Event:
    """One event for a happening: the most precise report (its headline and type), with every
    source, tag, actor and status; on topic when any report is; the smallest member id, so the id
    stays put as long as that report does."""
    from .models import Status

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


def sort_key(e: Event) -> tuple[dt.date, int, dt.date, str, str]:
    return (e.start, _RANK[e.precision], e.end, e.article, e.text)


def sort_events(events: Iterable[Event]) -> list[Event]:
    """Chronological: by start, then the more precise first, then article."""
    return sorted(events, key=sort_key)

"""Sentences -> Events: each dated clause of the clean body, as a timeline entry.

An event is a clause that reports something and carries a resolved date: the date words date the
clause they stand in (clauses.py), which gives the event its headline; its actors, relevance and
place come from actors.py, its type from the type table. The article's lead is its own news, an
event on the publication date only when nothing in it dates its happening otherwise. The same
happening told by several sentences of an article is one event; across articles, merging.py joins
them. Only the clean body is read, so site debris never becomes an event.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from . import tables
from .actors import Cast, Topic, implied, location, relevance, relevance_cues, topic
from .clauses import (
    Clause,
    clause_at,
    clauses,
    coordinate,
    finish_headline,
    governed,
    headline_words,
    main_text,
    quoted_part,
    side_text,
    when_clause,
)
from .dates import Context, tag
from .merging import key_terms, merge, sort_events
from .metadata import find_dateline, reference_day
from .models import Article, Event, Precision, Source, Status, TimeValue
from .resolvers import speaks_of_future
from .text import Blind, CueSet, cue_pattern, is_heading, sentences

__all__ = ["Marked", "article_events", "event_type", "mark", "merge", "sort_events", "tags_for"]

_VERBS = (r"said|says|say|met|meet|held|hold|took|take|made|make|told|sought|seeks?|spoke|began|begun|will|"
          r"would|is|was|were|are|has|have|had|agreed|signed|visit\w*|launch\w*|urg\w+|called|plans?|announc\w+|"
          r"discuss\w*|expects?|offered|went|came|led|left")
_VERB = Blind(rf"\b(?:[A-Za-z]+ed|{_VERBS})\b", rf"\b(?:[a-z]+ed|{_VERBS})\b")


def tags_for(text: str) -> tuple[str, ...]:
    """The event tags whose keywords the text holds, in table order."""
    return _tags(_paired()[1].first(text))


def _tags(found: dict[Any, int]) -> tuple[str, ...]:
    return tuple(name for name in tables.tags() if ("tag", name) in found)


@dataclass(frozen=True, slots=True)
class Marked:
    """A sentence of an article with its time expressions (for `show --events`)."""

    paragraph: int
    offset: int  # where the sentence starts in its paragraph
    sentence: str
    values: tuple[TimeValue, ...]


def mark(article: Article) -> list[Marked]:
    """Every sentence of the clean body with its time expressions, resolved in reading order."""
    return _marked(article, reference_day(article.paragraphs[0] if article.paragraphs else None, article.date))


def _marked(article: Article, day: dt.date | None) -> list[Marked]:
    """``mark``, against the article's reference day."""
    out: list[Marked] = []
    previous: dt.date | None = None
    year: int | None = None
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
            values = tuple(v for v in tag(sent, Context(day, previous, year)) if v.begin >= skip_to)
            for v in values:
                if v.resolved and v.precision == "day":
                    previous = v.start
                if v.start is not None and v.end is not None and v.start.year == v.end.year:
                    year = v.start.year
            out.append(Marked(p, offset, sent, values))
    return out


def _status(tv: TimeValue | None, sentence: str, dct: dt.date | None) -> Status:
    if dct is None or tv is None or tv.start is None or tv.end is None:
        return Status.reported
    if tv.start > dct:
        return Status.planned
    if tv.end >= dct and speaks_of_future(sentence, tv.begin, tv.finish):
        return Status.planned
    return Status.reported


def event_type(text: str) -> str:
    """The type whose cue comes first in the clause; a suspension or resumption named anywhere in it
    wins over the topic ("the IMET programme was frozen" is a suspension); a word that only reports
    ("said") yields to any later cue of another type, a stance ("urged", "warned") does not."""
    return _type_of(text, _part(_paired()[0].first(text), "type"))


def _type_of(text: str, found: dict[str, int]) -> str:
    """``event_type``, given where each type's first cue stands in the text."""
    hits = sorted((at, name) for name, at in found.items())
    if not hits:
        return str(tables.load("events.toml")["type_fallback"]["name"])
    changes = [h for h in hits if h[1] in _CHANGES]
    if changes and hits[0][1] not in ("statement",):  # "IMET was frozen": the change is what happened
        return changes[0][1]
    first = hits[0]
    if first[1] == "statement" and _yields().match(text, first[0]):
        acts = [h for h in hits if h[1] != "statement"]
        return acts[0][1] if acts else "statement"
    return first[1]


_CHANGES = frozenset(("suspension", "resumption"))  # a change of course is the happening wherever it is named


@functools.cache
def _paired() -> tuple[CueSet[tuple[str, str]], CueSet[tuple[str, str]]]:
    """The cue lists asked of one text, each pair searched in one pass: a clause's types and relevance
    cues, a sentence's tags and relevance cues. (A CueSet finds for each name what that name's own
    list finds, so one set of two tables' lists finds what the two sets find.)"""
    rel: list[tuple[tuple[str, str], Iterable[str]]] = [(("relevance", k), cues) for k, cues in relevance_cues()]
    types = [(("type", row["name"]), row["cues"]) for row in tables.load("events.toml")["type"]]
    tags = [(("tag", k), cues) for k, cues in tables.tags().items()]
    return CueSet(types + rel), CueSet(tags + rel)


def _part(found: dict[Any, int], table: str) -> dict[str, int]:
    return {name: at for (t, name), at in found.items() if t == table}


@functools.cache
def _yields() -> re.Pattern[str]:
    row = next(r for r in tables.load("events.toml")["type"] if r["name"] == "statement")
    return cue_pattern(row["yields"])


@dataclass(frozen=True, slots=True)
class _Reading:
    """What one article gives every event it reports."""

    article: Article
    cast: Cast
    lead: Topic
    day: dt.date | None


def article_events(article: Article) -> list[Event]:
    """The events one article reports, one per happening, in reading order."""
    day = reference_day(article.paragraphs[0] if article.paragraphs else None, article.date)
    marked = _marked(article, day)
    cast = Cast(article.paragraphs, _sentence_starts(article.paragraphs, marked))
    lead = " ".join(filter(None, (article.title, article.paragraphs[0] if article.paragraphs else "")))
    reading = _Reading(article, cast, topic(lead, cast), day)
    basis = "publication date" if day == article.date else "dateline"
    events: list[Event] = []
    lead_done = False
    for m in marked:
        wants_lead = not lead_done and day is not None
        if not wants_lead and not any(v.resolved for v in m.values):
            lead_done = True
            continue  # nothing dates this sentence: no event, and no need to look further
        if not _VERB.found_in(m.sentence):
            continue
        events += _sentence_events(reading, m, basis if wants_lead else None)
        lead_done = True
    return _lead_dated_in_body(_one_per_happening(events), day)


def _sentence_starts(paragraphs: tuple[str, ...], marked: list[Marked]) -> list[list[int] | None]:
    """Where each paragraph's sentences start, as ``actors._sentence_starts`` finds them (the same split,
    found once): None for a paragraph ``_marked`` holds no sentence of (a heading), which the cast splits."""
    starts: dict[int, list[int]] = {}
    for m in marked:
        starts.setdefault(m.paragraph, []).append(max(m.offset, 0))
    return [starts.get(p) for p in range(len(paragraphs))]


def _dated_clauses(m: Marked) -> tuple[list[Clause], list[tuple[TimeValue, Clause]]]:
    side = clauses(m.sentence)
    out: list[tuple[TimeValue, Clause]] = []
    seen: set[tuple[dt.date, dt.date]] = set()
    for tv in m.values:
        if tv.start is None or tv.end is None or tv.precision is None or (tv.start, tv.end) in seen:
            continue
        c = clause_at(m.sentence, side, tv.begin, tv.finish)
        if governed(m.sentence, tv.begin):
            # "since 2009", "after 9/11": a reference point, not this clause's date; but "since 2022,
            # when Washington approved ...": the when-clause happened then
            when = when_clause(side, tv.finish)
            if when is None:
                continue
            c = when
        seen.add((tv.start, tv.end))
        out.append((tv, c))
    return side, out


def _sentence_events(r: _Reading, m: Marked, lead_basis: str | None) -> list[Event]:
    side, dated = _dated_clauses(m)
    out = []
    found: dict[Any, int] = _paired()[1].first(m.sentence)  # (tags_for, and the sentence's relevance cues)
    tags = _tags(found)
    said = _part(found, "relevance")
    if lead_basis is not None and r.day is not None and not any(c.kind == "main" for _, c in dated):
        main = Clause(0, len(m.sentence), "", "main")
        out.append(_event(r, m, side, main, (Precision.day, r.day, r.day, lead_basis), Status.reported, (tags, said)))
    several = sum(c.kind == "main" for _, c in dated) > 1  # then each date dates its coordinate part
    for tv, c in dated:
        assert tv.precision is not None and tv.start is not None and tv.end is not None
        status = _status(tv, m.sentence, r.day)
        part = coordinate(m.sentence, tv.begin) if several and c.kind == "main" else None
        out.append(_event(r, m, side, c, (tv.precision, tv.start, tv.end, tv.text), status, (tags, said), part))
    return out


def _clause_text(m: Marked, side: list[Clause], c: Clause, part: tuple[int, int] | None) -> str:
    if c.kind == "restrictive" and _COPULA.match(m.sentence, c.end):
        c = Clause(0, len(m.sentence), "", "main")  # "the talks that will last ... would be the second round"
    if c.kind != "main":
        return side_text(m.sentence, c)
    if part is not None:
        return quoted_part(m.sentence, main_text(m.sentence, side, *part), *part)
    text = main_text(m.sentence, side)
    if m.paragraph == 0 and m.offset == 0:
        dl = find_dateline(m.sentence)
        if dl is not None and text.startswith(m.sentence[: dl.end]):
            text = text[dl.end:]
    return text


def _event(r: _Reading, m: Marked, side: list[Clause], c: Clause,
           when: tuple[Precision, dt.date, dt.date, str], status: Status,
           cues: tuple[tuple[str, ...], dict[str, int]], part: tuple[int, int] | None = None) -> Event:
    """One event of a clause; ``cues``: the sentence's tags and relevance cues."""
    precision, start, end, basis = when
    tags, said = cues
    text = _clause_text(m, side, c, part)
    words = headline_words(text)
    led_by = words.rstrip(" .,;:")  # (what the headline will start with: "he said" -> "He said")
    pronoun = _PRONOUN.match(led_by[:1].upper() + led_by[1:4])
    person = r.cast.person_before(m.paragraph, m.offset + c.begin) if pronoun else None
    actors = r.cast.actors(text if c.kind not in ("relative", "restrictive") else f"{text} {m.sentence}")
    if person is not None and person not in actors and person.side != "other":
        actors = (person, *actors)  # (a person whose side the article does not give is no party)
    found = _paired()[0].first(text)  # (event_type and cues_in of the clause, in one pass)
    kind = _type_of(text, _part(found, "type"))
    own_cues = _part(found, "relevance")
    actors = implied(text, actors, r.lead, own_cues)
    own = c.kind != "main" or part is not None  # a clause or part of its own is judged on its own words
    relevant, reason = relevance(text if own else m.sentence, actors, r.lead, kind, side_clause=c.kind != "main",
                                 cues=own_cues if own else said)
    a = r.article
    ident = hashlib.sha1(f"{a.file}|{start}|{end}|{basis}|{m.sentence}".encode()).hexdigest()[:12]
    return Event(precision, start, end, basis, m.sentence, a.id, a.outlet, tags, status,
                 (Source(a.id, a.outlet, m.sentence, a.title, a.date),), ident,
                 finish_headline(words, person.name if person else None, both=r.lead.sides >= {"US", "Pakistan"}),
                 kind, actors,
                 location(text), relevant, reason)


_PRONOUN = re.compile(r"(?:He|She)\b")
_COPULA = re.compile(r"\s*(?:would|will|is|was|are|were|has|have|had)(?:\s+(?:be|been))?\s+(?:the|a|an|its|their)\b")
ALIKE = 0.3  # key-term overlap above which two same-dated events of one article are one happening
LEAD_DAYS = 14  # a body date this close before the publication date may be the lead's own happening


def _same_happening(a: Event, b: Event) -> bool:
    """Two reports of one article, dated alike, are one happening: the same type, or the same words."""
    x, y = key_terms(a.headline), key_terms(b.headline)
    return a.type == b.type or bool(x | y and len(x & y) / len(x | y) >= ALIKE)


def _lead_dated_in_body(events: list[Event], day: dt.date | None) -> list[Event]:
    """The lead dated only by the publication date, when the body dates the same happening by its own
    words (same type or wording, a day in the fortnight before): one event, at the body's date,
    citing the lead too."""
    lead = next((e for e in events if e.basis in ("publication date", "dateline")), None)
    if lead is None or day is None:
        return events
    for k, e in enumerate(events):
        if e is lead or not day - dt.timedelta(days=LEAD_DAYS) <= e.start <= day + dt.timedelta(days=LEAD_DAYS):
            continue  # (a lead may announce what the body dates ahead: "will hold talks" ... "from Monday")
        if _same_happening(lead, e):
            merged = replace(e, sources=e.sources + lead.sources, relevant=e.relevant or lead.relevant,
                             actors=tuple(dict.fromkeys(lead.actors + e.actors)))
            return [merged if i == k else x for i, x in enumerate(events) if x is not lead]
    return events


def _one_per_happening(events: list[Event]) -> list[Event]:
    """Events of one article with the same dates and the same type or wording are one happening."""
    kept: list[Event] = []
    for e in events:
        for k, other in enumerate(kept):
            if (other.start, other.end, other.precision) != (e.start, e.end, e.precision):
                continue
            if _same_happening(other, e):
                kept[k] = replace(other, sources=other.sources + e.sources, relevant=other.relevant or e.relevant,
                                  location=other.location or e.location,
                                  actors=tuple(dict.fromkeys(other.actors + e.actors)),
                                  reason=other.reason if other.relevant or not e.relevant else e.reason)
                break
        else:
            kept.append(e)
    return kept

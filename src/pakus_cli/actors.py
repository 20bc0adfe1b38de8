"""Who takes part in an event, and on which side; whether the event is on topic; where it happened.

The parties (countries, capitals, institutions) and their sides are rows of ``data/actors.toml``.
People are learned from each article: a capitalised name after an office ("US Defence Secretary
Lloyd Austin", "Commander of US Central Command General Michael Kurilla") is a person, on the side
the office's own words give ("US", "Pakistan's"), or, when the office names no side, on the side the
article gives that office elsewhere ("Pakistan's ambassador to the US ... Ambassador Masood Khan").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from . import tables
from .models import Actor
from .text import CueSet, Finder, Names, alternation, lowered

US, PAKISTAN, OTHER = "US", "Pakistan", "other"
_NAME = r"[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?"


_alt = alternation


@functools.cache
def _parties() -> tuple[dict[str, tuple[str, str]], re.Pattern[str], re.Pattern[str]]:
    """form → (name, side); a case-sensitive pattern for abbreviations, a case-blind one for the rest."""
    forms: dict[str, tuple[str, str]] = {}
    for row in tables.load("actors.toml")["party"]:
        for f in row["forms"]:
            forms[f.casefold()] = (row["name"], row["side"])
    raw = [f for row in tables.load("actors.toml")["party"] for f in row["forms"]]
    exact = [f for f in raw if f.isupper() or len(f) <= 3]
    blind = [f for f in raw if f not in exact]
    edge = r"(?<![\w.]){}(?!\w|\.\w)"
    return (forms, re.compile(edge.format(f"(?:{_alt(exact)})")),
            re.compile(edge.format(f"(?:{_alt(blind, fold=True)})"), re.I))


_PRE_WORDS = 6  # words of an office before its title ("Commander of US Central Command General ...")


@functools.cache
def _office() -> tuple[re.Pattern[str], frozenset[str], dict[str, str], tuple[str, ...]]:
    table = tables.load("actors.toml")
    offices = table["offices"]
    titles = _alt(offices["titles"], fold=True)
    person = re.compile(
        rf"(?P<pre>(?:(?:[A-Z][\w.'’-]*|of|the|for|and)\s+){{0,{_PRE_WORDS}}}?)"
        rf"\b(?i:(?P<title>{titles}))\.?\s+(?P<name>{_NAME}(?:\s+{_NAME}){{0,3}})"
    )
    return person, frozenset(offices["not_names"]), dict(table.get("people", {})), tuple(offices["heads"])


@functools.cache
def _title_ahead() -> re.Pattern[str]:
    """A title followed by a capitalised word: where a person's office can end."""
    titles = _alt(tables.load("actors.toml")["offices"]["titles"], fold=True)
    return re.compile(rf"\b(?i:{titles})(?=\.?\s+[A-Z][a-z])")


_TOKEN = re.compile(r"\S+\s+")
_AFTER_SPACE = re.compile(r"(?<=\s)\S")


def _words_back(para: str, at: int) -> int:
    """Where the office before a title at ``at`` is searched from: the start of the seventh word
    (``_TOKEN``) before it (six, and one more for the title's own), or 0 with fewer. The words are
    read from a little before ``at``, from the start of a word (where reading the paragraph from its
    start finds one too), and from further back only when there are not enough of them."""
    back = 80
    while True:
        lo = max(0, at - back)
        first = _AFTER_SPACE.search(para, lo) if lo > 0 else None
        starts = []
        for m in _TOKEN.finditer(para, lo if lo == 0 else first.start() if first else len(para)):
            if m.start() >= at:
                break
            starts.append(m.start())
        if len(starts) > _PRE_WORDS:
            return starts[-_PRE_WORDS - 1]
        if lo == 0:
            return 0
        back *= 4


def _people_in(para: str) -> Iterator[re.Match[str]]:
    """The office-and-name matches of ``_office``'s pattern, as its ``finditer`` gives them, found
    without running it at every place of the paragraph: each match has a title followed by a
    capitalised word, and starts at most six words before it; so the pattern is searched from
    there, after the title's cheap pattern found one (tried only where a title starts)."""
    person = _office()[0]
    pos = 0
    for t in _titles_in(para):
        if t.start() < pos:
            continue
        m = person.search(para, max(pos, _words_back(para, t.start())))
        if m is None:
            break
        yield m
        pos = m.end() if m.end() > m.start() else m.end() + 1


def _titles_in(para: str) -> Iterator[re.Match[str]]:
    """Every place where a title followed by a capitalised word starts, left to right (overlapping)."""
    titles = _title_ahead()
    low = lowered(para)
    if low is None:
        pos = 0
        while (t := titles.search(para, pos)) is not None:
            yield t
            pos = t.start() + 1
        return
    for at in _title_starts().finditer(low):
        t = titles.match(para, at.start())
        if t is not None:
            yield t


@functools.cache
def _title_starts() -> re.Pattern[str]:
    """Where a title starts, in lower-cased text (a superset of where ``_title_ahead`` matches)."""
    titles = [t.lower() for t in tables.load("actors.toml")["offices"]["titles"]]
    return re.compile(rf"\b(?={_alt(titles)})")


@functools.lru_cache(maxsize=4096)  # (office phrases recur: "Pakistan's", "US Defence Secretary")
def _side_in(text: str) -> str | None:
    """The side the words of an office phrase give ("US Defence Secretary", "Pakistan's army chief")."""
    sides = {side for _, side in _parties_in(text)}
    if len(sides) == 1:
        return next(iter(sides))
    return None


def names_a_side(text: str) -> bool:
    """Whether a text names a US or Pakistani party (any of its forms in ``data/actors.toml``)."""
    return any(side != OTHER for _, side in _parties_in(text))


@functools.cache
def _finder() -> Finder:
    """The party forms (with case, without) and the known people, found in one pass."""
    forms, exact, blind = _parties()
    known = _office()[2]
    return Finder((exact, blind, _known_pattern()), [*forms, *known])


def _parties_in(text: str) -> list[tuple[str, str]]:
    forms = _parties()[0]
    found: list[tuple[int, int, str]] = []
    for matches in _finder().finditer(text)[:2]:
        found += [(m.start(), m.end(), m.group(0)) for m in matches]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out, pos = [], -1
    for begin, end, form in found:
        if begin < pos:
            continue
        pos = end
        out.append(forms[form.casefold()])
    return out


def parties_named(word: str) -> frozenset[str]:
    """The parties one of whose forms is ``word`` ("CENTCOM" → US Central Command), for `--actor`."""
    forms, _, _ = _parties()
    return frozenset(name for form, (name, _) in forms.items() if form == word.casefold())


@functools.cache
def _office_side_pattern() -> re.Pattern[str]:
    """A side word before an office noun ("Pakistan's ambassador", "US envoy"): the noun in any case.
    (The side word's letters are taken whole, ``*+``: what could be given back is no space or
    apostrophe, so trying shorter ones can find nothing; a test checks.)"""
    heads = _office()[3]
    return re.compile(rf"(?P<side>[A-Z][\w.]*+(?:['’]s)?)\s+(?i:(?P<head>{_alt(heads, fold=True)}))\b")


@functools.cache
def _known_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{_alt(_office()[2])})(?![\w-])")




@dataclass(frozen=True, slots=True)
class _Mention:
    paragraph: int
    offset: int
    actor: Actor
    sentence: int  # which sentence of its paragraph


def _sentence_starts(para: str) -> list[int]:
    from .text import sentences

    starts, pos = [], 0
    for sent in sentences(para):
        at = para.find(sent, pos)
        starts.append(max(at, 0))
        pos = max(at, 0) + len(sent)
    return starts or [0]


class Cast:
    """The parties and people one article names, learned once per article."""

    def __init__(self, paragraphs: Sequence[str], sentence_starts: Sequence[list[int] | None] = ()) -> None:
        """``sentence_starts``: where each paragraph's sentences start, when the caller has them (as
        ``_sentence_starts`` finds them; None for a paragraph it has not split)."""
        self.people: dict[str, Actor] = {}  # surname -> person on a known side (an actor of events)
        self.named: dict[str, Actor] = {}  # surname -> every person named with an office
        heads = self._office_sides(paragraphs)
        person, not_names, known, _ = _office()
        for para in paragraphs:
            for m in _people_in(para):
                names = m["name"].split()
                while names and names[-1] in not_names:
                    names.pop()
                if not names or names[0] in not_names:
                    continue
                name, surname = " ".join(names), names[-1]
                office = f"{m['pre']}{m['title']}".strip()
                after = _APPOSITION.match(para, m.end())  # "General X, the commander of US Central Command,"
                if after and not _side_in(office) and _side_in(after[1]):
                    office = f"{office}, {after[1]}"
                side = _side_in(office) or heads.get(m["title"].lower()) or known.get(surname)
                before = self.named.get(surname)
                if before is None or (len(name) > len(before.name) and (side or before.side == OTHER)):
                    self.named[surname] = Actor(name, side or (before.side if before else OTHER), office)
                if self.named[surname].side != OTHER:
                    self.people[surname] = self.named[surname]
        self._known = known
        self._people_names = Names(self.people)
        self._paragraphs = paragraphs
        self._starts = sentence_starts
        self._mentioned: list[_Mention] | None = None

    @property
    def mentions(self) -> list[_Mention]:
        """Every mention of a named person, found when first asked for (only a clause led by "he" or
        "she" needs them)."""
        if self._mentioned is None:
            self._mentioned = self._mentions(self._paragraphs)
        return self._mentioned

    def _mentions(self, paragraphs: Sequence[str]) -> list[_Mention]:
        """Every mention of a named person (full name or surname), with the sentence it is in."""
        if not self.named:
            return []
        names = Names(self.named)
        out = []
        for p, para in enumerate(paragraphs):
            given = self._starts[p] if p < len(self._starts) else None
            starts = _sentence_starts(para) if given is None else given
            for begin, _, name in names.finditer(para):
                sentence = sum(1 for st in starts if st <= begin) - 1
                out.append(_Mention(p, begin, self.named[name], sentence))
        return out

    @staticmethod
    def _office_sides(paragraphs: Sequence[str]) -> dict[str, str]:
        """The side each office noun is given in the article ("Pakistan's ambassador" → ambassador)."""
        rx = _office_side_pattern()
        seen: dict[str, set[str]] = {}
        for para in paragraphs:
            for m in rx.finditer(para):
                side = _side_in(m["side"])
                if side:
                    seen.setdefault(m["head"].lower(), set()).add(side)
        return {head: next(iter(s)) for head, s in seen.items() if len(s) == 1}

    def person_before(self, paragraph: int, offset: int) -> Actor | None:
        """What "he" or "she" at a point stands for: the first person named in the nearest earlier
        sentence that names one (its subject, as a reader takes it)."""
        earlier = [m for m in self.mentions if (m.paragraph, m.offset) < (paragraph, offset)]
        if not earlier:
            return None
        here = next((m.sentence for m in self.mentions if (m.paragraph, m.offset) >= (paragraph, offset)
                     and m.paragraph == paragraph), None)
        last = earlier[-1]
        if last.paragraph == paragraph and here is not None and last.sentence == here:
            prior = [m for m in earlier if (m.paragraph, m.sentence) != (paragraph, here)]
            last = prior[-1] if prior else last
        first = next(m for m in earlier if (m.paragraph, m.sentence) == (last.paragraph, last.sentence))
        return first.actor

    def actors(self, text: str) -> tuple[Actor, ...]:
        """The parties and people a text names, in order of first mention, each once."""
        found: list[tuple[int, Actor]] = []
        for begin, _, name in self._people_names.finditer(text):
            found.append((begin, self.people[name]))
        exact, blind, known = _finder().finditer(text)
        for m in known:
            surname = m.group(0)
            if surname not in self.people and _office()[0].search(text[max(0, m.start() - 40): m.end()]):
                found.append((m.start(), Actor(surname, self._known[surname], None)))
        forms = _parties()[0]
        for matches in (exact, blind):
            for m in matches:
                name, side = forms[m.group(0).casefold()]
                if side == OTHER and _a_place(text, m.start(), m.end()):
                    continue  # "in Afghanistan", "the Pakistan-Afghanistan border": a place, not a party
                found.append((m.start(), Actor(name, side, None)))
        found.sort(key=lambda f: f[0])
        out: dict[str, Actor] = {}
        for _, actor in found:
            out.setdefault(actor.name, actor)
        return tuple(out.values())


_APPOSITION = re.compile(r",\s+((?:the\s+)?(?:[\w.'’-]+\s+){0,3}?(?:commander|chief|head|secretary|minister|"
                         r"ambassador|envoy|spokes\w+|director|chairman|adviser|advisor)\s+(?:of\s+)?(?:the\s+)?"
                         r"[^,.;]{2,50})")
_PLACE_BEFORE = re.compile(r"\b(?:in|from|into|across|near|along|inside|to|via|over|through)\s+(?:the\s+)?$", re.I)
_PLACE_AFTER = re.compile(r"^(?:-[\w.]+)?\s+(?:border|frontier|region|borderlands?|side of the border)\b", re.I)


def _a_place(text: str, begin: int, end: int) -> bool:
    """A third country named as a place (after "in", "from", ..., or before "border"), not as a party."""
    return bool(_PLACE_BEFORE.search(text[max(0, begin - 12):begin]) or _PLACE_AFTER.match(text[end:end + 30])
                or (begin > 0 and text[begin - 1] == "-" and _PLACE_AFTER.match(text[end:end + 30])))


# -- relevance ------------------------------------------------------------------------------------


def relevance_cues() -> list[tuple[str, list[str]]]:
    """The relevance cue lists by name (what ``cues_in`` finds)."""
    table = tables.load("events.toml")["relevance"]
    return [(key, table[key]) for key in ("security", "both", "refers_back", "career")]


@functools.cache
def _relevance() -> CueSet[str]:
    return CueSet(relevance_cues())


@dataclass(frozen=True, slots=True)
class Topic:
    """What an article's lead is about: its sides and whether it is a security matter."""

    sides: frozenset[str]
    security: bool


def topic(lead: str, cast: Cast) -> Topic:
    cues = _relevance().first(lead)
    sides = {a.side for a in cast.actors(lead)} - {OTHER}
    if "both" in cues:
        sides |= {US, PAKISTAN}
    return Topic(frozenset(sides), "security" in cues)


def cues_in(text: str) -> dict[str, int]:
    """The relevance cues a text holds (what ``implied`` and ``relevance`` ask of it; found once)."""
    return _relevance().first(text)


def implied(sentence: str, actors: Sequence[Actor], lead: Topic, cues: dict[str, int] | None = None,
            ) -> tuple[Actor, ...]:
    """The actors, with the lead's two parties when the sentence names them by "the two sides" (or
    refers back to "the talks" and names no third party): who took part, as a reader takes it."""
    cues = cues_in(sentence) if cues is None else cues
    sides = {a.side for a in actors}
    named = "both" in cues or ("refers_back" in cues and OTHER not in sides)
    if not lead.sides >= {US, PAKISTAN} or not named:
        return tuple(actors)
    extra = [Actor(name, side) for name, side in (("Pakistan", PAKISTAN), ("United States", US)) if side not in sides]
    return (*actors, *extra)


def relevance(sentence: str, actors: Sequence[Actor], lead: Topic, kind: str, *,
              side_clause: bool = False, cues: dict[str, int] | None = None) -> tuple[bool, str]:
    """On topic when a US party and a Pakistani party meet in a security matter; and why (not).

    In an article whose lead is itself a US–Pakistan security matter, a sentence need not name both
    parties again ("The US suspended security assistance in 2018"): one of them, or none but no
    third party, is enough for a happening of a cooperation ``kind`` (``context_types``); a side
    clause ("the National Action Plan, a strategy approved in 2014") must name its party; "the two
    sides", "the talks" bring in the lead's parties and its topic.
    """
    cues = cues_in(sentence) if cues is None else cues
    sides = {a.side for a in actors}
    if "both" in cues:
        sides |= lead.sides  # "the two sides" are the lead's parties
    elif "refers_back" in cues and OTHER not in sides:
        sides |= lead.sides  # "the talks" are the lead's, unless a third party is the one named
    inherits = "both" in cues or "refers_back" in cues
    if "career" in cues:
        return False, "an officer's career"
    if not ("security" in cues or (inherits and lead.security)):
        return False, "not a security matter"
    ours = sides & {US, PAKISTAN}
    if {US, PAKISTAN} <= ours:
        return True, "US and Pakistani parties in a security matter"
    on_topic = lead.sides >= {US, PAKISTAN} and lead.security
    context = tables.load("events.toml")["relevance"]["context_types"]
    if on_topic and OTHER in sides:
        return False, "one side with a third party" if ours else "only third parties"
    if on_topic and (ours or not (sides or side_clause)) and kind in context:
        return True, f"a {kind} in an article on US–Pakistan security"
    missing = [name for side, name in ((US, "US"), (PAKISTAN, "Pakistani")) if side not in ours]
    return False, f"no {' or '.join(missing)} party"


@functools.cache
def _places() -> tuple[re.Pattern[str], dict[str, str]]:
    table = tables.load("places.toml")
    names = dict(table.get("place_names", {}))
    venues = [*table["places"], *table.get("venues", []), *names]
    prep = r"\b(?:in|at|near|off|reached|visited|arrived in)\s+(?:the\s+)?"
    return re.compile(rf"{prep}(?P<place>{_alt(venues)})(?![\w-])"), names


def location(text: str) -> str | None:
    """Where the text says a happening took place ("at the Pentagon", "in the Pakistani capital")."""
    rx, names = _places()
    m = rx.search(text)
    if not m:
        return None
    place = names.get(m["place"], m["place"])
    return re.sub(r"^[Tt]he\s+", "", place) if place[4:5].isupper() else place

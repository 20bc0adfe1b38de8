"""A sentence's clauses, which clause each date belongs to, and the headline of a dated clause.

Date words date the clause they stand in: in "the talks would be the second round, after the first
round was held in January 2021", January 2021 dates the first round, not the talks. A clause of
its own opens after a comma with a relative word (", which ..."), with a subordinating word that
is followed by a verb ("after the first round was held ..."), or as an appositive (", a strategy
approved in 2014"). Everything else is the sentence's main clause. The words are in
``data/events.toml``; this module holds the mechanisms.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import tables
from .text import alternation, lowered

_AUXILIARY = r"is|was|were|are|be|been|has|have|had|will|would|shall|should|may|might|can|could|did|does|do|[a-z]{3,}ed"
_MEASURE = re.compile(r"(?:,\s+)?(?:\b[\w-]+\s+)?(?:years?|months?|weeks?|days?|hours?)\s+")
_DETERMINER = frozenset("the a an his her its their our this that these those".split())
_QUOTE_OPEN = "“\"‘'"
_QUOTE_CLOSE = "”\"’'"


@dataclass(frozen=True, slots=True)
class Clause:
    """A span of a sentence; ``opener`` is the word that opened it ('' for the main clause)."""

    begin: int
    end: int
    opener: str
    kind: str  # "main", "relative", "restrictive" (no comma), "subordinate", "appositive" or "aside"


@functools.cache
def _words() -> dict[str, tuple[str, ...]]:
    table = tables.load("events.toml")
    return {k: tuple(v) for k, v in {**table["clauses"], **table["headline"]}.items() if isinstance(v, list)}


@functools.cache  # built on every clause tidied: 240,000 re.escape calls per 300 articles without it
def _alt(words: tuple[str, ...]) -> str:
    return alternation(words)


def _fold(words: tuple[str, ...]) -> str:
    return alternation(words, fold=True)


class _Finite:
    """A verb of its own: an auxiliary, an -ed form or an irregular past (``irregular_past``)."""

    @staticmethod
    @functools.cache
    def pattern() -> re.Pattern[str]:
        return re.compile(rf"\b(?:{_AUXILIARY}|{_alt(_words()['irregular_past'])})\b")

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern().search(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.pattern().fullmatch(text)


_FINITE = _Finite()


@functools.cache
def _openers(lower: bool = False) -> re.Pattern[str]:
    """Where a side clause may open; ``lower``: the same pattern with its words in lower case, matched
    with case (for the lower-cased sentence, where the regex engine runs it faster)."""
    w = _words()

    def alt(key: str) -> str:
        return _alt(tuple(x.lower() for x in w[key])) if lower else _fold(w[key])

    # (An opener stands after a comma, a space or at the start: "a" inside "data" opens nothing, and
    # the pattern is not tried there.)
    return re.compile(
        rf"(?:(?<!\S)|(?=,))(?P<comma>,\s+)?(?:(?P<rel>{alt('relative')})|(?P<sub>{alt('subordinate')})"
        rf"|(?P<app>{alt('appositive')})|(?P<aside>{alt('asides')}))\s+",
        0 if lower else re.I,
    )


def _opener_matches(sentence: str) -> Iterator[re.Match[str]]:
    """``_openers().finditer(sentence)``: where the sentence lower-cases letter for letter (``lowered``),
    the lower-case pattern finds the places over the lower-cased sentence, and the case-blind pattern
    reads the match there (the same span: the two patterns match alike)."""
    low = lowered(sentence)
    if low is None:
        yield from _openers().finditer(sentence)
        return
    rx = _openers()
    for hit in _openers(True).finditer(low):
        m = rx.match(sentence, hit.start())
        if m is not None:  # (always)
            yield m


_CLAUSE_END = re.compile(r",\s|;\s|\s[—–-]\s|\s…|[”\"]")


def _clause_end(sentence: str, start: int) -> int:
    """A side clause runs to the next comma, semicolon or dash, or to the end of the sentence."""
    m = _CLAUSE_END.search(sentence, start)
    return m.start() if m else len(sentence.rstrip(" ."))


def clauses(sentence: str) -> list[Clause]:
    """The side clauses of a sentence, in order (the main clause is what they leave)."""
    out: list[Clause] = []
    pos = 0
    for m in _opener_matches(sentence):
        if m.start() < pos:
            continue
        found = _clause_of(sentence, m)
        if found is not None:
            out.append(found)
            pos = found.end
    if out and len(main_text(sentence, out).split()) < 5:
        return []  # what is left is no clause: the sentence is read whole
    return out


def _kind(m: re.Match[str]) -> str:
    if m["rel"]:  # without a comma, part of the noun it follows: kept in the main clause's words
        return "relative" if m["comma"] or m.start() == 0 else "restrictive"
    return "subordinate" if m["sub"] else "aside" if m["aside"] else "appositive"


def _clause_of(sentence: str, m: re.Match[str]) -> Clause | None:
    """The side clause an opener starts, or None when it opens none."""
    boundary = m["comma"] is not None or m.start() == 0 or _restrictive(sentence, m)
    if not boundary and m["sub"] is None:
        return None  # "which" or "a" inside a phrase opens no clause of its own
    if m.start() > 0 and not m["comma"] and not sentence[m.start() - 1].isspace():
        return None
    begin = m.start() + len(m["comma"] or "")
    if m["sub"]:  # "three years after ...": the measure belongs to the side clause
        q = _MEASURE.search(sentence, 0, begin)
        if q and q.end() == begin and not m["comma"]:
            begin = q.start()
    end = _clause_end(sentence, m.end())
    kind = _kind(m)
    if kind == "restrictive":
        end = _restrictive_end(sentence, m.end(), end)
    body = sentence[m.end():end]
    if kind == "subordinate" and not _FINITE.search(body):
        return None  # "after the meeting" is a phrase, not a clause with its own happening
    if kind in ("appositive", "aside") and (not m["comma"] or len(body.split()) < 2):
        return None
    if kind == "appositive" and _tellers().search(body):
        return None  # ", a State Department official confirmed on Friday" tells; it names nothing
    return Clause(begin, end, m.group(m.lastindex or 0).strip(), kind)


@functools.cache
def _tellers() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alt(_words()['teller_verbs'])})\b")


def _restrictive_end(sentence: str, start: int, end: int) -> int:
    """Where a relative clause without commas ends: before the main clause's own verb ("the talks
    that will last from Monday to Thursday | would be the second round")."""
    last = None
    for v in _FINITE.pattern().finditer(sentence, start, end):
        if last is not None and sentence[last:v.start()].strip():
            return sentence.rfind(" ", start, v.start()) if " " in sentence[start:v.start()] else v.start()
        last = v.end()
    return end


def _restrictive(sentence: str, m: re.Match[str]) -> bool:
    """A relative clause without a comma ("ties that were frozen in 2018", "the package which was
    approved"): a relative word right after a noun and right before a verb of its own."""
    if not m["rel"] or m["rel"].lower() not in ("that", "which", "who"):
        return False
    nxt = sentence[m.end():].split(maxsplit=1)
    before = sentence[:m.start()].split()
    saying = _words()["complement_verbs"]
    return bool(nxt and before and _FINITE.fullmatch(nxt[0].lower()) and before[-1].lower() not in saying)


def clause_at(sentence: str, side: list[Clause], begin: int, finish: int) -> Clause:
    """The clause a time expression at [begin, finish) dates: the side clause it stands in, or the
    main clause."""
    for c in side:
        if c.begin <= begin < c.end:
            return c
    return Clause(0, len(sentence), "", "main")


def when_clause(side: list[Clause], finish: int) -> Clause | None:
    """The ", when ..." clause right after a date ("since 2022, when Washington approved ..."): what
    happened at a date that only marks a reference point for its own clause."""
    for c in side:
        if c.kind == "relative" and c.opener.lower() == "when" and 0 <= c.begin - finish <= 2:
            return c
    return None


def governed(sentence: str, begin: int) -> bool:
    """Whether a preposition right before the date makes it a reference point, not the happening's
    date ("aid provided since 2009", "negotiated after 9/11")."""
    before = sentence[:begin].lower().rstrip()
    words = _words()["not_a_date_of"]
    return any(before.endswith(" " + w) or before == w for w in words)


# -- headlines ------------------------------------------------------------------------------------


def main_text(sentence: str, side: list[Clause], lo: int = 0, hi: int | None = None) -> str:
    """The sentence (or its part [lo, hi)) without its side clauses (and the commas that framed them)."""
    hi = len(sentence) if hi is None else hi
    out, pos = [], lo
    for c in side:
        if c.end <= lo or c.begin >= hi or c.kind == "restrictive":
            continue
        out.append(sentence[pos:max(pos, c.begin)].rstrip(", "))
        pos = max(pos, c.end)
    out.append(sentence[pos:hi])
    return " ".join(p.strip(" ,") for p in out if p.strip(" ,"))


_COORDINATE = re.compile(r",?\s(?:and|but|so|while|whereas)\s(?=(?:we|they|he|she|it|I|the|a|an|[A-Z])\b)|;\s|\s…\s")
_TELLER_END = re.compile(r"[,.!?]?[”\"’]\s+([^“”\"]{1,60}?\s+\w+)\s*\.?$")


def coordinate(sentence: str, at: int) -> tuple[int, int]:
    """The coordinate part of a sentence that holds position ``at`` ("X will be held in February, so
    ... and we will hold Y next month": each date dates its own part)."""
    lo, hi = 0, len(sentence)
    for m in _COORDINATE.finditer(sentence):
        if m.end() <= at:
            lo = m.end()
        elif m.start() > at:
            hi = m.start()
            break
    return lo, hi


def quoted_part(sentence: str, text: str, lo: int, hi: int) -> str:
    """A part of a quotation keeps its quotation marks and its teller (“..., ” he said), so that its
    headline says who said it."""
    if not sentence or sentence[0] not in _QUOTE_OPEN or (lo == 0 and hi == len(sentence)):
        return text
    teller = _TELLER_END.search(sentence)
    if not teller:
        return text
    words = _TELLER_END.sub("", text).strip(_QUOTE_OPEN + _QUOTE_CLOSE + " ,…")
    words = re.sub(r"^(?:and|but|so)\s+", "", words)
    return f"“{words},” {teller[1]}"


def antecedent(sentence: str, clause: Clause) -> str:
    """The noun phrase a relative or appositive clause hangs on: back from its comma to a determiner,
    a capitalised run's start, or eight words."""
    words = sentence[: clause.begin].rstrip(" ,").split()
    if words and words[-1][:1].isupper():  # a name: "Prime Minister Imran Khan, who ..."
        run = list(itertools.takewhile(lambda w: w[:1].isupper() or w in ("of", "the"), reversed(words)))[:8]
        while run and not run[-1][:1].isupper():
            run.pop()
        return " ".join(reversed(run)).strip(",;:")
    take: list[str] = []
    for w in reversed(words):
        if len(take) >= 8 or (take and w.lower() in ("of", "in", "at", "on", "for") and not take[-1][:1].isupper()):
            break
        if take and w.lower() not in _DETERMINER and w.islower() and _FINITE.fullmatch(w.lower()):
            break
        take.append(w)
        if w.lower() in _DETERMINER:
            break
    return " ".join(reversed(take)).strip(",;:")


def side_text(sentence: str, clause: Clause) -> str:
    """A side clause as a sentence of its own: its antecedent in place of a relative word."""
    body = sentence[clause.begin:clause.end]
    at = body.lower().find(clause.opener.lower())
    rest = body[at + len(clause.opener):].strip() if at >= 0 else body
    if clause.kind == "subordinate":
        return rest
    head = antecedent(sentence, clause)
    if clause.kind == "appositive":
        return f"{head}, {body}" if head else body
    rel = clause.opener.lower()
    if rel == "whose":
        return f"{head}'s {rest}"
    if rel in ("where", "when"):
        return rest
    return f"{head} {rest}" if head else rest


@functools.cache
def _headline_patterns() -> dict[str, re.Pattern[str]]:
    """The headline rules of ``tidy`` compiled once (a headline is made for every dated clause)."""
    w = _words()

    def alt(key: str) -> str:
        return alternation(w[key], fold=True)

    i = re.I
    return {
        "leading": re.compile(rf"(?:{alt('leading_phrases')})\s[^,“”\"]{{1,160}},\s+", i),
        "connective": re.compile(rf"^(?:{alt('connectives')}),\s*", i),
        "lead_in": re.compile(rf"^(?:{alt('lead_ins')})\s+", i),
        "comes": re.compile(rf"^(?:this|it|that|the\s+\w+)\s+(?:\w+\s+)?comes\s+(?:{alt('comes_frames')})\s+", i),
        "teller_open": re.compile(rf"^(?:{alt('teller_openers')})\s[^,]{{1,60}},\s*", i),
        "credit": re.compile(r"[.!]?\s+[—–-]{1,2}\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?\s*$"),  # "... — Reuters"
        "quote_teller": re.compile(rf"[,.!?]?([”\"’'])\s+([^“”\"]{{1,60}}?)\s+({alt('teller_verbs')})\s*\.?$", i),
        "teller_end": re.compile(
            rf",[”\"]?\s+[^,“”\"]{{1,60}}\s(?:{alt('teller_verbs')})(?:\s+(?:on|last|this)\s+\w+)?\s*[.]?$", i),
        "teller_close": re.compile(rf",\s+(?:{alt('teller_openers')})\s[^,“”\"]{{1,80}}$", i),
        "pronoun": re.compile(rf"^(?:{alt('pronouns')})\b", i),
        "both": re.compile(rf"^(?:{alt('both_subjects')})\b", i),
        "event_noun": re.compile(rf"^(The\s+(?:[\w-]+\s+){{0,2}}?)({_alt(w['event_nouns'])})\b"),
    }


def tidy(text: str, person: str | None = None, *, both: bool = False) -> str:
    """A clause as a timeline headline: no opener, teller or trailing period, the pronoun subject
    replaced by the person it stands for ("the two sides" by the two parties when ``both``), at most
    ``max_length`` characters."""
    return finish_headline(headline_words(text), person, both=both)


def headline_words(text: str) -> str:
    """The first half of ``tidy``: the clause without its opener and teller (what ``finish_headline``
    makes a headline of, once it knows who "he" is)."""
    rx = _headline_patterns()
    text = " ".join(text.split()).strip(" ,;:")
    m = rx["leading"].match(text)
    if m and len(text[m.end():].split()) >= 5 and not _FINITE.search(m.group(0)):
        text = text[m.end():]  # "To enhance coordination, the ministry said ..." → "the ministry said ..."
    for _ in range(4):  # openers stack: "Moreover, according to officials, ..."
        before = text
        for key in ("connective", "lead_in", "comes", "teller_open"):
            text = rx[key].sub("", text, count=1)
        if text == before:
            break
    if " -" in text or " –" in text or " —" in text:  # (a credit's dash follows a space: the only white space left)
        text = rx["credit"].sub("", text)
    text = _quote_first(text, rx["quote_teller"])
    text = rx["teller_end"].sub("", text)
    return rx["teller_close"].sub("", text)


def finish_headline(text: str, person: str | None = None, *, both: bool = False) -> str:
    """The second half of ``tidy``: the pronoun subject replaced, capitalised, shortened."""
    rx = _headline_patterns()
    if person:
        text = rx["pronoun"].sub(lambda _: person, text, count=1)
    if both:
        headline = tables.load("events.toml")["headline"]
        text = rx["both"].sub(lambda _: str(headline["both_names"]), text, count=1)
        noun = rx["event_noun"].match(text)
        if noun:
            from .actors import names_a_side  # (here: most headlines open with no event noun)

            if not names_a_side(text):  # "The exercise ..." -> "The Pakistan–US exercise ..."
                text = f"{noun[1]}{headline['both_adjective']} {noun[2]}{text[noun.end():]}"
    text = text.rstrip(" .,;:")
    text = text[:1].upper() + text[1:]
    return shorten(text, int(tables.load("events.toml")["headline"]["max_length"]), _words()["cut_before"])


def _quote_first(text: str, rx: re.Pattern[str]) -> str:
    """“We will hold talks next month,” he said. → he said: “We will hold talks next month”"""
    if not text or text[0] not in _QUOTE_OPEN:
        return text
    m = rx.search(text)
    if not m:
        return text
    quote = text[1 : m.start()].strip()
    return f"{m[2]} {m[3]}: “{quote}”"


def shorten(text: str, limit: int, cut_before: tuple[str, ...] = ()) -> str:
    """At most ``limit`` characters: cut before the last adjunct that fits ("… two years ago | due to
    Islamabad's lack of action"), so the headline ends whole; else at a word, with an ellipsis."""
    if len(text) <= limit:
        return text
    least = limit // 2
    bounds = [m.start() for m in _cut_pattern(cut_before).finditer(text[: limit + 1])
              if m.start() >= least] if cut_before else []
    if bounds and not _open_quote(text[: bounds[-1]]):
        return text[: bounds[-1]].rstrip(" ,;:")
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


@functools.cache
def _cut_pattern(cut_before: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf",\s|\s(?=(?:{alternation(cut_before, fold=True)})\s)", re.I)


def _open_quote(text: str) -> bool:
    return text.count("“") > text.count("”")

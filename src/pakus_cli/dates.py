"""Dates: literal calendar dates in metadata lines, and time expressions in sentences.

The literal half (``find_literals``) reads the dates a page prints in its header, byline
or dateline. The tagger half (``tag``) finds and normalises the time expressions of a
sentence against the article's date, HeidelTime-style. Its rules are rows of
``data/date_rules.toml`` (pattern, what it needs, resolver, whether it is relative); this
module holds the mechanism and the resolvers, ``data/lexicon.toml`` the words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import cast

from . import text as tx
from .models import Precision, TimeValue
from .resolvers import FILTERS, RESOLVERS, Resolved, Resolver, safe_date


@dataclass(frozen=True, slots=True)
class Literal:
    """A calendar date printed in full in a text, where it stands, and how sure the reading is."""

    date: dt.date
    begin: int
    finish: int
    alternative: dt.date | None = None  # the month-first reading of an ambiguous numeric date


_DIGIT = re.compile(r"\d")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?![\d-])")
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@cache
def _named() -> tuple[re.Pattern[str], re.Pattern[str]]:
    m = tx.month_re(fold=True)
    dmy = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({m})[,-]?\s*(\d{{4}})(?!\d)", re.I)
    mdy = re.compile(rf"\b({m})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I)
    return dmy, mdy


@lru_cache(maxsize=2048)  # (a page's lines are asked about more than once, and boilerplate recurs)
def find_literals(text: str) -> tuple[Literal, ...]:
    """Full calendar dates in ``text`` (ISO, day-first numeric, ``21 January, 2021``, ``Jun 29, 2024``).

    Numeric ``DD-MM-YYYY`` is read day-first: the outlets that print it are day-first. When
    both readings are valid the month-first one is kept as ``alternative`` for cross-checks.
    """
    found: list[Literal] = []
    if not _DIGIT.search(text):
        return ()  # every literal has a year: no digit, no date (and no regex work)
    taken: list[tuple[int, int]] = []

    def add(lit: Literal | None) -> None:
        if lit is None or any(lit.begin < b and a < lit.finish for a, b in taken):
            return
        taken.append((lit.begin, lit.finish))
        found.append(lit)

    for m in _ISO.finditer(text):
        d = safe_date(int(m[1]), int(m[2]), int(m[3]))
        add(Literal(d, m.start(), m.end()) if d else None)
    for m in _NUMERIC.finditer(text):
        a, b, y = int(m[1]), int(m[3]), int(m[4])
        first = safe_date(y, b, a)
        alt = safe_date(y, a, b) if a != b else None
        if first is None and alt is not None:
            first, alt = alt, None
        add(Literal(first, m.start(), m.end(), alt) if first else None)
    low = text.lower()
    if any(name in low for name in _MONTH_STEMS):  # the named-month forms need a month's name
        dmy, mdy = _named()
        for m in dmy.finditer(text):
            d = safe_date(int(m[3]), tx.month_number(m[2]), int(m[1]))
            add(Literal(d, m.start(), m.end()) if d else None)
        for m in mdy.finditer(text):
            d = safe_date(int(m[3]), tx.month_number(m[1]), int(m[2]))
            add(Literal(d, m.start(), m.end()) if d else None)
    found.sort(key=lambda lit: lit.begin)
    return tuple(found)


# == time expressions in sentences ===========================================================
#
# ``tag(sentence, ctx)`` finds the time expressions of one sentence and resolves them against
# the article's date (the document creation time, DCT). Every match is a TimeValue; one that
# cannot be resolved (vague words, a relative expression with no DCT) keeps start/end None:
# pakus never guesses.


@dataclass(frozen=True, slots=True)
class Context:
    """What relative expressions are resolved against."""

    dct: dt.date | None  # the article's reference day (dateline date, else publication date); None if undated
    previous: dt.date | None = None  # the last day-precise date mentioned before ("a day earlier")
    year: int | None = None  # the year of the last date mentioned before ("in November of that year")


# -- the rule table ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of ``data/date_rules.toml``, compiled."""

    name: str
    pattern: re.Pattern[str]
    needs: tuple[str, ...]  # word lists of which the sentence must hold a word each
    resolve: Resolver
    relative: bool | str  # True, False, or "unless-year"
    accept: Callable[[re.Match[str], str], bool] | None
    # A rule matched without case, as a lower-case pattern for the lower-cased sentence (the regex
    # engine runs it faster): it finds where ``pattern`` matches, and ``pattern`` then reads the match.
    lower: re.Pattern[str] | None = None

    def finditer(self, sentence: str, low: str | None) -> Iterator[re.Match[str]]:
        """The rule's matches in a sentence (``low``: the sentence lower-cased, see ``text.lowered``)."""
        if self.lower is None or low is None:
            yield from self.pattern.finditer(sentence)
            return
        for hit in self.lower.finditer(low):
            m = self.pattern.match(sentence, hit.start())
            if m is not None:  # (always: the two patterns match alike)
                yield m

    def is_relative(self, m: re.Match[str]) -> bool:
        if self.relative == "unless-year":
            return not m["y"]
        return bool(self.relative)


def _expand(pattern: str, fold: bool, *, lower: bool = False) -> str:
    """A rule's pattern with its word tokens filled in (``fold``: the rule is matched without case;
    ``lower``: its words in lower case, for lower-cased text)."""
    weekday = tx.alternation(n for n in tx.weekdays() if len(n) > 5) if lower else tx.weekday_re(fold=fold)
    tokens = {
        "%MONTH%": tx.month_re(fold=fold), "%WEEKDAY%": weekday, "%YEAR%": r"(?:19|20)\d{2}",
        "%DAY%": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?", "%UNIT%": r"(?:day|week|month|year)",
        "%NUM%": "(?:" + tx.alternation(tx.numbers(), fold=fold) + r"|\d{1,2})",
        "%VAGUE%": tx.alternation(tx.words("cues", "vague"), fold=fold),
    }
    for token, rx in tokens.items():
        pattern = pattern.replace(token, rx)
    return pattern


def _lower_form(row: dict[str, str]) -> re.Pattern[str] | None:
    """A case-blind rule as a lower-case pattern matched with case, when none of its own letters is
    upper-case (escapes aside: ``\\S``, ``\\b``); else None."""
    own = re.sub(r"\\.|\(\?P[<=]|%[A-Z]+%", "", row["pattern"])  # (escapes, named groups, word tokens aside)
    if row.get("case") == "exact" or any(c.isupper() for c in own):
        return None
    return re.compile(_expand(row["pattern"], False, lower=True))


@cache
def rules() -> tuple[tuple[Rule, ...], dict[str, tuple[str, ...]]]:
    """The compiled rule rows, and the substrings each ``needs`` list stands for."""
    from .tables import load

    data = load("date_rules.toml")
    compiled = tuple(
        Rule(
            row["name"],
            re.compile(_expand(row["pattern"], row.get("case") != "exact"), 0 if row.get("case") == "exact" else re.I),
            (row["needs"],) if isinstance(row["needs"], str) else tuple(row["needs"]),
            RESOLVERS[row["resolve"]],
            row["relative"],
            FILTERS[row["filter"]] if "filter" in row else None,
            _lower_form(row),
        )
        for row in data["rule"]
    )
    return compiled, {k: tuple(v) for k, v in data["needs"].items()}


Candidate = tuple[int, int, "Rule | None", "re.Match[str] | None"]


@dataclass(frozen=True, slots=True)
class _NeedWords:
    """The words of the rules' needs, as ``_present`` looks for them."""

    top: tuple[str, ...]  # the plain words that hold no shorter one
    holders: dict[str, tuple[str, ...]]  # a plain word -> the plain words that hold it
    wants: dict[str, frozenset[str]]  # a word found -> the needs it meets
    whole: re.Pattern[str] | None  # where a whole word stands, the longest one (group 1)
    gate: tuple[str, ...]  # the first three letters of the whole words
    # the plain words that hold a space ("that year"): looked for in the whole sentence; every other
    # word stands inside one of its words (see ``_present``). None when a whole word holds a space
    # too: then the sentence is scanned as one.
    across: tuple[str, ...] | None


@cache
def _need_words(needs: tuple[tuple[str, tuple[str, ...]], ...]) -> _NeedWords:
    """The words the rules need. At each place of a sentence, the longest word there meets every need
    of the words it begins with ("weekday" is "week…"); a plain word stands wherever it is in the
    sentence, so the needs met are those of every plain word the sentence holds, looked for with
    ``in`` (a word that holds a shorter one only when that one is there: "yesterday" when "day" is).
    A word ending in "$" must not be followed by a letter ("mar" is not "maritime"): those are found
    by one scan, run only when one of their first three letters is there. ``_present_plain`` in the
    tests is the one-pass scan this stands for."""
    by_word: dict[str, set[str]] = {}
    for need, words in needs:
        for w in words:
            by_word.setdefault(w, set()).add(need)

    def bare(w: str) -> str:
        return w.removesuffix("$")

    def holds(w: str, v: str) -> bool:  # where bare word w stands, so does word v
        b = bare(v)
        return w.startswith(b) and (not v.endswith("$") or len(w) == len(b) or not w[len(b)].isalpha())

    plain = [w for w in by_word if not w.endswith("$")]
    whole = [bare(w) for w in by_word if w.endswith("$")]
    wants = {bare(w): frozenset(n for v, ns in by_word.items() if holds(bare(w), v) for n in ns) for w in by_word}
    inner = {w: max((u for u in plain if u != w and u in w), key=len, default=None) for w in plain}
    holders: dict[str, list[str]] = {}
    for w, u in inner.items():
        if u is not None:
            holders.setdefault(u, []).append(w)
    scan = re.compile(f"(?=({tx.alternation(whole, space=' ')}(?![a-z])))") if whole else None
    across = tuple(w for w in plain if w.split() != [w])
    return _NeedWords(tuple(w for w in plain if inner[w] is None), {k: tuple(v) for k, v in holders.items()},
                      wants, scan, tuple({w[:3] for w in whole}),
                      across if all(w.split() == [w] for w in whole) else None)


# A word of the needs without a space stands inside one word of a sentence (its characters between
# spaces), and a whole word ("mar$") is followed by a letter in the sentence only where it is in that word.
_WORD_NEEDS: dict[str, frozenset[str]] = {}  # a sentence's word -> the needs it meets (words recur)
_WORD_NEEDS_MOST = 100_000  # words kept at most (a few MB: only words of up to _WORD_KEPT_LEN characters)
_WORD_KEPT_LEN = 40  # (a longer run without a space, a URL or a code, is scanned each time)


def _present(lower: str) -> set[str]:
    """The needs a lower-cased sentence meets: what the rules ask of it before they are run. They are
    those its words meet, each word's scanned once in a process (``_present_in``), and those of the
    few need words that hold a space."""
    nw = _need_words(_needs())
    if nw.across is None:
        return _present_in(lower, nw)
    memo = _WORD_NEEDS
    words = lower.split()
    met = list(map(memo.get, words))
    if None in met:
        if len(memo) >= _WORD_NEEDS_MOST:
            memo.clear()
        for i, word in enumerate(words):
            if met[i] is None:
                met[i] = found = frozenset(_present_in(word, nw))
                if len(word) <= _WORD_KEPT_LEN:
                    memo[word] = found
    present: set[str] = set().union(*cast("list[frozenset[str]]", met))  # (every None filled in)
    for w in nw.across:
        if w in lower:
            present |= nw.wants[w]
    return present


def _present_in(lower: str, nw: _NeedWords) -> set[str]:
    """The needs a lower-cased text meets, scanned: every plain word in it, the longest whole word at
    each place."""
    found = list(filter(lower.__contains__, nw.top))
    k = 0
    while k < len(found):  # (for each word found, the words that hold it)
        more = nw.holders.get(found[k])
        if more:
            found += filter(lower.__contains__, more)
        k += 1
    present: set[str] = set().union(*map(nw.wants.__getitem__, found))
    if nw.whole is not None and any(map(lower.__contains__, nw.gate)):
        for m in nw.whole.finditer(lower):
            present |= nw.wants[m[1]]
    return present


def _candidates(sentence: str, literals: dict[int, Literal]) -> list[Candidate]:
    low = tx.lowered(sentence)
    # The rules whose needs the sentence holds; every rule when it holds a letter that re.I folds
    # otherwise than lower() (dotless i, long s: ``lowered`` says None), as substrings cannot tell
    found: list[Candidate] = [(lit.begin, lit.finish, None, None) for lit in literals.values()]
    for rule in rules()[0] if low is None else _rules_for(frozenset(_present(low))):
        for hit in rule.finditer(sentence, low):
            if rule.accept is None or rule.accept(hit, sentence):
                found.append((hit.start(), hit.end(), rule, hit))
    return found


@cache
def _needs() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(rules()[1].items())


@cache
def _rules_for(present: frozenset[str]) -> tuple[Rule, ...]:
    """The rules whose needs a sentence holds, in table order (a handful of sets recur)."""
    return tuple(rule for rule in rules()[0] if present.issuperset(rule.needs))


def tag(sentence: str, ctx: Context) -> list[TimeValue]:
    """The time expressions of a sentence, left to right, each resolved against ``ctx`` or left open.

    Longer matches win over the shorter ones they contain ("in July last year" over "July").
    A year inside a name is not an expression at all.
    """
    literals = {lit.begin: lit for lit in find_literals(sentence)}
    candidates = _candidates(sentence, literals)
    chosen: list[Candidate] = []
    for cand in sorted(candidates, key=lambda c: -(c[1] - c[0])):
        if all(cand[1] <= b or cand[0] >= e for b, e, _, _ in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: c[0])
    out: list[TimeValue] = []
    previous, year = ctx.previous, ctx.year
    for b, e, rule, m in chosen:
        res: Resolved | str
        if rule is None or m is None:
            d = literals[b].date
            res, relative = ("day", d, d), False
        else:
            res, relative = _resolve(rule, m, sentence, Context(ctx.dct, previous, year)), rule.is_relative(m)
        if isinstance(res, tuple):
            prec, start, end = res
            out.append(TimeValue(sentence[b:e], b, e, Precision(prec), start, end, relative))
            if prec == "day":
                previous = start
            if start.year == end.year:
                year = start.year
        else:
            out.append(TimeValue(sentence[b:e], b, e, None, None, None, relative))
    return out


def _resolve(rule: Rule, m: re.Match[str], sentence: str, ctx: Context) -> Resolved | str:
    """A rule's meaning, or None when the calendar runs out: "the next day" after 9999-12-31 or "last
    week" in year 1 cannot be resolved, and an unresolvable date stays unresolved."""
    try:
        return rule.resolve(m, sentence, ctx)
    except (ValueError, OverflowError):
        return None

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
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from . import text as tx
from .models import TimeValue, month_end


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
    m = tx.month_re()
    dmy = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({m})[,-]?\s*(\d{{4}})(?!\d)", re.I)
    mdy = re.compile(rf"\b({m})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I)
    return dmy, mdy


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    """The date, or None when the numbers make no calendar day."""
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def find_literals(text: str) -> list[Literal]:
    """Full calendar dates in ``text`` (ISO, day-first numeric, ``21 January, 2021``, ``Jun 29, 2024``).

    Numeric ``DD-MM-YYYY`` is read day-first: the outlets that print it are day-first. When
    both readings are valid the month-first one is kept as ``alternative`` for cross-checks.
    """
    found: list[Literal] = []
    if not _DIGIT.search(text):
        return found  # every literal has a year: no digit, no date (and no regex work)
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
    return found


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


Resolved = tuple[str, dt.date, dt.date] | None
VAGUE = "vague"
Resolver = Callable[[re.Match[str], str, Context], "Resolved | str"]


def _week(d: dt.date) -> tuple[dt.date, dt.date]:
    start = d - dt.timedelta(days=d.weekday())
    return start, start + dt.timedelta(days=6)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), month_end(year, month)


@cache
def _future() -> re.Pattern[str]:
    cues = tx.words("cues", "future")
    plain = [c for c in cues if not c.startswith("'")]
    glued = [c for c in cues if c.startswith("'")]
    rx = tx.alternation(plain, word=True)
    if glued:
        rx += "|" + tx.alternation(glued) + r"\b"
    return re.compile(rx, re.I)


def speaks_of_future(sentence: str, begin: int, finish: int) -> bool:
    """Whether the clause around an expression speaks of the future."""
    window = sentence[max(0, begin - 90) : finish + 30]
    return bool(_future().search(window))


def _year_for(month: int, day: int, ctx: Context, future: bool) -> int | None:
    """The year of a month (and day) printed without one: the DCT's, moved back a year for a past
    sentence whose date would lie after the DCT, forward for a future one that would lie before it."""
    if ctx.dct is None:
        return None
    y = ctx.dct.year
    if not future and (month, day) > (ctx.dct.month, ctx.dct.day):
        return y - 1
    if future and (month, day) < (ctx.dct.month, ctx.dct.day) and month < ctx.dct.month:
        return y + 1
    return y


def _weekday_date(name: str, ctx: Context, future: bool, modifier: str | None = None) -> dt.date | None:
    """A weekday: the most recent on or before the DCT, or the next on or after it for the future;
    "last"/"next" move a week further."""
    if ctx.dct is None:
        return None
    target = tx.weekdays()[name.lower()]
    mod = (modifier or "").lower()
    if mod == "next" or (future and mod != "last"):
        delta = (target - ctx.dct.weekday()) % 7
        if mod == "next" and delta == 0:
            delta = 7
        return ctx.dct + dt.timedelta(days=delta)
    delta = (ctx.dct.weekday() - target) % 7
    if mod == "last" and delta == 0:
        delta = 7
    return ctx.dct - dt.timedelta(days=delta)


def _shift(unit: str, n: int, base: dt.date) -> Resolved:
    """The day, week, month or year ``n`` units away from ``base``."""
    if unit == "day":
        d = base + dt.timedelta(days=n)
        return "day", d, d
    if unit == "week":
        return ("week", *_week(base + dt.timedelta(weeks=n)))
    if unit == "month":
        return ("month", *_month_span(*_add_months(base.year, base.month, n)))
    y = base.year + n
    return "year", dt.date(y, 1, 1), dt.date(y, 12, 31)


def _num(word: str) -> int:
    w = word.lower()
    return int(w) if w.isdigit() else tx.numbers()[w]


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _inside_quote(sentence: str, pos: int) -> bool:
    before = sentence[:pos]
    if before.count("“") > before.count("”"):
        return True
    return before.count('"') % 2 == 1


_WHICH = {"last": -1, "previous": -1, "past": -1, "this": 0, "current": 0, "next": 1, "coming": 1}

# -- resolvers: (match, sentence, context) -> (precision, start, end), "vague", or None --------------


def _r_day_range(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    mon, d1, d2 = tx.month_number(m["m"]), _day(m["d1"]), _day(m["d2"])
    y = int(m["y"]) if m["y"] else _year_for(mon, d1, ctx, speaks_of_future(sentence, m.start(), m.end()))
    if y is None:
        return None
    a, b = safe_date(y, mon, d1), safe_date(y, mon, d2)
    return ("day", a, b) if a and b and a <= b else None


def _r_nth_week(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    mon = tx.month_number(m["m"])
    if m["y"]:
        y: int | None = int(m["y"])
    elif m["which"]:
        y = ctx.dct.year + _WHICH[m["which"].lower()] if ctx.dct else None
    else:
        y = _year_for(mon, 1, ctx, speaks_of_future(sentence, m.start(), m.end()))
    if y is None:
        return None
    first, last = _month_span(y, mon)
    nth = m["nth"].lower()
    if nth in ("last", "final"):
        return "week", last - dt.timedelta(days=6), last
    start = first + dt.timedelta(days=7 * ("first", "second", "third", "fourth").index(nth))
    return "week", start, start + dt.timedelta(days=6)


def _r_month_rel_year(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    if ctx.dct is None:
        return None
    return ("month", *_month_span(ctx.dct.year + _WHICH[m["which"].lower()], tx.month_number(m["m"])))


def _r_month_year(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    return ("month", *_month_span(int(m["y"]), tx.month_number(m["m"])))


def _r_month_day(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    mon, day = tx.month_number(m["m"]), _day(m["d"])
    y = _year_for(mon, day, ctx, speaks_of_future(sentence, m.start(), m.end()))
    d = safe_date(y, mon, day) if y else None
    return ("day", d, d) if d else None


def _r_month_only(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    if ctx.dct is None:
        return None
    mon, lead, y = tx.month_number(m["m"]), m["lead"].lower(), ctx.dct.year
    # "last March" is the latest March before this month; "next March" the first after it
    if lead == "last" and mon >= ctx.dct.month:
        y -= 1
    elif lead == "next" and mon <= ctx.dct.month:
        y += 1
    elif lead not in ("last", "next", "this"):
        y = _year_for(mon, 1, ctx, speaks_of_future(sentence, m.start(), m.end())) or y
    return ("month", *_month_span(y, mon))


def _r_weekday_range(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    a = _weekday_date(m["w1"], ctx, speaks_of_future(sentence, m.start(), m.end()))
    if a is None:
        return None
    return "day", a, a + dt.timedelta(days=(tx.weekdays()[m["w2"].lower()] - a.weekday()) % 7)


def _r_weekday(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    mod = m["mod"] if m["mod"] in ("last", "next", "coming") else None
    d = _weekday_date(m["w"], ctx, speaks_of_future(sentence, m.start(), m.end()), mod)
    return ("day", d, d) if d else None


def _r_side_this(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    if ctx.dct is None:
        return None
    res = _shift(m["u"].lower(), 0, ctx.dct)
    assert res is not None
    prec, start, end = res
    if m["side"].lower() == "earlier":
        return prec, start, min(end, ctx.dct)
    return prec, max(start, ctx.dct), end


def _r_relative_period(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    return _shift(m["u"].lower(), _WHICH[m["which"].lower()], ctx.dct) if ctx.dct else None


def _r_ago(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    return _shift(m["u"].lower(), -_num(m["n"]), ctx.dct) if ctx.dct else None


def _r_anaphoric(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    if ctx.previous is None:
        return None
    sign = -1 if (m["dir"] or m["dirb"]).lower() in ("earlier", "before") else 1
    return _shift(m["u"].lower(), sign * _num(m["n"]), ctx.previous)


def _r_anaphoric_the(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    if ctx.previous is None:
        return None
    sign = -1 if (m["dir1"] or m["dir2"]).lower() in ("before", "previous") else 1
    return _shift((m["u1"] or m["u2"]).lower(), sign, ctx.previous)


def _r_deictic(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    if ctx.dct is None or _inside_quote(sentence, m.start()):
        return None  # "today" in a quotation is the speaker's day, which the article may not give
    d = ctx.dct + dt.timedelta(days={"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[m["w"].lower()])
    return "day", d, d


def _r_year(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    y = int(m["y"])
    return "year", dt.date(y, 1, 1), dt.date(y, 12, 31)


def _r_decade(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    y = int(m["dec"])
    return "year", dt.date(y, 1, 1), dt.date(y + 9, 12, 31)


def _r_vague(m: re.Match[str], sentence: str, ctx: Context) -> str:
    return VAGUE


RESOLVERS: dict[str, Resolver] = {
    "day_range": _r_day_range, "nth_week": _r_nth_week, "month_rel_year": _r_month_rel_year,
    "month_year": _r_month_year, "month_day": _r_month_day, "month_only": _r_month_only,
    "weekday_range": _r_weekday_range, "weekday": _r_weekday, "side_this": _r_side_this,
    "relative_period": _r_relative_period, "ago": _r_ago, "anaphoric": _r_anaphoric,
    "anaphoric_the": _r_anaphoric_the, "deictic": _r_deictic, "year": _r_year, "decade": _r_decade,
    "vague": _r_vague,
}

# -- filters: reject a match that is not a time expression ------------------------------------------


def _not_in_a_name(m: re.Match[str], sentence: str) -> bool:
    """A year glued to a name ("Inspired Union-2024", "Election 2020", "Vision 2030") dates the name."""
    before = sentence[: m.start()]
    if before.endswith("-") and before[-2:-1].isalpha():
        return False
    prev = re.search(r"([A-Za-z][\w'’]*)\s+$", before)
    if not prev:
        return True
    word = prev.group(1)
    if word.lower() in _year_leads() or word.lower().rstrip(".") in tx.months():
        return True
    is_first = before[: prev.start()].strip() == ""
    return not (word[:1].isupper() and not is_first)


def _not_the_verb_may(m: re.Match[str], sentence: str) -> bool:
    """"before may" is the verb, "in May" the month."""
    return m["m"].lower() != "may" or m["lead"].lower() in _may_leads()


FILTERS: dict[str, Callable[[re.Match[str], str], bool]] = {
    "not_in_a_name": _not_in_a_name, "not_the_verb_may": _not_the_verb_may,
}


@cache
def _year_leads() -> frozenset[str]:
    return frozenset(tx.words("cues", "year_leads"))


@cache
def _may_leads() -> frozenset[str]:
    return frozenset(tx.words("cues", "may_leads"))


# -- the rule table ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of ``data/date_rules.toml``, compiled."""

    name: str
    pattern: re.Pattern[str]
    needs: str
    resolve: Resolver
    relative: bool | str  # True, False, or "unless-year"
    accept: Callable[[re.Match[str], str], bool] | None

    def is_relative(self, m: re.Match[str]) -> bool:
        if self.relative == "unless-year":
            return not m["y"]
        return bool(self.relative)


def _expand(pattern: str) -> str:
    tokens = {
        "%MONTH%": tx.month_re(), "%WEEKDAY%": tx.weekday_re(), "%YEAR%": r"(?:19|20)\d{2}",
        "%DAY%": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?", "%UNIT%": r"(?:day|week|month|year)",
        "%NUM%": "(?:" + "|".join(sorted(tx.numbers(), key=len, reverse=True)) + r"|\d{1,2})",
        "%VAGUE%": tx.alternation(tx.words("cues", "vague")),
    }
    for token, rx in tokens.items():
        pattern = pattern.replace(token, rx)
    return pattern


@cache
def rules() -> tuple[tuple[Rule, ...], dict[str, tuple[str, ...]]]:
    """The compiled rule rows, and the substrings each ``needs`` list stands for."""
    from .tables import load

    data = load("date_rules.toml")
    compiled = tuple(
        Rule(
            row["name"],
            re.compile(_expand(row["pattern"]), 0 if row.get("case") == "exact" else re.I),
            row["needs"],
            RESOLVERS[row["resolve"]],
            row["relative"],
            FILTERS[row["filter"]] if "filter" in row else None,
        )
        for row in data["rule"]
    )
    return compiled, {k: tuple(v) for k, v in data["needs"].items()}


Candidate = tuple[int, int, "Rule | None", "re.Match[str] | None"]


def _candidates(sentence: str, literals: dict[int, Literal]) -> list[Candidate]:
    table, needs = rules()
    low = sentence.lower()
    present = {need for need, words in needs.items() if any(w in low for w in words)}
    found: list[Candidate] = [(lit.begin, lit.finish, None, None) for lit in literals.values()]
    for rule in table:
        if rule.needs not in present:
            continue
        for hit in rule.pattern.finditer(sentence):
            if rule.accept is None or rule.accept(hit, sentence):
                found.append((hit.start(), hit.end(), rule, hit))
    return found


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
    previous = ctx.previous
    for b, e, rule, m in chosen:
        res: Resolved | str
        if rule is None or m is None:
            d = literals[b].date
            res, relative = ("day", d, d), False
        else:
            res, relative = rule.resolve(m, sentence, Context(ctx.dct, previous)), rule.is_relative(m)
        if isinstance(res, tuple):
            prec, start, end = res
            out.append(TimeValue(sentence[b:e], b, e, prec, start, end, relative))
            if prec == "day":
                previous = start
        else:
            out.append(TimeValue(sentence[b:e], b, e, None, None, None, relative))
    return out

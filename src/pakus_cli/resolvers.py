"""The resolvers of the date rules: what a matched time expression means on the calendar.

Each rule row of ``data/date_rules.toml`` names one resolver here (``RESOLVERS``) and perhaps a
filter (``FILTERS``) that rejects a match which is no time expression. A resolver takes the match,
its sentence and the ``Context`` (the article's reference day, the date last mentioned) and returns
``(precision, start, end)``, ``"vague"``, or None when the expression cannot be fixed: pakus never
guesses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from . import text as tx
from .models import month_end

if TYPE_CHECKING:
    from .dates import Context

Resolved = tuple[str, dt.date, dt.date] | None
VAGUE = "vague"
Resolver = Callable[[re.Match[str], str, "Context"], "Resolved | str"]


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    """The date, or None when the numbers make no calendar day."""
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


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


@cache
def _told_on() -> re.Pattern[str]:
    verbs = tx.alternation(tx.words("cues", "reported_past"), word=True)
    return re.compile(verbs + r"\s+(?:on\s+|last\s+|earlier\s+)?$", re.I)


def speaks_of_future(sentence: str, begin: int, finish: int) -> bool:
    """Whether the clause around an expression speaks of the future. A day a past reporting verb
    governs ("said on Saturday it planned to ...") is past, whatever the reported words say."""
    if _told_on().search(sentence[max(0, begin - 30):begin]):
        return False
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


def _r_day_span(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    """Two full dates joined as a span; the second falls in the next year when its month comes first."""
    m1, m2 = tx.month_number(m["m"] or m["mb"]), tx.month_number(m["m2"] or m["m2b"])
    d1, d2 = _day(m["d1"] or m["d1b"]), _day(m["d2"] or m["d2b"])
    y = int(m["y"]) if m["y"] else _year_for(m1, d1, ctx, speaks_of_future(sentence, m.start(), m.end()))
    if y is None:
        return None
    a, b = safe_date(y, m1, d1), safe_date(y + (m2 < m1), m2, d2)
    return ("day", a, b) if a and b and a <= b and (b - a).days <= 366 else None


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


def _r_that_year(m: re.Match[str], sentence: str, ctx: Context) -> Resolved:
    """"in November of that year", "later that year": the year of the date mentioned before."""
    if ctx.year is None:
        return None
    if m["m"]:
        return ("month", *_month_span(ctx.year, tx.month_number(m["m"])))
    return ("year", dt.date(ctx.year, 1, 1), dt.date(ctx.year, 12, 31))


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
    "day_range": _r_day_range, "day_span": _r_day_span, "nth_week": _r_nth_week, "month_rel_year": _r_month_rel_year,
    "month_year": _r_month_year, "that_year": _r_that_year, "month_day": _r_month_day, "month_only": _r_month_only,
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



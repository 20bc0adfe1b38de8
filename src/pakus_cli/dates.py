"""Dates: literal calendar dates in metadata lines, and time expressions in sentences.

The literal half (``find_literals``) reads the dates a page prints in its header, byline
or dateline. The tagger half (``tag``) finds and normalises the time expressions of a
sentence against the article's date, HeidelTime-style; see ``tag`` for the forms.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}


def month_number(word: str) -> int:
    """Month number of a month name or abbreviation (``Sept.`` -> 9)."""
    return MONTHS[word.lower().rstrip(".")]


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
_DMY = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE}),?\s+(\d{{4}})(?!\d)", re.I)
_MDY = re.compile(rf"\b({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I)


def _safe(y: int, m: int, d: int) -> dt.date | None:
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
        d = _safe(int(m[1]), int(m[2]), int(m[3]))
        add(Literal(d, m.start(), m.end()) if d else None)
    for m in _NUMERIC.finditer(text):
        a, b, y = int(m[1]), int(m[3]), int(m[4])
        first = _safe(y, b, a)
        alt = _safe(y, a, b) if a != b else None
        if first is None and alt is not None:
            first, alt = alt, None
        add(Literal(first, m.start(), m.end(), alt) if first else None)
    low = text.lower()
    if any(name in low for name in _MONTH_STEMS):  # the named-month forms need a month's name
        for m in _DMY.finditer(text):
            d = _safe(int(m[3]), month_number(m[2]), int(m[1]))
            add(Literal(d, m.start(), m.end()) if d else None)
        for m in _MDY.finditer(text):
            d = _safe(int(m[3]), month_number(m[1]), int(m[2]))
            add(Literal(d, m.start(), m.end()) if d else None)
    found.sort(key=lambda lit: lit.begin)
    return found


# == time expressions in sentences ===========================================================
#
# ``tag(sentence, ctx)`` finds the time expressions of one sentence and resolves them against
# the article's date (the document creation time, DCT), HeidelTime-style. Every match is a
# TimeValue; one that cannot be resolved (vague words, a relative expression with no DCT)
# keeps start/end None: pakus never guesses.

from .models import TimeValue  # noqa: E402  (the literal half above needs no models)
from .queries import month_end  # noqa: E402

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}
_NUM = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|\d{1,2})"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:19|20)\d{2}"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_M = MONTH_RE
_UNIT = r"(?:day|week|month|year)"

# Words that, close before a date, say the sentence speaks of what is still to come.
_FUTURE = re.compile(
    r"\b(?:will|shall|won't|is due|are due|is set to|are set to|scheduled|is expected to|are expected to|"
    r"plans? to|planning to|planned|upcoming|is going to|are going to|to be held|would be held|"
    r"would take place|would visit|intends? to|is to|are to)\b|'ll\b",
    re.I,
)
# Words before a capitalised year that make it a date, not part of a name ("Election 2020").
_YEAR_LEADS = {
    "in", "since", "by", "until", "till", "of", "the", "from", "during", "after", "before", "early",
    "late", "mid", "summer", "winter", "spring", "autumn", "fall", "end", "and", "or", "to", "through",
    "year", "between", "around", "circa", "on",
}


@dataclass(frozen=True, slots=True)
class Context:
    """What relative expressions are resolved against."""

    dct: dt.date | None  # the article's own date; None for an undated article
    previous: dt.date | None = None  # the last day-precise date mentioned before ("a day earlier")


def _week(d: dt.date) -> tuple[dt.date, dt.date]:
    start = d - dt.timedelta(days=d.weekday())
    return start, start + dt.timedelta(days=6)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), month_end(year, month)


def speaks_of_future(sentence: str, begin: int, finish: int) -> bool:
    """Whether the clause around an expression speaks of the future."""
    window = sentence[max(0, begin - 90) : finish + 30]
    return bool(_FUTURE.search(window))


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
    target = WEEKDAYS[name.lower()]
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


Resolved = tuple[str, dt.date, dt.date] | None


def _relative_period(unit: str, which: str, dct: dt.date) -> Resolved:
    which = which.lower()
    shift = {"last": -1, "previous": -1, "past": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[which]
    if unit == "week":
        start, end = _week(dct + dt.timedelta(weeks=shift))
        return "week", start, end
    if unit == "month":
        y, m = _add_months(dct.year, dct.month, shift)
        return ("month", *_month_span(y, m))
    y = dct.year + shift
    return "year", dt.date(y, 1, 1), dt.date(y, 12, 31)


def _ago(n: int, unit: str, dct: dt.date, direction: int = -1) -> Resolved:
    if unit == "day":
        d = dct + dt.timedelta(days=direction * n)
        return "day", d, d
    if unit == "week":
        start, end = _week(dct + dt.timedelta(weeks=direction * n))
        return "week", start, end
    if unit == "month":
        y, m = _add_months(dct.year, dct.month, direction * n)
        return ("month", *_month_span(y, m))
    y = dct.year + direction * n
    return "year", dt.date(y, 1, 1), dt.date(y, 12, 31)


def _num(word: str) -> int:
    w = word.lower()
    return int(w) if w.isdigit() else _NUMBER_WORDS[w]


# Each rule: a pattern and a resolver taking (match, sentence, ctx) -> Resolved, or the string
# "vague" for expressions that name a time without fixing it.
_Rule = tuple[re.Pattern[str], str]

_RULES: list[_Rule] = [
    # "June 22-24, 2024", "22-24 June"
    (re.compile(rf"\b(?P<m>{_M})\s+(?P<d1>{_DAY})\s*(?:-|–|to|and)\s*(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?\b", re.I),
     "month_day_range"),
    (re.compile(rf"\b(?P<d1>{_DAY})\s*(?:-|–|to|and)\s*(?P<d2>{_DAY})\s+(?P<m>{_M})(?:,?\s+(?P<y>{_YEAR}))?\b", re.I),
     "month_day_range"),
    # "the last week of February"
    (re.compile(rf"\bthe\s+(?P<nth>first|second|third|fourth|last|final)\s+week\s+of\s+(?P<m>{_M})(?:,?\s+(?P<y>{_YEAR}))?",
                re.I), "nth_week"),
    # "in July last year"
    (re.compile(rf"\b(?:in\s+|during\s+|since\s+|by\s+)?(?P<m>{_M})\s+(?P<which>last|this|next)\s+year\b", re.I),
     "month_rel_year"),
    # "January 2021", "early March 2022"
    (re.compile(rf"\b(?:(?P<part>early|mid|late|end of|the end of|the beginning of)[\s-]+)?"
                rf"(?P<m>{_M}),?\s+(?P<y>{_YEAR})\b", re.I), "month_year"),
    # "June 22", "22 June", "on June 26"
    (re.compile(rf"\b(?P<m>{_M})\s+(?P<d>{_DAY})\b(?!\s*(?:-|–)\s*\d)(?![,\s]+{_YEAR})", re.I), "month_day"),
    (re.compile(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_M})\b(?![,\s]+{_YEAR})", re.I), "month_day"),
    # "in July", "last March", "since January"
    (re.compile(rf"\b(?P<lead>in|during|since|by|until|till|before|after|from|last|next|this|early|mid|late|"
                rf"mid-|end of|the end of)\s*(?P<m>{_M})\b(?!\s+\d)", re.I), "month_only"),
    # "from Monday to Thursday"
    (re.compile(rf"\b(?:from\s+)?(?P<w1>{_WD})\s+(?:to|through|till|until|-|–)\s+(?P<w2>{_WD})\b"), "weekday_range"),
    (re.compile(rf"\b(?:(?P<mod>last|next|this|on|by|since|until|coming)\s+)?(?P<w>{_WD})\b"), "weekday"),
    # "earlier this week", "later this month"
    (re.compile(r"\b(?P<side>earlier|later)\s+this\s+(?P<u>week|month|year)\b", re.I), "side_this"),
    # "last week", "the coming week", "this month", "next year"
    (re.compile(r"\b(?:the\s+)?(?P<which>last|this|next|coming|previous|past|current)\s+(?P<u>week|month|year)\b",
                re.I), "relative_period"),
    # "two years ago"
    (re.compile(rf"\b(?P<n>{_NUM})\s+(?P<u>{_UNIT})s?\s+ago\b", re.I), "ago"),
    # "a day earlier", "two days later", "the day before", "the next day"
    # (only where nothing follows that would be the anchor instead: "the week after I'm back")
    (re.compile(rf"\b(?P<n>{_NUM})\s+(?P<u>day|week|month|year)s?\s+(?:(?P<dir>earlier|later)\b|"
                rf"(?P<dirb>before|after)(?=\s*(?:[,.;:)\]\"”’]|$|and\b|but\b|when\b)))", re.I), "anaphoric"),
    (re.compile(r"\bthe\s+(?:(?P<dir1>next|following|previous)\s+(?P<u1>day|week)|(?P<u2>day|week)\s+(?P<dir2>before|after))"
                r"(?=\s*(?:[,.;:)\]\"”’]|$|and\b|but\b|when\b))", re.I), "anaphoric_the"),
    (re.compile(r"\b(?P<w>yesterday|today|tomorrow|tonight)\b", re.I), "deictic"),
    # "early 2021", "mid-2019"
    (re.compile(rf"\b(?P<part>early|mid|late)[\s-](?P<y>{_YEAR})\b(?!-)", re.I), "part_year"),
    # "the 1990s"
    (re.compile(r"\b(?:the\s+)?(?P<dec>(?:19|20)\d0)s\b"), "decade"),
    # "2014", "the 1979 invasion" (but not "Union-2024", "Election 2020", "$2014", "2014%")
    (re.compile(rf"(?<![\w$£€,.\-/])(?P<y>{_YEAR})(?![%\w]|[,.\-/]\d|-\w)"), "year"),
    (re.compile(
        r"\b(?:recently|soon|lately|over the years|in recent (?:years|months|weeks|days)|in the past|"
        r"in the coming (?:days|weeks|months|years)|in the near future|currently|nowadays|at present|"
        r"previously|shortly|some time ago|in the (?:days|weeks|months|years) ahead)\b",
        re.I,
    ), "vague"),
]


def _resolve(kind: str, m: re.Match[str], sentence: str, ctx: Context) -> Resolved | str:
    """What one matched expression means, against the context; None when it cannot be fixed."""
    dct = ctx.dct
    fut = speaks_of_future(sentence, m.start(), m.end())
    g = m.groupdict()
    if kind == "vague":
        return "vague"
    if kind == "month_day_range":
        mon = month_number(g["m"])
        d1, d2 = int(re.sub(r"\D", "", g["d1"])), int(re.sub(r"\D", "", g["d2"]))
        y = int(g["y"]) if g["y"] else _year_for(mon, d1, ctx, fut)
        if y is None:
            return None
        a, b = _safe(y, mon, d1), _safe(y, mon, d2)
        return ("day", a, b) if a and b and a <= b else None
    if kind == "nth_week":
        mon = month_number(g["m"])
        y = int(g["y"]) if g["y"] else _year_for(mon, 1, ctx, fut)
        if y is None:
            return None
        first, last = _month_span(y, mon)
        nth = g["nth"].lower()
        if nth in ("last", "final"):
            return "week", last - dt.timedelta(days=6), last
        k = {"first": 0, "second": 1, "third": 2, "fourth": 3}[nth]
        start = first + dt.timedelta(days=7 * k)
        return "week", start, start + dt.timedelta(days=6)
    if kind == "month_rel_year":
        if dct is None:
            return None
        y = dct.year + {"last": -1, "this": 0, "next": 1}[g["which"].lower()]
        return ("month", *_month_span(y, month_number(g["m"])))
    if kind == "month_year":
        return ("month", *_month_span(int(g["y"]), month_number(g["m"])))
    if kind == "month_day":
        mon, day = month_number(g["m"]), int(re.sub(r"\D", "", g["d"]))
        y = _year_for(mon, day, ctx, fut)
        d = _safe(y, mon, day) if y else None
        return ("day", d, d) if d else None
    if kind == "month_only":
        mon = month_number(g["m"])
        lead = g["lead"].lower()
        if dct is None:
            return None
        if lead in ("last", "next", "this"):
            # "last March" is the latest March before this month; "next March" the first after it
            y = dct.year
            if lead == "last" and mon >= dct.month:
                y -= 1
            elif lead == "next" and mon <= dct.month:
                y += 1
        else:
            y = _year_for(mon, 1, ctx, fut) or dct.year
        return ("month", *_month_span(y, mon))
    if kind == "weekday_range":
        a = _weekday_date(g["w1"], ctx, fut)
        if a is None:
            return None
        target = WEEKDAYS[g["w2"].lower()]
        b = a + dt.timedelta(days=(target - a.weekday()) % 7)
        return "day", a, b
    if kind == "weekday":
        d = _weekday_date(g["w"], ctx, fut, g["mod"] if g["mod"] in ("last", "next", "coming") else None)
        return ("day", d, d) if d else None
    if dct is None:
        return None
    if kind == "side_this":
        res = _relative_period(g["u"].lower(), "this", dct)
        assert res is not None
        prec, start, end = res
        if g["side"].lower() == "earlier":
            return prec, start, min(end, dct)
        return prec, max(start, dct), end
    if kind == "relative_period":
        return _relative_period(g["u"].lower(), g["which"], dct)
    if kind == "ago":
        return _ago(_num(g["n"]), g["u"].lower(), dct)
    if kind == "deictic":
        if _inside_quote(sentence, m.start()):
            return None  # "today" in a quotation is the speaker's day, which the article may not give
        shift = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[g["w"].lower()]
        d = dct + dt.timedelta(days=shift)
        return "day", d, d
    if kind in ("anaphoric", "anaphoric_the"):
        base = ctx.previous
        if base is None:
            return None
        if kind == "anaphoric":
            n, unit, direction = _num(g["n"]), g["u"].lower(), (g["dir"] or g["dirb"]).lower()
        else:
            n = 1
            unit = (g["u1"] or g["u2"]).lower()
            direction = (g["dir1"] or g["dir2"]).lower()
        sign = -1 if direction in ("earlier", "before", "previous") else 1
        return _ago(n, unit, base, sign)
    return None


def _resolve_static(kind: str, m: re.Match[str]) -> Resolved | str:
    """Expressions that need no DCT: years, parts of years, decades."""
    g = m.groupdict()
    if kind == "year":
        y = int(g["y"])
        return "year", dt.date(y, 1, 1), dt.date(y, 12, 31)
    if kind == "part_year":
        y = int(g["y"])
        return "year", dt.date(y, 1, 1), dt.date(y, 12, 31)
    if kind == "decade":
        y = int(g["dec"])
        return "year", dt.date(y, 1, 1), dt.date(y + 9, 12, 31)
    return None


def _inside_quote(sentence: str, pos: int) -> bool:
    before = sentence[:pos]
    if before.count("“") > before.count("”"):
        return True
    return before.count('"') % 2 == 1


# What each rule's match must contain, as plain substrings of the lower-cased sentence: checked
# once per sentence (substring tests are far cheaper than regex alternations), so most rules never run.
_NEEDS: dict[str, tuple[str, ...]] = {
    "month": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    "weekday": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "unit": ("week", "month", "year"),
    "ago": ("ago",),
    "anaphor": ("earlier", "later", "before", "after", "next", "following", "previous"),
    "deictic": ("yesterday", "today", "tomorrow", "tonight"),
    "digit": ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
    "vague": ("recent", "soon", "lately", "years", "past", "coming", "future", "currently", "nowadays", "present",
              "previously", "shortly", "some time", "ahead"),
}
_RULE_NEEDS = {
    "month_day_range": "month", "nth_week": "month", "month_rel_year": "month", "month_year": "month",
    "month_day": "month", "month_only": "month", "weekday_range": "weekday", "weekday": "weekday",
    "side_this": "unit", "relative_period": "unit", "ago": "ago", "anaphoric": "anaphor",
    "anaphoric_the": "anaphor", "deictic": "deictic", "part_year": "digit", "decade": "digit", "year": "digit",
    "vague": "vague",
}
_MAY_LEADS = frozenset({"in", "since", "by", "until", "till", "during", "last", "next", "this"})


def _year_in_name(sentence: str, begin: int) -> bool:
    """A year glued to a name ("Inspired Union-2024", "Election 2020", "Vision 2030") dates the name."""
    before = sentence[:begin]
    if before.endswith("-") and before[-2:-1].isalpha():
        return True
    prev = re.search(r"([A-Za-z][\w'’]*)\s+$", before)
    if not prev:
        return False
    word = prev.group(1)
    if word.lower() in _YEAR_LEADS or word.lower().rstrip(".") in MONTHS:
        return False
    is_first = before[: prev.start()].strip() == ""
    return word[:1].isupper() and not is_first


def tag(sentence: str, ctx: Context) -> list[TimeValue]:
    """The time expressions of a sentence, left to right, each resolved against ``ctx`` or left open.

    Longer matches win over the shorter ones they contain ("in July last year" over "July").
    A year inside a name is not an expression at all.
    """
    low = sentence.lower()
    present = {need for need, words in _NEEDS.items() if any(w in low for w in words)}
    if not present:
        return []  # most sentences name no time at all: skip the rules
    literals = {lit.begin: lit for lit in find_literals(sentence)}
    candidates: list[tuple[int, int, str, re.Match[str] | None]] = [
        (lit.begin, lit.finish, "literal", None) for lit in literals.values()
    ]
    for rx, kind in _RULES:
        if _RULE_NEEDS[kind] not in present:
            continue
        for hit in rx.finditer(sentence):
            if kind == "year" and _year_in_name(sentence, hit.start()):
                continue
            if kind == "month_only" and hit["m"].lower() == "may" and hit["lead"].lower() not in _MAY_LEADS:
                continue  # "may" the verb: "before may" is not May
            candidates.append((hit.start(), hit.end(), kind, hit))
    chosen: list[tuple[int, int, str, re.Match[str] | None]] = []
    for cand in sorted(candidates, key=lambda c: -(c[1] - c[0])):
        if all(cand[1] <= b or cand[0] >= e for b, e, _, _ in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: c[0])
    out: list[TimeValue] = []
    previous = ctx.previous
    for b, e, kind, found in chosen:
        m = found
        text = sentence[b:e]
        res: Resolved | str
        if m is None:
            d = literals[b].date
            res = ("day", d, d)
        elif kind in ("year", "part_year", "decade"):
            res = _resolve_static(kind, m)
        else:
            res = _resolve(kind, m, sentence, Context(ctx.dct, previous))
        relative = kind not in ("literal", "year", "part_year", "decade", "month_year", "month_day_range") or (
            m is not None and kind == "month_day_range" and not m["y"]
        )
        if isinstance(res, tuple):
            prec, start, end = res
            out.append(TimeValue(text, b, e, prec, start, end, relative))
            if prec == "day":
                previous = start
        else:
            out.append(TimeValue(text, b, e, None, None, None, relative))
    return out

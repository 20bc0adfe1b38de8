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
    for m in _DMY.finditer(text):
        d = _safe(int(m[3]), month_number(m[2]), int(m[1]))
        add(Literal(d, m.start(), m.end()) if d else None)
    for m in _MDY.finditer(text):
        d = _safe(int(m[3]), month_number(m[1]), int(m[2]))
        add(Literal(d, m.start(), m.end()) if d else None)
    found.sort(key=lambda lit: lit.begin)
    return found


def period(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day of ``2022``, ``2022-12`` or ``2022-12-23`` (for --since/--until).

    Raises ValueError with a message for people on anything else.
    """
    t = text.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", t)
    if not m:
        raise ValueError(f"{text!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    y = int(m[1])
    try:
        if m[3]:
            d = dt.date(y, int(m[2]), int(m[3]))
            return d, d
        if m[2]:
            return dt.date(y, int(m[2]), 1), month_end(y, int(m[2]))
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date; use YYYY, YYYY-MM or YYYY-MM-DD") from None


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)

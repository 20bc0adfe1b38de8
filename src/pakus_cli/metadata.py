"""An article's metadata, read from the lines placed around its body: the publication date from the
page's own date lines, the wire agency from its credits, the dateline from the lead, the outlet from
the ways a page names itself. Never from a banner, a sidebar, a caption or a related link.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from . import tables
from .dates import Literal, find_literals
from .lines import HEADER_DATE, META_WORD, Kind, Line, is_byline, is_meta, words
from .models import DateSource
from .outlets import PUBLISHED_IN, find_outlet
from .text import DATELINE_END, month_re

# Date lines are looked for this many non-blank lines above the headline (a date printed over it)
# and, without a headline, above the body; and this many below the body (a "Published" footer).
ABOVE_TITLE = 2
ABOVE_BODY = 8
BELOW_BODY = 6

_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w.'’-]*(?:(?: |/|, ?(?=[A-Z]\w+ ?[,:(\[—–-]))[A-Z][\w.'’-]*){0,3})"
    r"(?:\s*\[(?P<country>[^\]]{2,30})\])?"
    r"(?:\s*,\s*(?P<date>[^:()\n]{3,40}?))?"
    r"\s*,?\s*(?:\((?P<agency>[A-Za-z][\w .]{1,20})\)(?:\s*[:—–-]+)?\s+(?=[A-Z\"“‘'])|" + DATELINE_END + ")"
)
# A dateline's date may lack a year ("January 5", "5 Jan"): it is then part of the dateline, not a date.
_MONTH_DAY = re.compile(rf"{month_re()}\s+\d{{1,2}}|\d{{1,2}}\s+{month_re()}", re.I)

@dataclass(frozen=True, slots=True)
class Dateline:
    place: str
    date: dt.date | None
    agency: str | None
    credit: str | None  # what the brackets hold when it is no agency: often the outlet itself
    month_day: tuple[int, int] | None = None  # "Washington, Jun 29 (PTI)": a day without its year
    end: int = 0  # where the story starts after it


@dataclass(frozen=True, slots=True)
class Metadata:
    date: dt.date | None
    date_source: DateSource | None
    agency: str | None
    dateline: str | None
    outlet: str | None


def find_dateline(paragraph: str) -> Dateline | None:
    """The dateline opening a lead paragraph: "WASHINGTON, 21 January, 2021, (TON):", "Islamabad:"."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None
    place = m["place"].strip(" ,").split(",")[0].strip()  # "KARACHI, Pakistan": the city is the dateline
    when = None
    month_day = None
    if m["date"]:
        lits = find_literals(m["date"])
        if lits:
            when = lits[0].date
        elif _MONTH_DAY.fullmatch(m["date"].strip()):
            month_day = _month_day(m["date"])
        else:
            return None
    credit = m["agency"].strip() if m["agency"] else None
    agency = tables.agency_name(credit) if credit else None
    places = tables.places()
    parts = [p.strip() for p in place.split("/")]
    if any(p in places.not_places for p in parts):
        return None
    known = all(p.lower() in places.places for p in parts)
    shouting = place.upper() == place and any(c.isalpha() for c in place)
    if not (known or shouting or when or agency or m["country"]):
        return None
    return Dateline(_place_case(place), when, agency, None if agency else credit, month_day, m.end())


def _month_day(text: str) -> tuple[int, int] | None:
    """(month, day) of "Jun 29", "29 June"."""
    from .text import month_number

    month = re.search(month_re(), text, re.I)
    day = re.search(r"\d{1,2}", text)
    if not month or not day:
        return None
    return month_number(month.group(0)), int(day.group(0))


def reference_day(lead: str | None, published: dt.date | None) -> dt.date | None:
    """The day relative expressions count from: the day the dateline says the story was filed ("Jun 29",
    given its year by the publication date), else the publication date. A dateline day after the
    publication date contradicts it and is not used."""
    from .resolvers import safe_date

    dl = find_dateline(lead) if lead else None
    filed = dl.date if dl else None
    if dl and filed is None and dl.month_day and published:
        month, day = dl.month_day
        filed = safe_date(published.year, month, day)
        if filed and filed > published:
            filed = safe_date(published.year - 1, month, day)
    if filed and (published is None or filed <= published):
        return filed
    return published


def _place_case(place: str) -> str:
    if place.upper() != place:
        return place
    return "/".join(" ".join(w.capitalize() for w in part.split()) for part in place.split("/"))


# -- which lines may state the date -----------------------------------------------------------------


def _nonblank_before(lines: Sequence[Line], at: int, count: int) -> list[int]:
    """The ``count`` non-blank lines above ``at``, and further up the meta block they belong to."""
    out: list[int] = []
    i = at - 1
    while i >= 0 and len(out) < count + 12:
        kind = lines[i].kind
        if kind is not Kind.BLANK:
            if len(out) >= count and kind not in (Kind.META, Kind.SKIP, Kind.HEADER):
                break
            out.append(i)
        i -= 1
    return out


def date_lines(lines: Sequence[Line], title_at: int | None, start: int, end: int) -> list[int]:
    """The lines that may state the publication date: the saving tool's header, the head block between
    the headline and the body (and a line or two over the headline), and a few lines after the body."""
    idx = [i for i, ln in enumerate(lines[:3]) if ln.kind is Kind.HEADER]
    if title_at is not None:
        idx += _nonblank_before(lines, title_at, ABOVE_TITLE) + list(range(title_at + 1, start))
    else:
        idx += _nonblank_before(lines, start, ABOVE_BODY)
    return sorted(set(idx))


def footer_lines(lines: Sequence[Line], end: int) -> list[int]:
    """The lines right after the body, up to the first list of other stories."""
    out: list[int] = []
    for i in range(end, min(len(lines), end + BELOW_BODY * 2)):
        if lines[i].kind is Kind.STOP or len(out) >= BELOW_BODY:
            break
        if lines[i].kind is not Kind.BLANK:
            out.append(i)
    return out


def _date_of(line: Line) -> tuple[int, DateSource, Literal] | None:
    """(rank, source, date) of a date line; lower ranks are surer."""
    text = line.bare
    header = HEADER_DATE.match(text)
    if header:
        lits = find_literals(header.group(1))
        return (0, DateSource.header, lits[0]) if lits else None
    if line.n > 20 or line.kind in (Kind.CAPTION, Kind.PROSE):
        return None
    lits = find_literals(text)
    if not lits:
        return None
    word = META_WORD.search(text)
    if word:
        first = word["word"].lower() in ("created", "published", "first published", "posted", "dated", "release date")
        return (1 if first else 2), DateSource.meta, lits[0]
    if PUBLISHED_IN.match(text):
        return 2, DateSource.footer, lits[0]
    if is_meta(text) or is_byline(text):
        return 3, DateSource.byline, lits[0]
    return None


def choose_date(dated: list[tuple[int, DateSource, Literal]]) -> tuple[dt.date | None, DateSource | None]:
    """The publication date: the best-ranked source, an ambiguous numeric date read the way
    the page's other dates agree with (day-first when nothing says otherwise)."""
    if not dated:
        return None, None
    sure = {lit.date for _, _, lit in dated if lit.alternative is None}
    resolved = []
    for rank, source, lit in dated:
        d = lit.date
        if lit.alternative is not None and d not in sure and lit.alternative in sure:
            d = lit.alternative
        resolved.append((rank, source, d))
    resolved.sort(key=lambda r: r[0])
    return resolved[0][2], resolved[0][1]


# -- agency -----------------------------------------------------------------------------------------

_CREDIT = re.compile(
    r"^(?:source|sources|agency|courtesy|inputs? from|with inputs from|\(with inputs from|credit)\s*[:\-–]?\s*"
    r"(?P<a>[\w .&-]{2,40}?)\)?\.?$",
    re.I,
)
_CLOSING_TAG = re.compile(r"\((?P<a>[A-Za-z]{2,10})\)\s*$")
_CLOSING_DASH = re.compile(r"(?:^|\s|[.!?\"”’])[-–—]{1,2}\s*(?P<a>[A-Z][A-Za-z]{1,9})\s*$")


def credit_agency(bare: str) -> str | None:
    """The agency of a credit line ("Source: PTI", "With inputs from Reuters", "-- IANS"), if it is one."""
    m = _CREDIT.match(bare)
    if m:
        return tables.agency_name(m["a"])
    m = _CLOSING_DASH.match(bare.strip()) if len(bare) <= 14 else None
    return tables.agency_name(m["a"]) if m else None


def closing_agency(paragraph: str) -> str | None:
    """The agency of a wire closing tag ending a paragraph: "... stability. (ANI)", "... — Reuters"."""
    tail = paragraph[-24:]  # a credit is a word or two at the very end: read no further back
    for rx in (_CLOSING_TAG, _CLOSING_DASH):
        m = rx.search(tail)
        if m and tables.agency_name(m["a"]):
            return tables.agency_name(m["a"])
    return None


def byline_agency(text: str) -> str | None:
    """The agency a byline or meta line credits: "PTI | Updated ...", "By Associated Press",
    "Press Trust of India Washington"."""
    text = re.sub(r"^by:?\s+", "", text, flags=re.I)
    hit = tables.agency_prefix(text)
    if hit:
        return hit
    for token in re.split(r"\s*[|•·]\s*|,\s+|\s+and\s+", text):
        token = token.strip()
        if token and not find_literals(token) and not META_WORD.search(token):
            name = tables.agency_name(token)
            if name:
                return name
    return None


def find_agency(lines: Sequence[Line], head: Sequence[int], end: int, paragraphs: Sequence[str],
                dl: Dateline | None) -> str | None:
    """The story's wire agency: from byline and meta lines of the head, the dateline, a closing tag of
    the last paragraph or a credit line after it. Photo credits and mentions in the text never count."""
    found: list[str] = []
    for i in head:
        ln = lines[i]
        if ln.kind in (Kind.META, Kind.SHORT, Kind.SKIP) and (ln.kind is Kind.META or is_byline(ln.bare)):
            name = byline_agency(ln.bare)
            if name:
                found.append(name)
    if dl and dl.agency:
        found.append(dl.agency)
    if paragraphs:
        name = closing_agency(paragraphs[-1])
        if name:
            found.append(name)
    for k, ln in enumerate([ln for ln in lines[end:] if ln.kind is not Kind.BLANK][:4]):
        # a credit line, or a syndication notice closing on its credit ("... agency feed - PTI)"), or
        # the agency's name alone on the line right after the text ("Agence France-Presse")
        name = credit_agency(ln.bare) or (closing_agency(ln.bare.rstrip(")")) if ln.kind is Kind.SKIP else None)
        if name is None and k == 0 and len(ln.bare.split()) <= 4:
            name = tables.agency_name(ln.bare.strip(" .-–—()"))
        if name:
            found.append(name)
    return Counter(found).most_common(1)[0][0] if found else None


def _meta_place(lines: Sequence[Line], head: Sequence[int]) -> str | None:
    """A place a byline or meta line names ("ANI | Islamabad | Updated: ..."), when the lead has no dateline."""
    for i in head:
        if lines[i].kind is not Kind.META and not (lines[i].kind is Kind.SKIP and lines[i].text != lines[i].bare):
            continue  # meta lines, and the bullet fields of a meta block ("• Islamabad")
        for token in re.split(r"\s*[|•·]\s*|,\s+", lines[i].bare):
            token = token.strip()
            if (1 <= words(token) <= 3 and token[:1].isupper() and not find_literals(token)
                    and not META_WORD.search(token) and not tables.agency_name(token)
                    and not token.lower().startswith("by ") and token.lower() in tables.places().places):
                return token
    return None


# -- the whole --------------------------------------------------------------------------------------


def read_metadata(lines: Sequence[Line], title_at: int | None, start: int, end: int,
                  paragraphs: Sequence[str]) -> Metadata:
    """Date, agency, dateline and outlet of the article whose body is ``lines[start:end]``."""
    candidates = date_lines(lines, title_at, start, end)
    dated = [d for d in (_date_of(lines[i]) for i in candidates) if d is not None]
    below = [d for d in (_date_of(lines[i]) for i in footer_lines(lines, end)) if d is not None]
    dated += [(rank + 5, source, lit) for rank, source, lit in below]  # a footer's date: only when the head has none
    lead = paragraphs[0] if paragraphs else None
    dl = find_dateline(lead) if lead else None
    if dl and dl.date:
        dated.append((4, DateSource.dateline, Literal(dl.date, 0, 0)))
    date, source = choose_date(dated)
    head = [i for i in candidates if i < start]
    agency = find_agency(lines, head, end, paragraphs, dl)
    dateline = dl.place if dl else _meta_place(lines, head)
    outlet = find_outlet(lines, start, end, agency, dl.credit if dl else None, title_at)
    return Metadata(date, source, agency, dateline, outlet)

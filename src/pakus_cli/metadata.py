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
from .lines import HEADER_DATE, META_WORD, Kind, Line, is_byline, is_byline_row, is_meta, words
from .models import DateSource
from .outlets import PUBLISHED_IN, find_outlet
from .text import DATELINE_END, month_re

# Date lines are looked for this many non-blank lines above the headline (a date printed over it)
# and, without a headline, above the body; and this many below the body (a "Published" footer).
ABOVE_TITLE = 2
ABOVE_BODY = 8
BELOW_BODY = 6

# The place: a city and what follows it after a comma ("KARACHI, Pakistan", "WASHINGTON, D.C.", "ST. PAUL,
# Minn."), then an optional country in brackets, date, credit in brackets, and the dateline's end.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w.'’-]*(?:(?: |/|, ?(?=[A-Z][\w.]+ ?[,:(\[—–-]))[A-Z][\w.'’-]*){0,3})"
    r"(?:\s*\[(?P<country>[^\]]{2,30})\])?"
    r"(?:\s*,\s*(?P<date>[^:()\n]{3,40}?))?"
    r"\s*,?\s*(?:\((?P<agency>[A-Za-z][\w .]{1,20}(?:\s*/\s*[A-Za-z][\w .]{1,20})?)"
    r"(?:\s+[-–]\s+(?P<credit_date>[\w ,]{6,24}))?\)(?:\s*[:—–-]+)?\s+(?=[A-Z\"“‘'])|" + DATELINE_END + ")"
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
    if m["credit_date"]:  # "(UrduPoint News / Sputnik - 03rd October, 2024)": the date the brackets hold
        lits = find_literals(m["credit_date"])
        if not lits:
            return None
        when = when or lits[0].date
    credit, agency = _bracket_credit(m["agency"])
    places = tables.places()
    parts = [p.strip() for p in place.split("/")]
    if any(p in places.not_places for p in parts):
        return None
    known = all(p.lower() in places.places for p in parts)
    shouting = place.upper() == place and any(c.isalpha() for c in place)
    if not (known or shouting or when or agency or m["country"]):
        return None
    return Dateline(_place_case(place), when, agency, credit, month_day, m.end())


def _bracket_credit(held: str | None) -> tuple[str | None, str | None]:
    """(credit, agency) of a dateline's brackets: "(PTI)", or an outlet and the wire it carries
    ("UrduPoint News / Sputnik"), whose agency is the one part that names a wire."""
    if not held:
        return None, None
    parts = [p.strip() for p in held.split("/")]
    for k, part in enumerate(parts):
        agency = tables.agency_name(part)
        if agency:
            rest = " / ".join(parts[:k] + parts[k + 1:])
            return rest or None, agency
    return held.strip(), None


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
        return tables.places().dateline_names.get(place.lower(), place)
    cased = "/".join(" ".join(w.capitalize() for w in part.split()) for part in place.split("/"))
    return tables.places().dateline_names.get(cased.lower(), cased)


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
_BY = re.compile(r"^by:?\s+", re.I)
_BYLINE_SEP = re.compile(r"\s*[|•·]\s*|,\s+|\s+and\s+")
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
    text = _BY.sub("", text)
    hit = tables.agency_prefix(text)
    if hit:
        return hit
    for token in _BYLINE_SEP.split(text):
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
        if ln.kind in (Kind.META, Kind.SHORT, Kind.SKIP) and (ln.kind is Kind.META or is_byline(ln.bare, ln.n)):
            name = byline_agency(ln.bare)
            if name:
                found.append(name)
        elif ln.kind is Kind.SKIP and (name := credit_agency(ln.bare)):
            found.append(name)  # a credit line over the text ("Source: PTI")
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


# The fields of a byline or meta line: "PTI | Washington", "New Delhi,UPDATED: Mar 9", "Updated - Sep 8,
# 2022 09:42 pm IST - Washington", "Washington - 18 Nov 2014:", "BBC News, Islamabad".
_FIELDS = re.compile(r"\s*[|•·]\s*|,\s*|\s[-–—]\s")
# A reporter or desk and where they file from: "Declan Forsyth in Islamabad".
_FILED_IN = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){1,4}in\s+(?P<place>[A-Z][\w.'’ -]*)$")
_NAME_WORDS = frozenset({"in", "of", "and", "the", "for", "de", "al"})


def _field_place(field: str) -> str | None:
    """The place a byline's field names: the place alone, a reporter "in" it, or a wire or outlet and
    the place it files from ("Press Trust of India Washington")."""
    field = field.strip(" :")
    places = tables.places().places
    if not 1 <= words(field) <= 8 or not field[:1].isupper() or find_literals(field) or META_WORD.search(field):
        return None
    if field.lower() in places or field.rstrip(".").lower() in places:
        return field if field.lower() in places else field.rstrip(".")
    m = _FILED_IN.match(field)
    if m and m["place"].lower() in places:
        return m["place"]
    parts = field.split()
    for k in (1, 2, 3):
        who, where = " ".join(parts[:-k]), " ".join(parts[-k:])
        if who and where.lower() in places and (tables.agency_name(who) or tables.outlet_known(who)):
            return where
    return None


def _name_like(text: str) -> bool:
    """A line of names (a reporter, a desk, a place and its country), not a sentence of a standfirst."""
    return all(w[:1].isupper() or not w[:1].isalpha() or w in _NAME_WORDS for w in text.split())


def _head_place(lines: Sequence[Line], head: Sequence[int], title_at: int | None) -> str | None:
    """The place the head block's byline or meta lines name, when the lead has no dateline: a field of a
    meta line or byline ("ANI | Islamabad | Updated ...", "By: PTI | Washington |"), or a line of names
    beside them under the headline ("Declan Forsyth in Islamabad", "BBC News, Islamabad", "Washington
    D.C., United States")."""
    for i in head:
        ln = lines[i]
        if ln.kind is Kind.META or is_byline_row(ln) or (ln.kind is Kind.SKIP and ln.text != ln.bare):
            # meta lines and bylines, and the bullet fields of a meta block ("• Islamabad")
            places = [_field_place(field) for field in _FIELDS.split(ln.bare)]
            place = next((p for p in places if p and not tables.agency_name(p)), None)
        elif (ln.kind is Kind.SHORT and ln.n <= 8 and i > (title_at if title_at is not None else -1)
              and _name_like(ln.bare) and _beside_byline(lines, i)):
            place = _filed_from(ln.bare)
        else:
            continue
        if place:
            return _place_case(place)
    return None


def _filed_from(text: str) -> str | None:
    """The place a line of names beside a byline files from: a reporter in it ("Declan Forsyth in
    Islamabad"), a wire or outlet and the place ("BBC News, Islamabad"), or the place and its country
    ("Islamabad, Pakistan"). A place alone on such a line may be a topic tag: it is no dateline."""
    fields = [f.strip() for f in _FIELDS.split(text) if f.strip()]
    if len(fields) == 1:
        m = _FILED_IN.match(fields[0])
        return m["place"] if m and m["place"].lower() in tables.places().places else None
    if len(fields) != 2:
        return None
    first, second = (_field_place(f) for f in fields)
    if first in (fields[0], fields[0].rstrip(".")) and not _field_place(fields[1]):
        return first
    if second and second == fields[1] and (tables.agency_name(fields[0]) or tables.outlet_known(fields[0])):
        return second
    return None


def _beside_byline(lines: Sequence[Line], at: int) -> bool:
    """Whether the nearest line above or below ``at`` is a byline or meta line."""
    for step in (-1, 1):
        j = at + step
        while 0 <= j < len(lines) and lines[j].kind is Kind.BLANK:
            j += step
        if 0 <= j < len(lines) and is_byline_row(lines[j]):
            return True
    return False


# A line of nothing but a dash: where a dateline broken over lines ends ("Islamabad, Pakistan" / "CNN" / "—").
_DASH_ALONE = re.compile(r"^[-–—]{1,2}$")


def split_dateline(lines: Sequence[Line], start: int) -> Dateline | None:
    """A dateline the page prints over the short lines right above the lead, its dash on a line of its
    own: "Islamabad, Pakistan" / "CNN" / "—", "ISLAMABAD (AP)" / "—". A name alone on the line between
    the place and the dash is the dateline's credit, as if it stood in brackets."""
    above = [i for i in range(max(0, start - 8), start) if lines[i].kind is not Kind.BLANK][-3:]
    if not above or not _DASH_ALONE.match(lines[above[-1]].bare):
        return None
    parts = [lines[i].bare for i in above[:-1] if lines[i].kind is Kind.SHORT and lines[i].n <= 6]
    if not parts or len(parts) < len(above) - 1:
        return None
    if len(parts) == 2:
        credit = parts[1].strip("()[] ")
        if not credit or not _name_like(credit) or words(credit) > 3:
            return None
        parts = [parts[0], f"({credit})"]
    return find_dateline(" ".join(parts) + f" {lines[above[-1]].bare} X")


# -- the whole --------------------------------------------------------------------------------------


def read_metadata(lines: Sequence[Line], title_at: int | None, start: int, end: int,
                  paragraphs: Sequence[str]) -> Metadata:
    """Date, agency, dateline and outlet of the article whose body is ``lines[start:end]``."""
    candidates = date_lines(lines, title_at, start, end)
    dated = [d for d in (_date_of(lines[i]) for i in candidates) if d is not None]
    below = [d for d in (_date_of(lines[i]) for i in footer_lines(lines, end)) if d is not None]
    dated += [(rank + 5, source, lit) for rank, source, lit in below]  # a footer's date: only when the head has none
    lead = paragraphs[0] if paragraphs else None
    dl = (find_dateline(lead) if lead else None) or split_dateline(lines, start)
    if dl and dl.date:
        dated.append((4, DateSource.dateline, Literal(dl.date, 0, 0)))
    date, source = choose_date(dated)
    head = [i for i in candidates if i < start]
    agency = find_agency(lines, head, end, paragraphs, dl)
    dateline = dl.place if dl else _head_place(lines, head, title_at)
    outlet = find_outlet(lines, start, end, agency, dl.credit if dl else None, title_at)
    return Metadata(date, source, agency, dateline, outlet)

"""One dump -> one Article: metadata found in the page's structure, and the clean body.

A saved page is read as a sequence of lines, each given a *kind* (prose, short sentence,
heading-like, meta, caption, promo, list heading ...). The article is then found by its
shape, which is the same across outlets:

    [site debris] headline [standfirst] [byline/meta block] [captions] body ... [debris]

The body runs from the end of the head block until a cue that the page has moved on to
other things (a "TRENDING" heading, a comment widget, a wire closing tag such as
"(ANI)"), with promos, captions and share widgets dropped wherever they stand. Metadata
is read only from structural positions (header, meta block, byline, dateline, closing
tag, footer signatures), never from the sidebar or from a mention in running text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, auto

from . import tables
from .dates import Literal, find_literals
from .models import Article
from .text import CONTROL, DATELINE_END, SENTENCE_END, month_re


class NoArticle(ValueError):
    """The text holds no article: nothing that reads as a headline or a paragraph."""


class Kind(Enum):
    BLANK = auto()
    HEADER = auto()  # the dump tool's " date 2020-01-05" line
    META = auto()  # byline / "Updated:" / "ANI | Islamabad" lines
    CAPTION = auto()
    SKIP = auto()  # promos, disclaimers, "Also Read", share widgets
    STOP = auto()  # a heading that opens a list of other stories, a widget or the footer
    TEASER = auto()  # a truncated story teaser ("... a model right un...")
    PROSE = auto()  # a paragraph: long, sentence-like
    SENTENCE = auto()  # a short line that is still a sentence
    SHORT = auto()  # anything else: headlines, headings, menu items


# Lines past this length are not news prose (a page squeezed onto one line, a data blob).
MAX_LINE = 20_000
PROSE_WORDS = 15

_BLANKS = re.compile(r"[\t\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]")
_BULLET_CHARS = "•·●▪►*"
_BULLET = re.compile(r"^[•·●▪►*]+\s*")
_HEADER_DATE = re.compile(r"^date\s+(\d{4}-\d{2}-\d{2})\b", re.I)
_META_WORD = re.compile(
    r"\b(?P<word>updated|created|published|posted|first published|last updated)\s*(?:on|at)?\s*:?\s*",
    re.I,
)
_TERMINAL = SENTENCE_END
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def normalise_line(line: str) -> str:
    """Decode HTML entities, drop control and invisible characters, fold white space."""
    if "&" in line:
        for _ in range(2):  # pages sometimes escape twice ("&amp;#160;")
            decoded = html.unescape(line)
            if decoded == line:
                break
            line = decoded
    if not line.isprintable():  # controls, tabs, odd separators: the slow, careful path
        line = _BLANKS.sub(" ", line)  # a stray CR, tab or form feed separates words
        line = CONTROL.sub("", line)
        line = _INVISIBLE.sub("", line)
    elif not line.isascii():
        line = _INVISIBLE.sub("", line)
    return " ".join(line.split())


def words(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True, slots=True)
class Line:
    text: str  # normalised
    bare: str  # without a leading bullet
    kind: Kind
    n: int = 0  # words in bare


def is_meta(bare: str) -> bool:
    """A byline or meta line: "ANI | Updated: 23-12-2022", "PTI, Jun 29, 2024, 5:17 PM IST"."""
    if words(bare) > 20:
        return False
    if bare == "|":
        return True
    low = bare.lower()
    has_date = bool(find_literals(bare))
    if has_date and _META_WORD.search(bare):
        return True
    tokens = [t.strip() for t in re.split(r"\s*[|•]\s*|,\s+", bare) if t.strip()]
    if tokens and tables.agency_name(tokens[0]) and (has_date or "|" in bare or len(tokens) == 1):
        return True
    if has_date and (low.startswith("by ") or low.startswith("posted ") or low.startswith("published")):
        return True
    if has_date and len(_WORD.findall(_strip_dates(bare))) <= 4:
        return True  # a line that is only a date ("Sunday, January 5, 2020 10:30 AM")
    return False


def _strip_dates(text: str) -> str:
    for lit in reversed(find_literals(text)):
        text = text[: lit.begin] + text[lit.finish :]
    weekday = r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:am|pm|ist|pkt|gmt|utc|est|edt|et)\b"
    return re.sub(weekday, "", text, flags=re.I)


def classify(text: str) -> Line:
    """Give one normalised line its kind."""
    if not text:
        return Line(text, text, Kind.BLANK)
    bare = _BULLET.sub("", text) if text[0] in _BULLET_CHARS else text
    if not bare:
        return Line(text, bare, Kind.SKIP)
    n = words(bare)
    kind = _site_kind(bare, n) or _text_kind(text, bare, n)
    return Line(text, bare, kind, n)


def _site_kind(bare: str, n: int) -> Kind | None:
    """The kinds a line of the site's own furniture has: header, stop, skip, caption, meta."""
    low = bare.lower()
    cues = tables.boilerplate()
    if len(bare) > MAX_LINE:
        return Kind.SKIP
    if low.startswith("date") and _HEADER_DATE.match(bare):
        return Kind.HEADER
    if (n <= 6 and low.rstrip(" :") in cues.stop_headings) or (n <= 20 and cues.stop_prefix.match(low)):
        return Kind.STOP
    if n <= 40 and (cues.skip_contains.search(low) or cues.skip_prefix.match(low)):
        return Kind.SKIP
    if n <= 25 and cues.caption.search(low):
        return Kind.CAPTION
    if n <= 20 and is_meta(bare):
        return Kind.META
    return None


def _text_kind(text: str, bare: str, n: int) -> Kind:
    """The kinds of a line of text: teaser, prose, sentence, short."""
    if bare.endswith(("...", "…")) and n >= 8:
        return Kind.TEASER
    if n >= PROSE_WORDS and (_TERMINAL.search(bare) or re.search(r"[.?!]\s", bare)):
        return Kind.PROSE
    if _TERMINAL.search(bare) and n >= 4 and any(c.islower() for c in bare):
        return Kind.SENTENCE
    if text != bare and n <= 3:
        return Kind.SKIP  # a bullet fragment of a share/meta widget ("• United States")
    return Kind.SHORT


def headline_like(line: Line, least: int = 4) -> bool:
    """Could this line be a headline: a short line of words, not a sentence ending in a full stop."""
    if line.kind not in (Kind.SHORT, Kind.SENTENCE):
        return False
    n = line.n
    if not least <= n <= 30 or line.bare.endswith((".", ":", ",")):
        return False
    return sum(1 for w in line.bare.split() if w[:1].isupper()) >= 1


# -- the head: title, subtitle, meta block ------------------------------------------------


@dataclass(slots=True)
class Head:
    title: str | None
    subtitle: str | None
    meta: list[str]  # the byline/meta lines, in order
    body_start: int


def find_head(lines: Sequence[Line]) -> Head:
    """Locate the headline, the standfirst and the byline block; return where the body starts."""
    first_prose = next((i for i, ln in enumerate(lines) if ln.kind is Kind.PROSE), None)
    if first_prose is None:  # no paragraph at all: the first headline-like line is the best guess
        title_at = next((i for i, ln in enumerate(lines[:40]) if headline_like(ln)), None)
        if title_at is None:
            return Head(None, None, [], 0)
        return _head_from(lines, title_at)
    limit = first_prose
    title_at = None
    seen = 0
    for i in range(limit - 1, -1, -1):
        if lines[i].kind is Kind.BLANK:
            continue
        seen += 1
        if seen > 12:
            break
        if headline_like(lines[i]):
            title_at = i
            break
    if title_at is None:
        return Head(None, None, _meta_before(lines, limit), limit)
    return _head_from(lines, title_at)


def _head_from(lines: Sequence[Line], title_at: int) -> Head:
    """The head block that starts with the headline at ``title_at``."""
    title = lines[title_at].bare
    # The page may print the headline twice (nav title, then above the text): the first
    # copy is where the head starts.
    first_copy = next(i for i, ln in enumerate(lines) if ln.bare == title)
    # Standfirst: sentence lines between the headline and a byline/meta block close below it.
    subtitle_lines: list[str] = []
    meta: list[str] = []
    j = first_copy + 1
    steps = 0
    while j < len(lines) and steps < 6:
        ln = lines[j]
        if ln.kind is Kind.BLANK:
            j += 1
            continue
        steps += 1
        if ln.kind in (Kind.META, Kind.HEADER):
            break
        if ln.kind in (Kind.PROSE, Kind.SENTENCE) and words(ln.bare) <= 80 and len(subtitle_lines) < 2:
            subtitle_lines.append(ln.bare)
        elif ln.kind not in (Kind.CAPTION, Kind.SKIP) and ln.bare != title:
            subtitle_lines = []
            break
        j += 1
    has_meta = j < len(lines) and lines[j].kind in (Kind.META, Kind.HEADER)
    if not has_meta:
        subtitle_lines = []
    subtitle = " ".join(subtitle_lines) or None
    # The head block: everything from the headline that is meta, caption, widget, or a
    # repeat of the headline or standfirst.
    repeat = {title, *subtitle_lines}
    k = first_copy + 1
    meta_run = False
    while k < len(lines):
        ln = lines[k]
        if ln.kind in (Kind.BLANK, Kind.META, Kind.HEADER, Kind.CAPTION, Kind.SKIP) or ln.bare in repeat:
            # The meta block is one run: bullet fragments inside it ("• Islamabad" between
            # "• ANI" and "• Updated: ...") are its fields, not widgets.
            in_run = ln.kind is Kind.META or (ln.kind is Kind.SKIP and ln.text != ln.bare and meta_run)
            if in_run:
                meta.append(ln.bare)
            if ln.kind is not Kind.BLANK:
                meta_run = in_run
            k += 1
            continue
        if has_meta and k < j:  # the standfirst lines themselves
            k += 1
            continue
        break
    meta = _meta_before(lines, first_copy) + meta
    return Head(title, subtitle, meta, k)


def _meta_before(lines: Sequence[Line], end: int) -> list[str]:
    return [ln.bare for ln in lines[:end] if ln.kind in (Kind.META, Kind.HEADER)]


# -- the body --------------------------------------------------------------------------------


_CREDIT = re.compile(
    r"^(?:source|agency|courtesy|inputs? from|with inputs from)\s*[:\-–]?\s*(?P<a>[\w .&-]{2,40}?)\.?$", re.I
)
_CLOSING_TAG = re.compile(r"\((?P<a>[A-Za-z]{2,10})\)\s*$")
_CLOSING_DASH = re.compile(r"\s[-–—]{1,2}\s*(?P<a>[A-Z][A-Za-z]{1,9})\s*$")


def credit_agency(bare: str) -> str | None:
    """The agency of a credit line ("Source PTI", "With inputs from Reuters"), if it is one."""
    m = _CREDIT.match(bare)
    return tables.agency_name(m["a"]) if m else None


def closing_agency(paragraph: str) -> str | None:
    """The agency of a wire closing tag ending a paragraph: "... stability." (ANI)."""
    for rx in (_CLOSING_TAG, _CLOSING_DASH):
        m = rx.search(paragraph)
        if m and tables.agency_name(m["a"]):
            return tables.agency_name(m["a"])
    return None


@dataclass(slots=True)
class Body:
    paragraphs: list[str]
    end: int  # index of the first line after the body
    closing_agencies: list[str]


def find_body(lines: Sequence[Line], start: int, repeats: set[str]) -> Body:
    """Collect the article's paragraphs from ``start`` until the page moves on."""
    kept: list[tuple[int, str, Kind]] = []
    agencies: list[str] = []
    prose_seen = False
    end = len(lines)
    i = start
    while i < len(lines):
        ln = lines[i]
        kind = ln.kind
        if kind is Kind.STOP and prose_seen:
            end = i
            break
        if kind is Kind.TEASER and prose_seen:
            end = i
            break
        if kind in (Kind.PROSE, Kind.SENTENCE) and ln.bare not in repeats:
            kept.append((i, ln.text, kind))
            prose_seen = prose_seen or kind is Kind.PROSE
            tag = closing_agency(ln.bare)
            if tag and prose_seen:
                agencies.append(tag)
                end = i + 1
                break
        elif kind is Kind.SHORT and ln.bare not in repeats:
            agency = credit_agency(ln.bare)
            if agency and prose_seen:
                agencies.append(agency)
                end = i + 1
                break
            if not tables.outlet_name(ln.bare) and _heading_like(ln.bare):
                kept.append((i, ln.text, kind))
        i += 1
    paragraphs = _drop_lists(kept)
    return Body(paragraphs, end, agencies)


def _heading_like(bare: str) -> bool:
    n = words(bare)
    return 1 <= n <= 15 and bare[:1].isupper() and not bare.endswith(":")


def _drop_lists(kept: list[tuple[int, str, Kind]]) -> list[str]:
    """Keep subheadings that introduce prose; a run of three or more headings is a link list."""
    out: list[str] = []
    n = len(kept)
    i = 0
    while i < n:
        idx, text, kind = kept[i]
        if kind is not Kind.SHORT:
            out.append(text)
            i += 1
            continue
        j = i
        while j < n and kept[j][2] is Kind.SHORT:
            j += 1
        run = j - i
        if run >= 3 and out:
            break  # a list of other stories after the article: the article has ended
        if run < 3 and j < n:  # headings followed by prose stay
            out.extend(t for _, t, _ in kept[i:j])
        i = j
    return [_BULLET.sub("", t) if t.startswith(("•", "●", "▪")) else t for t in out]


# -- metadata ------------------------------------------------------------------------------


_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w.'’-]*(?:(?: |/|, ?(?=[A-Z]\w+ ?[,:(\[]))[A-Z][\w.'’-]*){0,3})"
    r"(?:\s*\[(?P<country>[^\]]{2,30})\])?"
    r"(?:\s*,\s*(?P<date>[^:()\n]{3,40}?))?"
    r"\s*,?\s*(?:\((?P<agency>[A-Za-z]{2,10})\))?"
    + DATELINE_END
)


# A dateline's date may lack a year ("January 5", "5 Jan"): it is then part of the dateline, not a date.
_MONTH_DAY = re.compile(rf"{month_re()}\s+\d{{1,2}}|\d{{1,2}}\s+{month_re()}", re.I)


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str
    date: dt.date | None
    agency: str | None


def find_dateline(paragraph: str) -> Dateline | None:
    """The dateline opening a lead paragraph: "WASHINGTON, 21 January, 2021, (TON):", "Islamabad:"."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None
    place = m["place"].strip(" ,")
    when = None
    if m["date"]:
        lits = find_literals(m["date"])
        if lits:
            when = lits[0].date
        elif not _MONTH_DAY.fullmatch(m["date"].strip()):
            return None
    agency = tables.agency_name(m["agency"]) if m["agency"] else None
    if m["agency"] and not agency:
        return None
    places = tables.places()
    parts = [p.strip() for p in place.split("/")]
    if any(p in places.not_places for p in parts):
        return None
    known = all(p.lower() in places.places for p in parts)
    shouting = place.upper() == place and any(c.isalpha() for c in place)
    if not (known or shouting or when or agency or m["country"]):
        return None
    return Dateline(_place_case(place), when, agency)


def _place_case(place: str) -> str:
    if place.upper() != place:
        return place
    return "/".join(" ".join(w.capitalize() for w in part.split()) for part in place.split("/"))


@dataclass(frozen=True, slots=True)
class Metadata:
    date: dt.date | None
    date_source: str | None
    agency: str | None
    dateline: str | None


def read_meta(meta_lines: Sequence[str], lead: str | None, closing: Sequence[str]) -> Metadata:
    """Date, agency and dateline from the head's meta lines, the lead's dateline and closing tags."""
    dated: list[tuple[int, str, Literal]] = []  # (rank, source, literal)
    agencies: list[str] = []
    places: list[str] = []
    for text in meta_lines:
        header = _HEADER_DATE.match(text)
        if header:
            for lit in find_literals(header.group(1)):
                dated.append((0, "header", lit))
            continue
        lits = find_literals(text)
        word = _META_WORD.search(text)
        if lits:
            kind = "meta" if word else "byline"
            rank = 1 if word and word["word"].lower() in ("created", "published", "first published") else 2
            dated.append((rank if kind == "meta" else 3, kind, lits[0]))
        for token in re.split(r"\s*[|•]\s*|,\s+", text):
            token = token.strip()
            if not token or find_literals(token) or _META_WORD.search(token):
                continue
            name = tables.agency_name(token)
            if name:
                agencies.append(name)
            elif (
                lits == []
                and "|" not in token
                and 1 <= words(token) <= 3
                and token[:1].isupper()
                and not token.lower().startswith("by ")
            ):
                places.append(token)
    dl = find_dateline(lead) if lead else None
    if dl:
        if dl.date:
            dated.append((4, "dateline", Literal(dl.date, 0, 0)))
        if dl.agency:
            agencies.append(dl.agency)
    agencies.extend(closing)
    date, source = _choose_date(dated)
    agency = Counter(agencies).most_common(1)[0][0] if agencies else None
    dateline = dl.place if dl else (places[0] if places else None)
    return Metadata(date, source, agency, dateline)


def _choose_date(dated: list[tuple[int, str, Literal]]) -> tuple[dt.date | None, str | None]:
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


_SIGNATURES = [
    re.compile(r"download (?:the )?(?P<n>[\w .&'-]{2,40}?) (?:news )?app\b", re.I),
    re.compile(r"^(?P<n>[\w .&'-]{2,40}?) is now on (?:telegram|whatsapp|google news)", re.I),
    re.compile(r"thanks for visiting (?P<n>[\w .&'-]{2,40}?)[.!]*$", re.I),
    re.compile(r"whitelist (?P<n>[\w .&'-]{2,40}?)[.!]*$", re.I),
    re.compile(r"edited by (?P<n>[\w .&'-]{2,40}?) staff", re.I),
    re.compile(
        r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s*)?"
        r"(?P<n>[A-Z][\w .&'-]{1,40}?)\s*(?:\.|,|all rights|$)",
        re.I,
    ),
]
# Every signature pattern holds one of these; lines without any are passed over quickly.
_SIGNATURE_HINT = re.compile(r"download|is now on|visiting|whitelist|edited by|©|\(c\)|copyright|@", re.I)
_EMAIL = re.compile(r"[\w.+-]+@(?P<d>[\w-]+(?:\.[\w-]+)+)")


def find_outlet(lines: Sequence[Line], body_lines: set[int], agency: str | None) -> str | None:
    """The outlet, from its signatures outside the article body; a house agency tag as last resort."""
    votes: Counter[str] = Counter()
    for i, ln in enumerate(lines):
        if i in body_lines or ln.kind in (Kind.PROSE, Kind.TEASER):
            continue
        text = ln.bare
        if len(text) > 300:
            continue
        alias = tables.outlet_name(text)
        if alias and ln.kind in (Kind.SHORT, Kind.SKIP, Kind.STOP):
            votes[alias] += 2
        if not _SIGNATURE_HINT.search(text):
            continue
        for rx in _SIGNATURES:
            m = rx.search(text)
            if m:
                name = _outlet_from_capture(m["n"])
                if name:
                    votes[name] += 2
        for m in _EMAIL.finditer(text) if "@" in text else ():
            name = tables.outlet_by_domain(m["d"])
            if name:
                votes[name] += 1
    if votes:
        return votes.most_common(1)[0][0]
    return tables.house_outlet(agency) if agency else None


def _outlet_from_capture(raw: str) -> str | None:
    name = raw.strip(" .-")
    known = tables.outlet_name(name)
    if known:
        return known
    if not (1 <= words(name) <= 5) or not name[:1].isupper() or name.lower() in ("our", "the", "this"):
        return None
    return name


# -- the whole ------------------------------------------------------------------------------


def split_lines(text: str) -> list[Line]:
    """Normalise and classify every line of a dump.

    Lines end at "\n" only (with "\r\n" and old "\r"-only files understood): str.splitlines would
    also break at a stray carriage return, form feed or U+2028 inside a paragraph."""
    text = text.replace("\r\n", "\n")
    if "\n" not in text:
        text = text.replace("\r", "\n")
    return [classify(normalise_line(raw)) for raw in text.split("\n")]


def parse(text: str, *, ident: str, file: str) -> Article:
    """Parse one dump into an Article. Raises NoArticle when nothing in it reads as an article."""
    lines = split_lines(text)
    head = find_head(lines)
    repeats = {r for r in (head.title, head.subtitle) if r}
    body = find_body(lines, head.body_start, repeats)
    if not body.paragraphs and head.title is None:
        raise NoArticle("no headline or paragraph found (only site debris?)")
    lead = body.paragraphs[0] if body.paragraphs else None
    meta = read_meta(head.meta, lead, body.closing_agencies)
    body_idx = {
        i for i in range(head.body_start, body.end)
        if lines[i].kind in (Kind.PROSE, Kind.SENTENCE)
        or (lines[i].kind is Kind.SHORT and not tables.outlet_name(lines[i].bare))
    }
    outlet = find_outlet(lines, body_idx, meta.agency)
    return Article(
        id=ident,
        file=file,
        title=head.title,
        subtitle=head.subtitle,
        date=meta.date,
        date_source=meta.date_source,
        outlet=outlet,
        agency=meta.agency,
        dateline=meta.dateline,
        paragraphs=tuple(body.paragraphs),
    )

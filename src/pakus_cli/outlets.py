"""Which outlet published a page: from the ways a page names itself in its own text (a known name
in its header or footer, "Published in …", a copyright line, "Thanks for visiting …", an app promo,
a contact e-mail's domain, its own name in the dateline's brackets), never from an outlet the
article cites as a source.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from . import tables
from .lines import Kind, Line, words
from .text import Blind

# "Published in Dawn, March 6th, 2023": a footer naming the outlet (and often the print date).
PUBLISHED_IN = re.compile(r"^(?:published|printed|appeared) in (?:the )?(?P<n>[A-Z][\w .&'-]{1,40}?)\s*(?:,|\bon\b|$)",
                          re.I)
_SIGNATURES = [
    re.compile(r"download (?:the )?(?P<n>[\w .&'-]{2,40}?)(?P<more> news)? app\b", re.I),
    re.compile(r"^(?P<n>[\w .&'-]{2,40}?) is now on (?:telegram|whatsapp|google news)", re.I),
    re.compile(r"thanks for visiting (?P<n>[\w .&'-]{2,40}?)[.!]*$", re.I),
    re.compile(r"whitelist (?P<n>[\w .&'-]{2,40}?)[.!]*$", re.I),
    re.compile(r"edited by (?P<n>[\w .&'-]{2,40}?) staff", re.I),
    PUBLISHED_IN,
    re.compile(r"^follow (?P<n>[A-Z][\w .&'-]{1,30}?) on (?:whatsapp|telegram|google news|twitter|x)\b", re.I),
    re.compile(r"(?:live|latest news|news updates) on (?P<n>[A-Z][\w.&'-]{1,30}?)(?:\.com)?\b", re.I),
]
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)(?:\s*(?:©|\(c\)|copyright))*\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*[,\-–|]?\s*)?"
    r"(?P<n>[A-Z][\w .&'/-]{1,60}?)\s*(?:\d{4})?\s*(?:(?<!\b[A-Z])\.(?:\s|$)|,|\||all rights|$)",
    re.I,
)
# The holder named after the reservation: "(c) 2025 All rights reserved, Arab News".
_RESERVED = re.compile(r"(?i:all rights reserved)\s*(?:[,.:|-]\s*|\s+(?i:by|to)\s+)"
                       r"(?P<n>[A-Z][\w.&'/-]*(?:\s+(?:[A-Z][\w.&'/-]*|of|and|the|&))*)[\s.]*$")
# A company's legal form after its name ("Telegraph Media Group Limited", "FOX News Network, LLC").
_LEGAL = re.compile(r"[\s,]+(?:private|pvt\.?|ltd\.?|limited|inc\.?|llc|plc|corp\.?|co\.)(?:\s.*)?$", re.I)
# What a company adds to a name ("Business Standard Private Ltd", "Living Media India Limited").
_CORPORATE = re.compile(
    r"\s+(?:private|pvt\.?|ltd\.?|limited|inc\.?|llc|plc|corp\.?|corporation|group|media group|media network|"
    r"publications?|publishing|company|co\.|trust|holdings)\b.*$",
    re.I,
)
_NOT_NAMES = {"our", "the", "this", "all rights reserved", "all rights", "reserved", "us", "you"}
# Every signature holds one of these; lines without any are passed over quickly.
_HINT = Blind(r"download|is now on|visiting|whitelist|edited by|©|\(c\)|copyright|rights reserved|@|published in|"
               r"printed in|appeared in|follow|live on|news updates on|latest news on")
_EMAIL = re.compile(r"[\w.+-]+@(?P<d>[\w-]+(?:\.[\w-]+)+)")


def _name(raw: str) -> str | None:
    """The outlet a signature names: a known outlet as readers know it (by any of its names, its
    publisher's legal name, with or without the company's suffix), else the name as printed."""
    name = raw.strip(" .-|")
    known = tables.outlet_known(name) or tables.outlet_known(_LEGAL.sub("", name).strip(" .,-"))
    if known:
        return known
    name = _CORPORATE.sub("", name).strip(" .,-")
    known = tables.outlet_known(name)
    if known:
        return known
    if not (1 <= words(name) <= 6) or not name[:1].isupper() or name.lower() in _NOT_NAMES:
        return None
    return name


def _signed(m: re.Match[str]) -> str | None:
    """The name a signature holds. A word it may end with ("Download HUM News app", "Download The
    Economic Times News app") belongs to the name when the name with it is a known outlet's."""
    more = m.groupdict().get("more")
    if more:
        known = tables.outlet_known(m["n"] + more)
        if known:
            return known
    return _name(m["n"])


def _credit_line(text: str, alias: str) -> bool:
    """A line naming a wire agency alone is the story's credit ("Reuters", "Anadolu Agency"), not the
    page's signature, unless the agency is the outlet's own house tag."""
    agency = tables.agency_name(text)
    return agency is not None and tables.house_outlet(agency) != alias


def _votes_of(line: Line, votes: Counter[str]) -> None:
    """Add the votes one line casts (the signatures it holds) to ``votes``, in half votes (whole numbers:
    a masthead's vote and a half is 3)."""
    text = line.bare
    alias = tables.outlet_name(text)
    if alias and line.kind in (Kind.SHORT, Kind.SKIP, Kind.STOP, Kind.META) and not _credit_line(text, alias):
        votes[alias] += 4
    if not _HINT.found_in(text):
        return
    for rx in _SIGNATURES:
        m = rx.search(text)
        name = _signed(m) if m else None
        if name:
            votes[name] += 6
    m = _RESERVED.search(text) if "reserved" in text.lower() else None
    m = m or _COPYRIGHT.match(text)  # the holder after the reservation, else after the sign
    name = _name(m["n"]) if m else None
    if name:
        votes[name] += 2  # the copyright holder is often the parent company: the weakest signature
    for m in _EMAIL.finditer(text) if "@" in text else ():
        name = tables.outlet_by_domain(m["d"])
        if name:
            votes[name] += 2


def find_outlet(lines: Sequence[Line], start: int, end: int, agency: str | None, credit: str | None,
                title_at: int | None = None) -> str | None:
    """The outlet, from its signatures outside the article body and its masthead; the dateline's own
    bracket ("RAWALPINDI (Dunya News) -") and a house agency tag as last resorts."""
    votes: Counter[str] = Counter()
    for i, ln in enumerate(lines):
        if start <= i < end or ln.kind in (Kind.PROSE, Kind.TEASER, Kind.BLANK) or len(ln.bare) > 300:
            continue
        _votes_of(ln, votes)
    masthead = _masthead(lines, title_at if title_at is not None else start)
    if masthead:
        votes[masthead] += 3
    if credit:
        name = _name(credit)
        if name:
            votes[name] += 4
    if votes:
        return votes.most_common(1)[0][0]
    return tables.house_outlet(agency) if agency else None


MASTHEAD_LINES = 3


def _masthead(lines: Sequence[Line], stop: int) -> str | None:
    """The site's name as the top of its page prints it ("Deccan Herald", "BBC News - Asia"): the first
    short line of a few words above the headline, when the page does not open with its menu."""
    from .dates import find_literals

    seen = 0
    for ln in lines[:stop]:
        if ln.kind in (Kind.BLANK, Kind.SKIP, Kind.HEADER):
            continue
        seen += 1
        if seen > MASTHEAD_LINES:
            break
        if ln.kind is not Kind.SHORT or not 1 <= ln.n <= 6:
            continue
        text = _unglue(re.split(r"\s[-–|:]\s", ln.bare)[0].strip())
        if _navigation_only(text):
            return None  # the page opens with its menu: it prints no name above it
        if find_literals(text) or any(c.isdigit() for c in text):
            continue
        return _name(text)
    return None


_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


def _unglue(text: str) -> str:
    """A logo's name glued to the slogan beside it ("The Washington PostDemocracy Dies in Darkness"):
    the name. A capital inside one word of a name ("ThePrint") is left alone."""
    for m in _GLUE.finditer(text):
        if len(text[m.start():].split()) >= 2:
            return text[: m.start()]
    return text


def _navigation_only(text: str) -> bool:
    """Not a site's name: a menu, a widget, a place, a sentence ("CNN values your feedback"), or a row
    holding words of a menu or a widget ("E-Paper Advertise Contact Us Pakistan Observer")."""
    from .lines import function_word, is_nav, is_widget, nav_word, share_word

    low = text.lower()
    tokens = low.split()
    if (is_nav(text) or is_widget(text) or low in tables.places().places
            or any(share_word(t) and not function_word(t) for t in tokens)):
        return True
    if all(nav_word(t) for t in tokens) or sum(nav_word(t) for t in tokens) >= 2:
        return True
    return not all(w[:1].isupper() or not w[:1].isalpha() or function_word(w.lower()) for w in text.split())


@cache
def _promo_words() -> tuple[str, str]:
    d = tables.load("boilerplate.toml")
    return ("|".join(re.escape(w) for w in d["promo_before"]), "|".join(re.escape(w) for w in d["promo_after"]))


@cache
def _promo(outlet: str) -> re.Pattern[str]:
    before, after = _promo_words()
    forms = tables.outlet_forms(outlet)
    names = "|".join(re.escape(f) for f in forms)
    sites = "|".join(re.escape(f) for f in forms if "." in f) or r"(?!x)x"
    return re.compile(rf"\b(?:{before})\s+(?:the\s+)?(?:{names})\b|(?:{names})(?:\.com)?\s+(?:{after})\b"
                      rf"|\bon\s+(?:www\.)?(?:{sites})\b", re.I)


PROMO_WORDS = 40


def is_self_promo(paragraph: str, outlet: str | None) -> bool:
    """A short line in which the page speaks of itself: the outlet named with a call to action before
    it or a word of the site's own after it ("Help ThePrint keep its reporters ...")."""
    if outlet is None or words(paragraph) > PROMO_WORDS:
        return False
    low = paragraph.lower()
    if not any(form.lower() in low for form in tables.outlet_forms(outlet)):
        return False  # the cheap test first: most lines do not name the outlet at all
    return bool(_promo(outlet).search(paragraph))

"""One dump -> one Article: the clean body found as the page's main run of prose, the headline
and the metadata read from the lines placed around it.

Every outlet's page has the same shape, whatever its wording:

    [site debris] [kicker] headline [standfirst] [byline / date lines] [captions] body [debris]

1. ``lines`` normalises the dump (reflowing a hard-wrapped one) and gives each line a kind.
2. The body is the longest run of prose, allowing the promos, captions and subheadings that
   interrupt an article and ending where the page moves on (a "Related" heading, a footer).
3. The headline is the line above the body shaped and placed like one, never a caption, a
   byline, a menu, a share widget or a standfirst; no such line, no title.
4. ``metadata`` reads the date, agency, dateline and outlet from the page's own date lines,
   credits and signatures, never from banners, sidebars or captions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import tables
from .dates import find_literals
from .lines import (
    Kind,
    Line,
    is_byline,
    is_byline_row,
    is_nav,
    is_summary_label,
    is_widget,
    normalised_lines,
    words,
)
from .metadata import closing_agency
from .models import Article

# Between two paragraphs of one article there may be promos, captions and a few short lines
# (subheadings, an inline "Also read" link); this many short lines in a row is another list.
MAX_SHORT_GAP = 3
# This many share or tool buttons in a row separate a standfirst from the article.
MAX_WIDGETS = 3
# The headline is looked for this many non-blank lines above the body at most.
HEAD_REACH = 16


class NoArticle(ValueError):
    """The text holds no article: nothing that reads as a headline or a paragraph."""


@dataclass(frozen=True, slots=True)
class Run:
    """A run of prose: the lines from ``start`` to ``end`` (exclusive) and the prose words in it."""

    start: int
    end: int
    words: int


def split_lines(text: str) -> list[Line]:
    """Normalise and classify every line of a dump."""
    return normalised_lines(text)


# -- the body ---------------------------------------------------------------------------------------


def prose_runs(lines: Sequence[Line]) -> list[Run]:
    """Runs of prose, split where the page moves on: a stop heading, a teaser list, a byline or date
    block, or more short lines in a row than an article's subheadings and inline links make."""
    runs: list[Run] = []
    start = end = -1
    count = short = widgets = 0
    for i, ln in enumerate(lines):
        kind = ln.kind
        if kind is not Kind.BLANK:
            widgets = widgets + 1 if kind is Kind.SKIP and is_widget(ln.bare) else 0
        if start >= 0 and widgets >= MAX_WIDGETS:
            # a row of share buttons, a line each: the prose above it was a standfirst
            runs.append(Run(start, end, count))
            start, count, short = -1, 0, 0
        if kind is Kind.PROSE:
            if start < 0:
                start = i
            end, count, short = i + 1, count + ln.n, 0
        elif kind is Kind.SENTENCE and start >= 0:
            end, short = i + 1, 0  # a short closing sentence belongs to the run it ends
        if start >= 0 and end == i + 1 and closing_agency(ln.bare):
            runs.append(Run(start, end, count))  # a wire's closing credit ("... (PTI)", "-- AFP") ends the story
            start, count, short = -1, 0, 0
            continue
        elif start >= 0 and (kind in (Kind.STOP, Kind.TEASER, Kind.META, Kind.HEADER)
                             or (kind is Kind.SHORT and _breaks(ln, short))):
            # a byline or date block after prose: that prose was a standfirst
            runs.append(Run(start, end, count))
            start, count, short = -1, 0, 0
        elif kind is Kind.SHORT:
            short += 1
    if start >= 0:
        runs.append(Run(start, end, count))
    return runs


def _breaks(line: Line, short_before: int) -> bool:
    return short_before + 1 > MAX_SHORT_GAP or is_nav(line.bare)


# A dateline lead is looked for among the run's first this many paragraphs.
LEAD_REACH = 3


def _lead_start(lines: Sequence[Line], run: Run) -> int:
    """Where the article begins: the run's first prose line, or a short lead sentence or a dateline
    standing alone just above it. A dateline opens the story: prose before a dateline lead in the
    first lines of the run is a caption or a standfirst."""
    from .metadata import find_dateline

    prose = [i for i in range(run.start, run.end) if lines[i].kind is Kind.PROSE][:LEAD_REACH]
    datelined = [i for i in prose if find_dateline(lines[i].bare)]
    if datelined and datelined[0] != prose[0]:
        return datelined[0]
    i = run.start
    j = i - 1
    while j >= 0 and lines[j].kind is Kind.BLANK:
        j -= 1
    if j >= 0 and _is_lead_part(lines[j]):
        return j
    return i


def _is_lead_part(line: Line) -> bool:
    """A line the lead begins with: its dateline alone ("ISLAMABAD:"), or a short first sentence
    opening with one."""
    from .metadata import find_dateline

    if line.kind is Kind.SENTENCE and line.n >= 8 and not is_byline(line.bare, line.n):
        return find_dateline(line.bare) is not None
    return line.kind is Kind.SHORT and line.n <= 4 and find_dateline(line.bare) is not None


def body_paragraphs(lines: Sequence[Line], start: int, end: int, repeats: set[str]) -> list[str]:
    """The article's paragraphs between ``start`` and ``end``: prose and sentences, and the
    subheadings that introduce prose; promos, captions, widgets and link lists are dropped. A dateline
    standing alone on the first line ("ISLAMABAD:") is the lead's first words."""
    alone = lines[start].bare if start < end and lines[start].kind is Kind.SHORT else None
    kept: list[tuple[str, Kind]] = []
    for ln in lines[start + 1 if alone else start : end]:
        if ln.bare in repeats:
            continue
        if ln.kind in (Kind.PROSE, Kind.SENTENCE):
            kept.append((ln.bare, ln.kind))
        elif ln.kind is Kind.SHORT and _heading_like(ln.bare) and not tables.outlet_name(ln.bare):
            kept.append((ln.bare, Kind.SHORT))
    paragraphs = _drop_lists(kept)
    if paragraphs and is_author_note(paragraphs[-1]):
        paragraphs.pop()
    if alone and paragraphs:
        paragraphs[0] = f"{alone} {paragraphs[0]}"
    return paragraphs


@functools.cache
def _author_note() -> re.Pattern[str]:
    roles = "|".join(re.escape(r) for r in tables.load("boilerplate.toml")["bio_roles"])
    return re.compile(rf"^(?:[A-Z][\w.'’-]+\s+){{1,4}}(?:is|was)\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,4}}(?:{roles})\b")


def is_author_note(paragraph: str) -> bool:
    """A closing note about the author: "Zeeshan Akhtar is a Lahore-based journalist who covers ..."."""
    return words(paragraph) <= 40 and bool(_author_note().match(paragraph))


def _heading_like(bare: str) -> bool:
    n = words(bare)
    return (1 <= n <= 15 and bare[:1].isupper() and not bare.endswith(":") and not is_widget(bare)
            and not is_nav(bare))


def _drop_lists(kept: list[tuple[str, Kind]]) -> list[str]:
    """Keep subheadings that introduce prose; a run of three or more short lines is a link list."""
    out: list[str] = []
    i, n = 0, len(kept)
    while i < n:
        text, kind = kept[i]
        if kind is not Kind.SHORT:
            out.append(text)
            i += 1
            continue
        j = i
        while j < n and kept[j][1] is Kind.SHORT:
            j += 1
        if j - i < 3 and j < n:  # headings followed by prose stay
            out.extend(t for t, _ in kept[i:j])
        i = j
    return out


# -- the head ---------------------------------------------------------------------------------------


def find_title(lines: Sequence[Line], body_start: int) -> int | None:
    """The line of the headline, walking up from the body over the head block. What holds on every
    layout: the headline stands above the byline and date lines (a headline-shaped line between them
    and the body is a widget or a standfirst, used only when nothing above qualifies); a kicker or a
    menu stands above the headline; the items under a summary label ("Story highlights") are the
    summary. The topmost candidate wins (a standfirst without a full stop sits below the headline);
    a line the page prints twice (its title bar, then above the text) wins over all."""
    above: list[int] = []  # candidates above the byline block
    below: list[int] = []  # candidates between it and the body
    seen = menu = 0
    for i in range(body_start - 1, -1, -1):
        ln = lines[i]
        if ln.kind is Kind.BLANK:
            continue
        seen += 1
        found = above if seen_byline(lines, i, body_start) else below
        if seen > HEAD_REACH or (ln.kind is Kind.STOP and found):
            break
        if is_summary_label(ln.bare):
            found.clear()  # what stood below the label was the summary
        elif is_byline_row(ln) or (ln.kind is not Kind.PROSE and is_widget(ln.bare)):
            continue  # (share buttons printed one per line are no menu)
        elif headline_shaped(ln):
            found.append(i)
            menu = 0
        elif ln.kind is Kind.SHORT and is_nav(ln.bare) and not _ends_in_headline(ln.bare):
            break  # the site's menu row: the head block, and any headline, is below it
        elif ln.kind is Kind.SHORT and ln.n <= 3 and _menu_item(ln.bare):
            if above:
                break  # a kicker or a section label: the headline is the line below it
            menu += 1  # a widget's option, or one item of a menu printed a line each
            if menu >= 3 and not _byline_above(lines, i):
                break  # (topic tags between the byline and the body are no menu)
        elif ln.kind is Kind.PROSE and found:
            break
    return _best_candidate(lines, above or below)


def _menu_item(text: str) -> bool:
    """A short line that may be a menu item or a kicker: words, not a dash, a place or the site's name
    (which a dateline split over lines is made of: "Islamabad, Pakistan" / "CNN" / "—")."""
    return (any(c.isalpha() for c in text) and not tables.outlet_name(text)
            and text.split(",")[0].strip().lower() not in tables.places().places)


def _byline_above(lines: Sequence[Line], at: int, reach: int = 8) -> bool:
    """Whether a byline or date line stands within ``reach`` lines above line ``at``."""
    return any(is_byline_row(ln) for ln in lines[max(0, at - reach * 2):at] if ln.kind is not Kind.BLANK)


def seen_byline(lines: Sequence[Line], at: int, body_start: int) -> bool:
    """Whether a byline or date line stands between line ``at`` and the body."""
    return any(is_byline_row(ln) for ln in lines[at + 1 : body_start])


def _best_candidate(lines: Sequence[Line], candidates: list[int]) -> int | None:
    if not candidates:
        return None
    texts = [ln.bare for ln in lines]
    for i in reversed(candidates):  # topmost first: the copy the standfirst follows
        if sum(1 for t in texts if _same_headline(t, lines[i].bare)) > 1:
            return i
    # a line in capitals is a section label or a menu item ("SPECIAL COVERAGE") when a line in
    # ordinary case is there to be the headline
    cased = [i for i in candidates if not lines[i].bare.isupper()]
    candidates = cased or candidates
    # the page's first line, when another candidate is below it, is its masthead (a logo and slogan)
    first = next((i for i, ln in enumerate(lines) if ln.kind not in (Kind.BLANK, Kind.SKIP, Kind.HEADER)), None)
    below_top = [i for i in candidates if i != first]
    return (below_top or candidates)[-1]


def headline_shaped(line: Line) -> bool:
    """Shaped like a headline: a short line of words, not a sentence with a full stop, not a byline,
    a menu, a widget, a caption or a date line."""
    if line.kind is not Kind.SHORT and not (line.kind is Kind.SENTENCE and line.bare.endswith(("?", "!", "'", "’"))):
        return False
    text = line.bare
    if not 4 <= line.n <= 24 or not text[:1].isupper() and not text[:1].isdigit() and text[:1] not in "‘'\"“$":
        return False
    if text.endswith((":", ",", ";")) or text.startswith(("#", "[", "(")) or "@" in text or "►" in text:
        return False
    if find_literals(text):  # a headline names no full calendar date; a related link often does
        return False
    return not (is_byline(text) or is_nav(text) or is_widget(text) or tables.outlet_name(text))


_CRUMBS = re.compile(r"\s+(?:/|›|»|>)\s+")


def _ends_in_headline(text: str) -> bool:
    """A breadcrumb trail whose last step is the headline ("Home | News | Statement on the handover ...")."""
    steps = re.split(r"\s(?:/|›|»|>|\|)\s", text)
    return len(steps) > 1 and words(steps[-1]) >= 4


def strip_crumbs(title: str) -> str:
    """A headline printed after its breadcrumb trail ("News / World / Pakistan, US agree ..."): the last step."""
    steps = _CRUMBS.split(title)
    return steps[-1] if len(steps) > 1 and words(steps[-1]) >= 4 else title


def _same_headline(a: str, b: str) -> bool:
    """``a`` is the headline ``b``, perhaps with the site's name after a separator ("… | Dawn")."""
    return a == b or (a.startswith(b) and a[len(b):len(b) + 3].strip()[:1] in ("|", "-", "–", "—", ":"))


def find_subtitle(lines: Sequence[Line], title_at: int | None, body_start: int) -> str | None:
    """The standfirst: sentence lines right below the headline, before the body."""
    if title_at is None:
        return None
    parts: list[str] = []
    for ln in lines[title_at + 1 : body_start]:
        if ln.kind is Kind.BLANK:
            continue
        if ln.kind in (Kind.SENTENCE, Kind.PROSE) and ln.n <= 80 and not is_byline(ln.bare, ln.n):
            parts.append(ln.bare)
            if len(parts) == 2:
                break
        elif parts or ln.kind not in (Kind.CAPTION, Kind.SKIP, Kind.SHORT):
            break
    return " ".join(parts) or None


# -- the whole --------------------------------------------------------------------------------------


def parse(text: str, *, ident: str, file: str) -> Article:
    """Parse one dump into an Article. Raises NoArticle when nothing in it reads as an article."""
    return parse_page(text, ident=ident, file=file)[0]


# The main run of prose holds at least this share of the page's prose, or the layout was misread.
MAIN_SHARE = 0.5


def parse_page(text: str, *, ident: str, file: str) -> tuple[Article, str | None]:
    """Parse one dump into an Article and a note for the user when its layout was not recognised
    (the body is then all the prose the page holds). Raises NoArticle when nothing reads as an article."""
    from .metadata import read_metadata
    from .outlets import is_self_promo

    lines = split_lines(text)
    runs = prose_runs(lines)
    note = None
    if not runs:
        title_at = next((i for i, ln in enumerate(lines[:40]) if headline_shaped(ln)), None)
        if title_at is None:
            raise NoArticle("no headline or paragraph found (only site debris?)")
        start = end = title_at + 1
    else:
        run = max(runs, key=lambda r: r.words)
        total = sum(r.words for r in runs)
        if run.words < MAIN_SHARE * total:
            # no run stands out as the article: keep all the prose, and say so
            run = Run(runs[0].start, runs[-1].end, total)
            note = (f"its layout was not recognised (no run of paragraphs holds half of its {total} words of "
                    "prose): the body is all of its prose; check it with 'pakus show --raw'")
        start, end = _lead_start(lines, run), run.end
        title_at = find_title(lines, start)
    title = strip_crumbs(lines[title_at].bare) if title_at is not None else None
    subtitle = find_subtitle(lines, title_at, start)
    repeats = {r for r in (title, subtitle) if r}
    paragraphs = body_paragraphs(lines, start, end, repeats)
    if not paragraphs and title is None:
        raise NoArticle("no headline or paragraph found (only site debris?)")
    meta = read_metadata(lines, title_at, start, end, paragraphs)
    paragraphs = [p for p in paragraphs if not is_self_promo(p, meta.outlet)]
    article = Article(
        id=ident, file=file, title=title, subtitle=subtitle, date=meta.date, date_source=meta.date_source,
        outlet=meta.outlet, agency=meta.agency, dateline=meta.dateline, paragraphs=tuple(paragraphs),
    )
    return article, note

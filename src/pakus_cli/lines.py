"""A dump as lines: normalised, reflowed when it was hard-wrapped, and each given a kind.

The kinds are what every outlet's page is made of (prose, short sentences, headings and
headlines, byline and date lines, captions, promos and widgets, list headings that open the
rest of the site); the cue words that tell them apart are rows of ``data/boilerplate.toml``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, auto
from functools import cache

from . import tables
from .dates import find_literals
from .text import CONTROL, ends_a_sentence


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
# A line this long with mostly lower-case words is prose even without a full stop (a paragraph cut off
# at the end of a dump, or one long sentence).
RUN_ON_WORDS = 25

_BLANKS = re.compile(r"[\t\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]")
_BULLET_CHARS = "•·●▪►*-–"
_BULLET = re.compile(r"^(?:[•·●▪►*]+|[-–](?=\s))\s*")
HEADER_DATE = re.compile(r"^date\s+(\d{4}-\d{2}-\d{2})\b", re.I)
_GLUED_HEADER = re.compile(r"^\s*(date\s+\d{4}-\d{2}-\d{2})\s+(\S.*)$", re.I)
META_WORD = re.compile(
    r"\b(?P<word>updated|created|published|posted|first published|last updated|dated|release date|date)"
    r"\s*(?:on|at)?\s*:?\s*",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_LINK_REF = re.compile(r"#?\[\d+\]")  # lynx's numbered links: "[12]Pakistan", "#[1]BBC"
_URL_LINE = re.compile(r"^(?:\d+\.\s+)?(?:https?://|www\.)\S+$")
# A caption however long ends on its photo credit: "... Feb. 26, 2022. (U.S. Air Force photo by Staff Sgt. X)".
_PHOTO_CREDIT_END = re.compile(
    r"\((?:[^()]*\s)?(?:photo|photograph|image|picture)\s*(?:by\b|:|courtesy\b)[^()]*\)$", re.I
)
_META_SEP = re.compile(r"\s*[|•·]\s*|,\s+")
_TOKEN_SEP_TO_SPACE = str.maketrans("|•·,", "    ")
_STOP_SPACE = re.compile(r"[.?!]\s")
_CLOCK_WORDS = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:am|pm|ist|pkt|gmt|utc|est|edt|et)\b",
                          re.I)


def normalise_line(line: str) -> str:
    """Decode HTML entities, drop control and invisible characters, fold white space."""
    return _normalised(line)[0]


def _normalised(line: str) -> tuple[str, int]:
    """``normalise_line``, and how many words the line has (``words`` of it: its one split, counted)."""
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
    parts = line.split()
    return " ".join(parts), len(parts)


def words(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True, slots=True)
class Line:
    text: str  # normalised
    bare: str  # without a leading bullet
    kind: Kind
    n: int = 0  # words in bare


_BLANK = Line("", "", Kind.BLANK)


def normalised_lines(text: str) -> list[Line]:
    """The dump's lines (``raw_lines``), each normalised and given its kind: ``classify(normalise_line(raw))``,
    with the words the normalising split found counted once.

    A line's kind depends on its text alone, and the pages of one site repeat their furniture (menus,
    promos, "Top News", share widgets, footers) on every page: a line already seen with a kind other
    than prose is taken from ``_SEEN``, not classified again. Prose is not kept there: an article's
    paragraphs recur only in copies of it, so keeping them would cost memory for nothing."""
    seen = _SEEN
    if len(seen) > _SEEN_MOST:
        seen.clear()  # (a corpus of many sites: start afresh rather than grow without bound)
    out: list[Line] = []
    for raw in raw_lines(text):
        line = seen.get(raw)
        if line is None:
            line = classify(*_normalised(raw))
            if line.kind not in _PROSE_KINDS:
                seen[raw] = line
        out.append(line)
    return out


_SEEN: dict[str, Line] = {}  # raw line -> its Line, for lines of a site's furniture (normalised_lines)
_SEEN_MOST = 50_000  # lines kept at most (a few MB)
_PROSE_KINDS = frozenset((Kind.PROSE, Kind.SENTENCE))


# -- from raw text to raw lines -------------------------------------------------------------------


def raw_lines(text: str) -> list[str]:
    """The dump's lines, with the saving tool's header split off the text glued to it, and a
    hard-wrapped dump (lynx, w3m, html2text) reflowed into one line per paragraph.

    Lines end at "\\n" only (with "\\r\\n" and old "\\r"-only files understood): str.splitlines would
    also break at a stray carriage return, form feed or U+2028 inside a paragraph."""
    text = text.replace("\r\n", "\n")
    if "\n" not in text:
        text = text.replace("\r", "\n")
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        m = _GLUED_HEADER.match(line) if i < 3 else None
        if m:
            out.extend((m[1], m[2]))
        else:
            out.append(line)
    width = wrap_width(out)  # measured as saved: the link numbers took up the columns too
    if width:
        out = reflow(out, width)
    if "[" in text:
        out = [_LINK_REF.sub("", ln) for ln in out]
    if any(len(ln) > MAX_LINE for ln in out):
        out = [part for ln in out for part in split_long(ln)]
    return out


# A long line is cut into paragraphs of about this many characters, at sentence ends.
CHUNK = 2_000


def split_long(line: str) -> list[str]:
    """A line longer than MAX_LINE: prose (a paragraph saved on one line, a page squeezed onto one) is
    cut at sentence ends into paragraphs of about CHUNK characters; anything else (a data blob, a
    minified script) stays one line, which is then skipped."""
    if len(line) <= MAX_LINE:
        return [line]
    sample = line[:MAX_LINE]
    words_in = sample.split()
    if not words_in or len(sample) / len(words_in) > 12 or lowercase_share(sample) < 0.5:
        return [line]
    from .text import sentences

    parts: list[str] = []
    current = ""
    for sentence in sentences(line):
        if current and len(current) + len(sentence) > CHUNK:
            parts.append(current)
            current = ""
        current = f"{current} {sentence}" if current else sentence
    if current:
        parts.append(current)
    return [p for part in parts for p in (part, "")]


def wrap_width(lines: Sequence[str]) -> int | None:
    """The column a dump was hard-wrapped at, or None when its paragraphs are single lines."""
    # lines of words only: a References list's long URLs say nothing about how the text was wrapped
    lengths = [len(ln.rstrip()) for ln in lines
               if len(ln.strip()) >= 30 and ln.strip().count(" ") >= 4 and not _URL_LINE.match(ln.strip())]
    if len(lengths) < 8:
        return None
    long = sum(1 for n in lengths if n > 100)
    near = sorted(n for n in lengths if 55 <= n <= 100)
    if long > len(lengths) * 0.05 or len(near) < max(6, len(lengths) * 0.4):
        return None
    return near[int(len(near) * 0.95) - 1] if len(near) > 1 else near[0]


def reflow(lines: Sequence[str], width: int) -> list[str]:
    """Join each line to the next when it was broken because it was full: its length plus the next
    line's first word would not have fitted in ``width``."""
    out: list[str] = []
    current, previous = "", ""
    for raw in lines:
        line = raw.strip()
        if not line:
            if current:
                out.append(current)
            out.append("")
            current = previous = ""
            continue
        first = line.split(" ", 1)[0]
        if current and len(previous.rstrip()) + 1 + len(first) > width - 2 and not _is_item(line):
            current += " " + line
        else:
            if current:
                out.append(current)
            current = line
        previous = raw
    if current:
        out.append(current)
    return out


def _is_item(line: str) -> bool:
    """A list item or a link line starts a line of its own even after a full one."""
    return bool(_BULLET.match(line)) or bool(_URL_LINE.match(line))


# -- kinds ------------------------------------------------------------------------------------------


def is_meta(bare: str, n: int | None = None) -> bool:
    """A byline or meta line: "ANI | Updated: 23-12-2022", "PTI, Jun 29, 2024, 5:17 PM IST" (``n``: its
    words, when counted)."""
    if (words(bare) if n is None else n) > 20:
        return False
    if bare == "|":
        return True
    low = bare.lower()
    has_date = bool(find_literals(bare))
    if has_date and META_WORD.search(bare):
        return True
    if not has_date and "|" not in bare and "," not in bare and "•" not in bare and "·" not in bare:
        # no date and nothing _META_SEP splits at: meta only when the line is an agency's name alone
        # (the one token the split below would give; what follows asks for a date)
        return tables.agency_name(bare.strip()) is not None
    tokens = [t.strip() for t in _META_SEP.split(bare) if t.strip()]
    if tokens and tables.agency_name(tokens[0]) and (has_date or "|" in bare or len(tokens) == 1):
        return True
    if has_date and (low.startswith(("by ", "posted ", "published"))):
        return True
    if has_date and len(_WORD.findall(strip_dates(bare))) <= 4:
        return True  # a line that is only a date ("Sunday, January 5, 2020 10:30 AM")
    return False


def strip_dates(text: str) -> str:
    """The text without its calendar dates, weekdays, times and time zones."""
    for lit in reversed(find_literals(text)):
        text = text[: lit.begin] + text[lit.finish :]
    return _CLOCK_WORDS.sub("", text)


def classify(text: str, n: int | None = None) -> Line:
    """Give one normalised line its kind (``n``: its words, when counted)."""
    if not text:
        return _BLANK
    bare = _BULLET.sub("", text) if text[0] in _BULLET_CHARS else text
    if not bare:
        return Line(text, bare, Kind.SKIP)
    n = n if n is not None and bare is text else words(bare)
    kind = _site_kind(bare, n) or _text_kind(text, bare, n)
    return Line(text, bare, kind, n)


def _site_kind(bare: str, n: int) -> Kind | None:
    """The kinds a line of the site's own furniture has: header, stop, skip, caption, meta."""
    low = bare.lower()
    cues = tables.boilerplate()
    if len(bare) > MAX_LINE:
        return Kind.SKIP
    if low.startswith("date") and HEADER_DATE.match(bare):
        return Kind.HEADER
    if (n <= 6 and low.rstrip(" :") in cues.stop_headings) or (n <= 20 and cues.stop_prefix.match(low)):
        return Kind.STOP
    if n <= 60 and cues.notice_prefix.match(low):
        return Kind.STOP  # a copyright and republication notice, however long
    if n <= 40 and (cues.skip_contains.search(low) or cues.skip_prefix.match(low)):
        return Kind.SKIP
    if _URL_LINE.match(bare) or (n <= 12 and is_widget(bare)):
        return Kind.SKIP
    if (n <= 25 and cues.caption.search(low)) or (n <= 80 and _PHOTO_CREDIT_END.search(bare)):
        return Kind.CAPTION
    if n <= 20 and is_meta(bare, n):
        return Kind.META
    return None


def _text_kind(text: str, bare: str, n: int) -> Kind:
    """The kinds of a line of text: teaser, prose, sentence, short."""
    if bare.endswith(("...", "…")) and n >= 8:
        return Kind.TEASER
    if n >= PROSE_WORDS and (ends_a_sentence(bare) or _STOP_SPACE.search(bare)):
        return Kind.PROSE
    if n >= RUN_ON_WORDS and lowercase_share(bare) >= 0.5:
        return Kind.PROSE
    if ends_a_sentence(bare) and n >= 4 and any(c.islower() for c in bare):
        return Kind.SENTENCE
    if text != bare and n <= 3:
        return Kind.SKIP  # a bullet fragment of a share/meta widget ("• United States")
    return Kind.SHORT


def lowercase_share(text: str) -> float:
    """The share of a line's words that start in lower case (prose is mostly lower case)."""
    ws = _WORD.findall(text)
    return sum(1 for w in ws if w[0].islower()) / len(ws) if ws else 0.0


@cache
def _word_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    d = tables.load("boilerplate.toml")
    return frozenset(d["nav_words"]), frozenset(d["share_words"]), frozenset(d["function_words"])


def _tokens(text: str) -> list[str]:
    r"""The lower-cased words of a line between white space and ``|•·,``: what splitting it at
    ``[\s|•·,]+`` leaves (str.split's white space is the regex engine's ``\s``)."""
    return text.lower().translate(_TOKEN_SEP_TO_SPACE).split()


def nav_word(token: str) -> bool:
    """A word of site navigation ("home", "world", "opinion")."""
    return token in _word_sets()[0]


def share_word(token: str) -> bool:
    """A word of a share or tool widget ("facebook", "print", "sign")."""
    return token in _word_sets()[1]


def function_word(token: str) -> bool:
    """A word a headline has and a menu has not ("to", "of", "after")."""
    return token in _word_sets()[2]


def is_widget(text: str) -> bool:
    """A row of share or tool buttons ("Facebook Twitter WhatsApp Email", "Font Size Save Print")."""
    if len(text) >= 80:
        return False
    tokens = _tokens(text)
    return len(tokens) >= 1 and sum(map(_word_sets()[1].__contains__, tokens)) >= 0.75 * len(tokens)


def is_nav(text: str) -> bool:
    """A menu or breadcrumb line ("Home Pakistan World Business", "News › International › World")."""
    if any(sep in text for sep in ("›", "»", " > ")) or text.count("|") >= 2:
        return True
    tokens = _tokens(text)
    nav, _, function = _word_sets()
    if len(tokens) < 3 or any(c in text for c in ",:;?!'’\"$%"):
        return False
    capitals = sum(1 for w in text.split() if w[:1].isupper() or not w[:1].isalpha())
    if capitals < 0.8 * len(text.split()):
        return False
    named = sum(t in nav for t in tokens)
    # mostly section names, or, with no function word a headline would have, several of them among the
    # cities and regions a menu lists ("Home National Islamabad Lahore Karachi Business World Sports")
    return named >= 0.6 * len(tokens) or (named >= 3 and named >= 0.3 * len(tokens)
                                           and not any(t in function for t in tokens))


def is_byline_row(line: Line) -> bool:
    """A line of the byline block: a meta line, a byline or desk line, or a short line stating when the
    story was published or updated ("1 min read . Updated: 24 Sep 2021")."""
    if line.kind is Kind.META or (line.kind in (Kind.SHORT, Kind.SKIP) and is_byline(line.bare, line.n)):
        return True
    return line.kind is Kind.SKIP and line.n <= 20 and bool(META_WORD.search(line.bare)) and bool(
        find_literals(line.bare))


@cache
def _summary_labels() -> frozenset[str]:
    return frozenset(tables.load("boilerplate.toml")["summary_labels"])


def is_summary_label(text: str) -> bool:
    """A label over a page's summary points ("Story highlights", "Key points", "In short")."""
    return len(text) < 30 and text.lower().strip(" :") in _summary_labels()


@cache
def _byline_cues() -> tuple[tuple[str, ...], tuple[str, ...]]:
    d = tables.load("boilerplate.toml")
    return tuple(d["byline_prefixes"]), tuple(d["byline_suffixes"])


def is_byline(text: str, n: int | None = None) -> bool:
    """A byline or desk line: "By Zarak Khalil", "India Today World Desk", "Press Trust of India Washington"
    (``n``: its words, when counted)."""
    if (words(text) if n is None else n) > 12:
        return False
    low = text.lower().rstrip(" .")
    prefixes, suffixes = _byline_cues()
    if low.startswith(prefixes) or low.endswith(suffixes):
        return True
    return tables.agency_prefix(text) is not None

"""Text rules that several stages share: the vocabulary of ``data/lexicon.toml``, sentence ends
and splitting, headings, control characters, the dateline's terminator.

The parser, the date tagger, the event finder and the renderer all read these; each rule lives
here once so that the stages cannot drift apart.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# Terminal control sequences and C0/C1 controls: never printed, never parsed (ESC [ 2 J, OSC titles, BEL).
CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# A sentence ends in . ? ! (perhaps inside quotes or brackets), or in a wire credit after one:
# "... capabilities. (APP)", "... the release. — Reuters". One rule for the parser and the renderer.
SENTENCE_END = re.compile(r"[.?!][\"'”’)\]]*(?:\s*\([A-Za-z]{2,10}\)|\s+[-–—]{1,2}\s*[A-Z][A-Za-z]{1,9})?$|[\"”’]$")

# What closes a dateline before the story: "ISLAMABAD:", "WASHINGTON —", "Karachi - ", "ISLAMABAD //"
# (or the end of a line that holds the dateline alone).
DATELINE_END = r"\s*(?::|—|–|\s-{1,2}|\s//)(?:\s+|$)"

_SPLIT = re.compile(r"(?<=[.?!])([\"'”’)\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([\w.'’]+)\.$")


def safe(text: str) -> str:
    """Text with terminal control characters and escape sequences removed (ESC, BEL, OSC 8, CR)."""
    if text.isprintable():
        return text
    return CONTROL.sub("", text)


def is_heading(paragraph: str) -> bool:
    """A subheading among an article's paragraphs: short, and without a sentence's end."""
    return len(paragraph.split()) <= 15 and not SENTENCE_END.search(paragraph.rstrip())


@cache
def lexicon() -> dict[str, Any]:
    """The words of ``data/lexicon.toml``."""
    from . import tables  # here: the renderer imports this module on every run, and needs no tables

    return tables.load("lexicon.toml")


@cache
def months() -> dict[str, int]:
    """Month names and abbreviations (lower case) -> month number."""
    return {k: int(v) for k, v in lexicon()["months"].items()}


@cache
def weekdays() -> dict[str, int]:
    """Weekday names and abbreviations (lower case) -> weekday number (Monday 0)."""
    return {k: int(v) for k, v in lexicon()["weekdays"].items()}


@cache
def numbers() -> dict[str, int]:
    return {k: int(v) for k, v in lexicon()["numbers"].items()}


def words(section: str, key: str) -> tuple[str, ...]:
    """A word list of the lexicon (``words("cues", "future")``)."""
    return tuple(lexicon()[section][key])


def alternation(options: Any, *, word: bool = False) -> str:
    """A regex alternation of literal words, longest first (so "September" wins over "Sep")."""
    items = sorted({str(o) for o in options}, key=len, reverse=True)
    body = "|".join(re.escape(i).replace(r"\ ", r"\s+") for i in items)  # re.escape escapes spaces
    return rf"\b(?:{body})\b" if word else f"(?:{body})"


def cue_pattern(cues: Any, flags: int = re.I) -> re.Pattern[str]:
    """The cue words of a data table as one pattern. A cue matches at the start of a word ("train"
    finds "training"); a trailing "$" asks for the whole word ("aid$" is not "aide")."""
    cues = list(cues)
    whole = [c[:-1] for c in cues if c.endswith("$")]
    start = [c for c in cues if not c.endswith("$")]
    parts = [alternation(whole) + r"(?![\w-])" if whole else "", alternation(start) if start else ""]
    return re.compile(r"(?<![\w-])(?:" + "|".join(p for p in parts if p) + ")", flags)


@cache
def month_re() -> str:
    """A month's name or abbreviation, with an optional full stop ("Sept.")."""
    return alternation(months()) + r"\.?"


@cache
def weekday_re(*, short: bool = False) -> str:
    """A weekday's full name (or, with ``short``, its abbreviation too), capitalised as printed."""
    names = [n.capitalize() for n, _ in weekdays().items() if short or len(n) > 5]
    return alternation(names)


def month_number(word: str) -> int:
    """Month number of a month name or abbreviation (``Sept.`` -> 9)."""
    return months()[word.lower().rstrip(".")]


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(words("sentences", "abbreviations"))


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations (Gen., U.S., Jan.) inside them."""
    out: list[str] = []
    start = 0
    abbrev = _abbreviations()
    for m in _SPLIT.finditer(paragraph):
        end = m.start() + len(m.group(1))
        last = _LAST_WORD.search(paragraph, start, m.start())
        if last and (last.group(1).lower() in abbrev or (len(last.group(1)) == 1 and last.group(1).isalpha())):
            continue
        out.append(paragraph[start:end].strip())
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]

"""Text rules that several stages share: the vocabulary of ``data/lexicon.toml``, sentence ends
and splitting, headings, control characters, the dateline's terminator.

The parser, the date tagger, the event finder and the renderer all read these; each rule lives
here once so that the stages cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Iterator, Sequence
from functools import cache
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)  # a CueSet's names: a list's name, or (table, name)

# Terminal control sequences and C0/C1 controls: never printed, never parsed (ESC [ 2 J, OSC titles, BEL).
CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# A sentence ends in . ? ! (perhaps inside quotes or brackets), or in a wire credit after one:
# "... capabilities. (APP)", "... the release. — Reuters". One rule for the parser and the renderer.
SENTENCE_END = re.compile(r"[.?!][\"'”’)\]]*(?:\s*\([A-Za-z]{2,10}\)|\s+[-–—]{1,2}\s*[A-Z][A-Za-z]{1,9})?$|[\"”’]$")
# The characters a SENTENCE_END match can hold after its first one: a match that starts before the
# last _TAIL characters of a text holds every one of them.
_END_CHARS = frozenset("\"'”’)]([-–— \t\n\r\x0b\x0c" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.?!")
_TAIL = 48


def ends_a_sentence(text: str) -> bool:
    """Whether the text ends as a sentence does (``SENTENCE_END``), looked for in its last characters
    only, unless every one of them could belong to a longer ending."""
    tail = max(0, len(text) - _TAIL)
    if SENTENCE_END.search(text, tail):
        return True
    return tail > 0 and all(c in _END_CHARS or c.isspace() for c in text[tail:]) and bool(SENTENCE_END.search(text))

# What closes a dateline before the story: "ISLAMABAD:", "WASHINGTON —", "Karachi - ", "ISLAMABAD //"
# (or the end of a line that holds the dateline alone).
DATELINE_END = r"\s*(?::|—|–|\s-{1,2}|\s//)(?:\s+|$)"

# Where a paragraph may split into sentences: a stop, closing quotes or brackets, space, and what opens
# a sentence. The stop is part of the match (not a look-behind), so the regex engine skips to the
# stops instead of trying every place (``tests/test_patterns.py`` keeps the look-behind form).
_SPLIT_AT = re.compile(r"[.?!]([\"'”’)\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_WORD_DOTS = "_.'’"  # with letters and digits, what the word before a full stop is made of ([\w.'’])


def safe(text: str) -> str:
    """Text with terminal control characters and escape sequences removed (ESC, BEL, OSC 8, CR)."""
    if text.isprintable():
        return text
    return CONTROL.sub("", text)


def is_heading(paragraph: str) -> bool:
    """A subheading among an article's paragraphs: short, and without a sentence's end."""
    return len(paragraph.split(None, 15)) <= 15 and not ends_a_sentence(paragraph.rstrip())  # (16 parts: more words)


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


def alternation(options: Any, *, word: bool = False, fold: bool = False, space: str = r"\s+") -> str:
    """A regex alternation of literal words, longest first (so "September" wins over "Sep"); a space
    in a word matches ``space`` (any run of whitespace). ``fold``: for a pattern matched without case
    (``re.I``).

    The words are laid out as a trie ("sec(?:urity|retary)"), which the regex engine walks in one
    pass instead of trying every word at every position: with a few hundred cue words per sentence,
    that is most of the time it takes to find an article's events. A trie keeps "longest first":
    every word that can match at one place is a prefix of the longest, and each branch tries to go
    on before it stops. With ``fold`` every letter is a class of its two cases, matched with case
    on, so the engine can skip a branch at its first letter.
    """
    return _alternation(tuple(str(o) for o in options), word, fold, space)


@cache
def _alternation(options: tuple[str, ...], word: bool, fold: bool, space: str) -> str:
    items = sorted(set(options), key=len, reverse=True)
    prefixes = {i[:k] for i in items for k in range(1, len(i) + 1)}
    twins = not fold and len({p.casefold() for p in prefixes}) < len(prefixes)
    if twins or (space != " " and any("  " in i for i in items)):
        # Case twins ("Ab…", "ab…") would be sibling branches, and under re.I the first one tried
        # wins, not the longest word; a run of whitespace taken whole by one branch could not give
        # a space back to the next: keep the plain list for them.
        body = "|".join(re.escape(i).replace(r"\ ", space) for i in items)
    else:
        body = _trie(items, fold, space)
        if fold:
            body = f"(?-i:{body})"
    return rf"\b(?:{body})\b" if word else f"(?:{body})"


# The letters beyond ASCII that re.I takes for an ASCII letter (İ, ı; long s; the Kelvin sign):
# a folded letter's class holds them too, so that it matches what re.I matches (a test checks).
_FOLDS_TOO = {"i": "\u0130\u0131", "s": "\u017f", "k": "\u212a"}


def _units(word: str, fold: bool, space: str) -> list[str]:
    out: list[str] = []
    for k, part in enumerate(word.split(" ")):
        if k:
            out.append(space)
        for ch in part:
            if fold and ch.isascii() and ch.isalpha():
                out.append(f"[{ch.upper()}{ch.lower()}{_FOLDS_TOO.get(ch.lower(), '')}]")
            elif fold and ch.lower() != ch.upper():
                out.append(f"(?i:{re.escape(ch)})")  # (a letter beyond ASCII: the engine's own folding)
            else:
                out.append(re.escape(ch))
    return out


def _trie(items: list[str], fold: bool, space: str) -> str:
    root: dict[str, Any] = {}
    for item in items:
        node = root
        for unit in _units(item, fold, space):
            node = node.setdefault(unit, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [unit + emit(child) for unit, child in node.items() if unit]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def cue_pattern(cues: Any, flags: int = re.I) -> re.Pattern[str]:
    """The cue words of a data table as one pattern. A cue matches at the start of a word ("train"
    finds "training"); a trailing "$" asks for the whole word ("aid$" is not "aide")."""
    cues = list(cues)
    whole = [c[:-1] for c in cues if c.endswith("$")]
    start = [c for c in cues if not c.endswith("$")]
    fold = bool(flags & re.I)
    parts = [alternation(whole, fold=fold) + r"(?![\w-])" if whole else "",
             alternation(start, fold=fold) if start else ""]
    return re.compile(r"(?<![\w-])(?:" + "|".join(p for p in parts if p) + ")", flags)


# Letters that re.I matches with an ASCII letter but str.lower() does not turn into it.
_FOLD_APART = re.compile("[\u017f\u0131\u0130]")  # long s, dotless i, dotted capital I


def lowered(text: str) -> str | None:
    """The text in lower case, when a lower-case pattern matched against it finds what the same
    pattern finds without case in the text (same length, no letter that folds otherwise); else None."""
    low = text.lower()
    if len(low) != len(text) or (not text.isascii() and _FOLD_APART.search(text)):
        return None
    return low


class Blind:
    """A pattern matched without case, asked whether a text holds it: as its lower-case form over the
    lower-cased text when ``lowered`` allows (the regex engine runs a pattern with case several times
    faster), else as itself. ``lower``: the pattern with its letters in lower case, when it has any
    upper-case letter of its own (``[A-Za-z]``)."""

    __slots__ = ("_low", "pattern")

    def __init__(self, pattern: str, lower: str | None = None) -> None:
        lower = pattern if lower is None else lower
        if any(c.isupper() for c in re.sub(r"\\.", "", lower)):
            raise ValueError(f"not a lower-case pattern: {lower}")
        self.pattern = re.compile(pattern, re.I)
        self._low = re.compile(lower)

    def found_in(self, text: str) -> bool:
        """Whether ``self.pattern.search(text)`` finds anything."""
        low = lowered(text)
        return bool(self.pattern.search(text) if low is None else self._low.search(low))


class CueSet(Generic[K]):
    """Named cue lists (``cue_pattern``'s words) searched together: where each name's first cue
    stands in a text. One pass finds the places where a cue starts and the longest cue there; a name
    with a cue that begins it is found there (a whole-word cue is checked with the name's pattern).
    The answer is what each name's pattern's ``search`` gives, for a fraction of the work."""

    __slots__ = ("_checked", "_low", "_names", "_scan", "_sure")

    def __init__(self, named: Iterable[tuple[K, Iterable[str]]], flags: int = re.I) -> None:
        lists = [(name, [(" ".join(c.rstrip("$").split()), c.endswith("$")) for c in cues], cue_pattern(cues, flags))
                 for name, cues in named]
        self._names = {name: rx for name, _, rx in lists}
        keys = {cue.casefold() for _, cues, _ in lists for cue, _ in cues}
        # the longest cue at a place → the names one of whose cues begins it: sure for a cue that may
        # run on into a longer word, to be checked for a whole-word cue
        self._sure: dict[str, tuple[K, ...]] = {}
        self._checked: dict[str, tuple[K, ...]] = {}
        for key in keys:
            begins = [(name, whole) for name, cues, _ in lists for cue, whole in cues if key.startswith(cue.casefold())]
            self._sure[key] = tuple(dict.fromkeys(name for name, whole in begins if not whole))
            self._checked[key] = tuple(dict.fromkeys(name for name, whole in begins if whole))
        every = [cue for _, cues, _ in lists for cue, _ in cues]
        self._scan = re.compile(rf"(?<![\w-])(?=({alternation(every, fold=bool(flags & re.I))}))", flags)
        # without case: the same scan, faster, over the lower-cased text with lower-case words
        lower = [cue.lower() for cue in every]
        self._low = re.compile(rf"(?<![\w-])(?=({alternation(lower)}))") if flags & re.I else None

    def first(self, text: str) -> dict[K, int]:
        """Each name whose cues the text holds → where its first cue starts."""
        found: dict[K, int] = {}
        low = lowered(text) if self._low is not None else None
        scan = self._scan.finditer(text) if low is None or self._low is None else self._low.finditer(low)
        for at in scan:
            word = at[1].casefold()
            if word not in self._sure:
                word = " ".join(word.split())
            pos = at.start()
            for name in self._sure[word]:
                found.setdefault(name, pos)
            for name in self._checked[word]:
                if name not in found and self._names[name].match(text, pos):
                    found[name] = pos
        return found


class Finder:
    """Several patterns' ``finditer`` from one pass over a text. Each pattern may match only where one
    of ``words`` starts (in any case) after a non-word character; one scan finds those places, and
    each pattern is tried there, from where its own last match ended, as its ``finditer`` would."""

    __slots__ = ("_low", "_patterns", "_scan")

    def __init__(self, patterns: Sequence[re.Pattern[str]], words: Any) -> None:
        self._patterns = tuple(patterns)
        words = list(words)
        self._scan = re.compile(rf"(?<!\w)(?={alternation(words, fold=True)})", re.I)
        self._low = re.compile(rf"(?<!\w)(?={alternation([w.lower() for w in words])})")

    def finditer(self, text: str) -> list[list[re.Match[str]]]:
        """Each pattern's matches, left to right, none overlapping (as ``pattern.finditer``)."""
        found: list[list[re.Match[str]]] = [[] for _ in self._patterns]
        ends = [0] * len(self._patterns)
        low = lowered(text)
        for at in self._scan.finditer(text) if low is None else self._low.finditer(low):
            pos = at.start()
            for k, rx in enumerate(self._patterns):
                if pos >= ends[k] and (m := rx.match(text, pos)) is not None:
                    found[k].append(m)
                    ends[k] = max(m.end(), pos + 1)
        return found


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"  # [\w-]


class Names:
    r"""An article's names found as ``(?<![\w-])(?:name|…)(?![\w-])`` finds them, without compiling
    that pattern for every article (a compile costs more than finding the names in a whole article):
    at each capital letter, the names that start there, longest first."""

    __slots__ = ("_by_first", "_rx")

    def __init__(self, names: Iterable[str]) -> None:
        ordered = sorted(names, key=len, reverse=True)
        self._by_first: dict[str, list[str]] = {}
        for name in ordered:
            self._by_first.setdefault(name[:1], []).append(name)
        plain = all(n[:1].isascii() and n[:1].isupper() and " " not in n for n in ordered)
        self._rx = None if plain else re.compile(rf"(?<![\w-])(?:{alternation(ordered)})(?![\w-])")

    def _starts(self, text: str) -> list[int]:
        """Where a capital letter that begins a name stands, left to right (found with ``str.find``:
        the other capitals cannot begin one)."""
        out: list[int] = []
        for ch in self._by_first:
            at = text.find(ch)
            while at >= 0:
                out.append(at)
                at = text.find(ch, at + 1)
        if len(self._by_first) > 1:
            out.sort()
        return out

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(begin, end, name) of each name in the text, left to right, none overlapping."""
        if self._rx is not None:
            yield from ((m.start(), m.end(), m.group(0)) for m in self._rx.finditer(text))
            return
        if not self._by_first:
            return
        end = 0
        for begin in self._starts(text):
            if begin < end or (begin > 0 and _word_char(text[begin - 1])):
                continue
            for name in self._by_first.get(text[begin], ()):
                stop = begin + len(name)
                if text.startswith(name, begin) and (stop == len(text) or not _word_char(text[stop])):
                    yield begin, stop, name
                    end = stop
                    break


@cache
def month_re(*, fold: bool = False) -> str:
    """A month's name or abbreviation, with an optional full stop ("Sept."); ``fold`` for re.I."""
    return alternation(months(), fold=fold) + r"\.?"


@cache
def weekday_re(*, short: bool = False, fold: bool = False) -> str:
    """A weekday's full name (or, with ``short``, its abbreviation too), capitalised as printed."""
    names = [n.capitalize() for n, _ in weekdays().items() if short or len(n) > 5]
    return alternation(names, fold=fold)


def month_number(word: str) -> int:
    """Month number of a month name or abbreviation (``Sept.`` -> 9)."""
    return months()[word.lower().rstrip(".")]


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(words("sentences", "abbreviations"))


def _last_word(text: str, lo: int, end: int) -> int | None:
    r"""Where the word before the full stop that ends ``text[lo:end]`` starts: what
    ``re.search(r"([\w.'’]+)\.$", text[lo:end])`` finds, read back from the stop (its word is
    ``text[start:end - 1]``); None when there is no stop or no word before it."""
    stop = end - 1
    if stop <= lo or text[stop] != ".":
        return None
    at = stop
    while at > lo and (text[at - 1].isalnum() or text[at - 1] in _WORD_DOTS):  # (\w: a letter, digit or "_")
        at -= 1
    return at if at < stop else None


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations (Gen., U.S., Jan.) inside them."""
    out: list[str] = []
    start = 0
    abbrev = _abbreviations()
    for m in _SPLIT_AT.finditer(paragraph):
        after = m.start() + 1  # (just after the stop)
        end = after + len(m.group(1))
        lo = max(start, after - 40)  # the word before the stop, looked for near it, not from the sentence's start
        at = _last_word(paragraph, lo, after)
        if at == lo > start:  # a run of word characters longer than that
            at = _last_word(paragraph, start, after)
        word = paragraph[at:after - 1] if at is not None else ""
        if word and (word.lower() in abbrev or (len(word) == 1 and word.isalpha())):
            continue
        out.append(paragraph[start:end].strip())
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]

"""Labels of the evaluation: what a careful reader finds on a page (``STEM.json``, format in
``tests/layouts/README.md``), the normalisation fields are compared under, and the article's
prose as the dump itself lays it out (found without the parser, so that it can judge the parser; for a
saved web page, in the visible text of its markup).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIELDS = ("title", "date", "outlet", "agency", "dateline")
# The expected prose leaves out paragraphs shorter than this (headings, credits, captions).
PROSE_MIN_WORDS = 8
# A line of this length (in characters) or more, up to WRAP_MAX, that is followed by another
# line with no blank line between is a hard-wrapped line: the next line continues its paragraph.
WRAP_MIN, WRAP_MAX = 40, 100

_QUOTES = str.maketrans({"’": "'", "‘": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"'})
_HEADER = re.compile(r"\A\s*date \d{4}-\d{2}-\d{2}\b[ \t]*")
_WORD = re.compile(r"\w+")


class LabelError(ValueError):
    """A label file that cannot be used."""


@dataclass(frozen=True)
class ExpectedEvent:
    date: str
    text: str


@dataclass(frozen=True)
class Label:
    """What a careful reader finds on one page (the fields the label file states)."""

    fields: tuple[tuple[str, str | None], ...]
    lead: str | None = None
    end: str | None = None
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    events: tuple[ExpectedEvent, ...] | None = None  # None: the label does not list events


# -- text ------------------------------------------------------------------------------------


def ws(text: str) -> str:
    return " ".join(text.split())


def short(text: str, width: int = 90) -> str:
    text = ws(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _norm_title(text: str) -> str:
    return ws(text.translate(_QUOTES))


def _norm_outlet(text: str) -> str:
    folded = ws(re.sub(r"[^\w\s]", " ", text.translate(_QUOTES).casefold()))
    return folded[4:] if folded.startswith("the ") else folded


def fold(text: str) -> str:
    return ws(text).casefold()


NORMALISE = {"title": _norm_title, "date": ws, "outlet": _norm_outlet, "agency": fold,
             "dateline": fold}


def words(text: str) -> Counter[str]:
    """The words of a text as a multiset (case-folded)."""
    return Counter(_WORD.findall(text.casefold()))


def decode_dump(data: bytes) -> str:
    """The text of a dump, decoded as pakus decodes every corpus file."""
    from .corpus import decode

    return decode(data)[0]


def page_view(rel: str, data: bytes) -> str:
    """The text of a page as a reader sees it: a dump as saved; a saved web page's visible text (tags
    stripped, a line per block), so that labels are checked and prose is counted on what it shows."""
    from .webpage import is_html, page_text

    text = decode_dump(data)
    return page_text(text) if is_html(rel, text) else text


def dump_paragraphs(text: str) -> list[str]:
    """The dump's paragraphs: blocks between blank lines, split at each line unless it continues a
    hard-wrapped line (one of WRAP_MIN..WRAP_MAX characters); whitespace-normalised. The saving
    tool's ``date YYYY-MM-DD`` header is dropped."""
    paragraphs: list[str] = []
    current: list[str] = []
    prev = ""
    for line in _HEADER.sub("", text, count=1).splitlines():
        line = line.strip()
        if current and not (line and WRAP_MIN <= len(prev) <= WRAP_MAX):
            paragraphs.append(" ".join(current))
            current = []
        if line:
            current.append(line)
        prev = line
    if current:
        paragraphs.append(" ".join(current))
    return [ws(p) for p in paragraphs]


def expected_prose(text: str, label: Label) -> list[str] | None:
    """The article's prose paragraphs in the dump, or None when lead or end cannot be found.

    The span is the shortest from a paragraph holding ``lead`` to the first holding ``end``."""
    if not label.lead or not label.end:
        return None
    paras = dump_paragraphs(text)
    lead, end = ws(label.lead), ws(label.end)
    last = next((i for i, p in enumerate(paras) if end in p), None)
    if last is None:
        return None
    first = next((i for i in range(last, -1, -1) if lead in paras[i]), None)
    if first is None:
        return None
    debris = [ws(s) for s in label.must_not]
    return [p for p in paras[first:last + 1]
            if len(p.split()) >= PROSE_MIN_WORDS and not any(d and d in p for d in debris)]


# -- labels ------------------------------------------------------------------------------------


def _text_or_none(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise LabelError(f"{key} must be text or null")
    return value


def _snippets(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise LabelError(f"{key} must be a list of text")
    return tuple(s for s in value if s.strip())


def _events(data: dict[str, Any]) -> tuple[ExpectedEvent, ...] | None:
    if "events" not in data:
        return None
    value = data["events"]
    if not isinstance(value, list):
        raise LabelError("events must be a list")
    out = []
    for e in value:
        if not (isinstance(e, dict) and isinstance(e.get("date"), str) and isinstance(e.get("text"), str)):
            raise LabelError("each event must be {\"date\": ..., \"text\": ...}")
        out.append(ExpectedEvent(e["date"].strip(), e["text"]))
    return tuple(out)


def parse_label(data: Any) -> Label:
    """A label from its JSON (see tests/layouts/README.md); fields it leaves out are not scored."""
    if not isinstance(data, dict):
        raise LabelError("a label is a JSON object")
    fields = tuple((name, _text_or_none(data, name)) for name in FIELDS if name in data)
    return Label(
        fields=fields,
        lead=_text_or_none(data, "lead"),
        end=_text_or_none(data, "end"),
        must=_snippets(data, "must"),
        must_not=_snippets(data, "must_not"),
        events=_events(data),
    )


def read_label(path: Path) -> Label:
    try:
        return parse_label(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LabelError(str(exc)) from None


def label_problems(label: Label, text: str) -> list[str]:
    """Snippets of a label that the page itself does not hold (a label to fix, not the parser)."""
    page = ws(text)
    named = [("lead", label.lead), ("end", label.end)]
    named += [("must", s) for s in label.must] + [("must_not", s) for s in label.must_not]
    return [f"label: {kind} {s!r} is not on the page" for kind, s in named if s and ws(s) not in page]

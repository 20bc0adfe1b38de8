"""Untrusted text made harmless for the place it is written to: a terminal block, one line (a table
cell, a message, a completion value), a CSV cell, a Markdown cell, JSON.

Untrusted text is everything the corpus supplies: article text, titles, outlets, file names (and so
ids), annotation values. The rules, in one place so that no output path can miss one:

- terminal escapes and C0/C1 controls are removed (``text.CONTROL``: ``ESC [ 2 J``, OSC titles, BEL);
- bidi embeddings, overrides and isolates (U+202A–E, U+2066–9: "Trojan Source") become U+FFFD,
  which keeps offsets into the text and shows that something was there;
- wherever one line is expected, every line break (LF, CR, VT, FF, NEL, U+2028/9) and tab becomes a
  space, so a name can never start a line of its own (a forged ``pakus: error:``) nor break a column;
- a CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a CR is prefixed with ``'`` (the
  OWASP rule against formula injection). Always, even for a negative-looking number: pakus writes
  no negative numbers (dates and scores never start so), so every such cell is text;
- a Markdown cell has its ``|`` escaped as ``\\|``;
- JSON keeps exact values: the characters above are written as ``\\uXXXX`` escapes.

Pure functions: ``render`` writes, this module only rewrites strings.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Raw in JSON text they would still reach a terminal (`pakus list --json` with no pipe): DEL and the
# C1 controls, the line and paragraph separators, the bidi embeddings, overrides and isolates.
_JSON_UNSAFE = "".join(map(chr, [*range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
_JSON_SCANS = 16  # texts looked through for them one by one before a process compiles their pattern
_json_scanned = 0


# The patterns are compiled when first needed: a character class beyond Latin-1 costs the regex
# compiler a few hundred microseconds, on every run, and most texts need none of them.
@cache
def _bidi() -> re.Pattern[str]:
    return re.compile("[\u202a-\u202e\u2066-\u2069]")


@cache
def _breaks() -> re.Pattern[str]:
    return re.compile("\r\n|[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


@cache
def _json_unsafe() -> re.Pattern[str]:
    return re.compile(f"[{_JSON_UNSAFE}]")


def block(text: str) -> str:
    """Text for a terminal, line breaks and tabs kept: no escapes, no controls, no bidi overrides."""
    if text.isprintable():
        return text
    from .text import CONTROL  # imported only when a text needs it: start-up time

    return CONTROL.sub("", _bidi().sub("\ufffd", text))


def line(text: str) -> str:
    """Text that must stay on one line (a cell, a message, a name): ``block`` with every line
    break and tab turned into a space."""
    if text.isprintable():
        return text
    return block(_breaks().sub(" ", text))


def csv_cell(text: str) -> str:
    """A CSV cell a spreadsheet cannot take for a formula."""
    text = line(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def markdown_cell(text: str) -> str:
    """A Markdown table cell that cannot end its cell early."""
    return line(text).replace("|", "\\|")


def json_text(value: Any, indent: int | None = None) -> str:
    """JSON of a value, UTF-8, with the invisible and terminal-controlling characters escaped."""
    global _json_scanned
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if text.isascii():
        return text.replace("\x7f", "\\u007f")
    if _json_scanned < _JSON_SCANS:  # (a search's one document, the first records of a stream)
        _json_scanned += 1
        if not any(map(text.__contains__, _JSON_UNSAFE)):
            return text
    return _json_unsafe().sub(lambda m: f"\\u{ord(m.group()):04x}", text)

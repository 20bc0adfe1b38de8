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
from typing import Any

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
BREAKS = re.compile("\r\n|[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Raw in JSON text they would still reach a terminal (`pakus list --json` with no pipe).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def block(text: str) -> str:
    """Text for a terminal, line breaks and tabs kept: no escapes, no controls, no bidi overrides."""
    if text.isprintable():
        return text
    from .text import CONTROL  # imported only when a text needs it: start-up time

    return CONTROL.sub("", BIDI.sub("\ufffd", text))


def line(text: str) -> str:
    """Text that must stay on one line (a cell, a message, a name): ``block`` with every line
    break and tab turned into a space."""
    if text.isprintable():
        return text
    return block(BREAKS.sub(" ", text))


def csv_cell(text: str) -> str:
    """A CSV cell a spreadsheet cannot take for a formula."""
    text = line(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def markdown_cell(text: str) -> str:
    """A Markdown table cell that cannot end its cell early."""
    return line(text).replace("|", "\\|")


def json_text(value: Any, indent: int | None = None) -> str:
    """JSON of a value, UTF-8, with the invisible and terminal-controlling characters escaped."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

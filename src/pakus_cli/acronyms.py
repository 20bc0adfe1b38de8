"""The acronyms a text defines: "International Military Education and Training (IMET)" makes IMET
stand for its long form (Schwartz & Hearst 2003). Found in each article as it is indexed; ``search``
expands a query's acronym with the long forms the corpus gives it, and the other way round.
"""

from __future__ import annotations

import re

_PAREN = re.compile(r"\(([A-Za-z][A-Za-z0-9&-]{1,9})\)")  # (only the indexer imports this module)


def acronyms(text: str) -> list[tuple[str, str]]:
    """The (short, long) definitions a text makes: "International Military Education and Training (IMET)".

    The long form is the shortest run of words before the parenthesis in which the short form's
    letters occur in order, the first at the start of a word (Schwartz & Hearst's algorithm).
    """
    out = []
    for m in _PAREN.finditer(text):
        short = m.group(1)
        letters = [c for c in short if c.isalnum()]
        if sum(c.isupper() for c in short) < 2 or len(letters) < 2:
            continue
        before = text[: m.start()].rstrip()
        if not before or not before[-1].isalnum():
            continue  # "... stability. (ANI)" closes a story; a definition follows its words directly
        limit = min(len(letters) + 5, len(letters) * 2)
        window = " ".join(before.rsplit(None, limit)[-limit:])  # (the last words of before.split(), split off alone)
        long = _best_long_form(letters, window)
        if long and long.lower() != short.lower():
            out.append((short, long))
    return out


def _best_long_form(letters: list[str], candidate: str) -> str | None:
    s = len(letters) - 1
    i = len(candidate) - 1
    while s >= 0:
        c = letters[s].lower()
        while i >= 0 and (
            candidate[i].lower() != c or (s == 0 and i > 0 and candidate[i - 1].isalnum())
        ):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    long = candidate[i + 1 :].strip(" ,;:")
    if len(long.split()) < 2 and "-" not in long:
        return None
    return long

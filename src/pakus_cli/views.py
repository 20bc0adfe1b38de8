"""What people see, as Rich renderables: an article, the timeline. Built here, printed by ``render``.

Every untrusted string goes through ``neutral.line`` first; nothing here prints.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .neutral import line

if TYPE_CHECKING:
    from rich.text import Text

    from .models import Article, Event, TimeValue
    from .search import Hit


def _meta_line(a: Article) -> str:
    date = a.date.isoformat() if a.date else "undated"
    if a.date and "date" in a.curated:
        date += " (curated)"
    parts = [date, a.outlet or "outlet unknown", a.agency and f"via {a.agency}", a.dateline, f"id {a.id}", a.file,
             a.url]
    return " · ".join(line(p) for p in parts if p)


def article_text(a: Article, marks: dict[int, Sequence[TimeValue]] | None = None) -> list[Text]:
    """The renderables of a clean article: headline, standfirst, meta line, paragraphs."""
    from rich.text import Text

    from .text import is_heading

    out = []
    if a.title:
        out.append(Text(line(a.title), style="bold"))
    if a.subtitle:
        out.append(Text(line(a.subtitle), style="italic"))
    out.append(Text(_meta_line(a), style="dim"))
    for i, para in enumerate(a.paragraphs):
        text = Text(line(para), style="bold" if is_heading(para) else "")
        for tv in (marks or {}).get(i, ()):
            text.stylize("reverse" if tv.resolved else "underline", tv.begin, tv.finish)
        out.append(text)
    return out


def timeline_parts(events: Sequence[Event], indented: Callable[[Text], Any]) -> list[Any]:
    """The timeline grouped by year, one block per event: its date at its precision, type and
    headline, who took part, the sentence whole with the words that date it highlighted (they are
    why it is on the timeline), and its sources."""
    from rich.text import Text

    from .exports import display_date

    parts: list[Any] = []
    year = None
    for e in events:
        if e.start.year != year:
            year = e.start.year
            parts.extend((Text(), Text(str(year), style="bold magenta")))
        head = Text()
        head.append(f"  {display_date(e)}", style="bold")
        head.append(f"  {e.type}", style="cyan")
        if e.status == "planned":
            head.append("  planned", style="yellow")
        parts.append(head)
        parts.append(indented(Text(line(e.headline or e.text), style="bold")))
        if e.actors:
            parts.append(indented(Text(line(", ".join(f"{a.name} ({a.side})" for a in e.actors)), style="cyan")))
        parts.append(indented(dated(e.text, e.basis)))
        told = Counter(f"{line(s.article)} {line(s.outlet or '')}".strip() for s in e.sources)
        cites = ", ".join(c if n == 1 else f"{c} ({n} sentences)" for c, n in told.items())
        parts.append(indented(Text(f"← {cites}  (dated by: {line(e.basis)})", style="dim")))
    return parts


def dated(sentence: str, basis: str) -> Text:
    """A sentence with its dating words in reverse video (as ``show --events`` marks them)."""
    from rich.text import Text

    text = Text(line(" ".join(sentence.split())))
    at = text.plain.casefold().find(line(basis).casefold()) if basis else -1
    if at >= 0:
        text.stylize("reverse", at, at + len(basis))
    return text


# -- search hits ------------------------------------------------------------------------------------

_MARK = r"(?<!\\)\[((?:[^\[\]\\]|\\.)+?)(?<!\\)\]"


def hit_parts(h: Hit, indented: Callable[[Text], Any]) -> list[Any]:
    """A search result for people: id, date, outlet, title, snippets with the matches highlighted."""
    from rich.text import Text

    head = Text()
    head.append(line(h.id), style="bold cyan")
    head.append(f"  {h.date.isoformat() if h.date else 'undated'}  ", style="dim")
    head.append(line(h.outlet or ""), style="green")
    head.append("  ")
    head.append(line(h.title or "(untitled)"), style="bold")
    return [head, *(indented(marked(snip)) for snip in h.snippets), Text()]


def marked(snippet: str) -> Text:
    """A snippet with its [matches] highlighted (a literal bracket is written \\[ or \\])."""
    from rich.text import Text

    text = Text()
    pos = 0
    for m in re.finditer(_MARK, snippet):
        text.append(line(_unescape(snippet[pos : m.start()])))
        text.append(line(_unescape(m.group(1))), style="bold yellow reverse")
        pos = m.end()
    text.append(line(_unescape(snippet[pos:])))
    return text


def _unescape(text: str) -> str:
    return re.sub(r"\\([\[\]\\])", r"\1", text)

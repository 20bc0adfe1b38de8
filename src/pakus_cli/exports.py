"""Events as other tools take them: TimelineJS JSON, and dates at their precision for people.

Pure data in, data out; ``render`` writes it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from .models import Event
from .vocabulary import GROUPS as GROUPS
from .vocabulary import TITLE as TITLE


def display_date(e: Event) -> str:
    """A date as people write it, at its precision: "13–16 February 2023", "week of 24 June 2024",
    "June 2024", "2018"; never a single day for a longer span (one rule for every output: the page's)."""
    from .htmlpage import date_label

    return date_label(e.precision, e.start, e.end)


def _group(e: Event, by: str) -> str:
    if by == "actor":
        return next((a.name for a in e.actors if a.side != "other"), "other")
    if by == "outlet":
        return e.outlet or "unknown outlet"
    if by == "tag":
        return e.tags[0] if e.tags else "other"
    return e.type


def timelinejs(events: Iterable[Event], title: str = TITLE, group_by: str = "type") -> dict[str, Any]:
    """Knight Lab TimelineJS JSON: the headline as the slide headline; the sentence (its dating words
    in bold), and every source as the text; weeks, months and spans as start and end dates with a
    display date at their precision; planned events marked."""

    def date_obj(d: Any, precision: str, label: str) -> dict[str, str]:
        out = {"year": str(d.year), "display_date": label}
        if precision in ("month", "week", "day"):
            out["month"] = str(d.month)
        if precision in ("week", "day"):
            out["day"] = str(d.day)
        return out

    items = []
    for e in events:
        label = display_date(e) + (" (planned)" if e.status == "planned" else "")
        sentence = _esc(e.text).replace(_esc(e.basis), f"<strong>{_esc(e.basis)}</strong>", 1)
        cites = "".join(f"<li>{_esc(s.outlet or 'unknown outlet')}, article {_esc(s.article)}"
                        f"{': ' + _esc(s.title) if s.title else ''}</li>" for s in e.sources)
        item: dict[str, Any] = {
            "unique_id": e.id or None,
            "start_date": date_obj(e.start, e.precision, label),
            "text": {
                "headline": _esc(("Planned: " if e.status == "planned" else "") + (e.headline or _short(e.text, 90))),
                "text": f"<p>{sentence}</p><p><em>Dated by: {_esc(e.basis)}</em></p><ul>{cites}</ul>",
            },
            "group": _group(e, group_by),
            "display_date": label,
        }
        if e.start != e.end and e.precision != "year" or e.start.year != e.end.year:
            item["end_date"] = date_obj(e.end, e.precision, label)
        items.append(item)
    return {"title": {"text": {"headline": _esc(title), "text": "Compiled by pakus from the corpus"}},
            "events": items}


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"

"""Knight Lab TimelineJS JSON for a timeline: data only (``render`` writes it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Event


def summary(text: str, width: int = 160) -> str:
    """A one-line summary of a sentence: the sentence itself, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    return text[: width - 1].rsplit(" ", 1)[0] + "…"


def timelinejs(events: Iterable[Event], title: str = "US–Pakistan security cooperation") -> dict[str, Any]:
    """Knight Lab TimelineJS JSON for the events (start/end date objects, headline, text, group)."""

    def date_obj(d: Any, precision: str) -> dict[str, str]:
        out = {"year": str(d.year)}
        if precision in ("month", "week", "day"):
            out["month"] = str(d.month)
        if precision in ("week", "day"):
            out["day"] = str(d.day)
        return out

    items = []
    for e in events:
        item: dict[str, Any] = {
            "start_date": date_obj(e.start, e.precision),
            "text": {
                "headline": summary(e.text, 90),
                "text": " ".join(
                    f"<p>{_html(s.text)} <em>({_html(s.outlet or s.article)}, article {_html(s.article)})</em></p>"
                    for s in e.sources
                ),
            },
            "group": e.tags[0] if e.tags else "other",
        }
        if "/" in e.date:  # a span longer than one unit of its precision
            item["end_date"] = date_obj(e.end, e.precision)
        items.append(item)
    return {"title": {"text": {"headline": title, "text": "Compiled by pakus from the corpus"}}, "events": items}


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=True)

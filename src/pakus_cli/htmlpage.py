"""The timeline as one self-contained web page to publish (``pakus timeline --format html``).

``page`` is a pure function: event records (``Event.as_record``), article records (for the sources'
titles and dates), a title and the filters used in, the page as text out; ``render`` writes it.

The page loads nothing: its style and script (``data/timeline.css``, ``data/timeline.js``) are inline
and a Content-Security-Policy allows exactly those two by their hashes, so even a text that escaped its
escaping could not run or fetch anything. Every text from an article is escaped; the data the script
filters on is JSON inside ``<script type="application/json">`` with ``<``, ``>`` and ``&`` written as
``\\u003c``, ``\\u003e``, ``\\u0026``. With the script off, every event is visible.

Record keys that not every version of pakus writes (``id``, ``headline``, ``type``, ``actors``,
``relevant``, ``reason``, ``location``; a source's ``title`` and ``date``) are used when present and
fall back otherwise (a shortened sentence, the first tag, no actors), so the page improves with the
records without a change here.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
# The filters of `pakus timeline`, in the order the summary names them.
FILTERS = (("since", "since"), ("until", "until"), ("types", "type"), ("actors", "actor"), ("tag", "tag"),
           ("outlet", "outlet"), ("article", "article"), ("keyword", "keyword"), ("status", "status"),
           ("everything", "all"))  # (the command's parameter, as the page names it)
HEADLINE_WIDTH = 90

Record = Mapping[str, Any]


def esc(value: object) -> str:
    """Text made safe for HTML content and attribute values (quotes too)."""
    return html.escape(str(value), quote=True)


# -- dates at their precision -----------------------------------------------------------------------


def _day(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _day_range(a: dt.date, b: dt.date) -> str:
    if a == b:
        return _day(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {MONTHS[a.month - 1]} {a.year}"
    if a.year == b.year:
        return f"{a.day} {MONTHS[a.month - 1]} – {b.day} {MONTHS[b.month - 1]} {a.year}"
    return f"{_day(a)} – {_day(b)}"


def _month_range(a: dt.date, b: dt.date) -> str:
    if (a.year, a.month) == (b.year, b.month):
        return f"{MONTHS[a.month - 1]} {a.year}"
    if a.year == b.year:
        return f"{MONTHS[a.month - 1]}–{MONTHS[b.month - 1]} {a.year}"
    return f"{MONTHS[a.month - 1]} {a.year} – {MONTHS[b.month - 1]} {b.year}"


def date_label(precision: str, start: dt.date, end: dt.date) -> str:
    """A date as people write it, at its precision: ``2018``, ``June 2024``, ``week of 24 June 2024``,
    ``13–16 February 2023``; a span longer than one unit is a range."""
    if precision == "year":
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if precision == "month":
        return _month_range(start, end)
    if precision == "week" and start.isocalendar()[:2] == end.isocalendar()[:2]:
        # "earlier this week" ends at the article's date: the week is still named by its Monday
        return f"week of {_day(start - dt.timedelta(days=start.weekday()))}"
    return _day_range(start, end)


def _when(rec: Record) -> tuple[dt.date, dt.date]:
    return dt.date.fromisoformat(rec["start"]), dt.date.fromisoformat(rec["end"])


def event_label(rec: Record) -> str:
    """The date label of an event record."""
    return date_label(rec["precision"], *_when(rec))


def _source_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return _day(dt.date.fromisoformat(value))
    except ValueError:
        return value


# -- what an event record says, with the fallbacks for keys it may not have yet -----------------------


def shorten(text: str, width: int = HEADLINE_WIDTH) -> str:
    """A sentence cut at a word boundary to at most ``width`` characters."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    return text[: width - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def headline(rec: Record) -> str:
    return str(rec.get("headline") or shorten(rec["text"]))


def event_type(rec: Record) -> str:
    tags = rec.get("tags") or []
    return str(rec.get("type") or (tags[0] if tags else "other"))


def actors(rec: Record) -> list[tuple[str, str]]:
    """(name, side) of each actor; side is ``US``, ``Pakistan`` or ``other``."""
    out = []
    for a in rec.get("actors") or []:
        if isinstance(a, Mapping) and a.get("name"):
            out.append((str(a["name"]), str(a.get("side") or "other")))
    return out


def event_id(rec: Record) -> str:
    """The record's ``id``, else a stable one made of its date, article and sentence."""
    if rec.get("id"):
        return str(rec["id"])
    digest = hashlib.sha1(f"{rec['date']}|{rec['article']}|{rec['text']}".encode()).hexdigest()
    return f"e{digest[:10]}"


def sources(rec: Record, articles: Mapping[str, Record]) -> list[dict[str, Any]]:
    """The event's sources with title and date: the source's own, else its article's."""
    out = []
    for s in rec.get("sources") or [{"article": rec["article"], "outlet": rec.get("outlet"), "text": rec["text"]}]:
        art = articles.get(s["article"], {})
        out.append({"article": s["article"], "outlet": s.get("outlet") or art.get("outlet"),
                    "title": s.get("title") or art.get("title"), "date": s.get("date") or art.get("date"),
                    "text": s.get("text") or ""})
    return out


def marked(text: str, basis: str) -> str:
    """The sentence, escaped, with the words that date it in ``<mark>`` (when they are in it)."""
    at = text.find(basis) if basis else -1
    if at < 0 and basis:
        at = text.casefold().find(basis.casefold()) if len(text.casefold()) == len(text) else -1
    if at < 0:
        return esc(text)
    end = at + len(basis)
    return f"{esc(text[:at])}<mark>{esc(text[at:end])}</mark>{esc(text[end:])}"


# -- the summary ----------------------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def filters_used(params: Mapping[str, Any]) -> list[str]:
    """``since 2022-12``, ``tag dialogue``, … for the filters given (the command's own parameters)."""
    out = []
    for param, name in FILTERS:
        value = params.get(param)
        if value in (None, "", [], (), False):
            continue
        if value is True:
            out.append(f"{name} happenings")  # --all: off-topic ones too
        elif isinstance(value, (list, tuple)):
            out.append(f"{name} " + " or ".join(str(getattr(v, "value", v)) for v in value))
        else:
            out.append(f"{name} {getattr(value, 'value', value)}")
    return out


def summary_line(records: Sequence[Record], articles: Mapping[str, Record], filters: Sequence[str]) -> str:
    """N events, N articles, N outlets, the date range and the filters, as one line of text."""
    cited = [s for r in records for s in sources(r, articles)]
    n_articles = len({s["article"] for s in cited})
    n_outlets = len({s["outlet"] for s in cited if s["outlet"]})
    line = f"{_plural(len(records), 'event')} from {_plural(n_articles, 'article')} in {_plural(n_outlets, 'outlet')}"
    if records:
        first = min(records, key=lambda r: (r["start"], r["end"]))
        last = max(records, key=lambda r: (r["end"], r["start"]))
        a, b = event_label(first), event_label(last)
        line += f", {a}" if a == b else f", {a} to {b}"
    line += ". Filters: " + ", ".join(filters) + "." if filters else ". No filters: the whole corpus."
    return line


# -- the page ---------------------------------------------------------------------------------------------


@cache
def asset(name: str) -> str:
    """An inline asset of ``data/`` (style or script), read once."""
    return (DATA / name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def json_for_script(value: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` can close it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _search_text(rec: Record, srcs: Sequence[Mapping[str, Any]]) -> str:
    parts = [event_label(rec), rec.get("date"), headline(rec), rec.get("text"), rec.get("basis"), event_type(rec),
             *rec.get("tags", []), rec.get("status"), rec.get("location"), *(n for n, _ in actors(rec))]
    for s in srcs:
        parts += [s["article"], s["outlet"], s["title"], s["text"]]
    return " ".join(str(p) for p in parts if p).lower()


def _facts(rec: Record, srcs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What the script filters one event on."""
    return {"id": event_id(rec), "type": event_type(rec), "actors": [n for n, _ in actors(rec)],
            "outlets": sorted({s["outlet"] for s in srcs if s["outlet"]}), "year": rec["start"][:4],
            "text": _search_text(rec, srcs)}


def _chips(rec: Record) -> str:
    kind = event_type(rec)
    chips = [f'<span class="chip type" title="type">{esc(kind)}</span>']
    for name, side in actors(rec):
        slug = re.sub(r"[^a-z]+", "-", side.lower()).strip("-") or "other"
        chips.append(f'<span class="chip actor side-{slug}" title="{esc(side)}">{esc(name)}</span>')
    chips += [f'<span class="chip tag">{esc(t)}</span>' for t in rec.get("tags", []) if t != kind]
    return f'<p class="chips">{" ".join(chips)}</p>'


def _source_item(s: Mapping[str, Any], text: str) -> str:
    parts = [f'<span class="sid">{esc(s["article"])}</span>']
    if s["outlet"]:
        parts.append(f'<span class="outlet">{esc(s["outlet"])}</span>')
    if s["title"]:
        parts.append(f"<cite>{esc(s['title'])}</cite>")
    if s["date"]:
        parts.append(f'<time datetime="{esc(s["date"])}">{esc(_source_date(s["date"]))}</time>')
    quote = f' <q>{esc(s["text"])}</q>' if s["text"] and s["text"] != text else ""
    return f"<li>{' · '.join(parts)}{quote}</li>"


def _event(i: int, rec: Record, srcs: Sequence[Mapping[str, Any]]) -> str:
    planned = rec.get("status") == "planned"
    classes = ["event"] + ["planned"] * planned + ["not-relevant"] * (rec.get("relevant") is False)
    ident = event_id(rec)
    when = [f'<time datetime="{esc(str(rec["date"]).split("/")[0])}">{esc(event_label(rec))}</time>']
    if planned:
        when.append('<span class="badge">planned</span>')
    if rec.get("location"):
        when.append(f'<span class="where">{esc(rec["location"])}</span>')
    note = ""
    if rec.get("relevant") is False:
        note = f'<p class="note">Judged not about cooperation: {esc(rec.get("reason") or "no reason given")}</p>'
    items = "".join(_source_item(s, rec["text"]) for s in srcs)
    return (
        f'<li class="{" ".join(classes)}" id="ev-{esc(re.sub(r"[^A-Za-z0-9_-]", "-", ident))}" '
        f'data-i="{i}" data-event-id="{esc(ident)}"><article>'
        f'<p class="when">{" ".join(when)}</p><h4 class="headline">{esc(headline(rec))}</h4>{_chips(rec)}'
        f'<blockquote class="text">{marked(rec["text"], rec.get("basis") or "")}</blockquote>'
        f'<p class="basis">dated by “{esc(rec.get("basis") or "")}”</p>{note}'
        f'<ul class="sources" aria-label="sources">{items}</ul></article></li>'
    )


def _group_key(rec: Record) -> tuple[int, int]:
    """(year, month) of an event's start; month 0 for an event known only to the year."""
    start = dt.date.fromisoformat(rec["start"])
    return start.year, 0 if rec["precision"] == "year" else start.month


def _timeline(records: Sequence[Record], items: Sequence[str]) -> str:
    groups: dict[int, dict[int, list[str]]] = {}
    for rec, item in zip(records, items, strict=True):
        year, month = _group_key(rec)
        groups.setdefault(year, {}).setdefault(month, []).append(item)
    out = []
    for year in sorted(groups):
        out.append(f'<section class="year" id="y{year}" aria-labelledby="h{year}"><h2 id="h{year}">{year}</h2>')
        for month in sorted(groups[year]):
            name = f"{MONTHS[month - 1]} {year}" if month else f"Dated only to {year}"
            out.append(f'<section class="month"><h3>{name}</h3><ol class="events">{"".join(groups[year][month])}'
                       "</ol></section>")
        out.append("</section>")
    return "".join(out) or '<p class="empty">No event matches these filters.</p>'


def _toggles(facet: str, label: str, counts: Counter[str]) -> str:
    if not counts:
        return ""
    buttons = "".join(
        f'<button type="button" class="toggle" data-facet="{facet}" data-value="{esc(v)}" aria-pressed="false">'
        f'{esc(v)} <span class="n">{n}</span></button>'
        for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    )
    return f'<fieldset class="facet"><legend>{label}</legend>{buttons}</fieldset>'


def _controls(facts: Sequence[Mapping[str, Any]]) -> str:
    types = Counter(f["type"] for f in facts)
    people = Counter(a for f in facts for a in set(f["actors"]))
    outlets = Counter(o for f in facts for o in f["outlets"])
    return (
        '<div id="controls" class="controls" role="search" hidden>'
        '<p class="find"><label for="q">Filter</label> '
        '<input id="q" type="search" autocomplete="off" spellcheck="false" placeholder="words, e.g. training">'
        ' <button type="button" id="reset">Show all</button></p>'
        f'{_toggles("type", "Type", types)}{_toggles("actor", "Actors", people)}'
        f'{_toggles("outlet", "Outlets", outlets)}'
        f'<p id="shown" class="shown" aria-live="polite">{_plural(len(facts), "event")}</p></div>'
    )


def _years(records: Iterable[Record]) -> str:
    counts = Counter(_group_key(r)[0] for r in records)
    if not counts:
        return ""
    links = "".join(f'<li><a href="#y{y}" data-year="{y}">{y} <span class="n">{n}</span></a></li>'
                    for y, n in sorted(counts.items()))
    return f'<nav class="years" aria-label="Years"><ol>{links}</ol></nav>'


def page(records: Sequence[Record], articles: Mapping[str, Record], *, title: str,
         filters: Sequence[str] = (), generator: str = "pakus") -> str:
    """The whole page for event records (in timeline order) and article records by id."""
    style, script = asset("timeline.css"), asset("timeline.js")
    srcs = [sources(r, articles) for r in records]
    facts = [_facts(r, s) for r, s in zip(records, srcs, strict=True)]
    items = [_event(i, r, s) for i, (r, s) in enumerate(zip(records, srcs, strict=True))]
    csp = (f"default-src 'none'; style-src {_hash(style)}; script-src {_hash(script)}; img-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{esc(generator)}">\n'
        f"<title>{esc(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#timeline">Skip to the timeline</a>\n'
        f'<header><h1>{esc(title)}</h1>\n<p class="summary">{esc(summary_line(records, articles, filters))}</p>\n'
        f"{_years(records)}\n{_controls(facts)}\n</header>\n"
        f'<main id="timeline">\n{_timeline(records, items)}\n</main>\n'
        f'<footer><p>Compiled by {esc(generator)} from saved news articles; every event quotes the sentence it '
        "comes from, with the words that date it marked.</p></footer>\n"
        f'<script type="application/json" id="pakus-data">{json_for_script({"events": facts})}</script>\n'
        f"<script>{script}</script>\n</body>\n</html>\n"
    )

"""A saved web page (``.html``) -> one Article: the metadata the page declares for itself, the body as
trafilatura extracts it, and the dump parser's text rules for whatever the markup leaves out.

Precedence, field by field (never a value the page does not state for itself):

- title: JSON-LD ``headline`` > ``og:title`` > ``<title>`` without the site's suffix > the text rules;
- date: JSON-LD ``datePublished`` > a ``<head>`` meta (``article:published_time``) > the text rules
  (a "Published" line, a byline, a dateline) > a full date in the page's own URL path
  (``/2023/02/13/``) > a declared modification date. Related links, sidebars and JSON-LD lists of other
  articles are never read; a visible "Updated" time does not override ``datePublished``;
- outlet: JSON-LD ``publisher.name`` > ``og:site_name`` > the text rules > the canonical URL's domain
  (a known outlet's);
- agency: a wire named as JSON-LD author or credit, or as the author meta > the text rules (byline,
  dateline, closing credit) > the body's closing credit;
- dateline: the text rules, then the body's first paragraph.

The page's visible text (tags stripped, one line per block, as a browser's "save as text" writes it)
goes through the same parse as a dump, so every text rule applies. trafilatura is imported only when a
corpus holds a web page: ``pakus --help`` never pays for it. When it fails on a page (an error or
nothing extracted), the body is the dump parser's reading of the visible text, and the page's note
says so.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import tables
from .vocabulary import DateSource

if TYPE_CHECKING:
    from .models import Article

SUFFIXES = (".html", ".htm")
# A .txt file whose first characters are these is a saved web page too.
_SNIFF = re.compile(r"\A\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_URL_DAY = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?=/|$)")
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


def is_html(name: str, text: str) -> bool:
    """Whether a corpus file is a saved web page: by its name, or by how it begins."""
    return name.lower().endswith(SUFFIXES) or bool(_SNIFF.match(text[:2048]))


@cache
def _table() -> dict[str, Any]:
    return tables.load("webpage.toml")


def _keys(group: str) -> frozenset[str]:
    return frozenset(k.lower() for k in _table()["meta"][group])


# -- the markup -------------------------------------------------------------------------------------


class _Reader(HTMLParser):
    """One pass over the markup: the head's declarations and the visible text, block by block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        markup = _table()["markup"]
        self.invisible = frozenset(markup["invisible"])
        self.blocks = frozenset(markup["blocks"])
        self.metas: list[tuple[str, str]] = []  # (key, content) of the head's <meta> tags
        self.canonical: str | None = None
        self.title: list[str] = []
        self.jsonld: list[str] = []
        self.lines: list[str] = []
        self._line: list[str] = []
        self._hidden: list[str] = []  # the invisible elements we are inside
        self._script: str | None = None  # the type of the <script> we are inside
        self._in_title = False
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "body":
            self._in_body = True
        if tag == "meta" and not self._in_body:
            key = a.get("property") or a.get("name") or a.get("itemprop")
            if key and a.get("content"):
                self.metas.append((key.strip().lower(), a["content"].strip()))
        elif tag == "link" and not self._in_body and "canonical" in a.get("rel", "").lower().split():
            self.canonical = self.canonical or a.get("href") or None
        elif tag == "script":
            self._script = a.get("type", "").lower()
        elif tag == "title" and not self._in_body and not self._hidden[1:]:
            self._in_title = True
        if tag in self.blocks:
            self._break()
        if tag in self.invisible:
            self._hidden.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.invisible and tag in self._hidden:
            while self._hidden and self._hidden.pop() != tag:
                pass
        if tag == "script":
            self._script = None
        self._in_title = self._in_title and tag != "title"
        if tag in self.blocks:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("meta", "link"):
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._script == "application/ld+json":
            self.jsonld.append(data)
        elif self._in_title:
            self.title.append(data)
        elif not self._hidden:
            self._line.append(data)

    def _break(self) -> None:
        line = " ".join("".join(self._line).split())  # a newline in markup is a space; <br> is a block break
        self._line = []
        if line:
            self.lines.append(line)

    def close(self) -> None:
        super().close()
        self._break()


@dataclass(frozen=True, slots=True)
class Markup:
    """What one pass over a page finds: its declarations and its visible text."""

    metas: tuple[tuple[str, str], ...]
    canonical: str | None
    title: str | None
    jsonld: tuple[str, ...]
    text: str  # the visible text, one block a line, blank lines between

    def meta(self, group: str) -> str | None:
        """The first head meta of a group of keys (``published``, ``site``, ...)."""
        keys = _keys(group)
        return next((html.unescape(v) for k, v in self.metas if k in keys), None)


def read_markup(page: str) -> Markup:
    """Read a page's markup (malformed markup is read as far as it goes)."""
    reader = _Reader()
    reader.feed(page)
    reader.close()
    title = _SPACE.sub(" ", "".join(reader.title)).strip() or None
    return Markup(tuple(reader.metas), reader.canonical, title, tuple(reader.jsonld), "\n\n".join(reader.lines) + "\n")


def page_text(page: str) -> str:
    """The visible text of a page, one block a line with blank lines between (what a reader sees)."""
    return read_markup(page).text


# -- JSON-LD ----------------------------------------------------------------------------------------


def _objects(node: Any, nested: frozenset[str]) -> Iterator[dict[str, Any]]:
    """The JSON-LD objects a block declares at its top: in lists, in ``@graph``, a page's ``mainEntity``.
    Lists of other articles (``ItemList``, ``hasPart``, ``relatedLink``) are not entered."""
    if isinstance(node, list):
        for item in node:
            yield from _objects(item, nested)
    elif isinstance(node, dict):
        yield node
        for key in nested:
            if key in node:
                yield from _objects(node[key], nested)


def _is_article(obj: dict[str, Any]) -> bool:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k in _table()["jsonld"]["article_types"] for k in kinds)


def _urls_of(obj: dict[str, Any]) -> set[str]:
    out = {obj.get("url"), obj.get("@id")}
    page = obj.get("mainEntityOfPage")
    out.add(page.get("@id") if isinstance(page, dict) else page)
    return {_norm_url(u) for u in out if isinstance(u, str)}


def _norm_url(url: str) -> str:
    return url.split("#")[0].rstrip("/").lower()


def article_object(blocks: tuple[str, ...], canonical: str | None) -> dict[str, Any] | None:
    """The JSON-LD object of the article itself: the one naming the canonical URL, else the first
    article-typed object (a block that is not valid JSON is skipped)."""
    nested = frozenset(_table()["jsonld"]["nested"])
    found: list[dict[str, Any]] = []
    for block in blocks:
        try:
            data = json.loads(block.strip().removesuffix(";"), strict=False)
        except ValueError:
            continue
        found += [o for o in _objects(data, nested) if _is_article(o)]
    if canonical:
        mine = [o for o in found if _norm_url(canonical) in _urls_of(o)]
        if mine:
            return mine[0]
    return found[0] if found else None


def _names(value: Any) -> list[str]:
    """The names in a JSON-LD value: a string, an object's ``name``, or a list of either."""
    if isinstance(value, str):
        return [html.unescape(value).strip()]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _text(obj: dict[str, Any] | None, key: str) -> str | None:
    names = _names(obj.get(key)) if obj else []
    return next((n for n in names if n), None)


# -- values -----------------------------------------------------------------------------------------


def declared_day(value: str | None) -> dt.date | None:
    """The calendar day of a declared timestamp, as the page writes it ("2023-02-13T23:30:00+05:00" is
    the 13th: the publisher's own day, not converted to another zone)."""
    if not value:
        return None
    m = _ISO_DAY.match(value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    from .dates import find_literals

    found = find_literals(value)
    return found[0].date if len(found) == 1 and found[0].alternative is None else None


def url_day(url: str | None) -> dt.date | None:
    """A full date in a URL's path (``/2023/02/13/``), or None: a year or a month alone dates nothing."""
    if not url:
        return None
    m = _URL_DAY.search(urlsplit(url).path)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def wire(names: list[str]) -> str | None:
    """The wire agency among author or credit names ("Reuters", "By Associated Press", "APP")."""
    from .metadata import byline_agency

    for name in names:
        hit = tables.agency_name(name) or byline_agency(name)
        if hit:
            return hit
    return None


def site_name(name: str | None) -> str | None:
    """An outlet as the page names itself, in its known spelling when it is a known outlet."""
    if not name:
        return None
    name = _SPACE.sub(" ", name).strip()
    return tables.outlet_known(name) or name or None


def strip_site(title: str, sites: list[str], url: str | None, headline: str | None = None) -> str:
    """A <title> or og:title without the site's name after a separator ("… | Dawn", "… - Reuters"): the
    part after the last separator goes when it names the site, a known outlet or agency, or the URL's
    domain, or when what stands before it is the headline the page shows."""
    host = (urlsplit(url).hostname or "") if url else ""
    known = {s.lower() for s in sites if s}
    for sep in _table()["markup"]["title_separators"]:
        head, found, tail = title.rpartition(sep)
        tail = tail.strip()
        if not found or not head.strip():
            continue
        low = tail.lower()
        if (low in known or tables.outlet_known(tail) or tables.agency_name(tail) or head.strip() == headline
                or (host and low.replace(" ", "") in host.lower().replace("-", ""))):
            return head.strip()
    return title.strip()


# -- the declarations -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Declared:
    """What a page declares about itself, each value with where it was read."""

    title: str | None = None
    date: dt.date | None = None
    date_source: DateSource | None = None
    modified: dt.date | None = None
    modified_source: DateSource | None = None
    outlet: str | None = None
    agency: str | None = None
    url: str | None = None
    sites: tuple[str, ...] = ()  # the names the page gives itself (publisher, og:site_name)


def _page_url(markup: Markup, obj: dict[str, Any] | None) -> str | None:
    for url in (markup.canonical, markup.meta("url"), _text(obj, "url")):
        if url and urlsplit(url.strip()).scheme in ("http", "https"):
            return url.strip()
    return None


def _dated(*options: tuple[dt.date | None, DateSource]) -> tuple[dt.date | None, DateSource | None]:
    return next(((d, s) for d, s in options if d is not None), (None, None))


def declarations(markup: Markup) -> Declared:
    """The page's own declarations: its article's JSON-LD object, the head's metas, its canonical URL."""
    obj = article_object(markup.jsonld, markup.canonical)
    url = _page_url(markup, obj)
    outlet = site_name(_text(obj, "publisher")) or site_name(markup.meta("site"))
    credits = [n for key in _table()["jsonld"]["credits"] for n in (_names(obj.get(key)) if obj else [])]
    author = markup.meta("author")
    agency = wire(credits + ([author] if author and not author.startswith("http") else []))
    sites = tuple(s for s in (outlet, markup.meta("site")) if s)
    title = _text(obj, "headline") or markup.meta("title") or markup.title
    date, source = _dated((declared_day(_text(obj, "datePublished")), DateSource.json_ld),
                          (declared_day(markup.meta("published")), DateSource.meta))
    modified, modified_source = _dated((declared_day(_text(obj, "dateModified")), DateSource.json_ld),
                                       (declared_day(markup.meta("modified")), DateSource.meta))
    return Declared(title or None, date, source, modified, modified_source, outlet, agency, url, sites)


# -- the whole --------------------------------------------------------------------------------------


def extract_body(page: str, url: str | None) -> list[str] | None:
    """The article's paragraphs as trafilatura extracts them (its own metadata and date guessing off:
    htmldate would date an undated page from its sidebar), or None when it fails or finds nothing."""
    try:
        import trafilatura

        text = trafilatura.extract(page, url=url, output_format="txt", include_comments=False,
                                   include_tables=False, favor_precision=True, with_metadata=False)
    except Exception:  # noqa: BLE001 - an extractor's failure on one page falls back to the text rules
        return None
    paragraphs = [_SPACE.sub(" ", p).strip() for p in (text or "").split("\n")]
    return [p for p in paragraphs if p] or None


def parse_webpage(page: str, *, ident: str, file: str) -> tuple[Article, str | None]:
    """Parse one saved web page into an Article and a note for the user. Raises NoArticle when neither
    the markup nor its text holds an article."""
    from .article import NoArticle, parse_page

    markup = read_markup(page)
    declared = declarations(markup)
    notes: list[str] = []
    try:
        text_rules, layout = parse_page(markup.text, ident=ident, file=file)
    except NoArticle:
        text_rules, layout = None, None
    body = extract_body(page, declared.url)
    if body is None:
        if text_rules is None:
            raise NoArticle("no headline or paragraph found in the page's markup or text")
        from importlib.util import find_spec

        why = "trafilatura is not installed" if find_spec("trafilatura") is None else "trafilatura extracted nothing"
        notes.append(f"{why}: its body is the text rules' reading of the page with its tags stripped; "
                     "check it with 'pakus show --raw'")
        if layout:
            notes.append(layout)
    article = _combine(declared, text_rules, body, ident, file)
    if article.title is None and not article.paragraphs:
        raise NoArticle("no headline or paragraph found in the page's markup or text")
    return article, "; ".join(notes) or None


def _combine(d: Declared, rules: Article | None, body: list[str] | None, ident: str, file: str) -> Article:
    """The declarations first, then the text rules, then what the body itself says."""
    from .metadata import closing_agency, find_dateline
    from .models import Article

    base = rules or Article(ident, file, None, None, None, None, None, None, None, ())
    sites = [s for s in (*d.sites, base.outlet) if s]
    title = (strip_site(d.title, sites, d.url, base.title) if d.title else None) or base.title
    outlet = d.outlet or base.outlet or (tables.outlet_by_domain(urlsplit(d.url).hostname or "") if d.url else None)
    # trafilatura's body unless it is missing or nothing in it reads as prose; then the text rules' body
    paragraphs = (_clean_body(body, (title, base.subtitle), outlet) if body else []) or list(base.paragraphs)
    date, source = _dated((d.date, d.date_source or DateSource.meta), (base.date, base.date_source or DateSource.meta),
                          (url_day(d.url), DateSource.url), (d.modified, d.modified_source or DateSource.meta))
    lead = find_dateline(paragraphs[0]) if paragraphs else None
    agency = d.agency or base.agency or (closing_agency(paragraphs[-1]) if paragraphs else None)
    return replace(base, title=title, date=date, date_source=source if date else None,
                   outlet=outlet, agency=agency, dateline=base.dateline or (lead.place if lead else None),
                   paragraphs=tuple(paragraphs), url=d.url)


def _clean_body(body: list[str], repeats: tuple[str | None, ...], outlet: str | None) -> list[str]:
    """trafilatura's paragraphs read line by line as a dump's body is: the headline and standfirst it
    repeats, credits, copyright and promo lines, link lists, a closing note about the author and the
    lines in which the site advertises itself are dropped; subheadings before prose stay."""
    from .article import body_paragraphs, split_lines
    from .lines import Kind
    from .metadata import find_dateline
    from .outlets import is_self_promo

    lines = [ln for ln in split_lines("\n\n".join(p for p in body if p not in repeats)) if ln.kind is not Kind.BLANK]
    # a short line opening the body is the lead's dateline standing alone ("ISLAMABAD:"), else a kicker
    first = lines[0] if lines else None
    start = 1 if first and first.kind is Kind.SHORT and not find_dateline(first.bare + " X") else 0
    kept = body_paragraphs(lines, start, len(lines), set())
    return [p for p in kept if not is_self_promo(p, outlet)]

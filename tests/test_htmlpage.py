"""`pakus timeline --format html` without a browser: the page's shape, its escaping, its labels, --output."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pakus_cli.htmlpage import date_label, page, summary_line

from .conftest import run

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HOSTILE = ("Talks on Monday <script>alert(1)</script> and <img src=x onerror=\"alert(2)\"> "
           "ended & 'nothing' ran.")


class Tree(HTMLParser):
    """Checks that every element closes in order and collects what could load or run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.doctype = ""
        self.scripts: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "script":
            self.scripts.append(data)


def parsed(text: str) -> Tree:
    tree = Tree()
    tree.feed(text)
    tree.close()
    return tree


def rec(text: str = "Pakistan and the US held talks on Monday.", **keys: object) -> dict[str, object]:
    """An event record as `timeline --json` writes it (the keys of today's records)."""
    base: dict[str, object] = {
        "date": "2023-02-13", "precision": "day", "start": "2023-02-13", "end": "2023-02-13", "basis": "on Monday",
        "text": text, "article": "001", "outlet": "Dawn", "tags": ["dialogue", "visit"], "status": "reported",
        "sources": [{"article": "001", "outlet": "Dawn", "text": text}],
    }
    base.update(keys)
    return base


ARTICLES = {"001": {"id": "001", "title": "Talks <b>held</b>", "date": "2023-02-14", "outlet": "Dawn"}}


@pytest.fixture(scope="module")
def seeds_page() -> str:
    code, out, err = run("timeline", "--format", "html")
    assert code == 0, err
    return out


# -- the page's shape -------------------------------------------------------------------------------------


def test_page_is_well_formed_html5(seeds_page: str) -> None:
    tree = parsed(seeds_page)
    assert tree.doctype == "doctype html" and tree.problems == [] and tree.stack == []
    assert seeds_page.startswith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')
    metas = [a for t, a in tree.tags if t == "meta"]
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in metas
    ids = [a["id"] for _, a in tree.tags if "id" in a]
    assert len(ids) == len(set(ids)), "ids are unique"


def test_page_loads_nothing(seeds_page: str) -> None:
    tree = parsed(seeds_page)
    assert not re.search(r"https?://|//[a-z]|url\(|@import", seeds_page, re.I)
    for tag, attrs in tree.tags:
        assert not {"src", "srcset", "action", "poster", "data"} & set(attrs), tag
        assert tag not in ("link", "iframe", "img", "object", "embed", "base", "form"), tag
        assert attrs.get("href", "#").startswith("#"), attrs  # only links within the page
        assert not [a for a in attrs if a.startswith("on")], attrs  # no handlers: the script adds them


def test_csp_allows_only_the_inline_style_and_script_by_hash(seeds_page: str) -> None:
    tree = parsed(seeds_page)
    csp = next(a["content"] for t, a in tree.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and csp.startswith("default-src 'none'; ")
    style = re.search(r"<style>(.*?)</style>", seeds_page, re.S)
    script = re.findall(r"<script>(.*?)</script>", seeds_page, re.S)
    assert style and len(script) == 1

    def sha(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert f"style-src 'sha256-{sha(style[1])}';" in csp and f"script-src 'sha256-{sha(script[0])}';" in csp
    assert "unsafe" not in csp and "http" not in csp


def test_every_event_of_the_timeline_is_on_the_page(seeds_page: str) -> None:
    events = json.loads(run("timeline", "--json")[1])
    assert seeds_page.count('<li class="event') == len(events) > 0
    tree = parsed(seeds_page)
    data = json.loads(next(s for s in tree.scripts if s.startswith('{"events"')))
    assert len(data["events"]) == len(events)
    assert seeds_page.count('<span class="badge">planned</span>') == sum(e["status"] == "planned" for e in events)
    assert 'id="y2023"' in seeds_page and '<h3>February 2023</h3>' in seeds_page
    assert "<mark>from Monday to Thursday</mark>" in seeds_page


# -- untrusted text -----------------------------------------------------------------------------------


def test_hostile_text_is_escaped_everywhere() -> None:
    evil = "<script>alert(3)</script>"
    r = rec(HOSTILE, basis="on Monday", outlet=evil, tags=[evil], headline=evil, type=evil,
            actors=[{"name": evil, "side": evil}], location=evil, id='x" onclick="alert(4)',
            sources=[{"article": "001", "outlet": evil, "text": HOSTILE, "title": evil, "date": evil}])
    text = page([r], {"001": {"title": evil}}, title=evil, filters=[f"keyword {evil}"])
    tree = parsed(text)
    assert tree.problems == [] and tree.stack == []
    assert [t for t, _ in tree.tags].count("script") == 2 and "img" not in [t for t, _ in tree.tags]
    assert not [a for _, attrs in tree.tags for a in attrs if a.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "onerror=&quot;alert(2)&quot;" in text
    assert "<mark>on Monday</mark>" in text and "ended &amp; &#x27;nothing&#x27; ran." in text
    data = tree.scripts[0]
    assert "<" not in data and ">" not in data and "&" not in data  # written as \u003c, \u003e, \u0026
    assert json.loads(data)["events"][0]["type"] == evil


def test_a_sentence_without_its_basis_is_unmarked() -> None:
    text = page([rec(basis="publication date")], ARTICLES, title="t")
    assert "<mark>" not in text and "dated by “publication date”" in text


# -- what an event shows, with the keys a record may not have yet ---------------------------------------------


def test_fallbacks_headline_type_and_source_title_from_the_article() -> None:
    long = "Pakistan and the United States held talks on Monday " + "about many things " * 10 + "end."
    text = page([rec(long)], ARTICLES, title="t")
    assert '<h4 class="headline">Pakistan and the United States held talks on Monday about many things about' in text
    assert "…</h4>" in text and '<span class="chip type" title="type">dialogue</span>' in text
    assert "<cite>Talks &lt;b&gt;held&lt;/b&gt;</cite>" in text and ">14 February 2023</time>" in text
    assert 'data-facet="actor"' not in text  # no actors: no actor toggles


def test_new_record_keys_are_used_when_present() -> None:
    r = rec(id="ev-7", headline="Austin and Munir meet", type="meeting", location="Rawalpindi", relevant=False,
            reason="a courtesy call", actors=[{"name": "Lloyd Austin", "side": "US"},
                                              {"name": "Asim Munir", "side": "Pakistan"}],
            sources=[{"article": "001", "outlet": "Dawn", "text": "Another sentence.", "title": "Own title",
                      "date": "2023-02-15"}])
    text = page([r], ARTICLES, title="t")
    assert 'data-event-id="ev-7"' in text and '<h4 class="headline">Austin and Munir meet</h4>' in text
    assert '<span class="chip actor side-us" title="US">Lloyd Austin</span>' in text
    assert 'class="chip actor side-pakistan"' in text and 'data-facet="actor" data-value="Asim Munir"' in text
    assert '<span class="where">Rawalpindi</span>' in text and "a courtesy call" in text
    assert '<li class="event not-relevant"' in text
    assert "<cite>Own title</cite>" in text and "15 February 2023" in text and "<q>Another sentence.</q>" in text


# -- the summary and the dates ----------------------------------------------------------------------------


def test_summary_counts_events_articles_outlets_and_range() -> None:
    two = {"article": "002", "outlet": "Dawn", "text": "x"}
    records = [
        rec(date="2014", precision="year", start="2014-01-01", end="2014-12-31"),
        rec(sources=[{"article": "001", "outlet": "Dawn", "text": "x"}, two]),
        rec(date="2024-W26", precision="week", start="2024-06-24", end="2024-06-29", article="003",
            sources=[{"article": "003", "outlet": None, "text": "x"}]),
    ]
    assert summary_line(records, {}, ["since 2014", "tag dialogue"]) == (
        "3 events from 3 articles in 1 outlet, 2014 to week of 24 June 2024. Filters: since 2014, tag dialogue.")
    assert summary_line(records[1:2], {}, []) == (
        "1 event from 2 articles in 1 outlet, 13 February 2023. No filters: the whole corpus.")
    assert summary_line([], {}, []).startswith("0 events from 0 articles in 0 outlets.")


@pytest.mark.parametrize(("precision", "start", "end", "label"), [
    ("day", "2023-02-13", "2023-02-13", "13 February 2023"),
    ("day", "2023-02-13", "2023-02-16", "13–16 February 2023"),
    ("day", "2023-02-27", "2023-03-02", "27 February – 2 March 2023"),
    ("day", "2022-12-30", "2023-01-02", "30 December 2022 – 2 January 2023"),
    ("week", "2024-06-24", "2024-06-29", "week of 24 June 2024"),
    ("week", "2019-12-30", "2020-01-05", "week of 30 December 2019"),
    ("week", "2024-06-26", "2024-06-30", "week of 24 June 2024"),
    ("week", "2023-02-22", "2023-02-28", "22–28 February 2023"),
    ("week", "2023-12-28", "2024-01-03", "28 December 2023 – 3 January 2024"),
    ("month", "2024-06-01", "2024-06-30", "June 2024"),
    ("month", "2024-06-01", "2024-08-31", "June–August 2024"),
    ("month", "2022-12-01", "2023-01-31", "December 2022 – January 2023"),
    ("year", "2018-01-01", "2018-12-31", "2018"),
    ("year", "2014-01-01", "2016-12-31", "2014–2016"),
])
def test_date_labels_at_each_precision(precision: str, start: str, end: str, label: str) -> None:
    assert date_label(precision, dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == label


def test_seeds_labels_and_groups(seeds_page: str) -> None:
    for label in ("week of 30 December 2019", "13–16 February 2023", "March 2023",
                  "week of 24 June 2024", ">2018</time>"):
        assert label in seeds_page, label
    assert seeds_page.index("<h3>Dated only to 2018</h3>") < seeds_page.index('id="y2019"')


# -- the command line -----------------------------------------------------------------------------------


def test_output_writes_the_page_and_the_filters_reach_its_summary(tmp_path: Path) -> None:
    target = tmp_path / "timeline.html"
    code, out, err = run("timeline", "--since", "2023", "--tag", "dialogue", "--format", "html",
                         "--title", "<Talks>", "--output", str(target))
    assert (code, out, err) == (0, "", "")
    text = target.read_text(encoding="utf-8")
    assert "<title>&lt;Talks&gt;</title>" in text and "Filters: since 2023, tag dialogue." in text
    assert oct(target.stat().st_mode & 0o777) != "0o600" and not list(tmp_path.glob(".*.part"))


def test_output_for_list_and_search_and_nothing_matched(tmp_path: Path) -> None:
    code, out, _ = run("list", "--json", "--output", str(tmp_path / "a.json"))
    assert (code, out) == (0, "") and len(json.loads((tmp_path / "a.json").read_text())) == 5
    code, out, _ = run("search", "IMET", "--format", "csv", "-o", str(tmp_path / "hits.csv"))
    assert (code, out) == (0, "") and (tmp_path / "hits.csv").read_text().startswith("id,date,outlet")
    code, out, err = run("timeline", "--since", "1990", "--until", "1991", "--json", "-o", str(tmp_path / "e.json"))
    assert (code, out, err) == (1, "", "no event matches these filters (--all shows off-topic ones too)\n")
    assert (tmp_path / "e.json").read_text() == "[]\n"
    code, out, _ = run("list", "--format", "csv", "--output", "-")  # "-" is stdout, as for most tools
    assert code == 0 and out.startswith("id,date,outlet")


def test_a_bad_output_path_is_a_usage_error_and_an_error_keeps_the_old_file(tmp_path: Path) -> None:
    code, out, err = run("timeline", "--format", "html", "--output", str(tmp_path / "no" / "such.html"))
    assert (code, out) == (2, "") and err == (f"pakus: error: cannot write --output {tmp_path}/no/such.html: "
                                              "No such file or directory\n")
    res = subprocess.run([sys.executable, "-m", "pakus_cli", "timeline", "--output", str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and res.stdout == "" and res.stderr == (
        f"pakus: error: Invalid value for '--output' / '-o': File '{tmp_path}' is a directory; "
        "see 'pakus timeline --help'\n")
    old = tmp_path / "old.html"
    old.write_text("before")
    code, _, err = run("timeline", "--article", "999", "--format", "html", "--output", str(old))
    assert code == 2 and old.read_text() == "before" and list(tmp_path.iterdir()) == [old]


def test_html_is_the_timeline_s_alone() -> None:
    code, out, err = run("list", "--format", "html")
    assert (code, out) == (2, "") and "--format html is not for this command" in err

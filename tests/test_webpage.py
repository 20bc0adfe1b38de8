"""Saved web pages as input: the page's own declarations first (JSON-LD > meta > <title> > the text
rules), never a date it does not declare for itself, trafilatura for the body (imported only when a
corpus holds HTML), and a bad page is one warning."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pakus_cli import webpage
from pakus_cli.models import ARTICLE_KEYS, Article
from pakus_cli.vocabulary import DateSource
from pakus_cli.webpage import declarations, is_html, parse_webpage, read_markup, strip_site, url_day

from .conftest import SEEDS, library, run

LAYOUTS = Path(__file__).resolve().parent / "layouts"

BODY = """
<p>ISLAMABAD: Pakistani and American officials met on Tuesday to review a programme that trains border police
in detecting forged documents and explosives, the interior ministry said in a statement.</p>
<p>The two sides agreed to add courses for customs staff at three crossings and to hold the next review meeting
in Washington, the statement said, without giving a date for it.</p>
<p>Officials said more than two hundred officers had completed the training since it began, most of them posted
along the western border where smuggling remains a concern for both governments.</p>
"""


def page(head: str = "", body_top: str = "", body: str = BODY) -> str:
    """A minimal saved page: head declarations, visible head block, article body, dated chrome."""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">{head}</head>
<body><nav><ul><li>Home</li><li>Pakistan</li><li>World</li></ul></nav>
<article>{body_top}<div class="body">{body}</div></article>
<aside><h3>Related</h3><ul><li><a>Rupee steady against the dollar</a> March 2, 2021</li>
<li><a>Rain forecast for the weekend</a> March 1, 2021</li></ul>
</aside>
<footer><p>Copyright 2021 Frontier Post</p></footer></body></html>"""


LD = """<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"JSON-LD headline","datePublished":"2021-03-09T08:00:00+05:00",
"publisher":{"@type":"Organization","name":"The Frontier Herald"},
"author":{"@type":"Person","name":"A. Writer"}}</script>"""
META = """<meta property="og:title" content="OG headline | Frontier Herald">
<meta property="og:site_name" content="Frontier Herald">
<meta property="article:published_time" content="2021-03-08T10:00:00Z">"""
TITLE = "<title>Title-tag headline | Frontier Post</title>"  # the footer's copyright names the site
VISIBLE = "<h1>Border police training programme reviewed</h1><p class=\"byline\">Staff Reporter | March 7, 2021</p>"


def parse(html: str, name: str = "x.html") -> tuple[Article, str | None]:
    return parse_webpage(html, ident="x", file=name)


# -- precedence -------------------------------------------------------------------------------------


def test_json_ld_wins_over_meta_title_and_text() -> None:
    a, note = parse(page(LD + META + TITLE, VISIBLE))
    assert (a.title, a.date, a.date_source, a.outlet) == (
        "JSON-LD headline", dt.date(2021, 3, 9), DateSource.json_ld, "The Frontier Herald")
    assert note is None


def test_meta_wins_over_title_and_text() -> None:
    a, _ = parse(page(META + TITLE, VISIBLE))
    assert (a.title, a.date, a.date_source, a.outlet) == (
        "OG headline", dt.date(2021, 3, 8), DateSource.meta, "Frontier Herald")


def test_title_tag_without_the_site_name_wins_over_the_text() -> None:
    a, _ = parse(page(TITLE, VISIBLE))
    assert a.title == "Title-tag headline"


def test_the_text_rules_fill_what_the_markup_leaves_out() -> None:
    a, _ = parse(page("", VISIBLE))
    assert a.title == "Border police training programme reviewed"
    assert (a.date, a.date_source) == (dt.date(2021, 3, 7), DateSource.byline)
    assert a.outlet == "Frontier Post"  # the copyright line
    assert a.dateline == "Islamabad" and a.url is None
    assert a.paragraphs[0].startswith("ISLAMABAD: Pakistani and American officials") and len(a.paragraphs) == 3


def test_json_ld_in_a_graph_and_a_list_and_the_canonical_article_first() -> None:
    other = '{"@type":"NewsArticle","headline":"Another story","url":"https://x.pk/other","datePublished":"2020-01-01"}'
    mine = ('{"@type":["NewsArticle"],"headline":"Mine","url":"https://x.pk/mine/",'
            '"datePublished":"2021-03-09","dateModified":"2021-03-12"}')
    head = (f'<link rel="canonical" href="https://x.pk/mine"><script type="application/ld+json">'
            f'{{"@graph":[{{"@type":"WebSite"}},{other}]}}</script>'
            f'<script type="application/ld+json">[{mine}]</script>')
    d = declarations(read_markup(page(head)))
    assert (d.title, d.date, d.modified) == ("Mine", dt.date(2021, 3, 9), dt.date(2021, 3, 12))
    assert d.url == "https://x.pk/mine"


def test_a_wire_as_json_ld_author_or_meta_author_is_the_agency() -> None:
    reuters = LD.replace('{"@type":"Person","name":"A. Writer"}', '[{"@type":"Organization","name":"Reuters"}]')
    assert parse(page(reuters))[0].agency == "Reuters"
    assert parse(page('<meta name="author" content="Press Trust of India">'))[0].agency == "PTI"
    assert parse(page(LD))[0].agency is None  # a person is no agency


def test_site_suffixes_go_and_other_endings_stay() -> None:
    assert strip_site("Talks held - Reuters", [], None) == "Talks held"
    assert strip_site("Talks held | Dawn", [], None) == "Talks held"
    assert strip_site("Talks held | Frontier Herald", ["Frontier Herald"], None) == "Talks held"
    assert strip_site("Talks held | Frontier", [], "https://www.frontier.pk/a/1") == "Talks held"
    assert strip_site("Talks held | Frontier", [], None, headline="Talks held") == "Talks held"
    assert strip_site("Pakistan - US talks held", [], None) == "Pakistan - US talks held"


# -- dates the page does not declare -----------------------------------------------------------------


def test_a_page_without_a_date_stays_undated() -> None:
    related = ('<script type="application/ld+json">{"@type":"ItemList","itemListElement":[{"@type":"ListItem",'
               '"item":{"@type":"NewsArticle","headline":"Old","datePublished":"2021-02-01"}}]}</script>')
    a, _ = parse(page(TITLE + related + '<link rel="canonical" href="https://x.pk/news/123-border-police">'))
    assert (a.date, a.date_source) == (None, None)
    a, _ = parse((LAYOUTS / "html_geo_nodate.html").read_text())
    assert (a.date, a.date_source) == (None, None)


def test_a_full_date_in_the_url_path_dates_the_page_a_partial_one_does_not() -> None:
    assert url_day("https://x.pk/2023/02/13/slug/") == dt.date(2023, 2, 13)
    assert url_day("https://x.pk/news/2024/6/28/slug") == dt.date(2024, 6, 28)
    for undated in ("https://x.pk/2023/02/slug", "https://x.pk/13-Feb-2023/slug", "https://x.pk/2023/02/31/x",
                    "https://x.pk/a?d=/2023/02/13/", None):
        assert url_day(undated) is None
    a, _ = parse(page(TITLE + '<link rel="canonical" href="https://x.pk/2023/02/13/border-police/">'))
    assert (a.date, a.date_source, a.url) == (dt.date(2023, 2, 13), DateSource.url, "https://x.pk/2023/02/13/border-police/")


def test_a_visible_updated_time_does_not_override_date_published() -> None:
    a, _ = parse((LAYOUTS / "html_aljazeera_updated.html").read_text())
    assert (a.date, a.date_source) == (dt.date(2024, 6, 28), DateSource.json_ld)


def test_a_declared_day_is_the_publishers_own() -> None:
    assert webpage.declared_day("2023-02-13T23:30:00+05:00") == dt.date(2023, 2, 13)
    assert webpage.declared_day("2023-02-30") is None and webpage.declared_day("") is None


# -- files, fallbacks, warnings ----------------------------------------------------------------------


def test_html_is_known_by_name_or_by_its_start() -> None:
    assert is_html("a.HTM", "plain words") and is_html("a.txt", "\ufeff <!-- saved --> <!DOCTYPE html><html>")
    assert is_html("a.txt", "<html lang=en>") and not is_html("a.txt", " date 2023-01-01 Dawn <html> in text")


def test_when_trafilatura_fails_the_text_rules_read_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webpage, "extract_body", lambda page, url: None)
    a, note = parse(page(LD, VISIBLE))
    assert note is not None and "trafilatura extracted nothing: its body is the text rules' reading" in note
    assert a.title == "JSON-LD headline" and a.paragraphs[0].startswith("ISLAMABAD: Pakistani and American")


def test_a_broken_page_is_one_warning_and_the_rest_loads(tmp_path: Path) -> None:
    shutil.copy(LAYOUTS / "html_dawn.html", tmp_path / "001_dawn.html")
    shutil.copy(next(SEEDS.glob("003_*.txt")), tmp_path / "003_seed.txt")
    (tmp_path / "002_broken.html").write_text('<html><body><div><p>half a <b>tag <script>var x = "</div>')
    (tmp_path / "004_cut.htm").write_text(page(LD, VISIBLE)[:-900])  # cut off mid-markup: still its article
    lib = library(tmp_path)
    assert sorted(a.id for a in lib.articles()) == ["001", "003", "004"]
    assert lib.warnings == ["002_broken.html: no headline or paragraph found in the page's markup or text; skipped"]


def test_importing_the_cli_does_not_import_trafilatura() -> None:
    code = "import sys, pakus_cli.cli; print('trafilatura' in sys.modules, 'pakus_cli.webpage' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.split() == ["False", "False"]


# -- through the index and the command line -----------------------------------------------------------


@pytest.fixture
def html_corpus(tmp_path: Path) -> Path:
    for name in ("html_tribune_wire.html", "html_brecorder_sniffed.txt", "html_pakistantoday_urldate.html"):
        shutil.copy(LAYOUTS / name, tmp_path / name)
    return tmp_path


def test_list_json_shows_the_web_pages_fields(html_corpus: Path) -> None:
    code, out, err = run("--corpus", str(html_corpus), "list", "--json")
    assert code == 0 and err == ""
    rows = {r["id"]: r for r in json.loads(out)}
    assert all(tuple(r) == ARTICLE_KEYS for r in rows.values())
    assert rows["html_tribune_wire"] | {"words": 0} == {
        "id": "html_tribune_wire", "file": "html_tribune_wire.html",
        "title": "US approves sale of training aircraft spares to Pakistan",
        "subtitle": "State Department notifies Congress of a possible sale of spare parts and support.",
        "date": "2023-02-08", "date_source": "json-ld", "outlet": "The Express Tribune", "agency": "Reuters",
        "dateline": "Washington", "words": 0, "curated": [], "copies": [],
        "url": "https://tribune.com.pk/story/2401877/us-approves-sale-of-training-aircraft-spares-to-pakistan",
    }
    assert rows["html_brecorder_sniffed"]["agency"] == "APP"  # a .txt file that is HTML
    assert (rows["html_pakistantoday_urldate"]["date"], rows["html_pakistantoday_urldate"]["date_source"]) == (
        "2023-02-13", "url")


def test_show_raw_is_the_saved_html_and_clean_the_article(html_corpus: Path) -> None:
    code, out, _ = run("--corpus", str(html_corpus), "show", "html_tribune_wire", "--raw")
    assert code == 0 and out == (html_corpus / "html_tribune_wire.html").read_text()
    code, out, _ = run("--corpus", str(html_corpus), "show", "html_tribune_wire", "--clean", "--no-pager")
    assert code == 0
    assert out.startswith("US approves sale of training aircraft spares to Pakistan\n")
    assert "2023-02-08 · The Express Tribune · via Reuters · Washington" in out
    assert "WASHINGTON: The US State Department has approved" in out
    assert "<p>" not in out and "Related Stories" not in out and "cookies" not in out

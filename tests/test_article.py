"""Golden tests: each seed's metadata exactly, and snippets its clean body must and must not hold.

The hand-made articles in tests/articles/ use other outlets' layouts to show the rules
generalise beyond the five seeds.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pakus_cli.article import parse
from pakus_cli.dates import find_literals
from pakus_cli.metadata import find_dateline

from .conftest import ARTICLES, seed_text

GOLDEN = json.loads((Path(__file__).parent / "golden" / "seeds.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("ident", sorted(GOLDEN))
def test_seed_metadata(ident: str) -> None:
    article = parse(seed_text(ident), ident=ident, file=f"{ident}.txt")
    record = article.as_record()
    for key, value in GOLDEN[ident]["meta"].items():
        assert record[key] == value, key


@pytest.mark.parametrize("ident", sorted(GOLDEN))
def test_seed_body_snippets(ident: str) -> None:
    article = parse(seed_text(ident), ident=ident, file=f"{ident}.txt")
    body = "\n".join(article.paragraphs) + "\n"
    for snippet in GOLDEN[ident]["must"]:
        assert snippet in body, snippet
    for snippet in GOLDEN[ident]["must_not"]:
        assert snippet not in body, snippet


def test_title_is_not_repeated_in_body() -> None:
    for ident in GOLDEN:
        article = parse(seed_text(ident), ident=ident, file="x")
        assert article.title not in article.paragraphs


def load(name: str):  # type: ignore[no-untyped-def]
    return parse((ARTICLES / name).read_text(encoding="utf-8"), ident=name, file=name)


def test_headerless_page_with_menu_and_copyright_footer() -> None:
    a = load("headerless.txt")
    assert a.title == "US approves sale of spare parts for Pakistan's F-16 fleet"
    assert a.date is None and a.date_source is None  # "on Friday" is no publication date
    assert a.outlet == "The Frontier Ledger"  # from the copyright line, unknown to the tables
    assert a.agency == "APP"
    assert a.dateline == "Islamabad"
    assert a.paragraphs[-1].endswith("capabilities. (APP)")
    body = " ".join(a.paragraphs)
    for debris in ("Skip to content", "Share on", "Most Read", "Rupee", "©"):
        assert debris not in body


def test_dayfirst_updated_line_beats_sidebar_dates() -> None:
    a = load("dayfirst_sidebar.txt")
    assert a.date == dt.date(2021, 3, 4)  # 04-03-2021 is day-first, not April 3
    assert a.date_source == "meta"
    assert a.agency == "Reuters"
    assert a.outlet == "Pak Defence Herald"
    body = " ".join(a.paragraphs)
    assert "Markets close higher" not in body and "Photo credit" not in body
    assert "We look forward to deepening our cooperation" in body


def test_repeated_headlines_standfirst_and_subheading() -> None:
    a = load("repeated_headline.txt")
    assert a.title == "Pakistan and US navies begin joint drill in Arabian Sea"
    assert a.subtitle == "The exercise focuses on maritime security and counter-piracy operations."
    assert a.date == dt.date(2023, 3, 15)
    assert (a.agency, a.dateline, a.outlet) == ("AFP", "Karachi", "South Asia Wire")
    assert a.paragraphs.count("Training at sea") == 1  # a subheading stays
    body = "\n".join(a.paragraphs)
    assert a.title not in body
    for debris in ("Also Read", "Related Stories", "Fishermen", "desk@"):
        assert debris not in body


@pytest.mark.parametrize(
    ("lead", "place"),
    [
        ("WASHINGTON, 21 January, 2021, (TON): Joe", "Washington"),
        ("Washington/Islamabad: Pakistan’s envoy", "Washington/Islamabad"),
        ("NEW DELHI: The ministry", "New Delhi"),
        ("New Delhi [India], January 5 (ANI): Pakistan", "New Delhi"),
        ("ISLAMABAD (Reuters) - Pakistan", "Islamabad"),
        ("WASHINGTON, D.C. — The Pentagon", "Washington"),  # a state or district after the city
        ("ST. PAUL, Minn. (AP) — A Minnesota guard unit", "St. Paul"),
        ("NEW YORK, N.Y., June 3 (Reuters) - Pakistan", "New York"),
    ],
)
def test_datelines(lead: str, place: str) -> None:
    found = find_dateline(lead)
    assert found is not None and found.place == place


@pytest.mark.parametrize("lead", ["Meanwhile: the talks", "Note: this", "According to officials, the talks",
                                  "Washington, U.S. officials said on Monday, will"])
def test_not_datelines(lead: str) -> None:
    assert find_dateline(lead) is None


def test_numeric_dates_are_day_first_with_alternative() -> None:
    (lit,) = find_literals("Updated: 05-01-2020 11:33 IST")
    assert lit.date == dt.date(2020, 1, 5) and lit.alternative == dt.date(2020, 5, 1)
    (lit,) = find_literals("23-12-2022")
    assert lit.date == dt.date(2022, 12, 23) and lit.alternative is None


def test_pti_the_party_is_not_an_agency() -> None:
    text = (
        "Imran Khan rallies supporters\n\n"
        "LAHORE: PTI chairman Imran Khan addressed a rally on Sunday and criticised the government "
        "over its handling of relations with the United States and the economy.\n\n"
        "The PTI said it would hold more rallies across the country in the coming weeks.\n"
    )
    a = parse(text, ident="x", file="x")
    assert a.agency is None
    assert a.dateline == "Lahore"


def test_dash_wire_credit_and_relative_updated_line() -> None:
    """Another outlet's layout: author | Published | 'Updated 2 hours ago' byline, a dash wire credit
    ('... the release. — Reuters') closing the last paragraph, a 'Read more' list after it."""
    a = load("dash_credit.txt")
    assert a.title == "US lifts hold on $150m security assistance to Pakistan"
    assert (a.date, a.date_source) == (dt.date(2023, 3, 5), "meta")  # '2 hours ago' never counts
    assert (a.outlet, a.agency, a.dateline) == ("Dawn", "Reuters", "Washington")
    assert a.paragraphs[-1] == ("Last month, a Pakistani delegation visited the Pentagon to discuss the release."
                                " — Reuters")
    body = "\n".join(a.paragraphs)
    for debris in ("Read more", "Gold prices", "India, US sign", "Published in Dawn", "Latest Stories"):
        assert debris not in body


def test_dash_credit_sentence_is_not_a_heading() -> None:
    from pakus_cli.events import article_events

    events = {e.basis: e.date for e in article_events(load("dash_credit.txt"))}
    # "on hold since 2018" dates no happening: "since" makes 2018 a reference point; the lead is dated
    # by its own "on Friday", so it is no second event on the publication date
    assert events == {"on Friday": "2023-03-03", "Last month": "2023-02"}


TITLE_CASE_HEADLINES = [
    "Pakistan Army Chief Bajwa Meets US Defence Secretary Austin", "US Senate Panel Clears F-16 Sale",
    "Pakistan US Defence Dialogue Begins", "Pentagon Approves Pakistan F-16 Sustainment Package",
    "Pak Army Chief Reaches Washington", "US Pakistan Counterterrorism Dialogue Concludes In Islamabad",
]
MENU_ROWS = [
    "Home Pakistan World Business Sports Entertainment Technology", "Home News Sport Weather iPlayer Radio CBBC",
    "Home National Islamabad Lahore Karachi Business World Sports Comment Profit Arts",
    "HOME NATION PUNJAB HARYANA JAMMU & KASHMIR", "South & Central Asia", "News Opinion Sport Culture Lifestyle",
]


@pytest.mark.parametrize("line", TITLE_CASE_HEADLINES)
def test_a_title_case_headline_is_no_menu(line: str) -> None:
    from pakus_cli.article import headline_shaped
    from pakus_cli.lines import classify, is_nav

    assert not is_nav(line) and headline_shaped(classify(line))


@pytest.mark.parametrize("line", MENU_ROWS)
def test_a_menu_row_is_no_headline(line: str) -> None:
    from pakus_cli.article import headline_shaped
    from pakus_cli.lines import classify, is_nav

    assert is_nav(line) and not headline_shaped(classify(line))


@pytest.mark.parametrize(("line", "outlet", "promo"), [
    ("Reporting costs money. Help ThePrint keep its reporters where the story is.", "ThePrint", True),
    ("Track the latest news live on NDTV.com and get updates from around the world.", "NDTV", True),
    ("The Dawn app brings you the news first.", "Dawn", True),
    ("A senior official told Dawn on Monday that the talks had gone well.", "Dawn", False),
    ("The minister said in an interview on Geo News that the talks went well.", "Geo News", False),
])
def test_a_page_speaking_of_itself_is_a_promo(line: str, outlet: str, promo: bool) -> None:
    from pakus_cli.outlets import is_self_promo

    assert is_self_promo(line, outlet) is promo


def _wrapped(text: str, width: int = 72) -> str:
    import textwrap

    return "\n\n".join("\n".join("   " + ln for ln in textwrap.wrap(p, width - 3)) for p in text.split("\n\n"))


LEAD = ("ISLAMABAD: Pakistan and the United States agreed on Tuesday to resume a military training programme "
        "that had been frozen for two years, officials from both sides said after talks in the capital.")
SECOND = ("The programme lets Pakistani officers attend American staff colleges, and the first course under the "
          "renewed arrangement is expected to begin in September, according to the statement.")
THIRD = ("Officials said the decision followed months of quiet contacts between the two militaries and a visit to "
         "Washington by a senior Pakistani general earlier this year, which both sides called productive.")


def test_a_hard_wrapped_dump_with_link_numbers_keeps_its_lead() -> None:
    """lynx writes paragraphs wrapped at a fixed width, with [n] link numbers that take up columns."""
    menu = "   [1]Home [2]World [3]Business [4]Sport\n\n   US, Pakistan agree to resume officer training\n\n"
    body = _wrapped(f"{LEAD}\n\n{SECOND}\n\n{THIRD}").replace("Pakistani officers", "[5]Pakistani officers")
    a = parse(menu + body + "\n\nReferences\n\n   1. http://example.com/\n", ident="w", file="w")
    assert a.paragraphs[0] == LEAD and a.paragraphs[1] == SECOND and a.paragraphs[2] == THIRD
    assert a.title == "US, Pakistan agree to resume officer training" and a.dateline == "Islamabad"


def test_prose_before_a_dateline_lead_is_a_caption_and_a_closing_credit_ends_the_story() -> None:
    caption = ("Soldiers of both armies stand together during the opening ceremony of the joint exercise at a "
               "training ground outside the capital on Monday morning")
    text = (f"US, Pakistan agree to resume officer training\n\n{caption}\n\n{LEAD}\n\n{SECOND}\n\n{THIRD} (APP)\n\n"
            "Pakistani soldiers patrol a border post in the tribal region. -- AFP\n")
    a = parse(text, ident="c", file="c")
    assert a.paragraphs[0] == LEAD and a.paragraphs[-1].endswith("(APP)")
    assert a.agency == "APP" and not any("Soldiers of both armies" in p or "-- AFP" in p for p in a.paragraphs)


def test_the_masthead_names_the_outlet_unless_the_page_opens_with_its_menu() -> None:
    body = f"US, Pakistan agree to resume officer training\n\n{LEAD}\n\n{SECOND}\n\n{THIRD}\n"
    assert parse("Skip to content\nThe Frontier Ledger\n\n" + body, ident="m", file="m").outlet == "The Frontier Ledger"
    assert parse("Home\nPakistan\nWorld\n\n" + body, ident="n", file="n").outlet is None


def test_a_100_kb_paragraph_on_one_line_is_read_not_skipped() -> None:
    sentence = ("Pakistani and American officers reviewed the training schedule for the coming season in "
                "detail, the statement said. ")
    long_para = sentence * (100_000 // len(sentence) + 1)
    a = parse(f"US, Pakistan review officer training\n\n{long_para}\n", ident="l", file="l")
    assert a.words >= 0.99 * len(long_para.split()) and a.title == "US, Pakistan review officer training"
    assert max(len(p) for p in a.paragraphs) <= 3_000


def test_a_data_blob_on_one_line_is_skipped() -> None:
    blob = "x=" + "aGVsbG8gd29ybGQ" * 3_000
    text = f"US, Pakistan review officer training\n\n{LEAD}\n\n{blob}\n\n{SECOND}\n"
    a = parse(text, ident="b", file="b")
    assert not any("aGVsbG8" in p for p in a.paragraphs) and a.paragraphs[0] == LEAD


@pytest.mark.parametrize(("top", "outlet"), [
    ("The Washington PostDemocracy Dies in Darkness", "The Washington Post"),
    ("ThePrint", "ThePrint"),
    ("E-Paper Advertise Contact Us Pakistan Observer", None),
    ("Accessibility links", None),
])
def test_the_masthead_is_a_name_not_a_row_of_links(top: str, outlet: str | None) -> None:
    body = f"US, Pakistan agree to resume officer training\n\n{LEAD}\n\n{SECOND}\n\n{THIRD}\n"
    assert parse(f"Skip to content\n{top}\n\n" + body, ident="t", file="t").outlet == outlet

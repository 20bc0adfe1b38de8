"""Events: what the seeds must yield, merging across articles, and nothing from debris."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pakus_cli.article import parse
from pakus_cli.events import article_events, tags_for
from pakus_cli.models import Event
from pakus_cli.text import sentences

from .conftest import ARTICLES, SEEDS, library


@pytest.fixture(scope="module")
def seed_events() -> list[Event]:
    return library(SEEDS).events()


def find(events: list[Event], article: str, basis: str) -> Event:
    hits = [e for e in events if any(s.article == article for s in e.sources) and e.basis == basis]
    assert hits, f"no event {basis!r} in {article}"
    return hits[0]


@pytest.mark.parametrize(
    ("article", "basis", "date", "status"),
    [
        ("000", "two years ago", "2018", "reported"),
        ("001", "on Tuesday", "2021-01-19", "reported"),
        ("002", "June 22", "2024-06-22", "reported"),
        ("002", "2014", "2014", "reported"),
        ("002", "earlier this week", "2024-W26", "reported"),
        ("002", "June 26", "2024-06-26", "reported"),
        ("003", "this month", "2022-12", "reported"),
        ("004", "January 2021", "2021-01", "reported"),
        ("004", "from Monday to Thursday", "2023-02-13/2023-02-16", "planned"),
        ("004", "on Sunday", "2023-02-12", "reported"),
        ("004", "next month", "2023-03", "planned"),
    ],
)
def test_seed_events(seed_events: list[Event], article: str, basis: str, date: str, status: str) -> None:
    e = find(seed_events, article, basis)
    assert (e.date, e.status) == (date, status)
    assert basis in e.text  # the sentence carries the words that date it


def test_earlier_this_week_is_the_week_ending_on_the_article_date(seed_events: list[Event]) -> None:
    e = find(seed_events, "002", "earlier this week")
    assert (e.start, e.end, e.precision) == (dt.date(2024, 6, 24), dt.date(2024, 6, 29), "week")


def test_every_event_text_is_a_sentence_of_its_article() -> None:
    for a in library(SEEDS).articles():
        body = " ".join(a.paragraphs)
        for e in article_events(a):
            assert e.text in body


def test_lead_is_an_event_on_the_publication_date(seed_events: list[Event]) -> None:
    e = find(seed_events, "003", "publication date")
    assert e.date == "2022-12-23" and e.text.startswith("The US seeks a strong partnership with Pakistan")


def test_a_lead_the_body_dates_is_one_event_at_the_bodys_date(seed_events: list[Event]) -> None:
    # 002's lead (the ambassador urged the US to provide arms) is the remarks the body dates "earlier
    # this week": one event, dated by the body, citing both sentences
    assert not any(s.article == "002" for e in seed_events if e.basis == "publication date" for s in e.sources)
    e = find(seed_events, "002", "earlier this week")
    assert e.date == "2024-W26" and e.type == "statement"
    assert [s.text[:40] for s in e.sources] == ["He made these remarks while addressing U",
                                                "Washington/Islamabad: Pakistan’s ambassa"]


def test_undated_article_gives_only_absolute_dates(tmp_path: Path) -> None:
    shutil.copy(next(SEEDS.glob("004_*.txt")), tmp_path / "004_x.txt")
    events = library(tmp_path).events()
    assert [(e.date, e.basis) for e in events] == [("2021-01", "January 2021")]


def test_no_events_from_debris() -> None:
    events = library(SEEDS).events()
    texts = " ".join(e.text for s in [events] for e in s)
    for debris in ("Wizards", "Soleimani's body arrives", "Perseverance", "Kuwait", "iPhone", "3 hours ago",
                   "Ghosn", "Syndicate Bank"):
        assert debris not in texts


def test_the_same_happening_across_articles_is_merged(tmp_path: Path) -> None:
    events = library(ARTICLES / "merge").events()
    merged = [e for e in events if len(e.sources) > 1]
    assert len(merged) == 1
    e = merged[0]
    assert e.date == "2023-03-07"
    assert {s.article for s in e.sources} == {"101", "102"}
    assert {s.outlet for s in e.sources} == {"The Capital Chronicle", "Frontier Wire Online"}
    assert "dialogue" in e.tags and "counterterrorism" in e.tags


def test_hand_made_articles_events() -> None:
    events = library(ARTICLES / "merge").events()
    by = {(e.article, e.basis): e for e in events}
    assert by[("101", "in September")].date == "2023-09"
    assert by[("101", "in September")].status == "planned"
    # the sidebar's "March 30, 2023" accord is debris: no event
    assert not any("trade accord" in e.text for e in events)


def test_other_outlets_and_years() -> None:
    a = parse((ARTICLES / "repeated_headline.txt").read_text(), ident="r", file="r")
    events = article_events(a)
    got = {e.basis: e.date for e in events}
    assert "publication date" not in got  # the lead is dated by its own words: no second copy
    assert got["on Wednesday"] == "2023-03-15"  # 15 March 2023 was a Wednesday
    assert got["last month"] == "2023-02"


def test_sentence_splitting_keeps_abbreviations() -> None:
    s = sentences("Lt. Gen. Saeed met U.S. officials on Jan. 5. The talks went well. “Good,” he said.")
    assert s == ["Lt. Gen. Saeed met U.S. officials on Jan. 5.", "The talks went well.", "“Good,” he said."]


def test_tags() -> None:
    assert "training" in tags_for("resumption of International Military Education and Training (IMET)")
    assert "agreement" not in tags_for("According to the ministry, the talks will be held")
    assert "aid" not in tags_for("An aide to the minister said")


def test_relative_dates_count_from_the_day_the_dateline_gives(tmp_path: Path) -> None:
    """A wire story filed on 29 June and put online on 30 June: 'yesterday' is 28 June."""
    (tmp_path / "wire.txt").write_text(
        " date 2024-06-30\n\nUS and Pakistan review border security cooperation\n\n"
        "Washington, Jun 29 (PTI) Pakistan's envoy met senior State Department officials to review border "
        "security cooperation, the embassy said in a statement.\n\n"
        "The two sides agreed yesterday to hold the next round of counterterrorism talks in Islamabad, "
        "officials said.\n")
    events = {e.basis: e.date for e in library(tmp_path).events()}
    assert events == {"dateline": "2024-06-29", "yesterday": "2024-06-28"}


def test_a_headline_says_whose_talks_when_the_article_is_about_the_two() -> None:
    from pakus_cli.clauses import tidy

    got = tidy("The three-day talks opened on Tuesday", both=True)
    assert got == "The three-day Pakistan–US talks opened on Tuesday"
    assert tidy("The two sides agreed to meet again", both=True).startswith("Pakistan and the United States agreed")
    # a headline that names a party, or an article not about the two, is left as written
    assert tidy("The talks with Pakistan opened on Tuesday", both=True) == "The talks with Pakistan opened on Tuesday"
    assert tidy("The three-day talks opened on Tuesday") == "The three-day talks opened on Tuesday"


def test_the_two_sides_are_actors_when_the_sentence_names_them_so() -> None:
    from pakus_cli.actors import Topic, implied
    from pakus_cli.models import Actor

    lead = Topic(frozenset({"US", "Pakistan"}), True)
    got = implied("The two sides agreed to hold a larger exercise", (), lead)
    assert {(a.name, a.side) for a in got} == {("Pakistan", "Pakistan"), ("United States", "US")}
    taliban = (Actor("Afghan Taliban", "other"),)
    assert implied("The talks with the Taliban resumed", taliban, lead) == taliban  # a third party named
    assert implied("The two sides met", (), Topic(frozenset({"US"}), True)) == ()

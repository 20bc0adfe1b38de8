"""One entry per happening, on topic, readable: each rule of the timeline on articles of our own making
(tests/articles/happenings), through the index as users run it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from pakus_cli.models import COPY_KEYS

from .conftest import run

HAPPENINGS = Path(__file__).parent / "articles" / "happenings"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(HAPPENINGS, root)
    return root


def events(root: Path, *args: str) -> list[dict[str, Any]]:
    code, out, err = run("--corpus", str(root), "timeline", "--json", *args)
    assert code == 0, err
    return list(json.loads(out))


def by_date(evs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["date"]: e for e in evs}


def test_two_happenings_in_one_sentence_each_with_its_own_clause(corpus: Path) -> None:
    got = by_date(events(corpus))
    accord, first_round = got["2024-05-14"], got["2021-03"]
    assert accord["headline"] == "Pakistan and the United States signed a defence training accord on Tuesday"
    assert first_round["headline"] == (
        "The first round of their counterterrorism dialogue was held in Washington in March 2021")
    assert accord["text"] == first_round["text"]  # one sentence, two events, each citing it
    assert (accord["type"], first_round["type"]) == ("agreement", "dialogue")
    assert first_round["location"] == "Washington"


def test_a_lead_dated_by_its_own_words_is_not_also_an_event_on_the_publication_date(corpus: Path) -> None:
    evs = events(corpus, "--all")
    assert not any(e["basis"] == "publication date" for e in evs)
    leads = [e for e in evs if e["text"].startswith("ISLAMABAD: Pakistan and the United States signed")]
    assert [e["date"] for e in leads] == ["2021-03", "2024-05-14"]


def test_one_happening_in_three_sentences_and_two_articles_is_one_event(corpus: Path) -> None:
    meetings = [e for e in events(corpus) if e["date"] == "2024-05-13"]
    assert len(meetings) == 1
    meeting = meetings[0]
    assert [s["article"] for s in meeting["sources"]] == ["201", "201", "201", "202"]
    assert meeting["type"] == "meeting" and meeting["location"] == "Rawalpindi"
    sides = {a["name"]: a["side"] for a in meeting["actors"]}
    assert sides["US Central Command"] == "US" and sides["Pakistan military"] == "Pakistan"


def test_a_pronoun_subject_becomes_the_person_the_article_named(corpus: Path) -> None:
    remark = by_date(events(corpus))["2024-05-12"]
    assert remark["headline"].startswith("Lloyd Austin told reporters on Sunday that the training would")
    austin = remark["actors"][0]
    assert austin == {"name": "Lloyd Austin", "side": "US", "office": "US Defence Secretary"}
    assert remark["text"].startswith("He told reporters")  # the source keeps the article's words


def test_a_dateline_led_lead_reads_without_its_dateline(corpus: Path) -> None:
    for e in events(corpus, "--all"):
        assert not e["headline"].startswith(("ISLAMABAD", "RAWALPINDI")), e["headline"]
        assert len(e["headline"]) <= 120
        assert not e["headline"].lower().startswith(("moreover", "separately", "according to", "he ", "she "))


def test_an_off_topic_dated_sentence_in_an_on_topic_article_is_left_out(corpus: Path) -> None:
    assert "2024-05-08" not in by_date(events(corpus))
    budget = by_date(events(corpus, "--all"))["2024-05-08"]
    assert budget["relevant"] is False and budget["reason"] == "not a security matter"
    assert budget["headline"] == "The provincial assembly in Lahore passed the annual budget on Wednesday"
    taliban = by_date(events(corpus, "--all"))["2021-08"]
    assert (taliban["relevant"], taliban["reason"]) == (False, "only third parties")


def test_a_syndicated_copy_is_one_article_with_its_copies(corpus: Path) -> None:
    code, out, _ = run("--corpus", str(corpus), "list", "--json")
    listed = json.loads(out)
    assert [a["id"] for a in listed] == ["201", "202"]
    assert [c["id"] for c in listed[1]["copies"]] == ["203"] and listed[0]["copies"] == []
    assert tuple(listed[1]["copies"][0]) == COPY_KEYS
    assert listed[1]["copies"][0]["title"] == "Pakistan army chief, top US general hold border talks"
    code, out, _ = run("--corpus", str(corpus), "search", "Kabul", "--json")
    hits = json.loads(out)
    assert [h["id"] for h in hits] == ["202"] and [c["id"] for c in hits[0]["copies"]] == ["203"]
    for e in events(corpus, "--all"):
        assert "203" not in {s["article"] for s in e["sources"]}
    code, out, _ = run("--corpus", str(corpus), "show", "203", "--json")  # a copy is still an article
    assert code == 0 and json.loads(out)["id"] == "203"


def test_type_and_actor_filters_repeat_and_unknown_types_are_usage_errors(corpus: Path) -> None:
    assert {e["type"] for e in events(corpus, "--type", "meeting", "--type", "agreement")} == {"meeting",
                                                                                               "agreement"}
    assert [e["date"] for e in events(corpus, "--actor", "austin")] == ["2024-05-12"]
    assert {e["date"] for e in events(corpus, "--actor", "centcom", "--actor", "Lloyd")} == {"2024-05-12",
                                                                                              "2024-05-13"}
    code, out, err = run("--corpus", str(corpus), "timeline", "--type", "parade")
    assert code == 2 and out == ""
    assert "unknown type 'parade'; use one of suspension, resumption, agreement" in err


def test_ids_are_stable_across_rebuilds(corpus: Path) -> None:
    before = [e["id"] for e in events(corpus, "--all")]
    assert len(set(before)) == len(before) and all(len(i) == 12 for i in before)
    code, _, _ = run("--corpus", str(corpus), "index", "--rebuild")
    assert code == 0
    assert [e["id"] for e in events(corpus, "--all")] == before

"""`pakus timeline` and `pakus show --events` from the command line."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from pakus_cli.models import ACTOR_KEYS, EVENT_KEYS, SOURCE_KEYS

from .conftest import run

runner = CliRunner()



def test_timeline_json_keys_and_order() -> None:
    code, out, err = run("timeline", "--json")
    events = json.loads(out)
    assert code == 0 and err == ""
    assert all(tuple(e) == EVENT_KEYS for e in events)
    assert all(tuple(a) == ACTOR_KEYS for e in events for a in e["actors"])
    assert all(tuple(s) == SOURCE_KEYS for e in events for s in e["sources"])
    starts = [e["start"] for e in events]
    assert starts == sorted(starts)
    assert all(e["sources"] and e["sources"][0]["text"] == e["text"] for e in events)


def test_timeline_csv_planned_exact() -> None:
    code, out, _ = run("timeline", "--status", "planned", "--format", "csv", "--article", "004", "--since", "2023-03")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["id", "date", "precision", "start", "end", "status", "type", "headline", "actors",
                       "location", "dated by", "sources"]
    # the counterterrorism dialogue "next month", told by two sentences of 004: one event, two sources
    assert [(r[1], r[5]) for r in rows[1:]] == [("2023-03", "planned")]
    assert rows[1][7] == "Derek Chollet said: “we will also hold a counterterrorism dialogue next month”"
    assert rows[1][9] == "Islamabad" and rows[1][11] == "004 Bharat Express; 004 Bharat Express"


def test_timeline_filters() -> None:
    code, out, _ = run("timeline", "--tag", "training", "--json")
    assert {e["article"] for e in json.loads(out)} == {"000"}
    code, out, _ = run("timeline", "--outlet", "udayavani", "--until", "2024-06-23", "--json")
    assert [e["date"] for e in json.loads(out)] == ["2024-06-22"]
    # the National Action Plan "approved in 2014" is a domestic plan: shown only with --all, and why
    code, out, _ = run("timeline", "--outlet", "udayavani", "--until", "2024-06-23", "--all", "--json")
    plan, decision = json.loads(out)
    assert (plan["date"], plan["relevant"], decision["relevant"]) == ("2014", False, True)
    assert plan["reason"] == "not a security matter" or plan["reason"].startswith("no ")
    code, out, _ = run("timeline", "--keyword", "CENTCOM", "--format", "ndjson")
    assert {json.loads(x)["article"] for x in out.splitlines()} == {"003"}


def test_timeline_nothing_matches() -> None:
    code, out, err = run("timeline", "--since", "1990", "--until", "1991")
    assert (code, out, err) == (1, "", "no event matches these filters (--all shows off-topic ones too)\n")


def test_unknown_tag_is_a_usage_error_listing_the_tags() -> None:
    code, out, err = run("timeline", "--tag", "no-such-tag")
    assert code == 2 and out == ""
    assert err.startswith("pakus: error: unknown tag 'no-such-tag'; use one of ") and "training" in err


def test_a_format_a_command_does_not_write_is_a_usage_error() -> None:
    code, out, err = run("list", "--format", "timelinejs")
    assert (code, out) == (2, "") and "--format timelinejs is not for this command" in err


def test_timelinejs_shape() -> None:
    code, out, _ = run("timeline", "--format", "timelinejs", "--article", "004", "--all", "--title", "Talks")
    doc = json.loads(out)
    assert code == 0 and doc["title"]["text"]["headline"] == "Talks"
    first = doc["events"][0]
    assert first["start_date"] == {"year": "2021", "month": "1", "display_date": "January 2021"}
    assert first["text"]["headline"] == "The first round was held in Pakistan in January 2021"
    assert "<strong>January 2021</strong>" in first["text"]["text"]
    talks = next(e for e in doc["events"] if e["display_date"].startswith("13–16"))
    label = "13–16 February 2023 (planned)"
    assert talks["start_date"] == {"year": "2023", "month": "2", "day": "13", "display_date": label}
    assert talks["end_date"]["day"] == "16" and talks["text"]["headline"].startswith("Planned: ")
    week = next(e for e in doc["events"] if e["display_date"].startswith("week of"))
    assert "end_date" in week  # a week is a span, never a single day
    assert {e["group"] for e in doc["events"]} <= {"dialogue", "visit", "agreement", "statement", "other"}


def test_show_events() -> None:
    code, out, _ = run("show", "001", "--events")
    assert code == 0
    assert "Events (2)" in out
    assert "2021-01-19  [reported] on Tuesday: Gen Austin made these remarks" in out
    code, out, _ = run("show", "001", "--events", "--json")
    rec = json.loads(out)
    assert [e["date"] for e in rec["events"]] == ["2021-01-19", "2021-01-21"]

"""The extraction gate: the layout zoo and the seeds, scored by ``pakus_cli.evaluate``, stay above
the floors; and the scoring itself, on a tiny hand-made collection."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pakus_cli.evaluate import evaluate_folder, failures_report, gate_scores, markdown_table
from pakus_cli.labels import ExpectedEvent, Label
from pakus_cli.scoring import Extracted, check, outcome, ratchet, score_page

from .conftest import ROOT

LAYOUTS = Path(__file__).resolve().parent / "layouts"
SEED_LABELS = Path(__file__).resolve().parent / "golden" / "seeds"


def test_layouts_and_seeds_meet_the_floors() -> None:
    scores = gate_scores(ROOT)
    assert all(c.pages for c in scores.collections), "no labelled pages found"
    shortfalls = check(scores)
    assert not shortfalls, (
        "below the floors: " + "; ".join(map(str, shortfalls))
        + f"\nmeasured now (rounded towards failing): {ratchet(scores)}"
        + "\n\n" + markdown_table(scores) + "\nper page:\n" + failures_report(scores)
    )


# -- the scoring on a tiny collection ------------------------------------------------------

PAGE_A = """\
 date 2023-05-02 Border Herald

US and Pakistan sign border security training pact

ISLAMABAD: The United States and Pakistan signed an agreement on Monday to train border security \
officers together, officials said.

Under the pact, American instructors will run courses for Pakistani frontier units at a centre near \
Peshawar, the interior ministry said. (APP)

Most Read
Gold prices climb again

© 2023 Border Herald
"""

PAGE_B = """\
 date 2023-06-10 Border Herald

Pakistani officers attend US staff college course

A group of Pakistani army officers began a staff course at a United States military college this \
week, the army's media wing said.

The officers will spend ten months studying planning and logistics alongside officers from other \
partner countries.

Most Read
Gold prices climb again

© 2023 Border Herald
"""

# Everything on page A is labelled as pakus reads it.
LABEL_A = {
    "title": "US and Pakistan sign border security training pact",
    "date": "2023-05-02",
    "outlet": "Border Herald",
    "agency": "APP",
    "dateline": "Islamabad",
    "lead": "The United States and Pakistan signed an agreement",
    "end": "the interior ministry said. (APP)",
    "must": ["American instructors will run courses"],
    "must_not": ["Gold prices climb again", "© 2023 Border Herald"],
    "events": [{"date": "2023-05-01", "text": "signed an agreement on Monday"}],
}
# Page B's label disagrees with the page on purpose: another title (wrong), no date (so the
# page's date is invented), an agency the page does not credit (missed); "The Border Herald"
# is still right (a leading "The" is ignored), and so is the absent dateline.
LABEL_B = {
    "title": "Pakistani officers start a course in America",
    "date": None,
    "outlet": "The Border Herald",
    "agency": "AFP",
    "dateline": None,
    "lead": "A group of Pakistani army officers",
    "end": "officers from other partner countries.",
    "must": ["studying planning and logistics", "a snippet the page does not hold"],
    "must_not": ["Gold prices climb again", "Most Read"],
}


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    folder.mkdir()
    for stem, page, label in (("a", PAGE_A, LABEL_A), ("b", PAGE_B, LABEL_B)):
        (folder / f"{stem}.txt").write_text(page, encoding="utf-8")
        (folder / f"{stem}.json").write_text(json.dumps(label), encoding="utf-8")
    (folder / "c.txt").write_text(PAGE_B.replace("staff college", "war college"), encoding="utf-8")  # no label
    return folder


def test_scoring_counts_right_wrong_missed_invented(tiny: Path) -> None:
    coll = evaluate_folder(tiny, name="tiny")
    assert [p.file for p in coll.pages] == ["a.txt", "b.txt"]
    assert coll.notes == ("c.txt: no label; skipped",)
    t = coll.tally
    assert t.counts("title") == {"right": 1, "wrong": 1, "missed": 0, "invented": 0, "curated": 0}
    assert t.counts("date") == {"right": 1, "wrong": 0, "missed": 0, "invented": 1, "curated": 0}
    assert t.counts("outlet") == {"right": 2, "wrong": 0, "missed": 0, "invented": 0, "curated": 0}
    assert t.counts("agency") == {"right": 1, "wrong": 0, "missed": 1, "invented": 0, "curated": 0}
    assert t.counts("dateline") == {"right": 2, "wrong": 0, "missed": 0, "invented": 0, "curated": 0}
    m = t.metrics()
    assert m["title_right"].value == 0.5 and m["date_invented"].value == 0.5
    assert (m["lead_kept"].num, m["lead_kept"].den) == (2, 2)
    assert (m["must_kept"].num, m["must_kept"].den) == (2, 3)
    assert (m["debris_leaked"].num, m["debris_leaked"].den) == (0, 4)
    assert m["prose_kept"].value == 1.0
    # Only page A lists events: its one event is found, and one of the two events pakus makes
    # of that sentence (the other is dated by the publication date) is expected.
    assert (m["event_recall"].num, m["event_recall"].den) == (1, 1)
    assert m["event_precision"].den >= 1 and m["event_precision"].num == 1
    a, b = coll.pages
    assert a.failures() == [f for f in a.failures() if f.startswith("event not expected")]
    assert "label: must 'a snippet the page does not hold' is not on the page" in b.failures()
    assert any(f.startswith("title wrong: expected 'Pakistani officers start") for f in b.failures())


def test_outcomes_and_normalisation() -> None:
    assert outcome("title", "Pakistan’s “new” deal", 'Pakistan\'s  "new" deal') == "right"
    assert outcome("outlet", "The Express Tribune", "express-tribune") == "right"
    assert outcome("agency", "Reuters", "REUTERS") == "right"
    assert outcome("date", "2023-03-05", "2023-03-06") == "wrong"
    assert outcome("dateline", None, "Karachi") == "invented"
    assert outcome("dateline", "Karachi", None) == "missed"
    label = Label(fields=(("date", "2023-02-13"),), lead="Talks", end="end.",
                  events=(ExpectedEvent("2023-02", "A Delegation  visited"),))
    got = Extracted(fields=(("date", "2023-02-13"),), body="Talks began.\n\nThe end.",
                    events=(("2023-02", "Last month a delegation visited the Pentagon."),), curated=frozenset({"date"}))
    page = score_page("x.txt", label, got, None)
    assert page.fields[0].outcome == "curated" and page.lead_kept and page.end_kept
    assert page.events is not None and (page.events.matched, page.events.correct) == (1, 1)


def test_json_output_parses(tiny: Path) -> None:
    res = subprocess.run([sys.executable, "-m", "pakus_cli.evaluate", str(tiny), "--json", "--failures"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["total"]["pages"] == 2
    assert data["total"]["metrics"]["title_right"] == {"value": 0.5, "num": 1, "den": 2}
    assert set(data["collections"]) == {str(tiny)}
    assert isinstance(data["below_floor"], list)


def test_the_evaluation_runs_from_a_checkout_without_installing(tmp_path: Path) -> None:
    """scripts/evaluate.py needs nothing but the standard library (-S: no site-packages at all)."""
    env = {"PATH": os.environ.get("PATH", ""), "PAKUS_CACHE": str(tmp_path)}
    res = subprocess.run([sys.executable, "-S", str(ROOT / "scripts" / "evaluate.py"), "--json"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["total"]["pages"] >= 50

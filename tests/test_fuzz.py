"""Fuzzing the real commands (issue #12): random bytes, random file names and random dates, the
calendar's ends included, through list, search, timeline and show in every format. Whatever the corpus
holds, pakus answers with no traceback, an exit code from the README's table and well-formed output."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pakus_cli.cli import app

DOCUMENTED = {0, 1, 2}
RECORDS = ("table", "csv", "markdown", "json", "ndjson")

NAME = st.one_of(
    st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=20),
    st.binary(min_size=1, max_size=20).filter(lambda b: b"/" not in b and b"\x00" not in b)
    .map(os.fsdecode),  # any bytes, as Linux allows: names that are not UTF-8 too
)
DATE = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
LINE = st.one_of(
    st.text(max_size=60),
    DATE.map(lambda d: f"ISLAMABAD, {d:%B} {d.day}, {d.year:04d}: Pakistan and the US held talks on Monday, "
                       "agreed to meet again next week and the next day, officials said yesterday."),
    DATE.map(lambda d: f" date {d.year:04d}-{d.month:02d}-{d.day:02d}"),
    st.sampled_from(["Pakistan and US agree to expand defence cooperation", "TRENDING", "(ANI)",
                     "International Military Education and Training (IMET) resumed two years ago, he said."]),
)
DUMP = st.one_of(st.lists(LINE, max_size=8).map(lambda ls: "\n\n".join(ls).encode()), st.binary(max_size=300))


def check(args: list[str], fmt: str = "table") -> None:
    res = CliRunner().invoke(app, args)
    assert res.exception is None or isinstance(res.exception, SystemExit), (args, res.exception)
    assert res.exit_code in DOCUMENTED, (args, res.exit_code, res.stderr)
    assert "Traceback" not in res.stderr, args
    out = res.stdout
    assert out or res.exit_code != 0, args  # success always says something
    if not out:
        return  # nothing matched (1) or nothing could be shown (2): said on stderr alone
    if fmt in ("json", "timelinejs"):
        json.loads(out)
    elif fmt == "ndjson":
        assert out.endswith("\n")
        for line in out[:-1].split("\n"):  # (not splitlines: U+0085 or U+2028 in a value is no line end)
            json.loads(line)
    elif fmt == "csv" and out:
        rows = list(csv.reader(io.StringIO(out)))
        assert len({len(r) for r in rows}) == 1, out
    if "--raw" not in args:
        assert "\x1b" not in out and "\x07" not in out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(files=st.lists(st.tuples(NAME, DUMP), min_size=1, max_size=3), date=DATE, query=st.text(max_size=15))
def test_no_input_breaks_the_commands(tmp_path_factory: pytest.TempPathFactory, files: list[tuple[str, bytes]],
                                      date: dt.date, query: str) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    for i, (name, data) in enumerate(files):
        with open(os.path.join(os.fsencode(root), os.fsencode(f"{i:03d}{name}"[:200] + ".txt")), "wb") as fh:
            fh.write(data)
    (root / "annotations.toml").write_text(f'["000"]\ndate = {date.isoformat()}\n')
    corpus = ["--corpus", str(root)]
    for fmt in RECORDS:
        check([*corpus, "list", "--format", fmt], fmt)
        check([*corpus, "search", query or "IMET", "--format", fmt], fmt)
    for fmt in (*RECORDS, "timelinejs"):
        check([*corpus, "timeline", "--format", fmt], fmt)
    for extra in ([], ["--json"], ["--events"], ["--events", "--json"], ["--raw"]):
        check([*corpus, "show", "000", *extra], "json" if "--json" in extra else "table")


def test_the_fuzz_corpus_reaches_the_calendar_ends(tmp_path: Path) -> None:
    """The strategies above can produce what the issue names: year 9999 and year 1 in text and annotations."""
    (tmp_path / "000_x.txt").write_text(
        "ISLAMABAD, December 31, 9999: Pakistan and the US held talks on Monday, agreed to meet again next "
        "week and the next day, officials said yesterday.")
    (tmp_path / "annotations.toml").write_text('["000"]\ndate = 0001-01-01\n')
    for fmt in (*RECORDS, "timelinejs"):
        check(["--corpus", str(tmp_path), "timeline", "--format", fmt], fmt)

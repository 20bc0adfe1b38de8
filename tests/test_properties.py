"""Hypothesis properties of the parsers: they never raise, and cleaning never invents text."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pakus_cli.article import NoArticle, parse, split_lines
from pakus_cli.dates import find_literals
from pakus_cli.queries import period

# Lines that look like the pieces of a news page, mixed with arbitrary text.
PIECES = st.sampled_from([
    "TRENDING", "Latest News", "ANI | Updated: 05-01-2020 11:33 IST", "• ANI", "• |", "Image Credit: ANI",
    "Download The Example News App", "(ANI)", "Source PTI", "Also Read: something else",
    "ISLAMABAD: The talks went well and both sides agreed to meet again next month in Washington.",
    "Pakistan and US agree to expand defence cooperation", "", "Rate this item", "© Copyright 2020",
    "The United States said on Tuesday it would resume the training programme for Pakistani officers. (ANI)",
    " date 2020-01-05 Left Menu", "&#160;&amp; [bold]x[/bold] \x1b[31m",
])
LINES = st.lists(st.one_of(PIECES, st.text(max_size=120)), max_size=40)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(LINES)
def test_parse_never_raises_and_never_invents(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        article = parse(text, ident="x", file="x.txt")
    except NoArticle:
        return
    normalised = {line.text for line in split_lines(text)}  # the parser's own lines, normalised
    for para in article.paragraphs:
        assert para in normalised or para.lstrip("•·●▪ ") in {n.lstrip("•·●▪ ") for n in normalised}
    for field in (article.title, article.subtitle):
        if field:
            assert field in text or any(field in n for n in normalised)
    assert article.date is None or article.date_source is not None


@given(st.text(max_size=300))
def test_literals_never_raise_and_stay_in_text(text: str) -> None:
    for lit in find_literals(text):
        assert 0 <= lit.begin < lit.finish <= len(text)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_period_roundtrip(day: dt.date) -> None:
    assert period(day.isoformat()) == (day, day)
    start, end = period(f"{day.year}-{day.month:02d}")
    assert start <= day <= end and start.day == 1
    assert period(str(day.year)) == (dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_day_first_numeric_dates_roundtrip(day: dt.date) -> None:
    (lit,) = find_literals(f"Updated: {day.day:02d}-{day.month:02d}-{day.year} 10:00 IST")
    assert lit.date == day

"""Time expressions: every form the timeline relies on, against a fixed article date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pakus_cli.dates import Context, tag

D = dt.date


def one(sentence: str, dct: dt.date | None, previous: dt.date | None = None) -> tuple[str | None, str | None, str]:
    values = [v for v in tag(sentence, Context(dct, previous))]
    assert len(values) == 1, values
    v = values[0]
    return v.precision, v.value, v.text


@pytest.mark.parametrize(
    ("sentence", "dct", "precision", "value"),
    [
        # absolute
        ("The talks were held on 21 January, 2021 in Washington.", D(2021, 1, 25), "day", "2021-01-21"),
        ("The deal was signed on Jun 29, 2024 in Islamabad.", D(2024, 7, 1), "day", "2024-06-29"),
        ("The order was issued on 05-01-2020, officials said.", D(2020, 2, 1), "day", "2020-01-05"),
        ("The first round was held in January 2021.", None, "month", "2021-01"),
        ("A strategy approved in 2014 to eliminate militancy.", None, "year", "2014"),
        ("Ties were hit by the 1979 invasion of Afghanistan.", None, "year", "1979"),
        ("Troops were deployed from June 22-24, 2019 along the border.", None, "day", "2019-06-22/2019-06-24"),
        ("Relations soured in the 1990s over sanctions.", None, "year", "1990/1999"),
        # month or day without a year
        ("The decision was taken on June 22 at the meeting.", D(2024, 6, 29), "day", "2024-06-22"),
        ("The envoy visited Kabul on 3 March, officials said.", D(2024, 6, 29), "day", "2024-03-03"),
        ("The delegation visited in December, officials said.", D(2023, 2, 13), "month", "2022-12"),
        ("The exercise was held on November 30, the navy said.", D(2023, 2, 13), "day", "2022-11-30"),
        ("The minister will travel to Washington in March.", D(2023, 2, 13), "month", "2023-03"),
        ("The army will hold the drill on January 10.", D(2022, 12, 23), "day", "2023-01-10"),
        # weekdays
        ("Austin made these remarks before the committee on Tuesday.", D(2021, 1, 21), "day", "2021-01-19"),
        ("The team reached the US capital on Sunday afternoon.", D(2023, 2, 13), "day", "2023-02-12"),
        ("The talks that will last from Monday to Thursday are the second round.", D(2023, 2, 13), "day",
         "2023-02-13/2023-02-16"),
        ("The minister will visit Kabul on Friday.", D(2023, 2, 13), "day", "2023-02-17"),
        ("The minister spoke on Monday.", D(2023, 2, 13), "day", "2023-02-13"),
        ("The navy chief visited Karachi last Monday.", D(2023, 2, 13), "day", "2023-02-06"),
        # relative periods
        ("He made these remarks at a think tank earlier this week.", D(2024, 6, 29), "week", "2024-W26"),
        ("Officials met last week to review the programme.", D(2024, 6, 29), "week", "2024-W25"),
        ("Chollet is due in Islamabad the coming week for talks.", D(2023, 2, 13), "week", "2023-W08"),
        ("The commander's visit to Pakistan this month was a success.", D(2022, 12, 23), "month", "2022-12"),
        ("The programme was reviewed last month, officials said.", D(2022, 12, 23), "month", "2022-11"),
        ("We will hold a counterterrorism dialogue next month.", D(2023, 2, 13), "month", "2023-03"),
        ("The operation was launched in July last year.", D(2024, 6, 29), "month", "2023-07"),
        ("Aid was cut off last year, the report said.", D(2024, 6, 29), "year", "2023"),
        ("The programme was frozen two years ago.", D(2020, 1, 5), "year", "2018"),
        ("The agreement lapsed three months ago.", D(2020, 1, 5), "month", "2019-10"),
        ("The talks will be held in the last week of February.", D(2023, 2, 13), "week", "2023-02-22/2023-02-28"),
        ("Drills ran in the last week of Jan. 2023, the navy said.", D(2024, 5, 1), "week", "2023-01-25/2023-01-31"),
        # a letter re.I folds otherwise than lower() (a dotless i) does not keep a rule from running
        ("Talks resumed in mıd-2019 after a pause.", None, "year", "2019"),
        ("The ministry said yesterday that talks would resume.", D(2023, 2, 13), "day", "2023-02-12"),
        ("Officials met in early March 2022 to plan the visit.", None, "month", "2022-03"),
    ],
)
def test_forms(sentence: str, dct: dt.date | None, precision: str, value: str) -> None:
    got = one(sentence, dct)
    assert got[:2] == (precision, value), got


def test_anaphoric_relative_to_the_date_just_mentioned() -> None:
    values = tag("The talks began on June 10 and a day later the two sides signed a statement.",
                 Context(D(2024, 6, 29)))
    assert [(v.text, v.value) for v in values] == [("June 10", "2024-06-10"), ("a day later", "2024-06-11")]
    assert one("A day earlier, the envoy arrived.", D(2024, 6, 29), previous=D(2024, 6, 20))[1] == "2024-06-19"


@pytest.mark.parametrize(
    "sentence",
    [
        "The talks that will last from Monday to Thursday are the second round.",
        "Officials met last week to review the programme.",
        "The programme was frozen two years ago.",
        "The decision was taken on June 22 at the meeting.",
        "A day earlier, the envoy arrived.",
    ],
)
def test_relative_expressions_stay_unresolved_without_a_date(sentence: str) -> None:
    (v,) = tag(sentence, Context(None))
    assert not v.resolved and v.start is None and v.value is None


@pytest.mark.parametrize("sentence", [
    "Ties improved recently, officials said.", "The third phase will be implemented soon.",
    "The story of relations over the years is complex.",
])
def test_vague_words_never_resolve(sentence: str) -> None:
    values = tag(sentence, Context(D(2024, 6, 29)))
    assert values and all(not v.resolved for v in values)


@pytest.mark.parametrize("sentence", [
    "He pointed to joint military exercises like Inspired Union-2024 and Red Flag.",
    "Fake accounts tried to influence the US Presidential Election 2020 online.",
    "The plan is part of Vision 2030, the minister said.",
    "The deal is worth $2014 million and 2019% of nothing.",
    "The war that was over, suspended for two years, left 2,000 dead.",
])
def test_years_inside_names_and_numbers_are_not_dates(sentence: str) -> None:
    assert [v for v in tag(sentence, Context(D(2024, 6, 29))) if v.resolved] == []


def test_today_inside_a_quotation_is_not_the_article_date() -> None:
    (v,) = tag('"General Bajwa and I spoke today about the strike," Pompeo had tweeted.', Context(D(2020, 1, 5)))
    assert not v.resolved


def test_two_dates_in_one_sentence() -> None:
    values = tag("The decision was taken on June 22 at the meeting of the National Action Plan, a strategy "
                 "approved in 2014.", Context(D(2024, 6, 29)))
    assert [v.value for v in values] == ["2024-06-22", "2014"]


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31)), st.sampled_from(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]))
def test_past_weekday_is_latest_on_or_before_dct(dct: dt.date, weekday: str) -> None:
    (v,) = tag(f"The minister said on {weekday} that talks went well.", Context(dct))
    assert v.start is not None
    assert v.start <= dct and (dct - v.start).days < 7 and v.start.strftime("%A") == weekday


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31)),
       st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=28))
def test_past_month_day_never_after_dct(dct: dt.date, month: int, day: int) -> None:
    name = D(2000, month, 1).strftime("%B")
    (v,) = tag(f"The talks were held on {name} {day} in Islamabad.", Context(dct))
    assert v.start is not None and v.start <= dct and (dct - v.start).days < 366


@given(st.text(max_size=200), st.one_of(st.none(), st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 1, 1))))
def test_tag_never_raises_and_intervals_are_ordered(text: str, dct: dt.date | None) -> None:
    for v in tag(text, Context(dct)):
        assert text[v.begin:v.finish] == v.text
        if v.resolved:
            assert v.start is not None and v.end is not None and v.start <= v.end


def test_that_year_is_the_year_last_mentioned() -> None:
    ctx = Context(dt.date(2013, 11, 16), None, 2011)
    got = [(v.text, v.value) for v in tag("A NATO strike in November of that year killed 24 soldiers.", ctx)]
    assert got == [("in November of that year", "2011-11")]
    assert [v.value for v in tag("Later that year, the routes reopened.", ctx)] == ["2011"]
    assert [v.resolved for v in tag("Later that year, the routes reopened.", Context(dt.date(2013, 11, 16)))] == [False]


def test_a_day_a_past_reporting_verb_governs_is_past() -> None:
    # a Sunday article: "said on Saturday it planned to ..." is the day before, not the next Saturday
    ctx = Context(dt.date(2018, 9, 2))
    got = tag("The US military said on Saturday it planned to scrap $300 million in aid.", ctx)
    assert [v.value for v in got] == ["2018-09-01"]


def test_a_span_across_months_is_one_date() -> None:
    ctx = Context(dt.date(2024, 10, 16))
    got = tag("The exercise, held from October 2 to October 15 at a training centre, ended.", ctx)
    assert [(v.text, v.value) for v in got] == [("October 2 to October 15", "2024-10-02/2024-10-15")]
    got = tag("Talks were held between 28 February and 3 March 2023.", ctx)
    assert [v.value for v in got] == ["2023-02-28/2023-03-03"]

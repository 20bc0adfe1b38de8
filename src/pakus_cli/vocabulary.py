"""The closed vocabularies of the records: a date's precision, an event's status, where a publication
date was read. Apart from the records so that the command line can offer them as choices without
loading the records (start-up time)."""

from __future__ import annotations

from enum import StrEnum


class Precision(StrEnum):
    """How precisely a date is known: the unit its interval spans."""

    day = "day"
    week = "week"
    month = "month"
    year = "year"


class Status(StrEnum):
    """Whether an event had happened when the article reported it."""

    reported = "reported"
    planned = "planned"


class DateSource(StrEnum):
    """Where an article's publication date was read."""

    header = "header"  # the saving tool's " date 2020-01-05" line
    meta = "meta"  # a Published/Updated/Posted line; a web page's <meta> (article:published_time)
    byline = "byline"  # a byline or a date-only line of the head block
    footer = "footer"  # "Published in Dawn, March 6th, 2023"
    dateline = "dateline"  # "WASHINGTON, 21 January, 2021, (TON):"
    annotation = "annotation"  # annotations.toml
    json_ld = "json-ld"  # a saved web page's JSON-LD datePublished
    url = "url"  # a full date in a saved web page's own URL path (/2023/02/13/)


# The title a published timeline gets unless --title says otherwise, and what TimelineJS may group by.
TITLE = "US–Pakistan security cooperation"
GROUPS = ("type", "actor", "outlet", "tag")

__all__ = ["GROUPS", "TITLE", "DateSource", "Precision", "Status"]

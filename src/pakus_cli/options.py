"""The options the commands share, declared once, and the checks on their values that need no
corpus: dates in order, formats that do not contradict each other, known tags; and the values
shell completion offers. ``cli`` takes them in; nothing here prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from . import errors
from . import render as out
from .render import Color, Format

# -- completion of values: from the cache only, never parsing the corpus (each Tab runs pakus) --


def _cached(ctx: typer.Context, column: str) -> list[str]:
    from .completion import cached_values

    corpus = ctx.meta.get(CORPUS_KEY) or ctx.find_root().params.get("corpus")
    return cached_values(corpus, column)


def _starting(values: list[str], incomplete: str) -> list[str]:
    """The values that start with what was typed, neutralised: a shell prints the candidates to
    the terminal, and a line break would split one value into two."""
    low = incomplete.casefold()
    return [out.line(v) for v in values if v.casefold().startswith(low)]


def complete_outlet(ctx: typer.Context, incomplete: str) -> list[str]:
    return _starting(_cached(ctx, "outlet"), incomplete)


def complete_agency(ctx: typer.Context, incomplete: str) -> list[str]:
    return _starting(_cached(ctx, "agency"), incomplete)


def complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    return _starting(_cached(ctx, "id"), incomplete)


def complete_tag(ctx: typer.Context, incomplete: str) -> list[str]:
    return _starting(_cached(ctx, "tag"), incomplete)


# -- the global options, also accepted after the command (`pakus list --corpus seeds`) ------------

CORPUS_KEY = "pakus.corpus"  # in ctx.meta, which every context of one invocation shares
CORPUS_HELP = "Folder of .txt dumps and saved .html pages, searched recursively (default: the shipped corpus)."
COLOR_HELP = "Colour: auto, always or never."


def _corpus_after(ctx: typer.Context, value: str | None) -> None:
    if value is not None:
        ctx.meta[CORPUS_KEY] = value


def _color_after(value: Color | None) -> None:
    if value is not None:
        out.SETTINGS.color = value


# After the command, these win over the same options before it (the later word wins, as in git).
CorpusAfterOpt = Annotated[
    str | None,  # text, not a Path: typer would turn an empty --corpus "" (an unset variable) into "."
    typer.Option("--corpus", "-c", show_default=False, expose_value=False, callback=_corpus_after,
                 help=CORPUS_HELP + " Also accepted before the command."),
]
ColorAfterOpt = Annotated[
    Color | None,
    typer.Option("--color", case_sensitive=False, show_default=False, expose_value=False, callback=_color_after,
                 help=COLOR_HELP + " Also accepted before the command."),
]

# -- options declared once, shared by the data commands ----------------------------------------

FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format: table (the default), csv, markdown, json or ndjson.",
                 case_sensitive=False, show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Shortcut for --format json.")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="On or after: YYYY, YYYY-MM or YYYY-MM-DD.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="On or before: YYYY, YYYY-MM or YYYY-MM-DD.")]
OutletOpt = Annotated[
    list[str] | None,
    typer.Option("--outlet", help="Outlet name contains this (any case); repeat for either.",
                 autocompletion=complete_outlet),
]
AgencyOpt = Annotated[
    list[str] | None,
    typer.Option("--agency", help="Wire agency contains this (any case); repeat for either.",
                 autocompletion=complete_agency),
]
TagOpt = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="Only events with this tag (e.g. training); repeat for either.",
                 autocompletion=complete_tag),
]
KeywordOpt = Annotated[str | None, typer.Option("--keyword", "-k", help="Whole word in title or text.")]
NoPagerOpt = Annotated[bool, typer.Option("--no-pager", help="Never page through $PAGER.")]


def fmt_of(fmt: Format | None, as_json: bool, *, allowed: tuple[Format, ...] = out.RECORD_FORMATS) -> Format:
    """The format asked for (table by default); ``--json`` with another ``--format`` is a usage error,
    as is a format this command does not write."""
    if as_json and fmt not in (None, Format.json):
        raise errors.BadValue(f"--format {fmt.value} and --json contradict each other; use one of them")
    fmt = Format.json if as_json else (fmt or Format.table)
    if fmt not in allowed:
        raise errors.BadValue(f"--format {fmt.value} is not for this command; use one of "
                              + ", ".join(f.value for f in allowed))
    return fmt


def one_of(**flags: bool) -> None:
    """Options that cannot go together (``show --raw --json``): a usage error naming them."""
    given = ["--" + name.replace("_", "-") for name, on in flags.items() if on]
    if len(given) > 1:
        raise errors.BadValue(f"{' and '.join(given)} cannot be used together; use one of them")


def filters(since: str | None, until: str | None, outlet: list[str] | None = None, agency: list[str] | None = None,
            keyword: str | None = None, tag: list[str] | None = None) -> Any:
    """The filters of the options, checked: real dates, in order; known tags."""
    from .queries import Filters, period

    try:
        lo = period(since)[0] if since is not None else None
        hi = period(until)[1] if until is not None else None
    except ValueError as exc:
        raise errors.BadValue(f"{exc} (in --since/--until)") from None
    if lo is not None and hi is not None and lo > hi:
        raise errors.BadValue(f"--since {since} is after --until {until}; swap them")
    for t in tag or ():
        known_tag(t)
    return Filters(since=lo, until=hi, outlet=outlet or (), agency=agency or (), keyword=keyword, tag=tag or ())


def known_tag(tag: str) -> None:
    """An unknown tag is a usage error that lists the valid ones (before any work is done)."""
    from .tables import tags

    known = sorted(tags())
    if tag.casefold() not in known:
        raise errors.BadValue(f"unknown tag {tag!r}; use one of {', '.join(known)}")


# -- timeline ---------------------------------------------------------------------------------------

TypesOpt = Annotated[list[str] | None, typer.Option(
    "--type", help="Only events of this type (e.g. visit, exercise); repeat for either.")]
ActorsOpt = Annotated[list[str] | None, typer.Option(
    "--actor", help="Only events with this party or person (name, office or side); repeat for either.")]
AllOpt = Annotated[bool, typer.Option(
    "--all", help="Every dated happening, not only US–Pakistan security events (the JSON says why).")]
GroupByOpt = Annotated[str, typer.Option("--group-by", help="TimelineJS groups: type, actor, outlet or tag.")]
TitleOpt = Annotated[str, typer.Option("--title", help="The title of an html or TimelineJS timeline.")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", dir_okay=False, help="Write to this file instead "
                                                "of stdout (replaced whole, only when the command succeeds).")]

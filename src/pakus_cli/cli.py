"""The command line: options in, calls out, one renderer. No parsing or SQL here."""


import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from . import __version__, errors, outfile
from . import render as out
from .options import (
    COLOR_HELP,
    CORPUS_HELP,
    CORPUS_KEY,
    ActorsOpt,
    AgencyOpt,
    AllOpt,
    ColorAfterOpt,
    CorpusAfterOpt,
    FormatOpt,
    GroupByOpt,
    JsonOpt,
    KeywordOpt,
    NoPagerOpt,
    OutletOpt,
    OutputOpt,
    SinceOpt,
    TagOpt,
    TitleOpt,
    TypesOpt,
    UntilOpt,
    complete_id,
    filters,
    fmt_of,
    one_of,
)
from .render import Color, Format
from .vocabulary import GROUPS, TITLE, Status

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="pakus",
    help="Timeline and query tool for news on US-Pakistan military and security cooperation.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

def handles_errors(fn: F) -> F:
    """Domain errors: one line, a named exit code; a closed pipe: a quiet exit; --output: write there."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with outfile.output_to(kwargs.get("output")):
                return fn(*args, **kwargs)
        except errors.PakusError as exc:
            out.error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            out.error("interrupted")
            raise typer.Exit(errors.INTERRUPTED) from None
        except OSError as exc:  # the core raises none: this is stdout failing (| head, /dev/full)
            raise typer.Exit(errors.OK if out.stdout_failed(exc) else errors.USAGE) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"pakus {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    corpus: Annotated[
        # text, not a Path: typer would turn an empty --corpus "" (an unset variable) into "."
        str | None,
        typer.Option(
            "--corpus", "-c", envvar="PAKUS_CORPUS", show_default=False,
            help=CORPUS_HELP,
        ),
    ] = None,
    color: Annotated[Color, typer.Option("--color", help=COLOR_HELP, case_sensitive=False)] = Color.auto,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """pakus turns saved news pages into articles, a searchable index and a dated timeline."""
    out.SETTINGS.color = color
    out.SETTINGS.pager = True
    ctx.obj = {"corpus": corpus}


def _root(ctx: typer.Context) -> Path:
    """The corpus folder this invocation works on (--corpus after the command, else before it, else
    $PAKUS_CORPUS or the shipped one)."""
    from .corpus import corpus_root

    after = ctx.meta.get(CORPUS_KEY)
    return corpus_root(after if after is not None else (ctx.find_root().obj or {}).get("corpus"))


def _library(ctx: typer.Context) -> Any:
    from .library import open_library

    lib = open_library(_root(ctx))
    more_warnings(lib)
    return lib


def more_warnings(lib: Any) -> None:
    """Warnings not printed yet (the cache found damaged mid-search, an article whose events failed)."""
    for w in lib.unseen_warnings():
        out.warn(w)


def emit(rows: list[dict[str, Any]], fmt: Format, columns: list[tuple[str, str]], none: str) -> None:
    """Print records; with none, say so (a table prints nothing) and exit 1 as grep does."""
    if rows or fmt is not Format.table:
        out.records(rows, fmt, columns)
    nothing(rows, none)


def nothing(rows: Sequence[Any], none: str) -> None:
    """No result: say so on stderr and exit 1, as grep does."""
    if not rows:
        out.note(none)
        raise typer.Exit(errors.NO_MATCH)


ARTICLE_COLUMNS = [("id", "id"), ("date", "date"), ("outlet", "outlet"), ("agency", "agency"), ("title", "title")]


@app.command("list")
@handles_errors
def list_cmd(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    outlet: OutletOpt = None,
    agency: AgencyOpt = None,
    keyword: KeywordOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
    corpus: CorpusAfterOpt = None,
    color: ColorAfterOpt = None,
) -> None:
    """List the articles with their metadata, oldest first, undated last.

    \b
    Example: pakus list --since 2022 --agency pti --agency ani --json | jq '.[].title'
    """
    from .queries import select_articles

    chosen_filters = filters(since, until, outlet, agency, keyword)
    target = fmt_of(fmt, as_json)
    lib = _library(ctx)
    articles = lib.listed()
    more_warnings(lib)
    if not articles:
        out.note(f"the corpus {lib.root} holds no readable article")
        raise typer.Exit(errors.NO_MATCH)
    chosen = select_articles(articles, chosen_filters)
    emit([a.as_record() for a in chosen], target, ARTICLE_COLUMNS, "no article matches these filters")


@app.command("show")
@handles_errors
def show_cmd(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="Article id, hash or unique prefix of the file name.",
                                         autocompletion=complete_id)],
    clean: Annotated[bool, typer.Option("--clean", help="The clean article (the default).")] = True,
    raw: Annotated[bool, typer.Option("--raw", help="The file exactly as saved (a web page: its HTML).")] = False,
    as_json: JsonOpt = False,
    events: Annotated[bool, typer.Option("--events", help="Highlight dated phrases and list the events.")] = False,
    no_pager: NoPagerOpt = False,
    corpus: CorpusAfterOpt = None,
    color: ColorAfterOpt = None,
) -> None:
    """Show one article: clean and formatted, raw, or as JSON.

    \b
    Example: pakus show 003 --events
    """
    one_of(raw=raw, json=as_json)
    one_of(raw=raw, events=events)
    lib = _library(ctx)
    if no_pager:
        out.SETTINGS.pager = False
    if raw:
        out.show_raw(lib.raw(ident))
        return
    article = lib.article(ident)
    more_warnings(lib)
    if as_json:
        rec = article.as_record(paragraphs=True)
        if events:
            rec["events"] = [e.as_record() for e in lib.article_events(article.id)]
            more_warnings(lib)
        out.json_out(rec)
        return
    if events:
        marks, found = lib.time_marks(article), lib.article_events(article.id)
        more_warnings(lib)
        out.show_article(article, marks=marks, events=found)
    else:
        out.show_article(article)


HIT_COLUMNS = [("id", "id"), ("date", "date"), ("outlet", "outlet"), ("score", "score"), ("title", "title"),
               ("snippets", "snippets")]


@app.command("search")
@handles_errors
def search_cmd(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help='Words, "exact phrases", prefix*, AND/OR/NOT, ( ).')],
    since: SinceOpt = None,
    until: UntilOpt = None,
    outlet: OutletOpt = None,
    agency: AgencyOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many articles.")] = 20,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
    corpus: CorpusAfterOpt = None,
    color: ColorAfterOpt = None,
) -> None:
    """Ranked full-text search (BM25, stemmed) with highlighted snippets.

    Acronyms the corpus defines are expanded (IMET finds "International Military Education and
    Training"), and Urdu -e-/-i- spellings find each other (Azm-e-Istehkam, Azm-i-Istehkam).
    Snippets mark matches as [word]; a literal bracket of the article is written \\[ or \\].

    \b
    Example: pakus search '"military training" OR IMET' --since 2020 --json | jq '.[].id'
    """
    f = filters(since, until, outlet, agency)
    target = fmt_of(fmt, as_json)
    lib = _library(ctx)
    hits = lib.search(query, since=f.since, until=f.until, outlet=f.outlet, agency=f.agency, limit=limit)
    more_warnings(lib)
    if hits or target is not Format.table:
        out.hits(hits, target, HIT_COLUMNS)
    nothing(hits, f"no article matches {query!r}")


@app.command("index")
@handles_errors
def index_cmd(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start over instead of refreshing.")] = False,
    warnings: Annotated[bool, typer.Option("--warnings", help="List every file that could not be read well.")] = False,
    as_json: JsonOpt = False,
    corpus: CorpusAfterOpt = None,
    color: ColorAfterOpt = None,
) -> None:
    """(Re)build the on-disk index of the corpus and report what changed.

    Every other command refreshes the index by itself; use this after editing files in place
    in a very large corpus, or with --rebuild to start over. Other commands warn about a bad
    file once, when it is new or changed, and then only count them; --warnings lists them all
    again (on stdout, one "file: why" line each; with --json, records of file and warning).

    \b
    Example: pakus --corpus ~/news index --warnings
    """
    from .library import open_library

    root = _root(ctx)
    lib = open_library(root, refresh=False)
    with out.progress("indexing") as tick:
        report = lib.refresh(rebuild=rebuild, progress=tick)
    if warnings:
        _list_warnings(lib, as_json)
        return
    for w in lib.warnings:
        out.warn(w)
    record = {"corpus": str(root), "cache": str(lib.store.path), **report.as_record()}
    record["rebuilt"] = record["rebuilt"] or rebuild
    if as_json:
        out.json_out(record)
    else:
        out.note(
            f"indexed {root}: {report.added} added, {report.changed} changed, {report.removed} removed, "
            f"{report.unchanged} unchanged, {report.failed} unreadable in {report.seconds:.2f} s"
        )


def _list_warnings(lib: Any, as_json: bool) -> None:
    """Every file warning the index keeps, as data (asked for, so on stdout)."""
    found = lib.file_warnings()
    for w in lib.notes():
        out.warn(w)
    if as_json:
        out.json_out([{"file": rel, "warning": why} for rel, why in found])
    elif found:
        out.lines([f"{rel}: {why}" for rel, why in found])
    else:
        out.note(f"no warnings about the files of {lib.root}")


@app.command("timeline")
@handles_errors
def timeline_cmd(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    tag: TagOpt = None,
    types: TypesOpt = None,
    actors: ActorsOpt = None,
    everything: AllOpt = False,
    outlet: OutletOpt = None,
    article: Annotated[
        str | None, typer.Option("--article", "-a", help="Only events reported by this article (id or prefix).",
                                 autocompletion=complete_id)
    ] = None,
    keyword: KeywordOpt = None,
    status: Annotated[Status | None, typer.Option("--status", help="reported or planned.")] = None,
    fmt: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="table (the default), csv, markdown, json, ndjson, timelinejs or html.",
                     case_sensitive=False, show_default=False),
    ] = None,
    group_by: GroupByOpt = "type",
    title: TitleOpt = TITLE,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
    no_pager: NoPagerOpt = False,
    corpus: CorpusAfterOpt = None,
    color: ColorAfterOpt = None,
) -> None:
    """The chronological timeline of US–Pakistan security events, each dated and citing its sentences.

    \b
    Example: pakus timeline --since 2023 --type visit --type meeting --format html --output timeline.html
    """
    from .queries import EventQuery, known_types
    from .streamout import STREAMED
    from .streamout import records as streamed

    chosen_filters = filters(since, until, outlet, None, keyword, tag)
    target = fmt_of(fmt, as_json, allowed=out.TIMELINE_FORMATS)
    known_types(types or [])
    if group_by not in GROUPS:
        raise errors.BadValue(f"unknown --group-by {group_by!r}; use one of {', '.join(GROUPS)}")
    if no_pager:
        out.SETTINGS.pager = False
    lib = _library(ctx)
    query = EventQuery(types=tuple(t.casefold() for t in types or ()), actors=tuple(actors or ()),
                       article=lib.resolve(article) if article else None,
                       status=status.value if status else None, everything=everything)
    found = lib.timeline(chosen_filters, query)
    more_warnings(lib)
    none = "no event matches these filters" + ("" if everything else " (--all shows off-topic ones too)")
    if target in STREAMED:  # written as it is read, in bounded memory
        nothing(range(streamed(found, target, out.EVENT_COLUMNS)), none)
        return
    events = list(found)
    if events or target is not Format.table:
        out.timeline(events, target, out.EVENT_COLUMNS, title=title, group_by=group_by, articles=lib.articles,
                     filters=ctx.params)
    nothing(events, none)


def _only_the_command_run(argv: list[str]) -> None:
    """Start-up: typer builds every subcommand's parameters on each run; build only the one asked
    for (as click's lazy groups do). Help, completion and unknown names see every command."""
    if os.environ.get("_PAKUS_COMPLETE") or any(a in ("-h", "--help") for a in argv):
        return
    takes_value = {"--corpus", "-c", "--color"}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in takes_value:
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        chosen = [c for c in app.registered_commands if c.name == arg]
        if chosen:
            app.registered_commands = chosen
        return


def main() -> None:
    """Console-script entry point."""
    if os.environ.get("_PAKUS_COMPLETE"):
        from .completion import install_shells

        install_shells()  # the shells' completion classes, only when a shell asks
    if out.reopen_closed_streams():  # a closed stdout: said in one line
        sys.exit(errors.USAGE)
    _only_the_command_run(sys.argv[1:])
    code = _run(sys.argv[1:])
    sys.exit(_quiet_flush() or code)


def _run(argv: list[str]) -> int:
    """Run the app; a usage error becomes one line saying what is wrong and where help is (exit 2)."""
    try:
        from typer._click import exceptions as click_exc  # typer >= 0.26 carries its own click
    except ImportError:  # pragma: no cover - older typer uses click itself
        from click import exceptions as click_exc  # type: ignore[no-redef,import-not-found,unused-ignore]
    if not argv:
        argv = ["--help"]
    try:
        rv = app(args=argv, prog_name="pakus", standalone_mode=False)
    except click_exc.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "pakus"
        out.error(f"{exc.format_message().rstrip('.')}; see '{where} --help'")
        return errors.USAGE
    except click_exc.ClickException as exc:
        out.error(exc.format_message())
        return exc.exit_code
    except typer.Abort:
        out.error("interrupted")
        return errors.INTERRUPTED
    except OSError as exc:  # help text piped into head, or written to /dev/full
        return errors.OK if out.stdout_failed(exc) else errors.USAGE
    except SystemExit:  # Rich ends output this way when the reader has gone (help piped to head)
        out.reader_gone()
        return errors.OK
    return rv if isinstance(rv, int) else errors.OK


def _quiet_flush() -> int:
    """Flush stdout at exit: quietly if the reader has gone (| head), in one line if it cannot be written."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        return errors.OK if out.stdout_failed(exc) else errors.USAGE
    return errors.OK

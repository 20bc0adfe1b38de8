"""All output, in one place: Rich for people, tabulate/CSV/JSON/NDJSON for programs, a web page.

Data goes to stdout (``outfile`` points it at a file for ``--output``), messages to stderr. Article
text is untrusted: it is always printed as Rich ``Text`` (never markup) and stripped of terminal
control sequences first, and escaped in a page (``htmlpage``). Rich and tabulate are imported only
when a command needs them, for start-up time.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from .models import Article, Event, TimeValue
    from .search import Hit


class Format(StrEnum):
    """The output formats, declared once. Every data command takes the first five; ``timelinejs``
    (Knight Lab TimelineJS JSON) and ``html`` (a page to publish, ``htmlpage``) are the timeline's alone."""

    table = "table"
    csv = "csv"
    markdown = "markdown"
    json = "json"
    ndjson = "ndjson"
    timelinejs = "timelinejs"
    html = "html"


RECORD_FORMATS = (Format.table, Format.csv, Format.markdown, Format.json, Format.ndjson)
TIMELINE_FORMATS = (*RECORD_FORMATS, Format.timelinejs, Format.html)


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"




def safe(text: str) -> str:
    """Untrusted text for a terminal, line breaks kept (``neutral.block``: no escapes, no controls,
    no bidi overrides)."""
    from .neutral import block

    return block(text)


def line(text: str) -> str:
    """Untrusted text that must stay one line: a name, a cell, a message (``neutral.line``)."""
    from .neutral import line as one_line

    return one_line(text)


class Settings:
    """How this invocation prints: colour choice and whether to page. ``--color always`` asks for the
    people's view (Rich tables, the grouped timeline, marked snippets) even through a pipe, as
    ``ls --color=always`` and ``grep --color=always`` do."""

    __slots__ = ("color", "pager")

    def __init__(self) -> None:
        self.color = Color.auto
        self.pager = True

    def use_color(self, stream: Any = None) -> bool:
        if self.color is Color.always:
            return True
        if self.color is Color.never or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
            return False
        stream = stream or sys.stdout
        return bool(getattr(stream, "isatty", lambda: False)())


SETTINGS = Settings()


def console(stderr: bool = False, *, flowing: bool = False) -> Console:
    """A Rich console that follows the colour settings (NO_COLOR, TERM=dumb, --color). ``flowing``:
    text that is wrapped to a terminal's width, but written one line per paragraph to a pipe."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    color = SETTINGS.use_color(stream)
    return Console(
        file=stream,
        force_terminal=True if SETTINGS.color is Color.always else None,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=flowing and not is_terminal(),
    )


def is_terminal() -> bool:
    return bool(sys.stdout.isatty())


def for_people() -> bool:
    """Whether a table is drawn for people: on a terminal, or when ``--color always`` asks for it."""
    return SETTINGS.color is Color.always or is_terminal()


def _indented(text: Text, by: int = 4) -> Any:
    """Text indented: as a block wrapped to the terminal, or one line with no padding to a pipe."""
    if is_terminal():
        from rich.padding import Padding

        return Padding(text, (0, 0, 0, by), expand=False)
    from rich.text import Text

    return Text(" " * by).append_text(text)


# -- progress ---------------------------------------------------------------------------------


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on stderr when it is a terminal; a silent callback otherwise."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    # The console takes no markup (article text is never markup), so the label's style is a style,
    # not a "[progress.description]" tag that would be printed as it is.
    label_column = TextColumn("{task.description}", style="progress.description", markup=False)
    with Progress(label_column, BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield tick


# -- messages ----------------------------------------------------------------------------------


def _say(line: str) -> None:
    try:
        sys.stderr.write(line)
    except (OSError, ValueError, AttributeError):  # stderr full or closed: nowhere left to tell
        pass


def warn(message: str) -> None:
    """One warning line on stderr."""
    _say(f"pakus: warning: {line(message)}\n")


def error(message: str) -> None:
    """One error line on stderr."""
    _say(f"pakus: error: {line(message)}\n")


def note(message: str) -> None:
    """An informational line on stderr (never mixed into data on stdout)."""
    _say(f"{line(message)}\n")


# -- the streams themselves ----------------------------------------------------------------------


def reopen_closed_streams() -> bool:
    """Give a closed stdin, stdout or stderr /dev/null (else the next file pakus opens, the index
    perhaps, would become the stream). A closed stdout is said in one line: True."""
    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            closed.append(fd)
    if 2 in closed or sys.stderr is None:
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115 - lives as long as the process
    if 1 in closed or sys.stdout is None:
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
        error("standard output is closed; send it to a file, a pipe or /dev/null")
        return True
    return False


def reader_gone() -> None:
    """Stdout can take nothing more (its reader has gone, or it is full): point it at /dev/null so
    that neither we nor Python's exit-time flush complain about it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def stdout_failed(exc: OSError) -> bool:
    """Stdout failed: the reader has gone (| head: True, nothing said), or the output cannot be written
    (a full disk, /dev/full: one line, False); either way Python's own flush at exit stays quiet."""
    reader_gone()
    if isinstance(exc, BrokenPipeError):
        return True
    error(f"cannot write the output ({(exc.strerror or type(exc).__name__).lower()}); "
          "free some space or send it elsewhere")
    return False


# -- records in any format --------------------------------------------------------------------


def _cell(value: Any) -> str:
    """A value as the text of one cell: one line, neutralised (lists joined with "; ")."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return line(_brief(value))
    return line(str(value))


def _brief(d: dict[str, Any]) -> str:
    """A record inside a cell: an actor as "name (side)", a source as "article outlet", else JSON."""
    if "name" in d and "side" in d:
        return f"{d['name']} ({d['side']})"
    if "article" in d:
        return " ".join(str(d[k]) for k in ("article", "outlet") if d.get(k))
    return json.dumps(d, ensure_ascii=False)


def write(text: str) -> None:
    sys.stdout.write(text)


def lines(items: Sequence[str]) -> None:
    """Plain data on stdout, one neutralised line per item."""
    write("".join(line(i) + "\n" for i in items))


def records(
    rows: Sequence[dict[str, Any]],
    fmt: Format,
    columns: Sequence[tuple[str, str]],
    *,
    title: str | None = None,
) -> None:
    """Print records: JSON and NDJSON carry every key; table, CSV and Markdown the columns given."""
    from .neutral import csv_cell, json_text, markdown_cell

    if fmt is Format.json:
        write(json_text(list(rows), indent=2) + "\n")
    elif fmt is Format.ndjson:
        write("".join(json_text(r) + "\n" for r in rows))
    elif fmt is Format.csv:
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([h for _, h in columns])
        for r in rows:
            w.writerow([csv_cell(_cell(r.get(k))) for k, _ in columns])
        write(buf.getvalue())
    elif fmt is Format.markdown or not for_people():
        from tabulate import tabulate

        md = fmt is Format.markdown
        table = [[markdown_cell(c) if md else c for c in (_cell(r.get(k)) for k, _ in columns)] for r in rows]
        write(tabulate(table, headers=[h for _, h in columns], tablefmt="github" if md else "simple",
                       disable_numparse=True) + "\n")
    else:
        _rich_table(rows, columns, title)


def _rich_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], title: str | None) -> None:
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold", expand=False)
    for key, header in columns:
        wide = key in ("title", "text", "summary")
        table.add_column(header, overflow="fold", ratio=3 if wide else None, no_wrap=not wide)
    for r in rows:
        table.add_row(*(_cell(r.get(k)) for k, _ in columns))
    console().print(table)


# -- articles ---------------------------------------------------------------------------------


def show_article(a: Article, *, marks: dict[int, Sequence[TimeValue]] | None = None,
                 events: Sequence[Event] = ()) -> None:
    """Print one clean article with Rich, paged on a terminal when it is long."""
    from rich.console import Group
    from rich.text import Text

    from .views import article_text

    parts: list[Any] = []
    for t in article_text(a, marks):
        parts.extend((t, Text()))
    if events:
        parts.append(Text(f"Events ({len(events)})", style="bold underline"))
        for e in events:
            parts.append(Text(line(f"{e.date}  [{e.status}] {e.basis}: {e.text}")))
    present(Group(*parts))


def present(renderable: Any) -> None:
    """Print for people: wrapped and, when longer than the screen, paged on a terminal; one line per
    paragraph and never paged through a pipe."""
    con = console(flowing=True)
    if not (SETTINGS.pager and is_terminal()):
        con.print(renderable)
        return
    with con.capture() as captured:
        con.print(renderable)
    text = captured.get()
    if text.count("\n") < con.height:
        write(text)
    else:
        page(text)


def page(text: str) -> None:
    """Show text through ``$PAGER``; if the pager is missing or fails (``PAGER=false``), the text is
    printed here instead, with a warning when the user chose that pager."""
    from .pager import run_pager

    chosen = os.environ.get("PAGER", "").strip()
    failure = run_pager(chosen, text)
    if failure is None:
        return
    if chosen:
        warn(f"the pager {chosen!r} {failure}; printed without it (set $PAGER, or use --no-pager)")
    write(text)


def show_raw(text: str) -> None:
    """The dump as saved: byte-faithful to a pipe, control characters neutralised on a terminal."""
    write(safe(text) if is_terminal() else text)


# -- search hits ------------------------------------------------------------------------------

def show_hits(hits: Sequence[Hit]) -> None:
    """Search results for people (``views.hit_parts``), one block each."""
    from .views import hit_parts

    con = console(flowing=True)
    for h in hits:
        for part in hit_parts(h, _indented):
            con.print(part)


# -- timeline ---------------------------------------------------------------------------------


EVENT_COLUMNS = [("id", "id"), ("date", "date"), ("precision", "precision"), ("start", "start"), ("end", "end"),
                 ("status", "status"), ("type", "type"), ("headline", "headline"), ("actors", "actors"),
                 ("location", "location"), ("basis", "dated by"), ("sources", "sources")]


def show_timeline(events: Sequence[Event]) -> None:
    """The timeline for people (``views.timeline_parts``), paged when long."""
    from rich.console import Group

    from .views import timeline_parts

    present(Group(*timeline_parts(events, _indented)))


def json_out(value: Any) -> None:
    from .neutral import json_text

    write(json_text(value, indent=2) + "\n")


# -- the one place that chooses between the people's view and the records' -------------------------


def hits(found: Sequence[Hit], fmt: Format, columns: Sequence[tuple[str, str]]) -> None:
    """Search results: a readable list on a terminal, records otherwise."""
    if fmt is Format.table and for_people() and found:
        show_hits(found)
    else:
        records([h.as_record() for h in found], fmt, columns)


def timeline(events: Sequence[Event], fmt: Format, columns: Sequence[tuple[str, str]], *, title: str = "",
             group_by: str = "type", articles: Callable[[], Sequence[Article]] = tuple,
             filters: Mapping[str, Any] | None = None) -> None:
    """Events: the grouped timeline on a terminal, TimelineJS JSON, a web page, or records. A page names
    its sources' titles (``articles``, asked only for a page) and the filters that chose the events."""
    from .exports import TITLE

    if fmt is Format.timelinejs:
        from .exports import timelinejs

        json_out(timelinejs(events, title or TITLE, group_by))
    elif fmt is Format.html:
        from . import __version__
        from .htmlpage import filters_used, page

        found = {a.id: a.as_record() for a in articles()}
        write(page([e.as_record() for e in events], found, title=title or TITLE,
                   filters=filters_used(filters or {}), generator=f"pakus {__version__}"))
    elif fmt is Format.table and for_people() and events:
        show_timeline(events)
    else:
        records([e.as_record() for e in events], fmt, columns)

"""All output, in one place: Rich for people, tabulate/CSV/JSON/NDJSON for programs.

Data goes to stdout, messages to stderr. Article text is untrusted: it is always printed
as Rich ``Text`` (never markup) and stripped of terminal control sequences first. Rich and
tabulate are imported only when a command needs them, for start-up time.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
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
    (Knight Lab TimelineJS JSON) is the timeline's alone."""

    table = "table"
    csv = "csv"
    markdown = "markdown"
    json = "json"
    ndjson = "ndjson"
    timelinejs = "timelinejs"


RECORD_FORMATS = (Format.table, Format.csv, Format.markdown, Format.json, Format.ndjson)


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"




def safe(text: str) -> str:
    """Text with terminal control characters and escape sequences removed (``text.CONTROL``, the one
    pattern the parser uses too; imported only when a text needs it: start-up time)."""
    if text.isprintable():
        return text
    from .text import CONTROL

    return CONTROL.sub("", text)


class Settings:
    """How this invocation prints: colour choice and whether to page."""

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


def console(stderr: bool = False) -> Console:
    """A Rich console that follows the colour settings (NO_COLOR, TERM=dumb, --color)."""
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
        soft_wrap=False,
    )


def is_terminal() -> bool:
    return bool(sys.stdout.isatty())


# -- progress ---------------------------------------------------------------------------------


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on stderr when it is a terminal; a silent callback otherwise."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console(stderr=True), transient=True) as bar:
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
    _say(f"pakus: warning: {safe(message)}\n")


def error(message: str) -> None:
    """One error line on stderr."""
    _say(f"pakus: error: {safe(message)}\n")


def note(message: str) -> None:
    """An informational line on stderr (never mixed into data on stdout)."""
    _say(f"{safe(message)}\n")


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
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) if not isinstance(v, dict) else json.dumps(v, ensure_ascii=False) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return safe(str(value))


def write(text: str) -> None:
    sys.stdout.write(text)


def records(
    rows: Sequence[dict[str, Any]],
    fmt: Format,
    columns: Sequence[tuple[str, str]],
    *,
    title: str | None = None,
) -> None:
    """Print records: JSON and NDJSON carry every key; table, CSV and Markdown the columns given."""
    if fmt is Format.json:
        write(json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n")
    elif fmt is Format.ndjson:
        write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    elif fmt is Format.csv:
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([h for _, h in columns])
        for r in rows:
            w.writerow([_cell(r.get(k)) for k, _ in columns])
        write(buf.getvalue())
    elif fmt is Format.markdown or not is_terminal():
        from tabulate import tabulate

        style = "github" if fmt is Format.markdown else "simple"
        table = [[_cell(r.get(k)) for k, _ in columns] for r in rows]
        write(tabulate(table, headers=[h for _, h in columns], tablefmt=style, disable_numparse=True) + "\n")
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


def _meta_line(a: Article) -> str:
    date = a.date.isoformat() if a.date else "undated"
    if a.date and "date" in a.curated:
        date += " (curated)"
    parts = [date, a.outlet or "outlet unknown", a.agency and f"via {a.agency}", a.dateline, f"id {a.id}", a.file]
    return " · ".join(p for p in parts if p)


def article_text(a: Article, marks: dict[int, Sequence[TimeValue]] | None = None) -> list[Text]:
    """The renderables of a clean article: headline, standfirst, meta line, paragraphs."""
    from rich.text import Text

    from .text import is_heading

    out = []
    if a.title:
        out.append(Text(safe(a.title), style="bold"))
    if a.subtitle:
        out.append(Text(safe(a.subtitle), style="italic"))
    out.append(Text(safe(_meta_line(a)), style="dim"))
    for i, para in enumerate(a.paragraphs):
        text = Text(safe(para), style="bold" if is_heading(para) else "")
        for tv in (marks or {}).get(i, ()):
            text.stylize("reverse" if tv.resolved else "underline", tv.begin, tv.finish)
        out.append(text)
    return out


def show_article(a: Article, *, marks: dict[int, Sequence[TimeValue]] | None = None,
                 events: Sequence[Event] = ()) -> None:
    """Print one clean article with Rich, paged on a terminal when it is long."""
    from rich.console import Group
    from rich.text import Text

    con = console()
    parts: list[Any] = []
    for t in article_text(a, marks):
        parts.extend((t, Text()))
    if events:
        parts.append(Text(f"Events ({len(events)})", style="bold underline"))
        for e in events:
            parts.append(Text(safe(f"{e.date}  [{e.status}] {e.basis}: {e.text}")))
    group = Group(*parts)
    if SETTINGS.pager and is_terminal() and sum(len(p) for p in a.paragraphs) > 1500:
        os.environ.setdefault("PAGER", "less -FRX")  # -F: no pager when it fits; -R: colours; -X: keep it on screen
        with con.pager(styles=SETTINGS.use_color()):
            con.print(group)
    else:
        con.print(group)


def show_raw(text: str) -> None:
    """The dump as saved: byte-faithful to a pipe, control characters neutralised on a terminal."""
    write(safe(text) if is_terminal() else text)


# -- search hits ------------------------------------------------------------------------------

_MARK = r"(?<!\\)\[((?:[^\[\]\\]|\\.)+?)(?<!\\)\]"


def show_hits(hits: Sequence[Hit]) -> None:
    """Search results for people: id, date, outlet, title, snippets with the matches highlighted."""
    from rich.padding import Padding
    from rich.text import Text

    con = console()
    for h in hits:
        head = Text()
        head.append(h.id, style="bold cyan")
        head.append(f"  {h.date.isoformat() if h.date else 'undated'}  ", style="dim")
        head.append(safe(h.outlet or ""), style="green")
        head.append("  ")
        head.append(safe(h.title or "(untitled)"), style="bold")
        con.print(head)
        for snip in h.snippets:
            con.print(Padding(_marked(snip), (0, 0, 0, 4)))
        con.print()


def _marked(snippet: str) -> Text:
    from rich.text import Text

    text = Text()
    pos = 0
    for m in re.finditer(_MARK, snippet):
        text.append(safe(_unescape(snippet[pos : m.start()])))
        text.append(safe(_unescape(m.group(1))), style="bold yellow reverse")
        pos = m.end()
    text.append(safe(_unescape(snippet[pos:])))
    return text


def _unescape(text: str) -> str:
    return re.sub(r"\\([\[\]\\])", r"\1", text)


# -- timeline ---------------------------------------------------------------------------------


def summary(text: str, width: int = 160) -> str:
    """A one-line summary of a sentence: the sentence itself, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    return text[: width - 1].rsplit(" ", 1)[0] + "…"


def show_timeline(events: Sequence[Event]) -> None:
    """The timeline for people: grouped by year, one block per event."""
    from rich.padding import Padding
    from rich.text import Text

    con = console()
    year = None
    for e in events:
        if e.start.year != year:
            year = e.start.year
            con.print(Text(f"\n{year}", style="bold magenta"))
        line = Text()
        line.append(f"  {e.date:<23}", style="bold")
        line.append(f" {e.status:<8}", style="yellow" if e.status == "planned" else "dim")
        line.append(" " + ", ".join(e.tags), style="cyan")
        con.print(line)
        con.print(Padding(Text(safe(summary(e.text))), (0, 0, 0, 4)))
        cites = ", ".join(f"{s.article} {s.outlet or ''}".strip() for s in e.sources)
        con.print(Padding(Text(f"← {cites}  (dated by: {safe(e.basis)})", style="dim"), (0, 0, 0, 4)))


def timelinejs(events: Iterable[Event], title: str = "US–Pakistan security cooperation") -> dict[str, Any]:
    """Knight Lab TimelineJS JSON for the events (start/end date objects, headline, text, group)."""

    def date_obj(d: Any, precision: str) -> dict[str, str]:
        out = {"year": str(d.year)}
        if precision in ("month", "week", "day"):
            out["month"] = str(d.month)
        if precision in ("week", "day"):
            out["day"] = str(d.day)
        return out

    items = []
    for e in events:
        item: dict[str, Any] = {
            "start_date": date_obj(e.start, e.precision),
            "text": {
                "headline": summary(e.text, 90),
                "text": " ".join(
                    f"<p>{_html(s.text)} <em>({_html(s.outlet or s.article)}, article {_html(s.article)})</em></p>"
                    for s in e.sources
                ),
            },
            "group": e.tags[0] if e.tags else "other",
        }
        if "/" in e.date:  # a span longer than one unit of its precision
            item["end_date"] = date_obj(e.end, e.precision)
        items.append(item)
    return {"title": {"text": {"headline": title, "text": "Compiled by pakus from the corpus"}}, "events": items}


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def json_out(value: Any) -> None:
    write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


# -- the one place that chooses between the people's view and the records' -------------------------


def hits(found: Sequence[Hit], fmt: Format, columns: Sequence[tuple[str, str]]) -> None:
    """Search results: a readable list on a terminal, records otherwise."""
    if fmt is Format.table and is_terminal() and found:
        show_hits(found)
    else:
        records([h.as_record() for h in found], fmt, columns)


def timeline(events: Sequence[Event], fmt: Format, columns: Sequence[tuple[str, str]]) -> None:
    """Events: the grouped timeline on a terminal, TimelineJS JSON, or records."""
    if fmt is Format.timelinejs:
        json_out(timelinejs(events))
    elif fmt is Format.table and is_terminal() and events:
        show_timeline(events)
    else:
        records([e.as_record() for e in events], fmt, columns)

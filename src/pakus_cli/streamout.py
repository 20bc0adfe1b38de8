"""Records written as they come: the timeline's JSON, NDJSON and CSV, one event at a time.

The bytes are those ``render.records`` writes for the whole list (a JSON array indented by two, valid
once the last item is written; NDJSON lines; CSV with its header), so a timeline of any size is written
in memory bounded by one batch of events, and its first event reaches stdout at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .render import Format, _cell, write

if TYPE_CHECKING:
    from .models import Event

STREAMED = (Format.json, Format.ndjson, Format.csv)


def records(events: Iterable[Event], fmt: Format, columns: Sequence[tuple[str, str]]) -> int:
    """Write the events' records in ``fmt`` (one of ``STREAMED``); the number written."""
    from .neutral import csv_cell, json_text

    n = 0
    if fmt is Format.csv:
        _csv_row([h for _, h in columns])
    for e in events:
        rec = e.as_record()
        if fmt is Format.json:
            item = "  " + json_text(rec, indent=2).replace("\n", "\n  ")
            write(("[\n" if n == 0 else ",\n") + item)
        elif fmt is Format.ndjson:
            write(json_text(rec) + "\n")
        else:
            _csv_row([csv_cell(_cell(rec.get(k))) for k, _ in columns])
        n += 1
    if fmt is Format.json:
        write("\n]\n" if n else "[]\n")
    return n


def _csv_row(cells: list[Any]) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    write(buf.getvalue())

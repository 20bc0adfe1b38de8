"""Extraction evaluation: what pakus makes of labelled saved pages, scored against a careful reader.

Modelled on trafilatura's evaluation: a collection of pages, each with a hand-written label
(``STEM.json`` beside ``STEM.txt``, format in ``tests/layouts/README.md``), scored field by field
and snippet by snippet, with floors the CI gate holds (``tests/test_layouts.py``)::

    python -m pakus_cli.evaluate tests/layouts seeds --labels tests/golden/seeds [--json] [--failures]

Pages are read the way users read them, through ``open_library`` (the index, the annotations).
Scoring functions return frozen records; only ``main`` prints.

Metrics (per collection and in total):

- ``title``/``date``/``outlet``/``agency``/``dateline``: each page's field is *right* (equal after
  normalising, or rightly absent), *wrong* (a different value), *missed* (none where the label has
  one) or *invented* (one where the label has none). A field the corpus's ``annotations.toml``
  sets is curated, not extracted, and is left out. The share is over the pages scored.
- ``lead_kept`` / ``end_kept``: the label's opening / closing words are in the body.
- ``must_kept``: ``must`` snippets in the body / all ``must`` snippets.
- ``debris_leaked``: ``must_not`` snippets in the body / all ``must_not`` snippets (lower is better).
- ``prose_kept``: words of the expected prose found in the body (multiset overlap) / expected words;
  the expected prose is the dump's paragraphs from the one holding ``lead`` to the one holding
  ``end``, less those holding a ``must_not`` snippet and those under 8 words.
- ``event_recall`` / ``event_precision``: on pages whose label lists ``events``, expected events
  reported by some event of the article with the same ``date`` whose sentence holds the snippet,
  and produced events that match some expected event.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .labels import (
    FIELDS,
    LabelError,
    page_view,
    read_label,
)
from .scoring import (
    CEILINGS,
    FLOORS,
    OUTCOMES,
    CollectionScores,
    Extracted,
    PageResult,
    Ratio,
    Scores,
    Tally,
    check,
    fmt_ratio,
    score_page,
)

if TYPE_CHECKING:
    from .library import Library


# -- the corpus ------------------------------------------------------------------------------


def page_files(folder: Path) -> Iterator[str]:
    """The pages below a folder (what pakus reads as articles: ``.txt`` dumps, ``.html``/``.htm`` saved
    web pages), as posix paths relative to it, sorted."""
    from .scan import is_article_name

    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if is_article_name(name):
                yield (Path(dirpath) / name).relative_to(folder).as_posix()


def find_label(folder: Path, rel: str, labels: Path | None = None) -> Path | None:
    """A page's label: ``STEM.json`` at the same place under ``labels``, else beside the page."""
    name = Path(rel).with_suffix(".json")
    for base in (labels, folder):
        if base is not None and (base / name).is_file():
            return base / name
    return None


def _extracted(lib: Library, article: Any, with_events: bool) -> Extracted:
    fields: list[tuple[str, str | None]] = []
    for name in FIELDS:
        value = getattr(article, name, None)
        if isinstance(value, dt.date):
            value = value.isoformat()
        fields.append((name, None if value is None else str(value)))
    events: tuple[tuple[str, str], ...] = ()
    if with_events:  # the events `timeline` shows
        events = tuple((str(e.date), str(e.text)) for e in lib.article_events(article.id) if e.relevant)
    return Extracted(tuple(fields), str(article.body), events, frozenset(getattr(article, "curated", ())))


def _orphans(folder: Path, pages: set[str]) -> list[str]:
    stems = {Path(p).with_suffix("").as_posix() for p in pages}
    out = []
    for path in sorted(folder.rglob("*.json")):
        if path.relative_to(folder).with_suffix("").as_posix() not in stems:
            out.append(f"{path.relative_to(folder).as_posix()}: a label without a page")
    return out


def evaluate_folder(folder: Path, labels: Path | None = None, name: str | None = None) -> CollectionScores:
    """Score every labelled page of a folder as pakus reads it (``open_library``)."""
    from .library import open_library

    lib = open_library(folder)
    by_file = {a.file: a for a in lib.articles()}
    warnings = lib.all_warnings()
    pages: list[PageResult] = []
    notes: list[str] = []
    rels = list(page_files(folder))
    for rel in rels:
        label_path = find_label(folder, rel, labels)
        if label_path is None:
            notes.append(f"{rel}: no label; skipped")
            continue
        try:
            label = read_label(label_path)
        except LabelError as exc:
            notes.append(f"{rel}: label {label_path} cannot be used ({exc}); skipped")
            continue
        article = by_file.get(rel)
        why = [] if article else [f"no article: {w}" for w in warnings if w.startswith(f"{rel}:")] or ["no article"]
        got = _extracted(lib, article, label.events is not None) if article else None
        text = page_view(rel, (folder / rel).read_bytes())
        pages.append(score_page(rel, label, got, text, why))
    notes += _orphans(folder, set(rels))
    return CollectionScores(name or folder.as_posix(), tuple(pages), tuple(notes))


def evaluate(folders: Sequence[Path], labels: Path | None = None) -> Scores:
    return Scores(tuple(evaluate_folder(f, labels) for f in folders))


# -- reports ---------------------------------------------------------------------------------


def _cell(r: Ratio) -> str:
    return f"{fmt_ratio(r)} ({r.num}/{r.den})" if r.den else "–"


ROWS = (
    ("lead_kept", "lead kept", "pages"),
    ("end_kept", "end kept", "pages"),
    ("must_kept", "must kept", "snippets"),
    ("debris_leaked", "debris leaked", "snippets"),
    ("prose_kept", "prose words kept", "words"),
    ("event_recall", "event recall", "expected events"),
    ("event_precision", "event precision", "produced events"),
    ("event_duplicates", "event duplicates", "produced events"),
)


def _field_counts(t: Tally, name: str) -> str:
    c = t.counts(name)
    scored = sum(c[o] for o in OUTCOMES)
    text = ", ".join(f"{c[o]} {o}" for o in OUTCOMES) + f" of {scored}"
    return text + (f" ({c['curated']} curated, not scored)" if c["curated"] else "")


def markdown_table(scores: Scores) -> str:
    """One row per metric: the total's value and counts, then each collection's value."""
    tallies = [c.tally for c in scores.collections]
    total = scores.total
    names = [c.name for c in scores.collections]
    lines = [
        "| metric | value | counts | " + " | ".join(names) + " |",
        "|---|---:|---|" + "---:|" * len(names),
        f"| pages | {total.pages} | | " + " | ".join(str(t.pages) for t in tallies) + " |",
    ]
    for name in FIELDS:
        key = f"{name}_right"
        cells = [_cell(t.metrics()[key]) for t in tallies]
        lines.append(f"| {name} right | {fmt_ratio(total.metrics()[key])} | {_field_counts(total, name)} | "
                     + " | ".join(cells) + " |")
    for key, title, unit in ROWS:
        r = total.metrics()[key]
        cells = [_cell(t.metrics()[key]) for t in tallies]
        lines.append(f"| {title} | {fmt_ratio(r)} | {r.num}/{r.den} {unit} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def failures_report(scores: Scores) -> str:
    """Each page's failed checks, and the notes (skipped pages, labels to fix)."""
    lines: list[str] = []
    for coll in scores.collections:
        for page in coll.pages:
            failed = page.failures()
            if failed:
                lines.append(f"{coll.name}/{page.file}")
                lines += [f"  - {f}" for f in failed]
        lines += [f"{coll.name}: {n}" for n in coll.notes]
    return "\n".join(lines) + ("\n" if lines else "")


def _ratio_json(r: Ratio) -> dict[str, Any]:
    return {"value": r.value, "num": r.num, "den": r.den}


def _tally_json(t: Tally) -> dict[str, Any]:
    return {
        "pages": t.pages,
        "fields": {name: t.counts(name) for name, _ in t.fields},
        "metrics": {k: _ratio_json(r) for k, r in t.metrics().items()},
    }


def scores_json(scores: Scores) -> dict[str, Any]:
    """The numbers as JSON-ready data: total, per collection, shortfalls, notes."""
    return {
        "total": _tally_json(scores.total),
        "collections": {c.name: _tally_json(c.tally) for c in scores.collections},
        "below_floor": [str(s) for s in check(scores)],
        "floors": FLOORS,
        "ceilings": CEILINGS,
        "notes": [f"{c.name}: {n}" for c in scores.collections for n in c.notes],
    }


# -- command ---------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m pakus_cli.evaluate",
        description="Score pakus's extraction on folders of labelled pages (STEM.txt + STEM.json).",
    )
    p.add_argument("folders", nargs="*", type=Path, metavar="FOLDER",
                   help="folders of pages (default: the gate's set, tests/layouts and the seeds, from a checkout)")
    p.add_argument("--labels", type=Path, metavar="DIR",
                   help="look for STEM.json here first (same relative path as the page), then beside the page")
    p.add_argument("--json", action="store_true", help="print the numbers as JSON")
    p.add_argument("--failures", action="store_true", help="list each page's failed checks")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    for folder in [*args.folders, *([args.labels] if args.labels else [])]:
        if not folder.is_dir():
            parser.error(f"{str(folder)!r} is not a folder")
    from .errors import CorpusError

    try:
        if args.folders:
            scores = evaluate(args.folders, args.labels)
        else:
            scores = gate_scores(_checkout(parser))
    except CorpusError as exc:
        sys.stderr.write(f"evaluate: {exc}\n")
        return 1
    if args.json:
        data = scores_json(scores)
        if args.failures:
            data["failures"] = {f"{c.name}/{p.file}": p.failures() for c in scores.collections for p in c.pages}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    sys.stdout.write(markdown_table(scores))
    shortfalls = check(scores)
    sys.stdout.write("\n" + ("Below the floors: " + "; ".join(map(str, shortfalls)) if shortfalls
                             else "All floors met.") + "\n")
    if args.failures:
        sys.stdout.write("\n" + failures_report(scores))
    return 1 if shortfalls and not args.folders else 0


def _checkout(parser: argparse.ArgumentParser) -> Path:
    """The project checkout the gate's pages are in: the current folder or the one this file sits in."""
    for root in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if (root / "tests" / "layouts").is_dir() and (root / "seeds").is_dir():
            return root
    parser.error("no folder given and no checkout here (tests/layouts, seeds); name the folders to score")


def gate_scores(root: Path) -> Scores:
    """The set the CI gate scores: the layout zoo (labels beside the pages) and the shipped seeds
    (labels in tests/golden/seeds)."""
    return Scores((evaluate_folder(root / "tests" / "layouts", name="tests/layouts"),
                   evaluate_folder(root / "seeds", root / "tests" / "golden" / "seeds", name="seeds")))


if __name__ == "__main__":
    sys.exit(main())

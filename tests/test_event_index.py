"""The events kept in the index: the stored, incrementally merged timeline is the whole-corpus merge's,
whatever articles come, change and go; a filtered timeline reads only the events it may show; the
full one streams the bytes the whole list would be."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pakus_cli import eventstore
from pakus_cli.library import Library
from pakus_cli.merging import merge
from pakus_cli.models import Event
from pakus_cli.queries import EventQuery, Filters, period

from .conftest import ARTICLES, ROOT, SEEDS, library, run, seed_variants

LAYOUTS = ROOT / "tests" / "layouts"


def records(events: list[Event]) -> list[dict[str, object]]:
    return [e.as_record() for e in events]


def in_memory(lib: Library) -> list[Event]:
    """Today's merge: every event of the corpus (a syndicated copy's left out) merged in memory."""
    return merge(eventstore.merged_input(lib.store.con))


def groups(events: list[Event]) -> set[frozenset[tuple[str, str]]]:
    return {frozenset((s.article, s.text) for s in e.sources) for e in events}


def check(root: Path) -> list[Event]:
    """The index's timeline is the in-memory merge of the same events, field for field, in order, and
    its postings are those of the events taking part."""
    lib = library(root)
    got = lib.events()
    assert records(got) == records(in_memory(lib))
    con = lib.store.con  # the merge's postings: those of the events taking part, none left behind
    taking = con.execute('SELECT rid, start, "end", gist FROM events WHERE happening IS NOT NULL')
    assert sorted(con.execute("SELECT * FROM gist")) == sorted(g for row in taking for g in eventstore.gist_rows(*row))
    lib.store.close()
    return got


@pytest.mark.parametrize("folder", [SEEDS, LAYOUTS, ARTICLES / "merge", ARTICLES / "happenings"])
def test_the_stored_timeline_is_the_in_memory_merge(folder: Path) -> None:
    assert check(folder)


def corpus_of(tmp_path: Path) -> Path:
    """Seeds, layouts and hand-made happenings in one folder (their events merge across articles)."""
    root = tmp_path / "corpus"
    shutil.copytree(SEEDS, root)
    for folder in (LAYOUTS, ARTICLES / "merge", ARTICLES / "happenings"):
        for f in sorted(folder.glob("*.txt")):
            shutil.copy(f, root / f"{folder.name}-{f.name}")
    return root


def test_adds_changes_and_deletes_keep_the_merge_exact(tmp_path: Path) -> None:
    root = corpus_of(tmp_path)
    files = sorted(root.glob("*.txt"))
    held = tmp_path / "held"
    held.mkdir()
    for f in files[::3]:  # start with two thirds, add the rest later
        shutil.move(f, held / f.name)
    check(root)
    for f in sorted(held.glob("*.txt"))[:5]:  # added
        shutil.move(f, root / f.name)
    check(root)
    victims = sorted(root.glob("*.txt"))
    for f in victims[1:8:2]:  # deleted
        f.unlink()
    check(root)
    for f in victims[0:9:4]:  # changed: a sentence dropped, another reworded
        text = f.read_text(encoding="utf-8")
        f.write_text(text.replace("Pakistan", "Pakistan's army", 2).replace("\n\n", "\n\nIt said so.\n\n", 1),
                     encoding="utf-8")
    check(root)
    for f in sorted(held.glob("*.txt")):  # the rest added, and one copy of an article (a syndicated copy)
        shutil.move(f, root / f.name)
    shutil.copy(files[0], root / "zz_copy.txt")
    incremental = check(root)
    (root / files[0].name).unlink()  # the first copy goes: the other speaks for it now
    check(root)
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh)
    assert groups(check(fresh)) == groups(library(root).events())
    assert incremental


def test_a_filtered_timeline_reads_only_the_events_it_may_show(tmp_path: Path) -> None:
    lib = library(corpus_of(tmp_path))
    everything = lib.events()
    stored = lib.store.con.execute("SELECT count(*) FROM events").fetchone()[0]
    since, _ = period("2023-02")
    _, until = period("2023-02")
    for f, q in [(Filters(since=since, until=until), EventQuery()),
                 (Filters(tag=("training",)), EventQuery(everything=True)),
                 (Filters(keyword="Kurilla"), EventQuery(everything=True)),
                 (Filters(), EventQuery(actors=("CENTCOM",), everything=True)),
                 (Filters(outlet=("dawn",)), EventQuery(types=("visit",), everything=True))]:
        lib.store.events_read = 0
        got = list(lib.timeline(f, q))
        from pakus_cli.queries import select_events

        assert records(got) == records(select_events(everything, f, q))
        assert lib.store.events_read < stored / 3, (f.__slots__, lib.store.events_read, stored)


def test_a_keyword_is_found_as_a_whole_word_whatever_fts_matches(tmp_path: Path) -> None:
    lib = library(corpus_of(tmp_path))
    everything = lib.events()
    from pakus_cli.queries import select_events

    for word in ("US", "u.s", "Pak", "Azm-i-Istehkam", "$", "counter-terrorism", "IMET"):
        f = Filters(keyword=word)
        assert records(list(lib.timeline(f, EventQuery(everything=True)))) == records(
            select_events(everything, f, EventQuery(everything=True)))


def test_the_streamed_formats_are_the_whole_list_written_at_once() -> None:
    code, out, _ = run("--corpus", str(SEEDS), "timeline", "--all", "--json")
    assert code == 0 and out.startswith("[\n  {\n")
    assert json.loads(out) == [e.as_record() for e in library(SEEDS).events()]
    assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n"
    code, out, _ = run("--corpus", str(SEEDS), "timeline", "--since", "1900", "--until", "1900", "--json")
    assert (code, out) == (1, "[]\n")
    code, out, _ = run("--corpus", str(SEEDS), "timeline", "--all", "--format", "ndjson")
    assert [json.loads(line) for line in out.splitlines()] == [e.as_record() for e in library(SEEDS).events()]


@pytest.mark.parametrize("max_posting", [3, 8, 2000])
def test_random_changes_to_a_corpus_of_many_reports_of_each_happening(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_posting: int) -> None:
    """Variants of the seeds (each "Pakistan" numbered) report the seeds' happenings again and again:
    happenings of many members across articles. With postings of more than ``max_posting`` too common,
    adding and removing articles moves postings across that line both ways."""
    import random

    from pakus_cli import merging

    monkeypatch.setattr(merging, "MAX_POSTING", max_posting)
    pool = seed_variants(tmp_path / "pool", 30)
    files = sorted(pool.glob("*.txt")) + sorted(LAYOUTS.glob("*.txt"))[:10]
    root = tmp_path / "corpus"
    root.mkdir()
    rng = random.Random(max_posting)
    for f in rng.sample(files, 15):
        shutil.copy(f, root / f.name)
    check(root)
    for _ in range(5):
        for f in rng.sample(sorted(root.glob("*.txt")), 3):
            f.unlink()
        for f in rng.sample(files, 5):
            shutil.copy(f, root / f.name)
        changed = rng.choice(sorted(root.glob("*.txt")))
        changed.write_text(changed.read_text(encoding="utf-8").replace("the", "a", 3), encoding="utf-8")
        check(root)
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh)
    assert groups(check(fresh)) == groups(library(root).events())
    assert max_posting < 2000 or max(len(e.sources) for e in library(root).events()) >= 3

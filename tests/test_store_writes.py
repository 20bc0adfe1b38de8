"""How the index is written: a build from scratch ends with the schema's every index, a parallel build
is the one-process build, the full merge's sweep joins what testing every pair would, and an event's
record loses nothing by being stored without its sentence."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from pakus_cli import eventstore, happenings, merging, pipeline
from pakus_cli.merging import Groups, Report, alike, join_alike
from pakus_cli.store import Store

from .conftest import SEEDS, library, seed_variants


def schema(con: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return list(con.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY name"))


def test_a_build_from_scratch_and_a_rebuild_end_with_every_index_of_the_schema(tmp_path: Path) -> None:
    empty = Store(tmp_path / "empty", tmp_path / "empty.sqlite")
    empty.create()
    want = schema(empty.con)
    root = tmp_path / "corpus"
    shutil.copytree(SEEDS, root)
    lib = library(root)
    assert schema(lib.store.con) == want
    lib.refresh(rebuild=True)
    assert schema(lib.store.con) == want
    assert lib.store.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_parallel_build_forked_or_spawned_is_the_one_process_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    root = seed_variants(tmp_path / "corpus", pipeline.PARALLEL_OVER + 6)
    started: list[str | None] = []  # how each build started its workers
    get_context = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: (started.append(method),
                                                                              get_context(method))[1])

    def built(cache: str) -> tuple[list[tuple[str, str]], list[tuple[object, ...]]]:
        monkeypatch.setenv("PAKUS_CACHE", str(tmp_path / cache))
        con = library(root).store.con
        return (list(con.execute("SELECT id, aliases FROM articles ORDER BY docid")),
                list(con.execute("SELECT rid, docid, article, seq, happening FROM events ORDER BY rid")))

    parallel = built("parallel")
    monkeypatch.setattr(pipeline, "SPAWN_OVER", 0)  # workers started afresh, as a large build's are
    assert built("spawned") == parallel
    assert started == ["fork" if sys.platform.startswith("linux") else "spawn", "spawn"]
    monkeypatch.setattr(pipeline, "PARALLEL_OVER", 10**9)
    assert built("serial") == parallel and len(started) == 2


def test_a_build_from_scratch_writes_the_postings_it_staged_as_the_full_merge_would(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = seed_variants(tmp_path / "corpus", 12)
    for src in sorted(SEEDS.glob("*.txt"))[:3]:  # syndicated copies: their events stay out of the merge
        shutil.copy(src, root / f"copy_{src.name}")
        shutil.copy(src, root / f"copy2_{src.name}")
    read_back: list[int] = []
    plain = happenings._write_postings
    monkeypatch.setattr(happenings, "_write_postings", lambda *a: (read_back.append(1), plain(*a)))
    con = library(root).store.con
    assert not read_back  # (the build wrote what it staged: it did not read the events back)

    def state() -> tuple[list[tuple[object, ...]], ...]:
        return (list(con.execute("SELECT * FROM gist")),  # (WITHOUT ROWID: in its key's order)
                list(con.execute("SELECT * FROM happenings ORDER BY id")),
                list(con.execute("SELECT rid, happening FROM events ORDER BY rid")))

    staged = state()
    assert staged[0] and any(h is None for _, h in staged[2])  # postings; a copy's events left out
    con.execute("BEGIN")
    happenings.rebuild(con)  # the merge of a refresh, which reads the postings from the events
    assert read_back and state() == staged
    con.execute("ROLLBACK")


def test_the_first_build_is_written_with_a_rollback_journal_then_the_file_reads_in_wal_mode(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pakus_cli import batch

    modes: list[str] = []
    flush = batch.Batch.flush
    monkeypatch.setattr(batch.Batch, "flush", lambda self: (
        modes.append(self.con.execute("PRAGMA journal_mode").fetchone()[0]), flush(self))[1])
    root = tmp_path / "corpus"
    shutil.copytree(SEEDS, root)
    lib = library(root)
    assert modes and set(modes) == {"delete"}  # (its pages, all new, written once)
    con = lib.store.con
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert not Path(str(lib.store.path) + "-journal").exists()
    first = sorted(SEEDS.glob("*.txt"))[1]
    (root / "new.txt").write_text(first.read_text(encoding="utf-8").replace("Pakistan", "Pakistan2"))
    modes.clear()
    lib.refresh()
    assert modes == ["wal"] and con.execute("SELECT count(*) FROM files").fetchone()[0] == 6


def _naive_sweep(plist: list[Report], groups: Groups, term: str) -> None:
    """The sweep as it was: every date-overlapping pair of the posting asked, two finds each."""
    plist = sorted(plist, key=lambda r: r.start)
    for x, a in enumerate(plist):
        for b in plist[x + 1:]:
            if b.start > a.end:
                break
            if groups.find(a.key) != groups.find(b.key) and alike(a, b):
                groups.join(a.key, b.key)


@pytest.mark.parametrize("seed", range(8))
def test_the_sweep_gives_the_groups_and_roots_of_asking_every_pair(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    words = [f"term{i}" for i in range(12)]
    reports = []
    for key in range(400):
        day = rng.randrange(1, 28)
        month = rng.randrange(1, 13)
        start = f"2020-{month:02d}-{day:02d}"
        end = start if rng.random() < 0.7 else rng.choice([f"2020-{month:02d}-28", "2020-12-31"])
        reports.append(Report(key, start, end, rng.choice(["visit", "training"]), f"a{rng.randrange(40)}",
                              rng.randrange(30), frozenset(rng.sample(words, rng.randrange(2, 6)))))
    fast, slow = Groups(len(reports)), Groups(len(reports))
    join_alike(reports, fast)
    monkeypatch.setattr(merging, "_sweep", _naive_sweep)  # the same candidates, every pair of each asked
    join_alike(reports, slow)
    assert [fast.find(k) for k in range(len(reports))] == [slow.find(k) for k in range(len(reports))]
    assert len({fast.find(k) for k in range(len(reports))}) > 1


def test_an_event_record_is_stored_without_its_sentence_and_read_back_whole(tmp_path: Path) -> None:
    lib = library(SEEDS)
    events = [e for a in lib.articles() for e in lib.article_events(a.id)]
    assert events
    for e in events:
        stored = eventstore.stored_record(e.as_record())
        kept = json.loads(stored)
        assert "text" not in kept and all(s.get("text") != e.text for s in kept["sources"])
        assert eventstore.record_of(stored, e.text) == e.as_record()
    rec = events[0].as_record()
    rec["sources"] = [*rec["sources"], {**rec["sources"][0], "text": "Another sentence."}]
    assert eventstore.record_of(eventstore.stored_record(dict(rec, sources=[dict(s) for s in rec["sources"]])),
                                rec["text"]) == rec

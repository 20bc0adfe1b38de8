"""Search and the index: ranking, query language, expansion, filters, refresh, faults."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pakus_cli.acronyms import acronyms
from pakus_cli.cli import app
from pakus_cli.errors import BadQuery
from pakus_cli.library import open_library
from pakus_cli.search import parse_query, snippets, to_fts
from pakus_cli.store import Store, db_path

from .conftest import ARTICLES, SEEDS, seed_variants

runner = CliRunner()


def ids(*args: str) -> list[str]:
    res = runner.invoke(app, ["search", *args, "--json"])
    assert res.exit_code in (0, 1), res.stderr
    return [h["id"] for h in json.loads(res.stdout)]


def test_ranking_puts_the_article_about_it_first() -> None:
    assert ids("IMET") == ["000", "001"]  # 000 is about IMET; 001 names the programme once
    assert ids("Azm-i-Istehkam")[0] == "002"


def test_stemming_and_case() -> None:
    assert "001" in ids("train")  # "training"
    assert ids("TRAINING") == ids("training")


def test_phrases_and_prefixes() -> None:
    assert ids('"military training"') == ["000"]
    assert set(ids("counterterror*")) >= {"002", "003", "004"}


def test_boolean_operators() -> None:
    assert set(ids("Kurilla OR Chollet")) == {"003", "004"}
    assert ids("Pakistan AND Kurilla") == ["003"]
    assert "003" not in ids("counterterrorism NOT Kurilla")


def test_acronym_learned_from_the_corpus_both_ways() -> None:
    # 001 never writes "IMET", only the long form that 000 defines
    assert "001" in ids("IMET")
    assert set(ids('"International Military Education and Training"')) == {"000", "001"}


def test_transliteration_variants() -> None:
    assert ids("Azm-e-Istehkam") == ["002"]
    assert set(ids("Tehreek-i-Taliban")) == {"002", "003", "004"}  # 003 writes Tehreek-e-Taliban


def test_filters() -> None:
    assert set(ids("Pakistan", "--since", "2023")) == {"002", "004"}
    assert set(ids("Pakistan", "--agency", "ani")) == {"000", "003"}
    assert set(ids("Pakistan", "--outlet", "bharat")) == {"004"}
    assert len(ids("Pakistan", "--limit", "2")) == 2


def test_hit_keys_and_snippet_markers() -> None:
    res = runner.invoke(app, ["search", "Kurilla", "--json"])
    (hit,) = json.loads(res.stdout)
    assert tuple(hit) == ("id", "title", "date", "outlet", "agency", "score", "snippets", "copies")
    assert 1 <= len(hit["snippets"]) <= 3 and "[Kurilla]" in hit["snippets"][0]


def test_exit_codes_like_grep() -> None:
    assert runner.invoke(app, ["search", "IMET"]).exit_code == 0
    res = runner.invoke(app, ["search", "zanzibar"])
    assert (res.exit_code, res.stdout, res.stderr) == (1, "", "no article matches 'zanzibar'\n")


@pytest.mark.parametrize("query", ['"unbalanced', "NOT Pakistan", "Pakistan AND", "a:b", "^x", "(IMET", "IMET)",
                                   "*", "x OR", "col:IMET", '""'])
def test_malformed_queries_are_one_line_exit_2(query: str) -> None:
    res = runner.invoke(app, ["search", query])
    assert res.exit_code == 2, (query, res.stdout)
    assert res.stderr.startswith("pakus: error: ") and res.stderr.count("\n") == 1
    assert "Traceback" not in res.stderr and "sqlite" not in res.stderr.lower()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_query_parses_or_fails_cleanly(query: str) -> None:
    try:
        expr = to_fts(parse_query(query))
    except BadQuery:
        return
    assert expr  # and only quoted terms reach FTS5:
    stripped = expr.replace('""', "")
    outside = "".join(part for k, part in enumerate(stripped.split('"')) if k % 2 == 0)
    assert set(outside) <= set("() *ANDORT")


# The two patterns that ``search`` once read a query with: its string methods must find what they found
_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*")|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+))')
_WORD_OK = re.compile(r"^[\w'’.&/+-]+\*?$")


def _tokens_by_regex(query: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(query) and (m := _TOKEN.match(query, pos)) is not None and m.lastgroup is not None:
        pos = m.end()
        tokens.append((m.lastgroup, m.group(m.lastgroup)))
    return tokens


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab1_\'’.&/+-*"() \t\n\x1c\u3000é٣:'), max_size=24) | st.text(max_size=16))
def test_a_query_is_read_into_the_tokens_and_words_the_regular_expressions_find(query: str) -> None:
    from pakus_cli.search import _tokens, _word_ok

    assert _tokens(query) == _tokens_by_regex(query)
    for kind, text in _tokens(query):
        if kind == "word":
            assert _word_ok(text) == bool(_WORD_OK.match(text)), text


def test_acronym_definitions() -> None:
    text = ("the Pakistan Army's Chief of General Staff (CGS) met the US Central Command (CENTCOM) chief; "
            "stability. (ANI) and the Tehreek-e-Taliban Pakistan (TTP) threat")
    assert acronyms(text) == [("CGS", "Chief of General Staff"), ("CENTCOM", "Central Command"),
                              ("TTP", "Tehreek-e-Taliban Pakistan")]


def test_snippets_escape_literal_brackets() -> None:
    (s,) = snippets("New Delhi [India], Jan 5: \x02IMET\x03 resumes")
    assert s == "New Delhi \\[India\\], Jan 5: [IMET] resumes"


# -- the index ------------------------------------------------------------------------------------


def test_incremental_refresh_add_change_delete(seeds_copy: Path) -> None:
    lib = open_library(seeds_copy)
    assert lib.report is not None and lib.report.added == 5
    again = open_library(seeds_copy)
    assert again.report is not None and not again.report.touched and again.report.unchanged == 5
    shutil.copy(ARTICLES / "headerless.txt", seeds_copy / "sub.txt")
    path = next(seeds_copy.glob("001_*.txt"))
    path.write_text(path.read_text().replace("Gen Austin", "General Zorawar"))
    next(seeds_copy.glob("002_*.txt")).unlink()
    lib = open_library(seeds_copy)
    r = lib.report
    assert r is not None and (r.added, r.changed, r.removed, r.unchanged) == (1, 1, 1, 3)
    assert {a.id for a in lib.articles()} == {"000", "001", "003", "004", "sub"}
    assert [h.id for h in lib.search("Zorawar")] == ["001"]
    assert lib.search("Istehkam") == []


def test_touched_but_unchanged_file_is_not_reparsed(seeds_copy: Path) -> None:
    open_library(seeds_copy)
    path = next(seeds_copy.glob("003_*.txt"))
    os.utime(path, ns=(time.time_ns(), time.time_ns()))
    r = open_library(seeds_copy).report
    assert r is not None and (r.changed, r.unchanged) == (0, 5)


def test_annotation_change_redates(seeds_copy: Path) -> None:
    lib = open_library(seeds_copy)
    assert lib.article("004").date is not None
    (seeds_copy / "annotations.toml").unlink()
    lib = open_library(seeds_copy)
    assert lib.article("004").date is None
    assert [e.basis for e in lib.article_events("004")] == ["January 2021"]


@pytest.mark.parametrize("damage", ["garbage", "truncate", "other-schema"])
def test_corrupt_cache_is_rebuilt_with_one_warning(seeds_copy: Path, damage: str) -> None:
    open_library(seeds_copy).store.close()
    path = db_path(seeds_copy)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    if damage == "garbage":
        path.write_bytes(b"this is not a database at all" * 100)
    elif damage == "truncate":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    else:
        import sqlite3

        con = sqlite3.connect(path)
        con.execute("PRAGMA user_version=99")
        con.commit()
        con.close()
    res = runner.invoke(app, ["--corpus", str(seeds_copy), "list", "--format", "csv"])
    assert res.exit_code == 0
    assert res.stdout.count("\n") == 6
    assert res.stderr.count("\n") == 1 and "was unusable" in res.stderr and "rebuilt it" in res.stderr
    res = runner.invoke(app, ["--corpus", str(seeds_copy), "list", "--format", "csv"])
    assert res.stderr == ""


def _refresh(root: str, out: str) -> None:
    lib = open_library(Path(root))
    Path(out).write_text(str(len(lib.articles())))


def test_two_concurrent_refreshes_both_succeed(tmp_path: Path) -> None:
    corpus = seed_variants(tmp_path / "big", 300)
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_refresh, args=(str(corpus), str(tmp_path / f"out{k}"))) for k in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    assert [(tmp_path / f"out{k}").read_text() for k in range(2)] == ["300", "300"]
    index = Store(corpus)
    assert index.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert index.con.execute("SELECT count(*) FROM files").fetchone()[0] == 300


def test_interrupted_build_leaves_the_old_index(seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_library(seeds_copy)
    shutil.copy(ARTICLES / "headerless.txt", seeds_copy / "new.txt")
    import pakus_cli.pipeline as index_module

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(index_module._Refresh, "_store", boom)
        with pytest.raises(KeyboardInterrupt):
            open_library(seeds_copy)
    index = Store(seeds_copy)
    assert index.con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5  # the old index, intact
    assert len(open_library(seeds_copy).articles()) == 6  # and the next run finishes the job


def test_cache_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PAKUS_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert db_path(SEEDS).parent == tmp_path / "xdg" / "pakus"


def test_index_command_reports(seeds_copy: Path) -> None:
    res = runner.invoke(app, ["--corpus", str(seeds_copy), "index", "--json"])
    rec = json.loads(res.stdout)
    assert (rec["added"], rec["unchanged"], rec["rebuilt"]) == (5, 0, False)
    res = runner.invoke(app, ["--corpus", str(seeds_copy), "index", "--rebuild", "--json"])
    rec = json.loads(res.stdout)
    assert (rec["added"], rec["rebuilt"]) == (5, True)
    res = runner.invoke(app, ["--corpus", str(seeds_copy), "index"])
    assert res.stderr.startswith(f"indexed {seeds_copy}: 0 added, 0 changed, 0 removed, 5 unchanged")


def test_large_corpus_refresh_lists_only_changed_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above FULL_CHECK_UNDER files only folder mtimes are compared and only changed folders listed."""
    import pakus_cli.pipeline as index_module

    monkeypatch.setattr(index_module, "FULL_CHECK_UNDER", 0)
    root = tmp_path / "c"
    texts = [p.read_text() for p in sorted(SEEDS.glob("*.txt"))]
    for folder in ("a", "b", "b/deep"):
        (root / folder).mkdir(parents=True)
        for i in range(3):
            (root / folder / f"{folder.replace('/', '_')}{i}.txt").write_text(texts[i])
    assert len(open_library(root).articles()) == 9
    shutil.copy(ARTICLES / "headerless.txt", root / "a" / "new.txt")
    (root / "b" / "b0.txt").unlink()
    shutil.rmtree(root / "b" / "deep")
    (root / "c2" / "inner").mkdir(parents=True)
    shutil.copy(ARTICLES / "dayfirst_sidebar.txt", root / "c2" / "inner" / "fresh.txt")
    lib = open_library(root)
    r = lib.report
    assert r is not None and r.checked == "folders" and (r.added, r.removed) == (2, 4)
    assert sorted(a.file for a in lib.articles()) == [
        "a/a0.txt", "a/a1.txt", "a/a2.txt", "a/new.txt", "b/b1.txt", "b/b2.txt", "c2/inner/fresh.txt"]
    again = open_library(root).report
    assert again is not None and not again.touched


def test_acronym_learned_later_reaches_articles_indexed_before(tmp_path: Path) -> None:
    """001 only spells out International Military Education and Training; 000 defines IMET. Index 001
    alone first: when 000 arrives, the acronym is given to 001 too, and its snippet marks the long form."""
    root = tmp_path / "c"
    root.mkdir()
    shutil.copy(next(SEEDS.glob("001_*.txt")), root / "001_x.txt")
    assert open_library(root).search("IMET") == []
    shutil.copy(next(SEEDS.glob("000_*.txt")), root / "000_x.txt")
    hits = open_library(root).search("IMET")
    assert [h.id for h in hits] == ["000", "001"]
    assert any("[International Military Education and Training]" in s for s in hits[1].snippets)
    # The definition goes, and with it the acronym: the index answers as a rebuild of the corpus would
    # (issue #12: an acronym no article defines must not keep answering until a rebuild).
    (root / "000_x.txt").unlink()
    assert open_library(root).search("IMET") == []


def _open_at_once(root: str, out: str, barrier: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    lib = open_library(Path(root))
    Path(out).write_text(f"{len(lib.articles())} {len(lib.store.warnings)} {lib.store.warnings}")


def test_processes_starting_together_create_one_index(tmp_path: Path) -> None:
    """Four pakus processes opening a fresh cache at the same instant: one creates it, none throws it
    away as corrupt (before the fix: 5 failures in 30 such trials)."""
    ctx = mp.get_context("fork")
    for trial in range(8):
        corpus = tmp_path / f"c{trial}"
        shutil.copytree(SEEDS, corpus)
        barrier = ctx.Barrier(4)
        outs = [tmp_path / f"out{trial}-{k}" for k in range(4)]
        procs = [ctx.Process(target=_open_at_once, args=(str(corpus), str(o), barrier)) for o in outs]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0, 0, 0, 0]
        assert [o.read_text() for o in outs] == ["5 0 []"] * 4  # every one sees 5 articles, none a warning

"""No input breaks pakus (issue #12): hostile options, queries, file names, file types, dates, caches
and outputs each end in a result, a warning per bad thing, or one line and a documented exit code —
never a traceback. Every corpus here is built at test time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SEEDS, run

PAKUS = [sys.executable, "-m", "pakus_cli"]
ROOT_USER = os.geteuid() == 0


def pakus(*args: str, env: dict[str, str] | None = None, **kw: object) -> subprocess.CompletedProcess[str]:
    kw.setdefault("timeout", 120)
    if "stdout" not in kw and "stderr" not in kw:
        kw.setdefault("capture_output", True)
    return subprocess.run([*PAKUS, *args], text=True, env={**os.environ, **(env or {})},
                          **kw)  # type: ignore[call-overload,no-any-return]


def one_error(stderr: str) -> str:
    """The single error line of a failed run (and proof that there was nothing else)."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pakus: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


ARTICLE = """Pakistan and US agree to expand defence cooperation

ISLAMABAD, {date}: Pakistan and the United States held talks on Monday on counterterrorism cooperation \
and agreed to meet again next week, officials said.

The talks followed a visit last month by the CENTCOM commander, and the two sides held another dialogue \
the next day, a spokesman said yesterday.
"""


def article(date: str = "June 29, 2024") -> str:
    return ARTICLE.format(date=date)


# -- 1, 2: huge numbers and huge queries ---------------------------------------------------------


def test_huge_limit_is_clamped_not_an_overflow() -> None:
    code, out, err = run("search", "IMET", "--limit", "9223372036854775808", "--format", "csv")
    assert code == 0 and "Traceback" not in err
    assert out.splitlines()[0].startswith("id,date")


@pytest.mark.parametrize(("query", "says"), [
    (" ".join(f"w{i}" for i in range(1000)), "the query has 1000 terms; at most 256"),
    ("(" * 350 + "IMET" + ")" * 350, "the query nests parentheses 350 deep; at most 32"),
    (" NOT ".join(["IMET", "x"] * 120), "the query cannot be searched"),
])
def test_monster_queries_are_one_line_exit_2(query: str, says: str) -> None:
    res = pakus("search", query)
    assert res.returncode == 2 and res.stdout == ""
    assert says in one_error(res.stderr)


def test_long_flat_queries_still_search() -> None:
    for query in (" OR ".join(["IMET"] * 256), " ".join(["IMET"] * 256), "(" * 32 + "IMET" + ")" * 32):
        code, out, _ = run("search", query, "--format", "csv")
        assert code == 0 and out.count("\n") >= 2, query


# -- 14: an empty --corpus ------------------------------------------------------------------------


def test_empty_corpus_option_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "001_here.txt").write_text(article())
    monkeypatch.chdir(tmp_path)  # before the fix, this folder was quietly indexed
    code, out, err = run("--corpus", "", "list")
    assert (code, out) == (2, "")
    assert one_error(err) == "pakus: error: --corpus is empty (an unset variable?); give the folder of .txt dumps"


# -- 3, 4, 9, 11: odd names, odd files, links, folders --------------------------------------------


def copy_seeds(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for src in SEEDS.glob("*.txt"):
        (dest / src.name).write_bytes(src.read_bytes())
    return dest


def warnings_of(stderr: str) -> list[str]:
    assert "Traceback" not in stderr
    return [line.removeprefix("pakus: warning: ") for line in stderr.splitlines() if line.startswith("pakus: warning")]


def test_name_not_utf8_is_one_warning_and_the_rest_works(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path / "c")
    with open(os.fsencode(root) + b"/caf\xe9.txt", "wb") as fh:
        fh.write(article().encode())
    told = ["caf\\xe9.txt: its name is not valid UTF-8; skipped (rename it)"]
    for args in (["list", "--json"], ["search", "IMET"], ["timeline", "--format", "csv"], ["show", "003"]):
        code, out, err = run("--corpus", str(root), *args)
        assert code == 0, (args, err)
        assert warnings_of(err) == told, args  # told when first met, then counted (#19)
        told = ["1 file could not be read well (told before); `pakus index --warnings` lists them"]
    code, out, _ = run("--corpus", str(root), "index", "--warnings")
    assert out == "caf\\xe9.txt: its name is not valid UTF-8; skipped (rename it)\n"


def test_fifo_is_a_warning_not_a_hang(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path / "c")
    os.mkfifo(root / "fifo.txt")
    env = {"PAKUS_CACHE": str(tmp_path / "cache")}
    told = ["fifo.txt: is a FIFO (named pipe), not a regular file; skipped"]
    for _ in range(2):  # and the next pakus is not stuck behind the first
        res = pakus("--corpus", str(root), "list", "--format", "csv", env=env, timeout=60)
        assert res.returncode == 0 and res.stdout.count("\n") == 6
        assert warnings_of(res.stderr) == told  # told when first met, then counted (#19)
        told = ["1 file could not be read well (told before); `pakus index --warnings` lists them"]


def test_the_writers_lock_is_never_waited_for_forever(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl
    import threading

    import pakus_cli.store as store

    root = copy_seeds(tmp_path / "c")
    lock = store.db_path(root.resolve())
    lock.parent.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(store, "LOCK_WAIT", 0.5)
    result: list[tuple[int, str, str]] = []
    with open(str(lock) + ".lock", "a+") as held:  # another pakus, stuck while writing
        fcntl.flock(held, fcntl.LOCK_EX)
        worker = threading.Thread(target=lambda: result.append(run("--corpus", str(root), "list")), daemon=True)
        worker.start()
        worker.join(30)
        assert not worker.is_alive(), "pakus waited for the writers' lock without end"
    code, out, err = result[0]
    assert (code, out) == (2, "")
    assert "another pakus has been writing the index" in one_error(err)


def test_annotations_linking_out_of_the_corpus_are_refused(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path / "c")
    outside = tmp_path / "elsewhere.toml"
    outside.write_text('["001"]\noutlet = "SECRET-OUTLET"\ndate = "SECRET-DATE"\n')
    (root / "annotations.toml").symlink_to(outside)
    code, out, err = run("--corpus", str(root), "list", "--json")
    assert code == 0
    assert "SECRET" not in out + err
    assert warnings_of(err) == ["annotations.toml: links outside the corpus folder; annotations ignored"]


@pytest.mark.skipif(ROOT_USER, reason="root reads any folder: permissions do not bite (CI runs as root)")
def test_unreadable_subfolder_is_one_warning(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path / "c")
    (root / "private").mkdir()
    (root / "private" / "010_x.txt").write_text(article())
    (root / "private").chmod(0)
    try:
        code, out, err = run("--corpus", str(root), "list", "--format", "csv")
        assert code == 0 and out.count("\n") == 6
        assert warnings_of(err) == ["private: cannot be read (permission denied); its articles are skipped"]
    finally:
        (root / "private").chmod(0o755)


def test_path_longer_than_path_max_is_one_warning(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path / "c")
    name = "d" * 250
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:  # built by folder descriptors: no single path that long can be opened
        for _ in range(18):
            os.mkdir(name, dir_fd=fd)
            sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = sub
        out_fd = os.open("010_deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out_fd, article().encode())
        os.close(out_fd)
    finally:
        os.close(fd)
    code, out, err = run("--corpus", str(root), "list", "--format", "csv")
    assert code == 0 and out.count("\n") == 6
    [warning] = warnings_of(err)
    assert warning.startswith("d" * 250 + "/") and warning.endswith(
        ": its path is longer than the system allows; its articles are skipped")


# -- 5: dates at the ends of the calendar -----------------------------------------------------------


EXTREMES = ["December 31, 9999", "January 1, 0001", "December 28, 9999", "January 3, 0001"]


def extreme_corpus(root: Path) -> Path:
    def own(text: str, n: int) -> str:  # each article's own words (the same text would be one, with copies)
        return text.replace("held talks on Monday", f"held round {n} of their talks on Monday")

    root.mkdir()
    for i, date in enumerate(EXTREMES):
        (root / f"{i:03d}_x.txt").write_text(own(article(date), i))
    (root / "010_x.txt").write_text(own(article(), 10))
    (root / "011_x.txt").write_text(own(article("").replace("ISLAMABAD, :", "ISLAMABAD:"), 11))
    (root / "012_x.txt").write_text(own(article("").replace("ISLAMABAD, :", "ISLAMABAD:"), 12))
    (root / "annotations.toml").write_text('["011"]\ndate = 9999-12-31\n\n["012"]\ndate = 0001-01-01\n')
    return root


def test_extreme_dates_never_take_the_timeline_down(tmp_path: Path) -> None:
    root = extreme_corpus(tmp_path / "c")
    for fmt in ("table", "csv", "markdown", "json", "ndjson", "timelinejs"):
        code, out, err = run("--corpus", str(root), "timeline", "--format", fmt)
        assert code == 0 and "Traceback" not in err, (fmt, err)
    code, out, _ = run("--corpus", str(root), "timeline", "--json", "--all")
    dates = {e["date"] for e in __import__("json").loads(out)}
    # (the leads are dated by their own "on Monday", so no event sits on the publication date itself)
    assert any(d.startswith("9999-12") for d in dates) and any(d.startswith("2024-06") for d in dates)
    for ident in ("000", "001", "002", "003", "011", "012"):
        for extra in ([], ["--json"]):
            code, out, err = run("--corpus", str(root), "show", ident, "--events", *extra)
            assert code == 0 and "Traceback" not in err, (ident, err)


def test_an_article_whose_events_fail_is_one_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pakus_cli.events as events

    root = extreme_corpus(tmp_path / "c")
    real = events.article_events

    def fragile(a: object) -> object:
        if getattr(a, "id", "") == "010":
            raise RuntimeError("a parser bug")
        return real(a)  # type: ignore[arg-type]

    monkeypatch.setattr(events, "article_events", fragile)
    code, out, err = run("--corpus", str(root), "timeline", "--json", "--all")
    assert code == 0 and "000" in {s["article"] for e in __import__("json").loads(out) for s in e["sources"]}
    assert warnings_of(err) == [
        "010_x.txt: its events could not be found (RuntimeError); it is left out of the timeline"]


# -- 6: a cache that cannot be one ----------------------------------------------------------------


@pytest.mark.parametrize("below", ["", "sub/folder"])
def test_cache_at_or_below_a_file_is_one_line_exit_2(tmp_path: Path, below: str) -> None:
    (tmp_path / "afile").write_text("not a folder")
    res = pakus("list", env={"PAKUS_CACHE": str(tmp_path / "afile" / below)})
    assert (res.returncode, res.stdout) == (2, "")
    assert "a file is in the way; point $PAKUS_CACHE at a folder" in one_error(res.stderr)


def test_unwritable_cache_indexes_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pakus_cli.store as store

    monkeypatch.setattr(store.os, "access", lambda *a, **k: False)  # as a read-only folder looks (root or not)
    code, out, err = run("list", "--format", "csv")
    assert code == 0 and out.count("\n") == 6
    [warning] = warnings_of(err)
    assert warning.startswith("cannot write the index cache: ") and warning.endswith(
        " is read-only; indexing in memory for this run (slower)")


@pytest.mark.skipif(ROOT_USER, reason="root writes any folder or file: permissions do not bite (CI runs as root)")
def test_read_only_cache_folder_and_database(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"PAKUS_CACHE": str(cache)}
    assert pakus("list", env=env).returncode == 0  # the database exists
    for db in cache.glob("*.sqlite"):
        db.chmod(0o444)
    res = pakus("search", "IMET", "--format", "csv", env=env)
    assert res.returncode == 0 and "indexing in memory" in res.stderr and "Traceback" not in res.stderr
    cache.chmod(0o555)
    try:
        res = pakus("timeline", "--format", "csv", env={"PAKUS_CACHE": str(cache / "new")})
        assert res.returncode == 0 and "indexing in memory" in res.stderr and "Traceback" not in res.stderr
    finally:
        cache.chmod(0o755)


# -- 7: output that cannot be written -------------------------------------------------------------


COMMANDS = [["list"], ["list", "--json"], ["search", "IMET", "--format", "ndjson"], ["show", "003"],
            ["timeline", "--format", "csv"], ["list", "--help"]]


@pytest.mark.parametrize("args", COMMANDS)
def test_output_to_dev_full_is_one_line(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        res = pakus(*args, stdout=full, stderr=subprocess.PIPE)
    assert res.returncode == 2
    assert one_error(res.stderr) == ("pakus: error: cannot write the output (no space left on device); "
                                     "free some space or send it elsewhere")


@pytest.mark.parametrize("args", COMMANDS)
def test_closed_stdout_is_one_line(args: list[str]) -> None:
    res = pakus(*args, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    assert res.returncode == 2
    assert one_error(res.stderr) == "pakus: error: standard output is closed; send it to a file, a pipe or /dev/null"


# -- 12: an acronym no article defines any more ----------------------------------------------------


DEFINES = """Pakistan and US resume training programme

ISLAMABAD: The United States has restored Pakistan's access to the International Military Education \
and Training (IMET) programme, officials said on Monday.
"""
SPELLS_OUT = """Officers return to American colleges

ISLAMABAD: Pakistani officers will again attend courses under International Military Education and \
Training, officials said on Tuesday.
"""


@pytest.mark.parametrize("how", ["delete", "change"])
def test_acronym_goes_with_its_only_definition(tmp_path: Path, how: str) -> None:
    (tmp_path / "001_a.txt").write_text(DEFINES)
    (tmp_path / "002_b.txt").write_text(SPELLS_OUT)
    code, out, _ = run("--corpus", str(tmp_path), "search", "IMET", "--format", "csv")
    assert code == 0 and out.count("\n") == 3
    if how == "delete":
        (tmp_path / "001_a.txt").unlink()
    else:
        (tmp_path / "001_a.txt").write_text(DEFINES.replace(" (IMET)", ""))
    code, out, err = run("--corpus", str(tmp_path), "search", "IMET", "--format", "csv")
    assert (code, out.count("\n")) == (1, 1), out  # what a rebuild answers
    run("--corpus", str(tmp_path), "index", "--rebuild")
    assert run("--corpus", str(tmp_path), "search", "IMET", "--format", "csv")[0] == 1


# -- 22: the report's count, a damaged index, orphaned workers -------------------------------------


def test_index_report_counts_every_unreadable_file(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path / "c")
    (root / "empty.txt").write_text("")
    (root / "binary.txt").write_bytes(bytes(range(256)))
    code, out, err = run("--corpus", str(root), "index", "--json")
    assert code == 0 and __import__("json").loads(out)["unreadable"] == 2 == len(warnings_of(err))
    # the second run parses nothing, and still counts them (the warnings, told before, are counted)
    code, out, err = run("--corpus", str(root), "index", "--json")
    assert code == 0 and __import__("json").loads(out)["unreadable"] == 2
    assert warnings_of(err) == ["2 files could not be read well (told before); `pakus index --warnings` lists them"]


def test_damaged_fts_pages_are_rebuilt_with_a_warning(tmp_path: Path) -> None:
    import sqlite3

    from pakus_cli.store import db_path

    root = copy_seeds(tmp_path / "c")
    assert run("--corpus", str(root), "list")[0] == 0
    db = db_path(root.resolve())
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file itself
        pages = [r[0] for r in con.execute("SELECT pageno FROM dbstat WHERE name='fts_data' AND pagetype='leaf'")]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find the FTS pages with")
    finally:
        con.close()
    data = bytearray(db.read_bytes())
    for page in pages:
        data[(page - 1) * 4096 + 100 : page * 4096 - 100] = bytes(4096 - 200)
    db.write_bytes(bytes(data))
    code, out, err = run("--corpus", str(root), "search", "IMET", "--format", "csv")
    assert code == 0 and out.count("\n") >= 2
    [warning] = warnings_of(err)
    assert warning.startswith(f"the index cache {db} was unusable (") and warning.endswith("; rebuilt it")


def test_workers_die_quietly_with_their_parent(tmp_path: Path) -> None:
    import signal
    import time

    from .conftest import seed_variants

    corpus = seed_variants(tmp_path / "c", 3000)
    log = tmp_path / "stderr"
    with open(log, "w") as err:
        proc = subprocess.Popen([*PAKUS, "--corpus", str(corpus), "index"], stdout=subprocess.DEVNULL, stderr=err,
                                env={**os.environ, "PAKUS_CACHE": str(tmp_path / "cache")})
        time.sleep(2)
        workers = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
        os.kill(proc.pid, signal.SIGKILL)  # the parent only, as the OOM killer would
        proc.wait(30)
    assert workers, "the index was built without workers: nothing tested"
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "Traceback" not in log.read_text() and "Error" not in log.read_text(), log.read_text()


@pytest.mark.parametrize("told", [0, 5, 10, 11, 4096])  # the size the stat gave, right or out of date
def test_a_dump_is_read_whole_whatever_its_size_was_when_asked(tmp_path: Path, told: int) -> None:
    from pakus_cli.corpus import _read_up_to

    page = tmp_path / "page.txt"
    page.write_bytes(b"0123456789")
    fd = os.open(page, os.O_RDONLY)
    try:
        assert _read_up_to(fd, told, 1000) == b"0123456789"  # grown, shrunk or as said: all of it
    finally:
        os.close(fd)
    fd = os.open(page, os.O_RDONLY)
    try:
        assert _read_up_to(fd, told, 4) == b"0123"  # never past the most asked for
    finally:
        os.close(fd)


def test_a_dump_past_the_size_limit_is_its_beginning_with_a_warning(tmp_path: Path) -> None:
    from pakus_cli import corpus

    filler = "word " * (corpus.MAX_BYTES // 5 + 10)
    (tmp_path / "big.txt").write_text("Pakistan army chief visits Washington\n\n" + filler)
    data, why = corpus.read_bytes(tmp_path / "big.txt", tmp_path)
    assert why is None and data is not None and len(data) == corpus.MAX_BYTES + 1

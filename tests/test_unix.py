"""A well-behaved Unix citizen: completion, documentation, colour, safe printing, pipes, signals,
hostile input."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

from pakus_cli.cli import app
from pakus_cli.completion import cached_values
from pakus_cli.store import Store, db_path

from .conftest import ARTICLES, ROOT, seed_variants

runner = CliRunner()
PAKUS = [sys.executable, "-m", "pakus_cli"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def pakus(*args: str, env: dict[str, str] | None = None, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PAKUS, *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=300, **kw)  # type: ignore[call-overload,no-any-return]


# -- completion ----------------------------------------------------------------------------------


def test_committed_completion_scripts_match_the_app() -> None:
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_completions.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_completion_answers_from_the_cache_without_parsing(seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cached_values(str(seeds_copy), "id") == []  # no cache yet: no suggestions, and none built
    assert not db_path(seeds_copy).exists()
    runner.invoke(app, ["--corpus", str(seeds_copy), "list"])
    import pakus_cli.article

    def no_parsing(*a: object, **k: object) -> None:
        raise AssertionError("completion parsed the corpus")

    monkeypatch.setattr(pakus_cli.article, "parse", no_parsing)
    assert cached_values(str(seeds_copy), "id") == ["000", "001", "002", "003", "004"]
    outlets = ["Bharat Express", "Devdiscourse", "The Orient News", "Udayavani"]
    assert cached_values(str(seeds_copy), "outlet") == outlets
    assert cached_values(str(seeds_copy), "agency") == ["ANI", "PTI", "TON"]
    assert "training" in cached_values(str(seeds_copy), "tag")


def test_shell_protocol_offers_values(seeds_copy: Path) -> None:
    pakus("--corpus", str(seeds_copy), "list")
    env = {"_PAKUS_COMPLETE": "complete_bash", "COMP_WORDS": f"pakus --corpus {seeds_copy} list --agency P",
           "COMP_CWORD": "5"}
    assert pakus(env=env).stdout.split() == ["PTI"]
    env = {"_PAKUS_COMPLETE": "complete_bash", "COMP_WORDS": "pakus ti", "COMP_CWORD": "1"}
    assert pakus(env=env).stdout.split() == ["timeline"]


# -- documentation -------------------------------------------------------------------------------


def test_every_command_and_option_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    group = get_command(app)
    for param in group.params:
        for opt in param.opts:
            if opt.startswith("--"):
                assert opt in readme, opt
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f"pakus {name}" in readme, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in readme, f"{name} {opt}"


def test_every_command_help_has_an_example() -> None:
    for name in get_command(app).commands:  # type: ignore[attr-defined]
        res = runner.invoke(app, [name, "--help"])
        assert res.exit_code == 0 and "Example: pakus" in res.stdout, name


# -- colour and safe printing --------------------------------------------------------------------

NASTY = ("Pakistan and US hold [bold red]talks[/] on [link=http://evil.example]arms[/link]\n\n"
         "ISLAMABAD: Officials met on Monday \x1b[31mred\x1b[0m and \x07rang\x07 a bell; "
         "\x1b]8;;http://evil.example\x1b\\a link\x1b]8;;\x1b\\ and a carriage\rreturn [/] closed the talks.\n")


def test_untrusted_text_is_never_markup_or_escape(tmp_path: Path) -> None:
    (tmp_path / "001_x.txt").write_text(NASTY)
    res = runner.invoke(app, ["--corpus", str(tmp_path), "--color", "always", "show", "001"])
    assert res.exit_code == 0, res.stderr
    plain = ANSI.sub("", res.stdout)
    assert "[bold red]talks[/]" in plain and "[link=http://evil.example]arms[/link]" in plain
    assert "\x07" not in res.stdout and "\x1b]8" not in res.stdout and "\r" not in res.stdout
    assert "\x1b[31mred" not in res.stdout
    for fmt in ("csv", "markdown", "table"):
        out = runner.invoke(app, ["--corpus", str(tmp_path), "list", "--format", fmt]).stdout
        assert "\x1b" not in out and "\x07" not in out
    raw = runner.invoke(app, ["--corpus", str(tmp_path), "show", "001", "--raw"]).stdout
    assert raw == NASTY  # --raw to a pipe is the dump, byte for byte


def test_colour_only_when_asked_or_on_a_terminal() -> None:
    assert not ANSI.search(runner.invoke(app, ["show", "003"]).stdout)
    assert ANSI.search(runner.invoke(app, ["--color", "always", "show", "003"]).stdout)
    res = runner.invoke(app, ["--color", "never", "show", "003"])
    assert not ANSI.search(res.stdout)


# -- pipes and signals ---------------------------------------------------------------------------


@pytest.mark.parametrize("cmd", ["search IMET | head -1", "timeline --json | head -c 10", "list --json | head -c 1",
                                 "--help | head -1", "list --help | head -c 5"])
def test_closed_pipe_exits_quietly(cmd: str) -> None:
    res = subprocess.run(f"{sys.executable} -m pakus_cli {cmd}; echo rc=${{PIPESTATUS[0]}} >&2", shell=True,
                         executable="/bin/bash", capture_output=True, text=True, timeout=120)
    assert res.stderr.strip() == "rc=0", res.stderr


def test_ctrl_c_exits_130_and_keeps_the_cache(tmp_path: Path) -> None:
    corpus = seed_variants(tmp_path / "c", 3000)
    env = {**os.environ, "PAKUS_CACHE": str(tmp_path / "cache")}
    proc = subprocess.Popen([*PAKUS, "--corpus", str(corpus), "index"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(1.5)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "pakus: error: interrupted"
    assert "Traceback" not in err
    os.environ["PAKUS_CACHE"] = env["PAKUS_CACHE"]
    try:
        index = Store(corpus)
        assert index.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        index.close()
    finally:
        del os.environ["PAKUS_CACHE"]
    res = subprocess.run([*PAKUS, "--corpus", str(corpus), "list", "--format", "csv"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and res.stdout.count("\n") == 3001


# -- hostile input -------------------------------------------------------------------------------


def hostile_corpus(root: Path) -> None:
    good = (ARTICLES / "headerless.txt").read_text()
    (root / "good one.txt").write_text(good)
    (root / "Pākistān – ñews.txt").write_text((ARTICLES / "repeated_headline.txt").read_text())
    (root / "empty.txt").write_text("")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 50)
    (root / "latin1.txt").write_bytes(good.replace("Pakistan's", "Pakistan’s café").encode("cp1252"))
    (root / "nul.txt").write_bytes(good.encode()[:100] + b"\x00" + good.encode()[100:])
    with (root / "huge.txt").open("w") as fh:  # 50 MB
        block = (good + "\n") * 20
        for _ in range(50 * 1024 * 1024 // len(block) + 1):
            fh.write(block)
    (root / "oneline.txt").write_text("word " * (1024 * 1024))  # one 5 MB line
    (root / "boilerplate.txt").write_text("TRENDING\n\nLatest News\n\nDownload The Example News App\n© 2024 Example\n")
    os.symlink(root / "loop-b.txt", root / "loop-a.txt")
    os.symlink(root / "loop-a.txt", root / "loop-b.txt")
    locked = root / "locked.txt"
    locked.write_text(good)
    locked.chmod(0)


def test_hostile_corpus(tmp_path: Path) -> None:
    root = tmp_path / "hostile"
    root.mkdir()
    hostile_corpus(root)
    env = {**os.environ, "PAKUS_CACHE": str(tmp_path / "cache")}
    script = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)")
    res = subprocess.run([sys.executable, "-c", script, *PAKUS, "--corpus", str(root), "list", "--json"],
                         env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    ids = {r["id"] for r in json.loads(res.stdout)}
    assert {"good one", "Pākistān – ñews", "latin1"} <= ids
    *warnings, peak_kb = res.stderr.strip().splitlines()
    assert int(peak_kb) < 250 * 1024, "memory must stay bounded"
    by_file: dict[str, int] = {}
    for line in warnings:
        assert line.startswith("pakus: warning: ")
        name = line.removeprefix("pakus: warning: ").split(":")[0]
        by_file[name] = by_file.get(name, 0) + 1
    expected_bad = {"empty.txt", "binary.txt", "nul.txt", "oneline.txt", "boilerplate.txt", "loop-a.txt",
                    "loop-b.txt", "latin1.txt", "huge.txt"}
    if os.geteuid() != 0:
        expected_bad.add("locked.txt")
    assert expected_bad <= set(by_file), by_file
    assert all(n == 1 for n in by_file.values()), by_file
    assert "pakus: warning: loop-a.txt: cannot be resolved (a loop of links); skipped" in warnings
    assert "Traceback" not in res.stderr


DUMP_LINES = st.lists(
    st.one_of(
        st.sampled_from(["TRENDING", "ANI | Updated: 05-01-2020 11:33 IST", "• ANI", "(ANI)", "Source PTI", "",
                         "ISLAMABAD: The talks went well on Monday and both sides agreed to meet again next month.",
                         "Pakistan and US agree to expand defence cooperation", " date 2020-01-05 Left Menu",
                         "International Military Education and Training (IMET) resumed two years ago, he said."]),
        st.text(max_size=80),
    ),
    min_size=1, max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.lists(DUMP_LINES, min_size=1, max_size=4), st.text(max_size=20))
def test_generated_dumps_through_the_whole_pipeline(tmp_path_factory: pytest.TempPathFactory,
                                                    dumps: list[list[str]], query: str) -> None:
    from pakus_cli.errors import BadQuery
    from pakus_cli.library import open_library
    from pakus_cli.text import CONTROL

    root = tmp_path_factory.mktemp("gen")
    for i, lines in enumerate(dumps):
        (root / f"{i:03d}_g.txt").write_text("\n".join(lines), encoding="utf-8", errors="replace")
    lib = open_library(root)
    articles = lib.articles()
    files = {f"{i:03d}_g.txt" for i in range(len(dumps))}
    warned = {w.split(":", 1)[0] for w in lib.warnings}
    # every file is an article or says why not; ids are unique; a body is clean text, never site debris
    assert {a.file for a in articles} | warned == files
    assert len({a.id for a in articles}) == len(articles)
    bodies = {a.id: a.body for a in articles}
    for a in articles:
        assert all(p and not CONTROL.search(p) and p != "TRENDING" for p in a.paragraphs)
        assert a.date is None or a.date_source is not None
    # every event quotes a sentence of the article it cites, and its interval is a real one
    for e in lib.events():
        assert e.start <= e.end
        for src in e.sources:
            assert src.text in bodies[src.article]
    # search answers only with articles of the corpus
    for q in ("IMET", "talks", query):
        try:
            assert {h.id for h in lib.search(q)} <= set(bodies)
        except BadQuery:
            pass
    lib.store.close()


# -- a real terminal -----------------------------------------------------------------------------


def test_in_a_real_pseudo_terminal(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "COLUMNS": "60", "LINES": "40", "TERM": "xterm-256color",
           "PAGER": f"cat > {tmp_path / 'paged'}"}
    env.pop("NO_COLOR", None)

    def screen(*args: str, extra: dict[str, str] | None = None) -> str:
        child = pexpect.spawn(PAKUS[0], [*PAKUS[1:], *args], env={**env, **(extra or {})}, encoding="utf-8",
                              dimensions=(40, 60), timeout=60)
        child.expect(pexpect.EOF)
        child.close()
        return str(child.before)

    colour = screen("list")
    assert ANSI.search(colour)  # colour on a terminal
    assert all(len(ANSI.sub("", line)) <= 60 for line in colour.splitlines())  # fits the width
    plain = screen("list", extra={"NO_COLOR": "1"})
    assert not re.search(r"\x1b\[(?:[0-9;]*;)?3[0-9]", plain)  # NO_COLOR: no colours
    dumb = screen("list", extra={"TERM": "dumb"})
    assert not ANSI.search(dumb)
    screen("show", "000")  # long: paged through $PAGER on a terminal
    assert "Pak ditches Iran" in (tmp_path / "paged").read_text()
    (tmp_path / "paged").unlink()
    screen("show", "000", "--no-pager")
    assert not (tmp_path / "paged").exists()
    subprocess.run([*PAKUS, "show", "000"], env=env, capture_output=True, timeout=60)  # piped: never paged
    assert not (tmp_path / "paged").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "IMET", "--limit", "0"], "pakus: error: Invalid value for '--limit' / '-n': 0 is not in the range "
                                             "x>=1; see 'pakus search --help'"),
        (["show"], "pakus: error: Missing argument 'ID'; see 'pakus show --help'"),
        (["nosuch"], "pakus: error: No such command 'nosuch'; see 'pakus --help'"),
        (["list", "--format", "xml"], "pakus: error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', "
                                      "'csv', 'markdown', 'json', 'ndjson', 'timelinejs', 'html'; "
                                      "see 'pakus list --help'"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    res = pakus(*args)
    assert (res.returncode, res.stdout, res.stderr) == (2, "", message + "\n")


def test_empty_corpus_says_so(tmp_path: Path) -> None:
    res = pakus("--corpus", str(tmp_path), "list", env={"PAKUS_CACHE": str(tmp_path / ".cache")})
    assert (res.returncode, res.stderr) == (1, f"the corpus {tmp_path} holds no readable article\n")

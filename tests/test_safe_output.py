"""What reaches a terminal, a spreadsheet or a Markdown page from a hostile corpus, and how people's
output is shown: coloured through a pipe when asked, paged safely, never hard-wrapped into a pipe
(issue #12: 8, 10, 15, 20, 21)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pakus_cli import render
from pakus_cli.cli import app

from .conftest import SEEDS

runner = CliRunner()
ANSI = re.compile(r"\x1b\[[0-9;]*m")
ESCAPES = ("\x1b]", "\x1b[2J", "\x07", "\u202e")
EVIL_ID = "x\x1b]0;pwned\x07\x1b[2J"  # a file name that sets the window title and clears the screen
BIDI_ID = "bidi\u202eevil\npakus: error: forged"  # a file name with a bidi override and a line break
EVIL_OUTLET = '=HYPERLINK("http://evil.example") | \x1b]0;t\x07 \x1b[2J'


def hostile(root: Path) -> Path:
    """Three seeds under hostile file names and annotation values."""
    root.mkdir(exist_ok=True)
    shutil.copy(next(SEEDS.glob("003_*.txt")), root / f"{EVIL_ID}.txt")
    shutil.copy(next(SEEDS.glob("004_*.txt")), root / f"{BIDI_ID}.txt")
    shutil.copy(next(SEEDS.glob("002_*.txt")), root / "002_a.txt")
    (root / "annotations.toml").write_text(
        '["002"]\noutlet = "=HYPERLINK(\\"http://evil.example\\") | \\u001b]0;t\\u0007 \\u001b[2J"\n'
        'title = "-2+3 | a\\nb"\n'
    )
    return root


def on_a_terminal(monkeypatch: pytest.MonkeyPatch, lines: int = 100_000) -> None:
    """stdout counts as a terminal (the people's views), as tall as asked (paging or not)."""
    monkeypatch.setattr(render, "is_terminal", lambda: True)
    monkeypatch.setenv("LINES", str(lines))


def invoke(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


# -- 8: escapes in file names and annotation values never reach the terminal ------------------------


def test_search_and_timeline_views_neutralise_ids_and_outlets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = hostile(tmp_path / "c")
    on_a_terminal(monkeypatch)
    for args in (["search", "Pakistan"], ["timeline", "--all"]):  # --all: the undated 004 copy's one event
        code, out, err = invoke("--corpus", str(root), "--color", "always", *args)
        assert code == 0, err
        assert not any(e in out for e in ESCAPES), args
        assert "\nline" not in out and "\npakus: error" not in ANSI.sub("", out), args
        assert "x" in ANSI.sub("", out) and "bidi\ufffdevil pakus: error: forged" in ANSI.sub("", out), args
    code, out, _ = invoke("--corpus", str(root), "--color", "always", "timeline", "--article", "002")
    assert '=HYPERLINK("http://evil.example") |' in ANSI.sub("", out)


def test_completion_values_are_one_line_without_escapes(tmp_path: Path) -> None:
    root = hostile(tmp_path / "c")
    env = {**os.environ, "PAKUS_CACHE": os.environ["PAKUS_CACHE"], "_PAKUS_COMPLETE": "complete_bash"}
    subprocess.run([sys.executable, "-m", "pakus_cli", "--corpus", str(root), "list"],
                   env=env | {"_PAKUS_COMPLETE": ""}, capture_output=True, check=True)
    for words, cword in ((f"pakus --corpus {root} list --outlet =H", 5), (f"pakus --corpus {root} show b", 4)):
        res = subprocess.run([sys.executable, "-m", "pakus_cli"], capture_output=True, text=True,
                             env=env | {"COMP_WORDS": words, "COMP_CWORD": str(cword)})
        assert not any(e in res.stdout for e in ESCAPES), res.stdout
        assert len(res.stdout.strip().splitlines()) == 1, res.stdout


# -- 10: CSV formulas, Markdown pipes, line breaks and bidi controls --------------------------------


def test_csv_cells_are_never_formulas_nor_two_lines(tmp_path: Path) -> None:
    root = hostile(tmp_path / "c")
    code, out, _ = invoke("--corpus", str(root), "list", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and len(rows) == 4 and len(out.splitlines()) == 4
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["002"][2].startswith("'=HYPERLINK(")  # the OWASP prefix
    assert by_id["002"][4] == "'-2+3 | a b"
    assert "bidi\ufffdevil pakus: error: forged" in by_id
    assert not any(e in out for e in ESCAPES)


def test_markdown_cells_keep_the_table_whole(tmp_path: Path) -> None:
    root = hostile(tmp_path / "c")
    code, out, _ = invoke("--corpus", str(root), "list", "--format", "markdown")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5
    assert {len(re.findall(r"(?<!\\)\|", ln)) for ln in lines} == {6}  # five columns on every line
    assert "-2+3 \\| a b" in out


def test_plain_table_and_warnings_are_one_line_per_thing(tmp_path: Path) -> None:
    root = hostile(tmp_path / "c")
    (root / "empty\npakus: error: forged.txt").write_text("")
    code, out, err = invoke("--corpus", str(root), "list")
    assert code == 0 and len(out.splitlines()) == 5  # header, rule, three articles
    assert err.splitlines() == ["pakus: warning: empty pakus: error: forged.txt: is empty; skipped"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from("a é\x7f\x85\x9f\xa0\u2028\u2029\u202a\u202e\u202f\u2066\u2069\u206a\"\\"),
                        max_size=12), max_size=4))
def test_json_escapes_the_same_characters_whether_scanned_or_matched(values: list[str]) -> None:
    from pakus_cli import neutral

    unsafe = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
    expected = unsafe.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(values, ensure_ascii=False))
    before = neutral._json_scanned
    try:
        for scanned in (0, neutral._JSON_SCANS):  # the first texts are scanned, later ones matched
            neutral._json_scanned = scanned
            assert neutral.json_text(values) == expected
            assert json.loads(neutral.json_text(values)) == values
    finally:
        neutral._json_scanned = before


def test_json_keeps_exact_values_with_invisible_characters_escaped(tmp_path: Path) -> None:
    root = hostile(tmp_path / "c")
    code, out, _ = invoke("--corpus", str(root), "list", "--json")
    assert code == 0 and not any(e in out for e in ESCAPES)
    assert {r["id"] for r in json.loads(out)} == {EVIL_ID, BIDI_ID, "002"}
    assert "\\u202e" in out


# -- 15: --color always through a pipe, the progress bar's label, brackets in help ------------------


@pytest.mark.parametrize(("args", "sign"), [(["list"], "┏"), (["search", "IMET"], "\x1b[1;7;33m"),
                                            (["timeline", "--article", "003"], "← 003")])
def test_color_always_gives_the_peoples_view_through_a_pipe(args: list[str], sign: str) -> None:
    code, out, _ = invoke("--color", "always", *args)
    assert code == 0 and sign in out and ANSI.search(out)
    assert not out.startswith(("id ", "date "))  # not the records' table


def test_progress_label_is_not_printed_as_a_markup_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    with render.progress("indexing") as tick:
        tick(1, 2)
    assert "indexing" in err.getvalue() and "[progress.description]" not in err.getvalue()


def test_help_text_keeps_its_square_brackets() -> None:
    code, out, _ = invoke("search", "--help")
    text = " ".join(out.split())
    assert code == 0
    assert "Snippets mark matches as [word]; a literal bracket of the article is written \\[ or \\]" in text


# -- 20: a pager that fails or is missing never swallows the article --------------------------------


@pytest.mark.parametrize(("pager", "why"), [("false", "failed (exit 1)"), ("/no/such/pager -R", "was not found")])
def test_a_broken_pager_falls_back_to_plain_output(pager: str, why: str, monkeypatch: pytest.MonkeyPatch) -> None:
    on_a_terminal(monkeypatch, lines=10)
    monkeypatch.setenv("PAGER", pager)
    code, out, err = invoke("show", "000")
    assert code == 0
    assert "Pak ditches Iran" in out
    assert err == f"pakus: warning: the pager {pager!r} {why}; printed without it (set $PAGER, or use --no-pager)\n"


# -- 21: piped show is not wrapped; the terminal timeline shows whole sentences and is paged ----------


def test_piped_show_is_one_line_per_paragraph_without_trailing_spaces() -> None:
    _, out, _ = invoke("show", "000")
    paragraphs = json.loads(invoke("show", "000", "--json")[1])["paragraphs"]
    lines = out.splitlines()
    assert all(p in lines for p in paragraphs)
    assert not any(ln != ln.rstrip() for ln in lines)
    assert max(len(ln) for ln in lines) > 200


def test_terminal_timeline_shows_whole_sentences_with_the_dating_words_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    on_a_terminal(monkeypatch)
    code, out, _ = invoke("--color", "always", "timeline", "--article", "002")
    sentence = ("He made these remarks while addressing US policymakers, scholars, intelligentsia, and corporate "
                "leaders at a Washington think tank, the Wilson Centre, earlier this week.")
    assert code == 0 and sentence in " ".join(ANSI.sub("", out).split())
    assert "\x1b[7mearlier this week\x1b[0m" in out or "\x1b[7mearlier" in out


def test_long_terminal_timeline_is_paged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_a_terminal(monkeypatch, lines=20)
    paged = tmp_path / "paged"
    monkeypatch.setenv("PAGER", f"cat > {paged}")
    code, out, _ = invoke("timeline")
    assert code == 0 and out == ""
    assert "← 003 Devdiscourse" in paged.read_text()
    code, out, _ = invoke("timeline", "--no-pager")
    assert "← 003 Devdiscourse" in out

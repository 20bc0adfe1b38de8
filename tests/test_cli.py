"""The command line as a person and a script see it: exact output, exit codes, messages."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pakus_cli.models import ARTICLE_KEYS

from .conftest import run

runner = CliRunner()

LIST_TABLE = """\
id    date        outlet           agency    title
----  ----------  ---------------  --------  ------------------------------------------------------------------------------------------------------------
000   2020-01-05  Devdiscourse     ANI       Pak ditches Iran, extends tacit support to US over airstrikes for resumption in military cooperation: Report
001   2021-01-21  The Orient News  TON       Biden administration plans to revive military-to-military ties with Pakistan
003   2022-12-23  Devdiscourse     ANI       US seeks strong partnership with Pak on counterterrorism: State dept
004   2023-02-13  Bharat Express   PTI       Pakistan, US To Hold Defence Dialogue To Strengthen Their Relations In Washington
002   2024-06-29  Udayavani        PTI       Pakistan seeks small arms from US for ‘Operation Azm-i-Istehkam’
"""



def test_list_table_exact() -> None:
    code, out, err = run("list")
    assert code == 0 and err == ""
    assert out == LIST_TABLE


def test_list_json_keys_are_the_contract() -> None:
    code, out, _ = run("list", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 5
    for row in rows:
        assert tuple(row) == ARTICLE_KEYS
    by_id = {r["id"]: r for r in rows}
    assert by_id["004"]["date"] == "2023-02-13" and by_id["004"]["date_source"] == "annotation"
    assert by_id["004"]["curated"] == ["date"]
    assert by_id["002"]["dateline"] == "Washington/Islamabad"


def test_list_filters() -> None:
    code, out, _ = run("list", "--since", "2022-12", "--until", "2023", "--format", "csv")
    assert code == 0
    assert [line.split(",")[0] for line in out.splitlines()] == ["id", "003", "004"]
    code, out, _ = run("list", "--agency", "pti", "--format", "ndjson")
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["004", "002"]
    code, out, _ = run("list", "--keyword", "IMET", "--format", "csv")
    assert [line.split(",")[0] for line in out.splitlines()][1:] == ["000"]
    code, out, _ = run("list", "--outlet", "DEVDISCOURSE", "--json")
    assert [r["id"] for r in json.loads(out)] == ["000", "003"]


def test_list_nothing_matches_exit_1() -> None:
    code, out, err = run("list", "--agency", "reuters")
    assert (code, out) == (1, "")
    assert err == "no article matches these filters\n"
    code, out, _ = run("list", "--agency", "reuters", "--json")
    assert (code, out) == (1, "[]\n")


def test_bad_date_is_one_line_exit_2() -> None:
    code, out, err = run("list", "--since", "2022-13")
    assert code == 2 and out == ""
    assert err == "pakus: error: '2022-13' is not a real date; use YYYY, YYYY-MM or YYYY-MM-DD (in --since/--until)\n"


def test_undated_article_lists_last_without_annotations(seeds_copy: Path) -> None:
    (seeds_copy / "annotations.toml").unlink()
    code, out, _ = run("--corpus", str(seeds_copy), "list", "--format", "csv")
    assert out.splitlines()[-1].startswith("004,,Bharat Express,PTI,")


def test_show_clean_text() -> None:
    code, out, err = run("show", "003", "--clean")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "US seeks strong partnership with Pak on counterterrorism: State dept"
    assert lines[2] == "Both countries have suffered terribly due to terrorism, the US official said."
    assert "2022-12-23 · Devdiscourse · via ANI · id 003" in out
    assert "TRENDING" not in out and "Image Credit" not in out


def test_show_json_has_paragraphs() -> None:
    code, out, _ = run("show", "babc4bf3d394c5e5", "--json")
    rec = json.loads(out)
    assert tuple(rec)[: len(ARTICLE_KEYS)] == ARTICLE_KEYS and "paragraphs" in rec
    assert rec["paragraphs"][-1].endswith("(ANI)")


def test_show_raw_is_the_dump() -> None:
    code, out, _ = run("show", "001", "--raw")
    assert out == (Path(__file__).parent.parent / "seeds" / "001_f4c73ba9d7c1f862.txt").read_text()


def test_show_unknown_and_ambiguous() -> None:
    code, out, err = run("show", "0")
    assert code == 2 and out == ""
    assert err == "pakus: error: article id '0' is ambiguous: it matches 000, 001, 002, 003, 004; give more of it\n"
    code, _, err = run("show", "../seeds/000_858ae1217b7c691d")
    assert code == 2 and err.count("\n") == 1


def test_bad_corpus_is_one_line() -> None:
    code, out, err = run("--corpus", "/no/such/folder", "list")
    assert code == 2
    assert err == "pakus: error: corpus folder '/no/such/folder' does not exist; check --corpus or $PAKUS_CORPUS\n"


def test_warnings_go_to_stderr_data_to_stdout(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "ok.txt").write_text((Path(__file__).parent / "articles" / "headerless.txt").read_text())
    code, out, err = run("--corpus", str(tmp_path), "list", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == ["ok"]
    assert err == "pakus: warning: empty.txt: is empty; skipped\n"


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("pakus ")

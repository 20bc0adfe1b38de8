"""No input breaks pakus (issue #12): hostile options, queries, file names, file types, dates, caches
and outputs each end in a result, a warning per bad thing, or one line and a documented exit code —
never a traceback. Every corpus here is built at test time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import run

PAKUS = [sys.executable, "-m", "pakus_cli"]
ROOT_USER = os.geteuid() == 0


def pakus(*args: str, env: dict[str, str] | None = None, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PAKUS, *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=120, **kw)  # type: ignore[call-overload,no-any-return]


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

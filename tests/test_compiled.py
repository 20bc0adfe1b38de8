"""The installed wheel, its parsing modules compiled with mypyc (hatch_build.py), does what the sources do.

The rest of the suite runs the sources (from a checkout, ``pakus_cli/`` at the root points at
``src/``); these tests run the installed package in a child Python started isolated (``-I``: no
checkout on its path) and compare, page by page, the rows each gives the index for every test page,
and a few commands' output over the shipped corpus. They are skipped where pakus is installed
uncompiled (an editable install, a pure wheel) unless ``PAKUS_REQUIRE_COMPILED=1`` (CI) demands it.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, SEEDS

FOLDERS = [SEEDS, ROOT / "tests" / "layouts", ROOT / "tests" / "articles"]

ROWS = """
import pickle, sys
from pathlib import Path
from pakus_cli import pipeline
jobs = pickle.loads(Path(sys.argv[1]).read_bytes())
out = [(p.warning, p.row, p.acronyms, p.events) for p in map(pipeline._parse_one, jobs)]
Path(sys.argv[2]).write_bytes(pickle.dumps(out))
"""


def _installed_lines_module(cwd: Path) -> str:
    """Where the installed package's ``lines`` module lives, as an isolated child Python imports it."""
    res = subprocess.run([sys.executable, "-I", "-c", "import pakus_cli.lines as m; print(m.__file__)"],
                         cwd=cwd, capture_output=True, text=True, timeout=60)
    return res.stdout.strip()


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the checkout to run the installed package from, when that package is compiled."""
    where = tmp_path_factory.mktemp("installed")
    found = _installed_lines_module(where)
    if not found.endswith(sysconfig.get_config_var("EXT_SUFFIX") or ".so"):
        if os.environ.get("PAKUS_REQUIRE_COMPILED") == "1":
            pytest.fail(f"PAKUS_REQUIRE_COMPILED=1 but the installed pakus is not compiled ({found or 'not found'})")
        pytest.skip(f"the installed pakus is not compiled ({found or 'not installed'})")
    return where


def _jobs() -> list[tuple[str, str, str, int, int]]:
    jobs = []
    for folder in FOLDERS:
        pages = sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".html", ".htm"))
        jobs += [(str(folder), str(p.relative_to(folder)), f"{i:04d}", 0, 0) for i, p in enumerate(pages)]
    return jobs


def test_every_test_page_gives_the_index_the_same_rows_compiled(compiled: Path) -> None:
    from pakus_cli import pipeline

    jobs = _jobs()
    assert len(jobs) > 100  # (every folder was found)
    (compiled / "jobs.pkl").write_bytes(pickle.dumps(jobs))
    res = subprocess.run([sys.executable, "-I", "-c", ROWS, "jobs.pkl", "rows.pkl"], cwd=compiled,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    theirs: list[Any] = pickle.loads((compiled / "rows.pkl").read_bytes())
    ours = [(p.warning, p.row, p.acronyms, p.events) for p in map(pipeline._parse_one, jobs)]
    differ = [job[1] for job, a, b in zip(jobs, ours, theirs, strict=True) if a != b]
    assert not differ, f"{len(differ)} pages parse differently compiled: {differ[:10]}"
    assert sum(len(p[3]) for p in ours) > 200  # (events were compared, not only empty lists)


@pytest.mark.parametrize("command", [["list", "--json"], ["search", "IMET", "--json"], ["timeline", "--json"],
                                     ["show", "003", "--clean"]])
def test_commands_print_the_same_compiled(compiled: Path, tmp_path: Path, command: list[str]) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    env = {**os.environ, "NO_COLOR": "1"}

    def run(*python: str, cwd: Path, cache: str) -> str:
        res = subprocess.run([*python, "-m", "pakus_cli", "--corpus", str(corpus), *command], cwd=cwd,
                             capture_output=True, text=True, env={**env, "PAKUS_CACHE": str(tmp_path / cache)},
                             timeout=120)
        assert res.returncode == 0, res.stderr[-2000:]
        return res.stdout

    sources = run(sys.executable, cwd=ROOT, cache="pure")  # (from the checkout's root: the sources)
    installed = run(sys.executable, "-I", cwd=compiled, cache="compiled")
    assert installed == sources
    if command[-1] == "--json":
        assert json.loads(installed)  # (something was compared)

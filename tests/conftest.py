"""Shared fixtures: the shipped seeds, hand-made articles, an isolated cache per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pakus_cli.lines
from pakus_cli.library import Library

ROOT = Path(__file__).resolve().parent.parent
# The package under test is the installed, compiled one (.ci/run runs the suite a second time so,
# outside the checkout): a test whose monkeypatch cannot reach inside compiled code is skipped then.
COMPILED = Path(pakus_cli.lines.__file__).suffix != ".py"
SEEDS = ROOT / "seeds"
ARTICLES = Path(__file__).resolve().parent / "articles"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test gets its own cache and a clean environment."""
    monkeypatch.setenv("PAKUS_CACHE", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("PAKUS_CORPUS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped corpus (with its annotations)."""
    dest = tmp_path / "corpus"
    shutil.copytree(SEEDS, dest)
    return dest


def seed_text(ident: str) -> str:
    return next(SEEDS.glob(f"{ident}_*.txt")).read_text(encoding="utf-8")


def seed_variants(folder: Path, n: int) -> Path:
    """A corpus of n distinct articles made from the seeds (for concurrency and signal tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(n):
        # every variant's text differs (not only its title), or pakus would rightly fold them as copies
        (folder / f"{i:05d}_x.txt").write_text(texts[i % len(texts)].replace("Pakistan", f"Pakistan{i}"))
    return folder


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:  # noqa: A002
    """Run pakus as a user would (through typer's CliRunner): exit code, stdout, stderr."""
    from typer.testing import CliRunner

    from pakus_cli.cli import app

    res = CliRunner().invoke(app, list(args), input=input)
    return res.exit_code, res.stdout, res.stderr


def library(root: Path) -> Library:
    """The corpus as every command reads it: through the on-disk index."""
    from pakus_cli.library import open_library

    return open_library(root)

"""Lint and types are part of the test command: ruff and mypy must both be clean."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def _tool(name: str) -> list[str]:
    return [sys.executable, "-m", name]


def test_ruff_clean() -> None:
    folders = [d for d in ("src", "tests", "scripts", "benchmarks", "hatch_build.py") if (ROOT / d).exists()]
    res = subprocess.run([*_tool("ruff"), "check", *folders], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_mypy_clean() -> None:
    res = subprocess.run([*_tool("mypy"), "--no-error-summary"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_every_module_is_one_concern_of_readable_size() -> None:
    # a module past this has grown a second concern: split it (ARCHITECTURE.md names each one)
    long = {p.name: n for p in (ROOT / "src" / "pakus_cli").glob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450}
    assert long == {}

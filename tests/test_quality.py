"""Lint and types are part of the test command: ruff and mypy must both be clean."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


def _tool(name: str) -> list[str]:
    return [sys.executable, "-m", name]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the source tree")
def test_ruff_clean() -> None:
    res = subprocess.run([*_tool("ruff"), "check", "src", "tests", "scripts"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_mypy_clean() -> None:
    res = subprocess.run([*_tool("mypy"), "--no-error-summary"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr

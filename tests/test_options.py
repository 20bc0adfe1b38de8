"""Options as people type them: contradictions are usage errors, repeated filters mean either,
global options after the command, completion that quotes, bad files told once (issue #12: 16-19)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS, run


def ids(*args: str) -> set[str]:
    code, out, err = run(*args, "--json")
    assert code in (0, 1), err
    return {r.get("id") or r.get("article") for r in json.loads(out)} if out else set()


# -- 16: contradictions are usage errors; repeated filters mean either ------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--since", "2024", "--until", "2020"], "--since 2024 is after --until 2020; swap them"),
        (["search", "IMET", "--since", "2024-06", "--until", "2024-05-31"],
         "--since 2024-06 is after --until 2024-05-31; swap them"),
        (["timeline", "--since", "2024", "--until", "2020"], "--since 2024 is after --until 2020; swap them"),
        (["list", "--since", ""], "'' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (in --since/--until)"),
        (["timeline", "--until", ""], "'' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (in --since/--until)"),
        (["show", "003", "--raw", "--json"], "--raw and --json cannot be used together; use one of them"),
        (["show", "003", "--raw", "--events"], "--raw and --events cannot be used together; use one of them"),
        (["list", "--format", "csv", "--json"], "--format csv and --json contradict each other; use one of them"),
        (["timeline", "--json", "-f", "timelinejs"],
         "--format timelinejs and --json contradict each other; use one of them"),
        (["timeline", "--tag", "training", "--tag", "nosuch"], "unknown tag 'nosuch'; use one of agreement, aid, arms, "
         "call, counterterrorism, decision, dialogue, exercise, statement, suspension, training, visit"),
    ],
)
def test_contradictions_are_usage_errors(args: list[str], message: str) -> None:
    assert run(*args) == (2, "", f"pakus: error: {message}\n")


def test_format_json_with_json_agrees() -> None:
    code, out, _ = run("list", "--format", "json", "--json")
    assert code == 0 and json.loads(out)


def test_repeated_filters_mean_either_and_different_ones_all() -> None:
    assert ids("list", "--outlet", "udayavani") == {"002"}
    assert ids("list", "--outlet", "udayavani", "--outlet", "orient") == {"001", "002"}
    assert ids("list", "--agency", "ani", "--agency", "ton") == {"000", "001", "003"}
    assert ids("list", "--outlet", "devdiscourse", "--outlet", "udayavani", "--agency", "pti") == {"002"}
    assert ids("search", "Pakistan", "--outlet", "udayavani", "--outlet", "bharat") == {"002", "004"}
    assert ids("search", "Pakistan", "--agency", "ton", "--agency", "pti", "--outlet", "orient") == {"001"}


def test_repeated_tags_mean_either() -> None:
    def events(*tags: str) -> list[dict[str, object]]:
        args = [a for t in tags for a in ("--tag", t)]
        return json.loads(run("timeline", *args, "--json")[1])  # type: ignore[no-any-return]

    training, visit = events("training"), events("visit")
    both = events("training", "visit")
    assert training and visit
    assert len(both) == len({json.dumps(e, sort_keys=True) for e in training + visit})
    assert all({"training", "visit"} & set(e["tags"]) for e in both)  # type: ignore[call-overload]


# -- 17: global options after the command ----------------------------------------------------------


def test_global_options_after_the_command(seeds_copy: Path, tmp_path: Path) -> None:
    next(seeds_copy.glob("000_*.txt")).unlink()
    assert ids("list", "--corpus", str(seeds_copy)) == {"001", "002", "003", "004"}
    # after the command wins over before it
    after = ids("--corpus", str(tmp_path / "nowhere"), "list", "--corpus", str(seeds_copy))
    assert after == {"001", "002", "003", "004"}
    code, out, _ = run("list", "--corpus", str(seeds_copy), "--color", "always")
    assert code == 0 and "\x1b[" in out
    code, out, _ = run("--color", "always", "show", "003", "--color", "never")
    assert code == 0 and "\x1b[" not in out


# -- 18: bash completion quotes what it inserts ----------------------------------------------------


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_quotes_an_outlet_with_spaces(seeds_copy: Path, tmp_path: Path) -> None:
    run("--corpus", str(seeds_copy), "list")
    wrapper = tmp_path / "bin" / "pakus"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} -m pakus_cli "$@"\n')
    wrapper.chmod(0o755)
    script = (f"source {ROOT / 'completions' / 'pakus.bash'}\n"
              f"COMP_WORDS=(pakus list --corpus {seeds_copy} --outlet 'The\\ Or'); COMP_CWORD=5\n"
              "_pakus_completion pakus; printf '<%s>\\n' \"${COMPREPLY[@]}\"\n"
              "COMP_WORDS=(pakus ti); COMP_CWORD=1\n"
              "_pakus_completion pakus; printf '<%s>\\n' \"${COMPREPLY[@]}\"\n")
    env = {**os.environ, "PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}"}
    res = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert res.stdout.splitlines() == ["<The\\ Orient\\ News>", "<timeline>"], res.stderr


# -- 19: a bad file is told once, then counted, and listed on request -------------------------------


def test_bad_files_are_told_when_new_then_counted(tmp_path: Path) -> None:
    shutil.copy(next(SEEDS.glob("002_*.txt")), tmp_path / "002_good.txt")
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("")
    first = run("--corpus", str(tmp_path), "list")
    assert first[2].splitlines() == [f"pakus: warning: {n}: is empty; skipped" for n in ("a.txt", "b.txt", "c.txt")]
    count = "pakus: warning: 3 files could not be read well (told before); `pakus index --warnings` lists them\n"
    assert run("--corpus", str(tmp_path), "list")[2] == count
    assert run("--corpus", str(tmp_path), "timeline", "--json")[2] == count
    (tmp_path / "b.txt").write_bytes(b"\x00\x01")  # changed, still bad: told again
    assert run("--corpus", str(tmp_path), "list")[2].splitlines() == [
        "pakus: warning: b.txt: looks binary (NUL bytes); skipped",
        "pakus: warning: 2 files could not be read well (told before); `pakus index --warnings` lists them",
    ]
    code, out, err = run("--corpus", str(tmp_path), "index", "--warnings")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["a.txt: is empty; skipped", "b.txt: looks binary (NUL bytes); skipped",
                                "c.txt: is empty; skipped"]
    listed = json.loads(run("--corpus", str(tmp_path), "index", "--warnings", "--json")[1])
    assert listed[0] == {"file": "a.txt", "warning": "is empty; skipped"} and len(listed) == 3

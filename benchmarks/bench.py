"""Benchmark pakus: start-up, index build, search at scale, refresh after one new file.

    python benchmarks/bench.py --articles 100000 --out bench-out

Builds a deterministic synthetic corpus of N articles from the seeds' clean paragraphs, laid out
as real pages are (headers, bylines, captions, promos, sidebar lists, footers), then runs pakus
against it as a user would, in subprocesses, and prints a Markdown table for BENCHMARKS.md.
Every number is a wall-clock median unless the table says otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BIN = Path(sys.executable).parent
PAKUS = str(BIN / "pakus")
# Measured as a user runs it: with bytecode caching (some shells export PYTHONDONTWRITEBYTECODE).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

LAYOUTS = [
    # header-line layout with a meta block and a wire closing tag
    lambda t, d, paras, r: "\n".join([
        f" date {d.isoformat()} Left Menu", "Development News Edition", "", t, "",
        f"ANI | Updated: {d:%d-%m-%Y} 11:{r.randint(10, 59)} IST | Created: {d:%d-%m-%Y} 11:05 IST", t,
        "Representative Image. Image Credit: ANI", "", *[p + "\n" for p in paras[:-1]], paras[-1] + " (ANI)", "",
        "(This story has not been edited by Example staff and is auto-generated from a syndicated feed.)", "",
        "TRENDING", "", "Markets close higher on budget hopes", "", "Cricket board names new selectors", "",
        "Email: info@example.com", "© Copyright " + str(d.year),
    ]),
    # byline layout with a dateline and a promo
    lambda t, d, paras, r: "\n".join([
        t, "", "", f"PTI, {d:%b} {d.day}, {d.year}, 5:17 PM IST", "", "Representative image (source: iStock)", "",
        "Islamabad: " + paras[0], "", *[p + "\n" for p in paras[1:]],
        "Example is now on Telegram. Click here to join our channel and stay updated with the latest news.", "",
        "Top News", "", "Weather office forecasts rain", "", "Rupee gains against dollar", "",
        "Thanks for visiting Example",
    ]),
    # dateline-only layout with a comment widget
    lambda t, d, paras, r: "\n".join([
        t, "", "File Photo File Photo", "",
        f"WASHINGTON, {d.day} {d:%B}, {d.year}, (TON): " + paras[0], "", *[p + "\n" for p in paras[1:]],
        "Rate this item", "(0 votes)", "", "Leave a comment",
    ]),
]


def seed_pool() -> tuple[list[str], list[str], list[str]]:
    """The seeds' clean paragraphs (no subheadings), their sentences and headlines, read by pakus itself."""
    from pakus_cli.article import parse
    from pakus_cli.text import sentences

    paras: list[str] = []
    titles: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        a = parse(path.read_text(encoding="utf-8"), ident=path.stem, file=path.name)
        titles.append(a.title or "Untitled")
        paras.extend(p for p in a.paragraphs if len(p.split()) > 15 and not p.startswith(("WASHINGTON", "Washington/")))
    sents = [s for p in paras for s in sentences(p) if 8 < len(s.split()) <= 25]
    return paras, sents, titles


# Two articles in a hundred republish an earlier one's text under their own title, date and page, as
# a wire story is republished by other sites (pakus lists such copies under one article).
COPY_SHARE = 0.02


def _article(i: int, pool: tuple[list[str], list[str], list[str]]) -> tuple[random.Random, dt.date, list[str], str]:
    """Article i: its random source, date, paragraphs and headline. It opens with three sentences of
    the pool, so that, as real articles do, it opens with words of its own (with a pool paragraph as
    the opening, every article shared its first words with some 1,250 others: a corpus of copies)."""
    paras, sents, titles = pool
    r = random.Random(i)
    d = dt.date(2015, 1, 1) + dt.timedelta(days=r.randrange(0, 3650))
    body = [" ".join(r.sample(sents, 3)), *r.sample(paras, r.randint(4, 9))]
    return r, d, body, f"{r.choice(titles)} ({i})"


def make_corpus(out: Path, n: int) -> Path:
    """N deterministic articles in folders of 1,000 (reused when already there)."""
    corpus = out / f"corpus-v2-{n}"
    marker = corpus / ".complete"
    if marker.exists():
        return corpus
    shutil.rmtree(corpus, ignore_errors=True)
    pool = seed_pool()
    for i in range(n):
        r, d, body, title = _article(i, pool)
        if i and r.random() < COPY_SHARE:
            body = _article(r.randrange(i), pool)[2]
        text = LAYOUTS[i % len(LAYOUTS)](title, d, body, r)
        folder = corpus / f"{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:06d}_{r.getrandbits(64):016x}.txt").write_text(text + "\n", encoding="utf-8")
    marker.write_text("ok")
    return corpus


def run(cmd: list[str], env: dict[str, str] | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or ENV, cwd="/tmp", check=False)
    return time.perf_counter() - t


def median(cmd: list[str], times: int, env: dict[str, str] | None = None) -> float:
    return statistics.median(run(cmd, env) for _ in range(times))


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return total


@contextmanager
def watched(proc: subprocess.Popen[bytes]) -> Iterator[list[int]]:
    """While the block runs, sample the peak resident memory (KB) of a process and its workers."""
    peak = [0]

    def watch() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            time.sleep(0.05)

    th = threading.Thread(target=watch)
    th.start()
    try:
        yield peak
    finally:
        proc.wait()
        th.join()


def peak_run(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time and peak resident memory (KB) of a command and its worker processes."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd="/tmp")
    with watched(proc) as peak:
        pass
    return time.perf_counter() - t, peak[0]


def streamed_run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Time to the first event on stdout (its first "{"), total wall time, peak memory (KB) of a command."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd="/tmp")
    first = 0.0
    with watched(proc) as peak:
        assert proc.stdout is not None
        while chunk := proc.stdout.read1(65536):
            if not first and b"{" in chunk:
                first = time.perf_counter() - t
    return first, time.perf_counter() - t, peak[0]


def timeline_rows(corpus: Path, n: int, env: dict[str, str], runs: int) -> list[tuple[str, str, str]]:
    """The timeline at scale: a filtered one against the same on the shipped corpus (in this run), the full
    one streamed, and the next one after adding a file."""
    rows = []
    filtered = ["timeline", "--since", "2024-06", "--until", "2024-06", "--tag", "training", "--json"]
    run([PAKUS, "--corpus", str(SEEDS), *filtered], env)
    small = median([PAKUS, "--corpus", str(SEEDS), *filtered], runs, env)
    big = median([PAKUS, "--corpus", str(corpus), *filtered], runs, env)
    out = subprocess.run([PAKUS, "--corpus", str(corpus), *filtered], capture_output=True, env=env, check=False)
    shown = out.stdout.count(b'\n  {')
    rows.append(("`timeline " + " ".join(filtered[1:]) + "`, shipped corpus", f"{small * 1000:.0f} ms", ""))
    rows.append((f"the same, {n:,} articles ({shown} events)", f"{big * 1000:.0f} ms",
                 f"{big / small:.2f}× the shipped corpus (target ≤ 2×)"))
    first, total, peak = streamed_run([PAKUS, "--corpus", str(corpus), "timeline", "--json"], env)
    full = subprocess.run([PAKUS, "--corpus", str(corpus), "timeline", "--json"], capture_output=True, env=env,
                          check=False).stdout
    count = full.count(b"\n  {")
    rows.append((f"full `timeline --json`, {n:,} articles ({count:,} events, {len(full) / 1e6:.0f} MB)",
                 f"{total:.1f} s", f"first event after {first * 1000:.0f} ms (target ≤ 1 s)"))
    rows.append(("peak memory of that timeline", f"{peak / 1024:.0f} MB", "target ≤ 300 MB"))
    src = next(corpus.rglob("*.txt"))
    new = corpus / "999" / "999998_benchmark.txt"
    new.parent.mkdir(exist_ok=True)
    shutil.copy(src, new)
    after = run([PAKUS, "--corpus", str(corpus), *filtered], env)
    new.unlink()
    run([PAKUS, "--corpus", str(corpus), "index"], env)
    rows.append(("first filtered `timeline` after adding one file", f"{after * 1000:.0f} ms",
                 "refresh and merge included (target ≤ 2 s)"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench-out")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--timeline", action="store_true", help="also time timelines at scale (events are in the index)")
    args = ap.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    cache = out / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**ENV, "PAKUS_CACHE": str(cache)}
    rows: list[tuple[str, str, str]] = []

    # 1. cold start on the shipped corpus, warm cache
    run([PAKUS, "search", "IMET", "--json"], env)
    base_runs, small_runs = [], []
    for _ in range(args.runs * 2):  # interleaved, so that machine drift hits both alike
        base_runs.append(run([sys.executable, "-c", "import typer"], env))
        small_runs.append(run([PAKUS, "search", "IMET", "--json"], env))
    typer_t, search_small = statistics.median(base_runs), statistics.median(small_runs)
    rows.append(("`python -c 'import typer'`", f"{typer_t * 1000:.0f} ms", "baseline"))
    rows.append(("`pakus search IMET --json`, shipped corpus, warm cache", f"{search_small * 1000:.0f} ms",
                 f"{search_small / typer_t:.2f}× baseline (target ≤ 1.3×)"))

    # 2. index build on N articles
    t0 = time.perf_counter()
    corpus = make_corpus(out, args.articles)
    gen = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in corpus.rglob("*.txt"))
    build, peak = peak_run([PAKUS, "--corpus", str(corpus), "index"], env)
    rows.append((f"synthetic corpus: {args.articles:,} articles, {size / 1e6:.0f} MB", f"generated in {gen:.0f} s", ""))
    rows.append((f"`pakus index` from scratch, {args.articles:,} articles, events included", f"{build:.1f} s",
                 f"{args.articles / build:,.0f} articles/s (target ≥ 1,000)"))
    rows.append(("peak memory of that build (main process + workers)", f"{peak / 1024:.0f} MB", "target ≤ 300 MB"))
    db = next(cache.glob(f"{corpus.name}-*.sqlite"))
    rows.append(("index size on disk", f"{db.stat().st_size / 1e6:.0f} MB", ""))

    # 3. search at scale, warm cache
    big = median([PAKUS, "--corpus", str(corpus), "search", "IMET", "--json"], args.runs, env)
    rows.append((f"`pakus search IMET --json`, {args.articles:,} articles, warm cache", f"{big * 1000:.0f} ms",
                 f"{big / search_small:.2f}× the shipped-corpus search (target ≤ 2×)"))
    rg = shutil.which("rg")
    if rg:
        rgt = median([rg, "-il", "IMET", str(corpus)], 5, env)
        rows.append((f"`rg -il IMET` over the same {args.articles:,} files", f"{rgt * 1000:.0f} ms",
                     f"pakus is {rgt / big:.1f}× faster"))
    else:
        rows.append(("`rg -il IMET`", "not measured", "ripgrep is not installed"))

    # 4. one new file, then search
    src = next(corpus.rglob("*.txt"))
    new = corpus / "999" / "999999_benchmark.txt"
    new.parent.mkdir(exist_ok=True)
    shutil.copy(src, new)
    refresh = run([PAKUS, "--corpus", str(corpus), "search", "IMET", "--json"], env)
    new.unlink()
    run([PAKUS, "--corpus", str(corpus), "index"], env)
    rows.append(("first `search` after adding one file", f"{refresh * 1000:.0f} ms", "refresh included (target ≤ 2 s)"))

    if args.timeline:
        rows += timeline_rows(corpus, args.articles, env, max(3, args.runs // 3))

    sys.stdout.write(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}\n\n")
    sys.stdout.write("| measurement | result | note |\n|---|---|---|\n")
    for row in rows:
        sys.stdout.write("| " + " | ".join(row) + " |\n")


if __name__ == "__main__":
    main()

"""The corpus: ids, id resolution, bad files, annotations, the shipped default."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pakus_cli.corpus import assign_ids, corpus_root, list_files, resolve_id
from pakus_cli.errors import CorpusError, UnknownArticle

from .conftest import ARTICLES, COMPILED, SEEDS, library


def test_ids_are_leading_digits_else_stem(tmp_path: Path) -> None:
    for name in ("003_abc.txt", "report.txt", "12-x.txt"):
        (tmp_path / name).write_text("x")
    ids = {sf.rel: sf.id for sf in list_files(tmp_path)}
    assert ids == {"003_abc.txt": "003", "report.txt": "report", "12-x.txt": "12"}


def test_clashing_ids_fall_back_to_stems() -> None:
    ids = assign_ids(["003_a.txt", "003_b.txt", "sub/003_b.txt", "004_c.txt"])
    assert ids == {"003_a.txt": "003_a", "003_b.txt": "003_b", "sub/003_b.txt": "sub/003_b", "004_c.txt": "004"}


def test_resolve_by_id_hash_and_prefix() -> None:
    files = list_files(SEEDS)
    assert resolve_id("003", files).id == "003"
    assert resolve_id("babc4bf3d394c5e5", files).id == "003"
    assert resolve_id("003_babc", files).id == "003"
    assert resolve_id("babc", files).id == "003"


def test_unknown_and_ambiguous_ids_are_one_line_errors() -> None:
    files = list_files(SEEDS)
    with pytest.raises(UnknownArticle, match="ambiguous: it matches 000, 001"):
        resolve_id("0", files)
    with pytest.raises(UnknownArticle, match="no article '009'.*did you mean"):
        resolve_id("009", files)
    with pytest.raises(UnknownArticle):
        resolve_id("../../etc/passwd", files)


def test_bad_files_warn_and_the_rest_loads(tmp_path: Path) -> None:
    shutil.copy(ARTICLES / "headerless.txt", tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01\x02" * 10)
    latin = (ARTICLES / "headerless.txt").read_text().replace("Pakistan's", "Pakistan\u2019s café")
    (tmp_path / "latin.txt").write_bytes(latin.encode("cp1252"))
    loaded = library(tmp_path)
    assert sorted(a.id for a in loaded.articles()) == ["good", "latin"]
    text = "\n".join(loaded.warnings)
    assert "empty.txt: is empty" in text
    assert "binary.txt: looks binary" in text
    assert "latin.txt: not UTF-8; read as cp1252" in text
    assert len(loaded.warnings) == 3
    latin_article = next(a for a in loaded.articles() if a.id == "latin")
    assert "café" in latin_article.title  # type: ignore[operator]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_warns(tmp_path: Path) -> None:
    bad = tmp_path / "locked.txt"
    bad.write_text("x")
    bad.chmod(0)
    loaded = library(tmp_path)
    assert loaded.warnings == ["locked.txt: cannot be read (permission denied); skipped"]


def test_link_outside_corpus_is_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("US and Pakistan sign secret pact\n\nISLAMABAD: Officials signed it on Monday.\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "link.txt").symlink_to(outside)
    loaded = library(corpus)
    assert loaded.articles() == []
    assert loaded.warnings == ["link.txt: links outside the corpus folder; skipped"]


def test_annotation_dates_004_and_marks_it(seeds_copy: Path) -> None:
    a = next(a for a in library(seeds_copy).articles() if a.id == "004")
    assert a.date == dt.date(2023, 2, 13) and a.date_source == "annotation"
    assert "date" in a.curated and "outlet" not in a.curated
    (seeds_copy / "annotations.toml").unlink()
    a = next(a for a in library(seeds_copy).articles() if a.id == "004")
    assert a.date is None and a.date_source is None and a.curated == frozenset()


def test_bad_annotations_warn(tmp_path: Path) -> None:
    shutil.copy(ARTICLES / "headerless.txt", tmp_path / "001_x.txt")
    (tmp_path / "annotations.toml").write_text('["001"]\ndate = "yesterday"\ncolour = "red"\n')
    loaded = library(tmp_path)
    assert loaded.articles()[0].date is None
    assert any("date 'yesterday' is not YYYY-MM-DD" in w for w in loaded.warnings)
    assert any("unknown field 'colour'" in w for w in loaded.warnings)


def test_corpus_root_errors(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        corpus_root(tmp_path / "nope")
    f = tmp_path / "f.txt"
    f.write_text("x")
    with pytest.raises(CorpusError, match="is not a folder"):
        corpus_root(f)


def test_shipped_corpus_found_from_any_folder(tmp_path: Path) -> None:
    """After installation the seeds travel with the package: `pakus list` works from /tmp."""
    res = subprocess.run(
        [sys.executable, "-m", "pakus_cli", "list", "--format", "csv"],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PAKUS_CACHE": str(tmp_path / "c")},
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.count("\n") == 6


@pytest.mark.skipif(COMPILED, reason="compiled, corpus calls article.parse_page directly: no monkeypatch reaches it")
def test_a_parser_failure_is_one_warning_and_the_rest_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pakus_cli.article

    shutil.copy(ARTICLES / "headerless.txt", tmp_path / "good.txt")
    shutil.copy(ARTICLES / "repeated_headline.txt", tmp_path / "crash.txt")
    (tmp_path / "debris.txt").write_bytes("TRENDING\n\nCaf\u00e9 news\n".encode("cp1252"))
    real = pakus_cli.article.parse_page

    def flaky(text: str, *, ident: str, file: str):  # type: ignore[no-untyped-def]
        if ident == "crash":
            raise ValueError("a parser bug")
        return real(text, ident=ident, file=file)

    monkeypatch.setattr(pakus_cli.article, "parse_page", flaky)
    loaded = library(tmp_path)
    assert [a.id for a in loaded.articles()] == ["good"]
    assert sorted(loaded.warnings) == [
        "crash.txt: could not be parsed (ValueError); skipped",
        "debris.txt: no headline or paragraph found (only site debris?); skipped",  # one line, not two
    ]


def test_a_misread_layout_keeps_all_its_prose_and_says_so(tmp_path: Path) -> None:
    """When no run of paragraphs holds half the page's prose, the body is all of it, with a warning."""
    para = ("Officials from Pakistan and the United States met in Islamabad on Monday to review border "
            "security cooperation and the training of counterterrorism units, a statement said. ")
    parts = [f"{para}Round {k} of the talks covered item {k}." for k in range(3)]
    (tmp_path / "split.txt").write_text(
        "Pakistan, US review border cooperation\n\n" + "\n\nRelated\n\n".join(parts) + "\n")
    lib = library(tmp_path)
    article = lib.articles()[0]
    assert [p.split(". ")[-1] for p in article.paragraphs] == [f"Round {k} of the talks covered item {k}."
                                                                for k in range(3)]
    assert any("layout was not recognised" in w and "split.txt" in w for w in lib.warnings)

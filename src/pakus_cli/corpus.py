"""Finding the corpus, its files and their ids; reading bytes safely; annotations.

Nothing here prints: problems with single files come back as warning strings so that
one bad file never stops the rest of the corpus.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CorpusError, UnknownArticle
from .vocabulary import DateSource

if TYPE_CHECKING:
    from .models import Article

ENV_CORPUS = "PAKUS_CORPUS"
ANNOTATIONS = "annotations.toml"
# News pages are tens of kilobytes; past this a file is not an article dump and only
# its beginning is read, so memory stays bounded whatever the corpus holds.
MAX_BYTES = 4 * 1024 * 1024
ANNOTATABLE = ("date", "outlet", "agency", "title", "subtitle", "dateline")

_LEADING_DIGITS = r"^(\d+)(?=[_\-. ]|$)"  # compiled on first use (re caches it)


class SourceFile:
    """A corpus file and the id it is known by."""

    __slots__ = ("id", "path", "rel")

    def __init__(self, id: str, path: Path, rel: str) -> None:  # noqa: A002 - the record's field is its id
        self.id = id
        self.path = path
        self.rel = rel  # path relative to the corpus root, with forward slashes

    def __repr__(self) -> str:
        return f"SourceFile({self.id!r}, {self.rel!r})"

    @property
    def stem(self) -> str:
        return self.path.stem


def default_corpus() -> Path:
    """The shipped corpus: inside the installed package, or ``seeds/`` of a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "seeds"
    if packaged.is_dir():
        return packaged
    checkout = here.parent.parent / "seeds"
    if checkout.is_dir():
        return checkout
    raise CorpusError("the shipped corpus is missing from this installation; pass --corpus DIR")


def corpus_root(option: str | os.PathLike[str] | None) -> Path:
    """The corpus folder from ``--corpus``, else ``$PAKUS_CORPUS``, else the shipped seeds."""
    if option is not None and not str(option).strip():
        # `--corpus "$DIR"` with DIR unset: never quietly index the current folder instead
        raise CorpusError("--corpus is empty (an unset variable?); give the folder of .txt dumps")
    chosen = option or os.environ.get(ENV_CORPUS) or None
    if chosen is None:
        return default_corpus()
    root = Path(chosen).expanduser()
    if not root.exists():
        raise CorpusError(f"corpus folder {str(root)!r} does not exist; check --corpus or ${ENV_CORPUS}")
    if not root.is_dir():
        raise CorpusError(f"{str(root)!r} is not a folder; --corpus takes a folder of .txt dumps and .html pages")
    return root.resolve()


def assign_ids(rels: Iterable[str]) -> dict[str, str]:
    """Each file's id, by its path inside the corpus: the leading digits of its name, else its
    stem; unique always. Where two files would share an id the stem is used instead, and where
    stems clash too, the path inside the corpus. (Plain strings: this runs over every file.)"""
    stems = {rel: rel.rsplit("/", 1)[-1].rsplit(".", 1)[0] for rel in rels}

    def base(stem: str) -> str:
        m = re.match(_LEADING_DIGITS, stem)
        return m.group(1) if m else stem

    first = Counter(base(stem) for stem in stems.values())
    second = Counter(stems.values())
    out = {}
    for rel, stem in stems.items():
        ident = base(stem)
        if first[ident] > 1:
            ident = stem if second[stem] == 1 else rel.rsplit(".", 1)[0]
        out[rel] = ident
    return out


def list_files(root: Path) -> list[SourceFile]:
    """The corpus files with their ids."""
    from .scan import article_files

    rels = article_files(root)
    ids = assign_ids(rels)
    return [SourceFile(ids[rel], root / rel, rel) for rel in rels]


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
         (b"\xfe\xff", "utf-16"))
# Up to this share of undecodable bytes a file is UTF-8 with a few stray bytes (each replaced);
# past it, it is another encoding.
STRAY_BYTES = 0.001


def decode(data: bytes) -> tuple[str, str | None]:
    """Text of a dump and a note when it was not plain UTF-8: UTF-16/32 with a byte-order mark are
    read as such; a stray undecodable byte in UTF-8 costs that byte (replaced), not the file's
    accents; a file that is not UTF-8 at all is read as cp1252, then latin-1."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), None
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())  # replacement characters the file did not hold
    if bad <= max(1, len(data) * STRAY_BYTES):
        return text, f"{bad} undecodable byte{'s' if bad > 1 else ''} replaced"
    try:
        return data.decode("cp1252"), "not UTF-8; read as cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not UTF-8; read as latin-1"


def read_bytes(path: Path, root: Path) -> tuple[bytes | None, str | None]:
    """The first ``MAX_BYTES`` + 1 bytes of a dump, or None and why not.

    Refuses anything whose real location is outside the corpus folder (a link pointing out).
    """
    real = path
    # Folders are never followed when listing, so only a file that is itself a link can lead out.
    if os.path.islink(path):
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            return None, f"cannot be resolved ({_reason(exc)}); skipped"
        if not real.is_relative_to(root.resolve()):
            return None, "links outside the corpus folder; skipped"
    try:
        kind = _not_regular(os.stat(real).st_mode)
        if kind:  # checked before opening: opening a FIFO waits for a writer, forever
            return None, f"is {kind}, not a regular file; skipped"
        # O_NONBLOCK: should the file have become a FIFO since the check, opening it still cannot hang
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            st = os.fstat(fd)
            kind = _not_regular(st.st_mode)
            if kind:
                return None, f"is {kind}, not a regular file; skipped"
            return _read_up_to(fd, st.st_size, MAX_BYTES + 1), None
        finally:
            os.close(fd)
    except OSError as exc:
        return None, f"cannot be read ({_reason(exc)}); skipped"


def _read_up_to(fd: int, size: int, most: int) -> bytes:
    """At most ``most`` bytes of an open file whose size was ``size`` when asked. One read of the size
    asked for (and a byte more), not a buffered read of ``most``: that allocates ``most`` bytes for
    every file (4 MB for a 5 KB page), five times the cost of the read itself. Read on to the end (or
    ``most``), as a file may have grown since, or a file system may hand a file over in parts."""
    chunks = [os.read(fd, min(size + 1, most))]
    got = len(chunks[0])
    while got < most and chunks[-1]:
        chunks.append(os.read(fd, most - got))
        got += len(chunks[-1])
    return chunks[0] if len(chunks) == 1 or not chunks[1] and len(chunks) == 2 else b"".join(chunks)


def _not_regular(mode: int) -> str | None:
    """What a file is when it is not a regular file (only regular files are read)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"


def read_dump(path: Path, root: Path) -> tuple[str | None, str | None]:
    """Read one dump: ``(text, warning)``; text is None when the file cannot be used."""
    data, why = read_bytes(path, root)
    if data is None:
        return None, why
    return text_of(data)


def text_of(data: bytes) -> tuple[str | None, str | None]:
    """The text of a dump's bytes and a note; None for an empty or binary file. At most
    ``MAX_BYTES`` are used."""
    note = None
    if len(data) > MAX_BYTES:
        data = data[:MAX_BYTES]
        note = f"larger than {MAX_BYTES // (1024 * 1024)} MB; only its beginning was read"
    if not data.strip():
        return None, "is empty; skipped"
    if b"\x00" in data[:8192] and not data.startswith(tuple(bom for bom, _ in _BOMS)):
        return None, "looks binary (NUL bytes); skipped"
    text, enc_note = decode(data)
    if not text.strip():  # a byte-order mark and nothing else
        return None, "is empty; skipped"
    notes = "; ".join(n for n in (note, enc_note) if n)
    return text, notes or None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RuntimeError) or (isinstance(exc, OSError) and exc.errno == errno.ELOOP):
        return "a loop of links"  # pathlib raises RuntimeError for a link loop
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return type(exc).__name__


# -- annotations -------------------------------------------------------------------------


def read_annotations(root: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The curated fields of ``annotations.toml`` by article id, and warnings about it."""
    data, why = _annotation_table(root)
    if data is None:
        return {}, [f"{ANNOTATIONS}: {why}; annotations ignored"] if why else []
    out: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    for ident, fields in data.items():
        if not isinstance(fields, dict):
            warnings.append(f"{ANNOTATIONS}: [{ident}] is not a table; ignored")
            continue
        clean: dict[str, Any] = {}
        for key, value in fields.items():
            if key == "note":
                continue
            if key not in ANNOTATABLE:
                warnings.append(f"{ANNOTATIONS}: [{ident}] has unknown field {key!r}; ignored")
                continue
            if key == "date":
                parsed = _annotation_date(value)
                if parsed is None:
                    warnings.append(f"{ANNOTATIONS}: [{ident}] date {value!r} is not YYYY-MM-DD; ignored")
                    continue
                value = parsed
            elif not isinstance(value, str):
                warnings.append(f"{ANNOTATIONS}: [{ident}] {key} must be text; ignored")
                continue
            clean[key] = value
        out[str(ident)] = clean
    return out, warnings


def _annotation_table(root: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The parsed ``annotations.toml``, or None and why not (None, None: there is none). It is read as
    an article is: a link out of the corpus, a FIFO or a huge file is refused, unread."""
    import tomllib

    path = root / ANNOTATIONS
    if not os.path.lexists(path):
        return None, None
    raw, why = read_bytes(path, root)
    if raw is not None and len(raw) > MAX_BYTES:
        raw, why = None, f"is larger than {MAX_BYTES // (1024 * 1024)} MB"
    if raw is None:
        return None, (why or "").removesuffix("; skipped")
    try:
        return tomllib.loads(raw.decode("utf-8")), None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return None, f"cannot be read ({exc})"


def _annotation_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def annotate(article: Article, fields: dict[str, Any]) -> Article:
    """The article with curated fields applied and marked as curated."""
    from dataclasses import replace  # here, not at the top: a search never annotates, nor needs the module

    if not fields:
        return article
    changes: dict[str, Any] = dict(fields)
    if "date" in fields:
        changes["date_source"] = DateSource.annotation
    return replace(article, **changes, curated=article.curated | frozenset(fields))


# -- loading -------------------------------------------------------------------------------


def read_article(
    root: Path, rel: str, ident: str, annotations: dict[str, dict[str, Any]]
) -> tuple[Article | None, str | None, str]:
    """Read, hash, parse and annotate one file: ``(article, warning, content hash)``. A saved web page
    (``.html``, ``.htm``, or a ``.txt`` file that begins as HTML) is read by ``webpage``, a dump by ``article``.

    Never raises: whatever goes wrong with the file becomes its one warning line, so one bad file
    never stops the corpus. The index's workers and ``load`` both read files this way."""
    import hashlib

    from .article import NoArticle, parse_page
    from .webpage import is_html, parse_webpage

    data, why = read_bytes(root / rel, root)
    if data is None:
        return None, why, ""
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    text, note = text_of(data)
    if text is None:
        return None, note, digest
    try:
        if is_html(rel, text):
            article, layout = parse_webpage(text, ident=ident, file=rel)
        else:
            article, layout = parse_page(text, ident=ident, file=rel)
    except NoArticle as exc:
        return None, f"{exc}; skipped", digest
    except Exception as exc:  # noqa: BLE001 - a parser bug on one file must not stop the others
        return None, f"could not be parsed ({type(exc).__name__}); skipped", digest
    notes = "; ".join(n for n in (note, layout) if n) or None
    return annotate(article, annotations.get(ident, {})), notes, digest


def resolve_id(query: str, files: Sequence[SourceFile]) -> SourceFile:
    """The one file an id names: its id, its stem, the hash part, or a unique stem prefix.

    An id is matched against the corpus listing only, so it can never name a path outside it.
    """
    q = query.strip()
    if not q:
        raise UnknownArticle("an empty article id; run 'pakus list' to see the ids")
    def tail(f: SourceFile) -> str:
        return f.stem.split("_", 1)[-1]

    tests: list[Callable[[SourceFile], bool]] = [
        lambda f: f.id == q,
        lambda f: f.stem == q,
        lambda f: tail(f) == q,
        lambda f: f.stem.startswith(q) or f.id.startswith(q),
        lambda f: tail(f).startswith(q),
    ]
    for test in tests:
        found = [f for f in files if test(f)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(f.id for f in found[:6])
            raise UnknownArticle(f"article id {q!r} is ambiguous: it matches {names}; give more of it")
    import difflib

    known = [f.id for f in files] + [f.stem for f in files]
    close = difflib.get_close_matches(q, known, n=4, cutoff=0.5)
    hint = f"; did you mean {', '.join(dict.fromkeys(close))}?" if close else "; run 'pakus list' to see the ids"
    raise UnknownArticle(f"no article {q!r} in the corpus{hint}")

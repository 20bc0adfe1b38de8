"""The one folder walker: which article files a corpus holds, and what changed since the index
last looked. Every part of pakus that lists a corpus lists it here, with one rule for what counts:
files named ``*.txt``, ``*.html`` or ``*.htm`` (any case: saved web pages are articles too), not
hidden, in folders that are not hidden, without following links to folders (so a link loop cannot
trap the walk).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

FileStats = dict[str, tuple[int, int]]  # rel -> (size, mtime_ns); (-1, -1) for a file that cannot be stat'ed
DirStats = dict[str, int]  # rel -> mtime_ns ("" is the corpus folder itself)
# What the walk could not take in, each with why: a folder it cannot list (no permission, a path
# longer than the system allows), a name that is not UTF-8 (it could be neither stored nor shown).
# rel -> reason; the rel is printable (``printable``), not necessarily a usable path.
Problems = dict[str, str]

SUFFIXES = (".txt", ".html", ".htm")


def is_article_name(name: str) -> bool:
    """Whether a file name is one pakus reads as an article."""
    return not name.startswith(".") and name.lower().endswith(SUFFIXES)


def parent(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else ""


def printable(rel: str) -> str:
    """A path as text that can be stored and shown: bytes that are not UTF-8 written as ``\\xNN``."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes of the name, kept by Python as lone surrogates
        return False
    return True


def _unlistable(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "its path is longer than the system allows; its articles are skipped"
    return f"cannot be read ({(exc.strerror or type(exc).__name__).lower()}); its articles are skipped"


def list_dir(root: Path, rel_dir: str, files: FileStats, dirs: DirStats, problems: Problems | None = None) -> list[str]:
    """Record one folder's article files and its mtime; return its subfolders. A folder that cannot
    be listed and a name that is not UTF-8 go to ``problems`` (one warning each), never vanish."""
    path = os.path.join(str(root), rel_dir) if rel_dir else str(root)
    subdirs = []
    try:
        dirs[rel_dir] = os.stat(path).st_mtime_ns
        entries = list(os.scandir(path))
    except OSError as exc:
        if problems is not None:
            problems[rel_dir or "."] = _unlistable(exc)
        return []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        rel = f"{rel_dir}/{name}" if rel_dir else name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if not (is_dir or is_article_name(name)):
            continue
        if not _is_utf8(name):
            if problems is not None:
                problems[printable(rel)] = "its name is not valid UTF-8; skipped (rename it)"
            continue
        if is_dir:
            subdirs.append(rel)
            continue
        try:
            st = entry.stat()
            files[rel] = (st.st_size, st.st_mtime_ns)
        except OSError:
            files[rel] = (-1, -1)  # a dangling link or a loop: parsed, it becomes a warning
    return subdirs


def walk(root: Path, start: str, files: FileStats, dirs: DirStats, problems: Problems | None = None) -> None:
    """Every article file and folder below ``start`` (a folder relative to ``root``)."""
    todo = [start]
    while todo:
        todo.extend(list_dir(root, todo.pop(), files, dirs, problems))


def scan(root: Path, problems: Problems | None = None) -> tuple[FileStats, DirStats]:
    """Every article file (size, mtime) and every folder (mtime) of the corpus; what could not be
    taken in goes to ``problems`` when given."""
    files: FileStats = {}
    dirs: DirStats = {}
    walk(root, "", files, dirs, problems)
    return files, dirs


def changed_folders(root: Path, dirs: DirStats) -> set[str] | None:
    """Folders whose mtime differs from the one known (a file added, removed or renamed in them);
    None when a folder cannot be read (then everything must be checked)."""
    changed = set()
    for rel, mtime in dirs.items():
        try:
            if os.stat(root / rel if rel else root).st_mtime_ns != mtime:
                changed.add(rel)
        except OSError:
            return None
    return changed


def rescan(root: Path, files: FileStats, dirs: DirStats, changed: set[str],
           problems: Problems | None = None) -> tuple[FileStats, DirStats]:
    """The known file list with only the changed folders listed again (new subfolders walked,
    vanished ones dropped): a file added to a 100,000-file corpus costs one folder's listing."""
    files, dirs = dict(files), dict(dirs)
    for folder in sorted(changed):
        known_sub = {d for d in dirs if d and parent(d) == folder}
        for rel in [r for r in files if parent(r) == folder]:
            del files[rel]
        if not os.path.isdir(root / folder if folder else root):
            _forget(folder, files, dirs)
            continue
        for sub in list_dir(root, folder, files, dirs, problems):
            if sub not in dirs:
                walk(root, sub, files, dirs, problems)
            known_sub.discard(sub)
        for gone in known_sub:
            _forget(gone, files, dirs)
    return files, dirs


def _forget(folder: str, files: FileStats, dirs: DirStats) -> None:
    prefix = folder + "/"
    for rel in [r for r in files if r.startswith(prefix)]:
        del files[rel]
    for d in [d for d in dirs if d == folder or d.startswith(prefix)]:
        del dirs[d]


def stat_sig(path: Path) -> str:
    """Size and mtime of a file as one string ("" when it does not exist)."""
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


def article_files(root: Path) -> list[str]:
    """The corpus's article files (paths relative to ``root``), sorted."""
    return sorted(scan(root)[0])

"""The one folder walker: which article files a corpus holds, and what changed since the index
last looked. Every part of pakus that lists a corpus lists it here, with one rule for what counts:
files named ``*.txt``, ``*.html`` or ``*.htm`` (any case: saved web pages are articles too), not
hidden, in folders that are not hidden, without following links to folders (so a link loop cannot
trap the walk).
"""

from __future__ import annotations

import os
from pathlib import Path

FileStats = dict[str, tuple[int, int]]  # rel -> (size, mtime_ns); (-1, -1) for a file that cannot be stat'ed
DirStats = dict[str, int]  # rel -> mtime_ns ("" is the corpus folder itself)

SUFFIXES = (".txt", ".html", ".htm")


def is_article_name(name: str) -> bool:
    """Whether a file name is one pakus reads as an article."""
    return not name.startswith(".") and name.lower().endswith(SUFFIXES)


def _parent(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else ""


def list_dir(root: Path, rel_dir: str, files: FileStats, dirs: DirStats) -> list[str]:
    """Record one folder's article files and its mtime; return its subfolders."""
    path = os.path.join(str(root), rel_dir) if rel_dir else str(root)
    subdirs = []
    try:
        dirs[rel_dir] = os.stat(path).st_mtime_ns
        entries = list(os.scandir(path))
    except OSError:
        return []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        rel = f"{rel_dir}/{name}" if rel_dir else name
        try:
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(rel)
                continue
        except OSError:
            continue
        if not is_article_name(name):
            continue
        try:
            st = entry.stat()
            files[rel] = (st.st_size, st.st_mtime_ns)
        except OSError:
            files[rel] = (-1, -1)  # a dangling link or a loop: parsed, it becomes a warning
    return subdirs


def walk(root: Path, start: str, files: FileStats, dirs: DirStats) -> None:
    """Every article file and folder below ``start`` (a folder relative to ``root``)."""
    todo = [start]
    while todo:
        todo.extend(list_dir(root, todo.pop(), files, dirs))


def scan(root: Path) -> tuple[FileStats, DirStats]:
    """Every article file (size, mtime) and every folder (mtime) of the corpus."""
    files: FileStats = {}
    dirs: DirStats = {}
    walk(root, "", files, dirs)
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


def rescan(root: Path, files: FileStats, dirs: DirStats, changed: set[str]) -> tuple[FileStats, DirStats]:
    """The known file list with only the changed folders listed again (new subfolders walked,
    vanished ones dropped): a file added to a 100,000-file corpus costs one folder's listing."""
    files, dirs = dict(files), dict(dirs)
    for folder in sorted(changed):
        known_sub = {d for d in dirs if d and _parent(d) == folder}
        for rel in [r for r in files if _parent(r) == folder]:
            del files[rel]
        if not os.path.isdir(root / folder if folder else root):
            _forget(folder, files, dirs)
            continue
        for sub in list_dir(root, folder, files, dirs):
            if sub not in dirs:
                walk(root, sub, files, dirs)
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

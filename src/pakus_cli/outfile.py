"""``--output FILE``: a command's stdout written to a file instead, whole or not at all.

The text is written to a temporary file beside the target and renamed over it when the command ends
with a result (exit 0, or 1 for "nothing matched", as ``grep > file`` would leave a file), so a reader
(a web server, a browser) never sees half a page, and an error or Ctrl-C leaves an earlier file as it
was. ``render`` still writes every byte; only where stdout points changes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import BadValue


def _exit_code(exc: BaseException) -> object:
    return getattr(exc, "exit_code", getattr(exc, "code", None))


@contextmanager
def output_to(path: Path | None) -> Iterator[None]:
    """Point stdout at ``path`` for the duration (None or ``-``: leave stdout alone). A path that cannot
    be written is a usage error (``BadValue``), raised on entry, before any work is done."""
    if path is None or str(path) == "-":
        yield
        return
    tmp = _start(path)
    saved, keep = sys.stdout, False
    try:
        with open(tmp, "w", encoding="utf-8") as sys.stdout:
            try:
                yield
                keep = True
            except BaseException as exc:  # typer.Exit(1), "nothing matched", is still a result
                keep = _exit_code(exc) in (0, 1)
                raise
            finally:
                if keep:
                    sys.stdout.flush()
                    os.fsync(sys.stdout.fileno())
                    sys.stdout.close()
                    _publish(tmp, path)
    finally:
        sys.stdout = saved
        if not keep and os.path.exists(tmp):
            os.unlink(tmp)


def _start(path: Path) -> str:
    """An empty temporary file beside ``path``: proof that ``path`` can be written."""
    if path.is_dir():
        raise BadValue(f"--output {path} is a folder; give a file name")
    import tempfile  # here: it costs start-up time, and only --output needs it

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise BadValue(f"cannot write --output {path}: {exc.strerror or exc}") from None
    os.close(fd)
    return tmp


def _publish(tmp: str, path: Path) -> None:
    """Rename the finished file over its target, with the target's mode (a new file's: 0666 - umask)."""
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    os.chmod(tmp, mode)
    os.replace(tmp, path)

"""The writers' lock: refreshes of one index take turns, and none waits for ever.

flock needs no write permission on the folder and is released when a process dies; it has no
timeout, so the wait polls, backing off, up to a bound.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def writers_lock(path: Path, wait: float, error: type[Exception]) -> Iterator[None]:
    """Hold the exclusive lock of ``path``, waiting at most ``wait`` seconds, else raise ``error``."""
    fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        deadline, pause = time.monotonic() + wait, 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise error(f"another pakus has been writing the index {path.with_suffix('')} for over "
                                f"{wait:.0f} s; try again when it has finished, or stop it") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.25)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

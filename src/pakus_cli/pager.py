"""Running the user's pager. It prints nothing of its own: ``render.page`` decides what to do when
the pager is missing or fails, so that a broken ``$PAGER`` never swallows the output."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys

DEFAULT = "less -FRX"  # -F: no pager when it fits; -R: colours; -X: keep it on screen


def run_pager(command: str, text: str) -> str | None:
    """Feed text to the pager (``command``, else ``less -FRX``) through the shell, as ``$PAGER`` is
    meant (it may carry arguments). None when it ran; otherwise why not, for a message."""
    command = command or DEFAULT
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return "cannot be read as a command"
    if shutil.which(program) is None:
        return "was not found"
    code = _pipe_to(command, text)
    return None if code == 0 else f"failed (exit {code})"


def _pipe_to(command: str, text: str) -> int:
    """Feed text to a shell command's stdin; its exit code. Ctrl-C belongs to the pager (as in pydoc)."""
    proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE)
    try:
        assert proc.stdin is not None
        proc.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "replace"))
        proc.stdin.close()
    except OSError:  # the pager quit before reading it all (q in less)
        pass
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            continue

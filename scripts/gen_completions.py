"""Write completions/ for bash, zsh and fish from the app itself.

    python scripts/gen_completions.py          # rewrite the files
    python scripts/gen_completions.py --check  # exit 1 if a committed file is out of date

The scripts ask pakus for candidates at each Tab press (through the _PAKUS_COMPLETE protocol),
so they do not change when commands or options change; values come from the index cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = {"bash": "pakus.bash", "zsh": "_pakus", "fish": "pakus.fish"}


def generate(shell: str) -> str:
    """The completion script pakus itself prints for a shell."""
    env = {**os.environ, "_PAKUS_COMPLETE": f"source_{shell}"}
    res = subprocess.run([sys.executable, "-m", "pakus_cli"], env=env, capture_output=True, text=True, check=True)
    return res.stdout.rstrip("\n") + "\n"


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for shell, name in FILES.items():
        path = ROOT / "completions" / name
        text = generate(shell)
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path))
        else:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text)
            print(f"wrote {path}")
    if stale:
        print("out of date: " + ", ".join(stale) + "; run python scripts/gen_completions.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The wheel's build hook: the modules that parse an article compiled to C with mypyc.

Indexing is CPU-bound in these modules (each article's lines, dates, clauses and actors); compiled,
the same code builds the index about a seventh faster and starts up a little faster (BENCHMARKS.md).
The sources are compiled in a temporary copy, so that nothing compiled lands in the checkout (an
extension module beside its .py would shadow every later edit of it), and the wheel carries the
extension modules beside the sources, which stay in it, readable.

A wheel stays pure Python, with a warning, when it cannot be compiled (no C compiler, no Python
headers) or when ``PAKUS_PURE=1`` asks for it; an editable install is never compiled.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The modules a worker spends its time in. A compiled module enforces its annotations at run time, so
# only modules that mypy checks strictly are here; the CLI, rendering and storage stay interpreted.
COMPILED = (
    "acronyms", "actors", "article", "clauses", "copies", "corpus", "dates", "events", "lines", "merging", "metadata",
    "models", "outlets", "resolvers", "search", "tables", "text", "vocabulary",
)


class MypycBuildHook(BuildHookInterface):  # type: ignore[misc,type-arg,unused-ignore]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._tmp: str | None = None
        if self.target_name != "wheel" or version == "editable":
            return
        if os.environ.get("PAKUS_PURE", "") not in ("", "0"):
            self.app.display_info("pakus: PAKUS_PURE is set, building a pure-Python wheel")
            return
        try:
            built = self._compile()
        except (OSError, ImportError) as e:
            self.app.display_warning(f"pakus: could not compile with mypyc ({e}); building a pure-Python wheel, "
                                     "which runs the same but indexes more slowly")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        for path, dest in built:
            build_data["force_include"][str(path)] = dest

    def _compile(self) -> list[tuple[Path, str]]:
        import mypyc  # noqa: F401  (the build's requirements bring it; without them, fall back)

        self._tmp = tempfile.mkdtemp(prefix="pakus-mypyc-")
        work = Path(self._tmp)
        shutil.copytree(Path(self.root) / "src" / "pakus_cli", work / "pakus_cli",
                        ignore=shutil.ignore_patterns("__pycache__", "*.so", "data", "seeds"))
        cmd = [sys.executable, "-m", "mypyc", "--ignore-missing-imports",
               *(f"pakus_cli/{m}.py" for m in COMPILED)]
        self.app.display_info(f"pakus: compiling {len(COMPILED)} modules with mypyc (about a minute)")
        done = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
        if done.returncode != 0:
            said = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
            raise OSError(f"mypyc exited with {done.returncode}: {said[-1][:200] if said else 'no message'}")
        suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
        built = [(p, f"pakus_cli/{p.name}") for p in (work / "pakus_cli").glob(f"*{suffix}")]
        built += [(p, p.name) for p in work.glob(f"*__mypyc{suffix}")]  # the modules' shared library
        if len(built) != len(COMPILED) + 1:
            raise OSError(f"mypyc built {len(built)} extension modules, expected {len(COMPILED) + 1}")
        return built

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

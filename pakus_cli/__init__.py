"""A checkout's pointer to the real package (src/pakus_cli), so that from the project's root the
modules run without installing pakus: `python3 -m pakus_cli.evaluate` scores the layout zoo with the
standard library alone. Installed, pakus is src/pakus_cli itself; this folder is not packaged."""

from pathlib import Path

__path__ = [str(Path(__file__).resolve().parent.parent / "src" / "pakus_cli")]
exec(compile((Path(__path__[0]) / "__init__.py").read_text(encoding="utf-8"), __path__[0] + "/__init__.py", "exec"))

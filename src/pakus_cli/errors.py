"""Exit codes and the domain exceptions that carry them.

Core modules raise these; only ``cli.py`` turns them into a one-line message and an
exit code (see the README's table).
"""

from __future__ import annotations

OK = 0
NO_MATCH = 1  # the command ran but found nothing, as grep does
USAGE = 2  # bad option, bad id, bad query, unreadable corpus
INTERRUPTED = 130  # Ctrl-C


class PakusError(Exception):
    """An error meant for a person: one line, with what to do about it."""

    exit_code = USAGE


class CorpusError(PakusError):
    """The corpus folder cannot be used at all."""


class UnknownArticle(PakusError):
    """An article id matched no article, or more than one."""


class BadQuery(PakusError):
    """A search query that cannot be understood."""


class BadValue(PakusError):
    """An option value that cannot be understood (a date, a format)."""

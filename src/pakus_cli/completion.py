"""Values for shell completion, read from the index cache as it is: never parsing or refreshing
the corpus, since every Tab press starts pakus. No cache yet means no suggestions."""

from __future__ import annotations

import os
import sqlite3


def cached_values(corpus: str | os.PathLike[str] | None, column: str) -> list[str]:
    """Distinct ids, outlets, agencies or tags of the corpus, from its cache; [] on any trouble."""
    try:
        from .corpus import corpus_root
        from .store import Store

        root = corpus_root(corpus)
        if column == "tag":
            from .tables import tags

            return sorted(tags())
        store = Store(root)
        if not store.path.exists():
            return []
        return store.values(column)
    except (Exception, sqlite3.Error):  # noqa: BLE001 - completion must never print a traceback
        return []


# typer's bash script puts each candidate into COMPREPLY as it is: bash then inserts "The Orient News"
# unquoted (three words), and an unquoted $( ) also glob-expands a candidate such as "*". This one
# reads the candidates line by line and quotes each with printf %q (`The\ Orient\ News`); a command
# or option name needs no quoting and is left as it is. (bash >= 3.1: printf -v.)
BASH_SCRIPT = r"""
%(complete_func)s() {
    local line quoted
    COMPREPLY=()
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        printf -v quoted '%%q' "$line"
        COMPREPLY+=("$quoted")
    done < <(env COMP_WORDS="${COMP_WORDS[*]}" \
                 COMP_CWORD=$COMP_CWORD \
                 %(autocomplete_var)s=complete_bash $1)
    return 0
}

complete -o default -F %(complete_func)s %(prog_name)s
"""


def install_shells() -> None:
    """typer's completion classes for the shells, with the bash script above (only when a shell asks:
    typer's hook has no public name, and start-up needs none of this)."""
    from typer import _completion_classes as shells

    shells.completion_init()

    class QuotingBash(shells.BashComplete):
        source_template = BASH_SCRIPT

    shells.add_completion_class(QuotingBash, "bash")  # type: ignore[attr-defined,unused-ignore]


__all__ = ["cached_values", "install_shells"]

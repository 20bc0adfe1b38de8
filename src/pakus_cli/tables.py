"""The fact tables of ``data/``, loaded once on first use.

Outlets, agencies, places, boilerplate cues and event tags are data, not code: each entry
is general (a site's footer signature, an agency's abbreviation), none keyed to one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> dict[str, Any]:
    """One TOML table of ``data/``, parsed once."""
    import tomllib  # here, not at the top: the renderer imports this module on every run

    text = (DATA / name).read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """The cue lists, each compiled to one pattern (matched against lower-case lines)."""

    stop_headings: frozenset[str]
    stop_prefix: re.Pattern[str]
    notice_prefix: re.Pattern[str]
    skip_contains: re.Pattern[str]
    skip_prefix: re.Pattern[str]
    caption: re.Pattern[str]


def _alternation(cues: list[str], prefix: bool) -> re.Pattern[str]:
    from .text import alternation

    return re.compile(("^" if prefix else "") + alternation([c.lower() for c in cues], space=" "))


@cache
def boilerplate() -> Boilerplate:
    d = load("boilerplate.toml")
    return Boilerplate(
        frozenset(s.lower() for s in d["stop_headings"]),
        _alternation(d["stop_prefixes"], True),
        _alternation(d["notice_prefixes"], True),
        _alternation(d["skip_contains"], False),
        _alternation(d["skip_prefixes"], True),
        _alternation(d["caption_cues"], False),
    )


@dataclass(frozen=True, slots=True)
class Places:
    places: frozenset[str]  # lower-case
    not_places: frozenset[str]
    dateline_names: dict[str, str]  # lower-case form -> the dateline it stands for ("washington d.c.")


@cache
def places() -> Places:
    d = load("places.toml")
    names = {k.lower(): v for k, v in d.get("dateline_names", {}).items()}
    return Places(frozenset(p.lower() for p in d["places"]), frozenset(d["not_places"]), names)


@cache
def _outlets() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    by_alias: dict[str, str] = {}
    by_domain: dict[str, str] = {}
    by_publisher: dict[str, str] = {}
    for entry in load("sources.toml")["outlets"].values():
        for alias in [entry["name"], *entry.get("aliases", [])]:
            by_alias[alias.lower()] = entry["name"]
        for domain in entry.get("domains", []):
            by_domain[domain.lower()] = entry["name"]
        for publisher in entry.get("publishers", []):
            by_publisher[publisher.lower()] = entry["name"]
    return by_alias, by_domain, by_publisher


@cache
def _agencies() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    by_abbr: dict[str, str] = {}
    house: dict[str, str] = {}
    for entry in load("sources.toml")["agencies"].values():
        for abbr in [entry["name"], *entry.get("abbr", [])]:
            by_abbr[abbr] = entry["name"]
        by_abbr[entry["full"]] = entry["name"]
        if "house_of" in entry:
            house[entry["name"]] = entry["house_of"]
    # longest first, so that "Associated Press of Pakistan" is found before "Associated Press"
    by_lower = {k.lower(): v for k, v in sorted(by_abbr.items(), key=lambda kv: -len(kv[0])) if len(k) > 4}
    return by_abbr, house, by_lower


def outlet_name(text: str) -> str | None:
    """The canonical outlet a name or alias stands for (case-insensitive), if known."""
    return _outlets()[0].get(text.strip().lower())


def outlet_known(text: str) -> str | None:
    """The outlet a name stands for, as readers know it: its own name or an alias, or the legal or parent
    company a copyright line, a masthead or a publisher declaration names ("Cable News Network": CNN).
    A publisher's name alone on a line is no signature of its own: only ``outlet_name`` counts those."""
    key = text.strip().lower()
    by_alias, _, by_publisher = _outlets()
    return by_alias.get(key) or by_publisher.get(key)


@cache
def outlet_forms(name: str) -> tuple[str, ...]:
    """Every way a page may write an outlet's name: the name, its known aliases and web domains."""
    by_alias, by_domain, _ = _outlets()
    forms = {name} | {a for a, n in by_alias.items() if n == name} | {d for d, n in by_domain.items() if n == name}
    return tuple(sorted(forms, key=len, reverse=True))


def outlet_by_domain(domain: str) -> str | None:
    """The outlet behind a web or e-mail domain (``mail.devdiscourse.com`` counts too)."""
    domain = domain.lower()
    table = _outlets()[1]
    parts = domain.split(".")
    for k in range(len(parts) - 1):
        hit = table.get(".".join(parts[k:]))
        if hit:
            return hit
    return None


def agency_name(token: str) -> str | None:
    """The agency an abbreviation stands for. Exact case for short all-capital tags, so that
    "ap" or "Pti" in running text is not taken for a wire service."""
    token = token.strip().strip("()[]").strip()
    by_abbr, _, by_lower = _agencies()
    if token in by_abbr:
        return by_abbr[token]
    if len(token) > 4:
        return by_lower.get(token.lower())
    return None


@cache
def _full_lengths() -> dict[str, tuple[int, ...]]:
    """The lengths of the agencies' full names (``_agencies``' by_lower, each longer than four
    characters) by their first five characters, longest first."""
    out: dict[str, set[int]] = {}
    for k in _agencies()[2]:
        out.setdefault(k[:5], set()).add(len(k))
    return {head: tuple(sorted(ns, reverse=True)) for head, ns in out.items()}


_PARTS = re.compile(r"[\s|,/:]+")


def agency_prefix(text: str) -> str | None:
    """The agency whose full name or tag opens a line ("Press Trust of India Washington", "AFP | ..."),
    followed by nothing, a place, or a separator. (The longest full name that opens it: the line's
    opening looked up at each length of the names that begin as it does.)"""
    by_abbr, _, by_lower = _agencies()
    low = text.lower()
    for n in _full_lengths().get(low[:5], ()):
        name = by_lower.get(low[:n]) if len(low) >= n else None
        if name is not None and (len(low) == n or not low[n].isalnum()):
            return name
    parts = _PARTS.split(text.strip())
    # a tag of two letters alone on a line is too often a widget ("AA" for the font size)
    return by_abbr.get(parts[0]) if len(parts) <= 4 and len(parts[0]) >= 3 else None


def house_outlet(agency: str) -> str | None:
    """The outlet whose own house tag an agency is (its byline names the outlet itself)."""
    return _agencies()[1].get(agency)


@cache
def tags() -> dict[str, tuple[str, ...]]:
    """Event tags and the lower-case keywords or stems that signal each."""
    return {k: tuple(v) for k, v in load("tags.toml")["tags"].items()}

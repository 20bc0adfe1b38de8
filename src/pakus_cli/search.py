"""Search without SQL: the query language, acronym and transliteration variants, snippets.

The user's query is parsed here into a tree and written out as an FTS5 expression in which
every term is a quoted string, so no character the user types can act as FTS5 or SQL syntax.
``search`` (below) binds that expression as a parameter of the one SQL query that ranks articles.

Query language: words (stemmed: ``train`` finds ``training``), ``"exact phrases"``,
``prefix*``, ``AND`` (implied between terms), ``OR``, ``NOT``, and parentheses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import BadQuery

if TYPE_CHECKING:
    from .models import Copy
    from .store import Store

# A NamedTuple, not a dataclass: a hit is the one record a `search` builds, and defining a dataclass
# (with the import of `dataclasses`) costs about a millisecond of a command that takes seventy.
class Hit(NamedTuple):
    """One search result: an article, its BM25 score and marked snippets."""

    id: str
    title: str | None
    date: dt.date | None
    outlet: str | None
    agency: str | None
    score: float
    snippets: tuple[str, ...]
    copies: tuple[Copy, ...] = ()  # syndicated copies of the same text (filled in by the library)

    def as_record(self) -> dict[str, Any]:
        """The JSON contract of a hit; matches are marked ``[``…``]``."""
        return {"id": self.id, "title": self.title, "date": self.date.isoformat() if self.date else None,
                "outlet": self.outlet, "agency": self.agency, "score": round(self.score, 4),
                "snippets": list(self.snippets), "copies": [c.as_record() for c in self.copies]}


# -- parsing ---------------------------------------------------------------------------------

# A person's query has a few terms and a level or two of parentheses; past these it is a script's
# mistake, and FTS5's parser would overflow its stack on the nesting anyway.
MAX_TERMS = 256
MAX_NESTING = 32
MAX_LIMIT = 10**9  # --limit above this means "all" (a larger one would overflow SQLite's integer)

# The characters a word of a query may hold besides letters and digits (and a "*" at its end)
_WORD_MARKS = frozenset("_'’.&/+-")


class Term:
    """A word or phrase of a query: ``words`` are its tokens; ``prefix`` for ``word*``."""

    __slots__ = ("words", "prefix", "phrase")

    def __init__(self, words: tuple[str, ...], prefix: bool = False, phrase: bool = False) -> None:
        self.words, self.prefix, self.phrase = words, prefix, phrase


class Op:
    """``left op right`` for AND, OR, NOT."""

    __slots__ = ("op", "left", "right")

    def __init__(self, op: str, left: Node, right: Node) -> None:
        self.op, self.left, self.right = op, left, right


Node = Term | Op

_SPLIT_WORDS = re.compile(r"\w+")  # (the pattern copies.py compiles too: one compile a run)


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _SPLIT_WORDS.findall(text))


def parse_query(query: str) -> Node:
    """Parse a query; raises BadQuery (a one-line message) for anything malformed."""
    if not query.strip():
        raise BadQuery("the query is empty; give a word, a \"phrase\" or prefix*")
    if query.count('"') % 2:
        raise BadQuery('the query has an unbalanced double quote; close the "phrase"')
    tokens = _tokens(query)
    _check_size(tokens)
    parser = _Parser(tokens)
    node = parser.expr()
    if parser.i != len(tokens):
        kind, text = tokens[parser.i]
        raise BadQuery(f"unexpected {text!r} in the query" + ("; close the '(' first" if kind == "close" else ""))
    return node


def _tokens(query: str) -> list[tuple[str, str]]:
    """A query's tokens, left to right, each (kind, text): a "phrase" in double quotes, an "open" or a
    "close" parenthesis, or a "word" (what runs up to a space, a parenthesis or a quote). Read with
    string methods, not a regular expression: compiling one costs every search a fraction of a ms."""
    tokens: list[tuple[str, str]] = []
    pos, n = 0, len(query)
    while True:
        while pos < n and query[pos].isspace():
            pos += 1
        if pos == n:
            return tokens
        c = query[pos]
        if c == '"':
            end = query.find('"', pos + 1) + 1
            if end == 0:  # (parse_query refuses an odd number of quotes before)
                return tokens
            tokens.append(("phrase", query[pos:end]))
        elif c in "()":
            end = pos + 1
            tokens.append(("open" if c == "(" else "close", c))
        else:
            end = pos + 1
            while end < n and not query[end].isspace() and query[end] not in '()"':
                end += 1
            tokens.append(("word", query[pos:end]))
        pos = end


def _word_ok(text: str) -> bool:
    """Whether a word of a query is letters, digits and ``_WORD_MARKS``, with at most a "*" at its end."""
    body = text[:-1] if text.endswith("*") else text
    return bool(body) and all(c.isalnum() or c in _WORD_MARKS for c in body)


def _check_size(tokens: list[tuple[str, str]]) -> None:
    """Refuse a query too big to search (before any recursion over it)."""
    terms = sum(1 for kind, text in tokens if kind in ("word", "phrase") and text not in ("AND", "OR", "NOT"))
    if terms > MAX_TERMS:
        raise BadQuery(f"the query has {terms} terms; at most {MAX_TERMS} can be searched at once, so split it")
    depth = deepest = 0
    for kind, _ in tokens:
        depth += {"open": 1, "close": -1}.get(kind, 0)
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise BadQuery(f"the query nests parentheses {deepest} deep; at most {MAX_NESTING} levels, so flatten it")


class _Parser:
    """Recursive descent: or_expr := and_expr (OR and_expr)*; and_expr := unary ((AND|NOT)? unary)*."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def is_op(self, name: str) -> bool:
        t = self.peek()
        return t is not None and t[0] == "word" and t[1] == name

    def expr(self) -> Node:
        node = self.and_expr()
        while self.is_op("OR"):
            self.i += 1
            node = Op("OR", node, self.and_expr("OR"))
        return node

    def and_expr(self, after: str | None = None) -> Node:
        node = self.unary(after)
        while True:
            t = self.peek()
            if t is None or t[0] == "close" or self.is_op("OR"):
                return node
            if self.is_op("AND"):
                self.i += 1
                node = Op("AND", node, self.unary("AND"))
            elif self.is_op("NOT"):
                self.i += 1
                node = Op("NOT", node, self.unary("NOT"))
            else:
                node = Op("AND", node, self.unary())

    def unary(self, after: str | None = None) -> Node:
        t = self.peek()
        if t is None:
            if after:
                raise BadQuery(f"{after} needs a term after it (a {after} b)")
            raise BadQuery("the query ends too early")
        kind, text = t
        if kind == "word" and text in ("AND", "OR", "NOT"):
            if text == "NOT" and after is None:
                raise BadQuery("NOT needs a term before it: write 'a NOT b' (FTS cannot search for 'everything but')")
            raise BadQuery(f"{text} needs a term on each side (a {text} b)")
        self.i += 1
        if kind == "open":
            node = self.expr()
            if self.peek() is None or self.peek()[0] != "close":  # type: ignore[index]
                raise BadQuery("the query has an unclosed '('")
            self.i += 1
            return node
        if kind == "close":
            raise BadQuery("the query has a ')' without its '('")
        if kind == "phrase":
            words = _words(text[1:-1])
            if not words:
                raise BadQuery(f"the phrase {text} holds no word")
            return Term(words, phrase=True)
        if not _word_ok(text) or text.startswith("*"):
            bad = next((c for c in text if c in '*:^{}[]~,;=<>'), text[:1])
            raise BadQuery(f"{text!r} has {bad!r} where a query cannot have it; quote it as a \"phrase\"")
        prefix = text.endswith("*")
        words = _words(text.rstrip("*"))
        if not words:
            raise BadQuery(f"{text!r} holds no letter or digit to search for")
        return Term(words, prefix=prefix, phrase=len(words) > 1)


# -- expansion: acronyms and transliteration -------------------------------------------------

# Urdu names join words with -e- or -i- (izafat): "Azm-e-Istehkam" and "Azm-i-Istehkam" are one
# name, as is "Tehreek-e-Taliban"/"Tehreek-i-Taliban". A term with such a connector also finds
# the other connector and the bare compound.
_CONNECTORS = ("e", "i")


def _variants(term: Term) -> list[tuple[str, ...]]:
    words = term.words
    spots = [k for k in range(1, len(words) - 1) if words[k] in _CONNECTORS]
    if not spots:
        return [words]
    out = {words}
    for k in spots:
        for c in _CONNECTORS:
            out.add(words[:k] + (c,) + words[k + 1 :])
        out.add(words[:k] + words[k + 1 :])
    return sorted(out)


Lookup = Callable[[str], list[str]]


def to_fts(node: Node, short_to_long: Lookup | None = None, long_to_short: Lookup | None = None) -> str:
    """The FTS5 expression of a parsed query: every term a quoted string, expanded with the
    acronyms the corpus defines and with transliteration variants. A chain of one operator is
    written flat (``a AND b AND c``): FTS5's parser overflows on deep parentheses."""
    if isinstance(node, Op):
        parts = [to_fts(n, short_to_long, long_to_short) for n in _chain(node)]
        return "(" + f" {node.op} ".join(parts) + ")"
    alts: list[str] = []
    for words in _variants(node):
        alts.append(_quote(words, node.prefix))
    if not node.prefix:
        if short_to_long and len(node.words) == 1:
            for long in short_to_long(node.words[0]):
                alts.append(_quote(_words(long), False))
        if long_to_short and len(node.words) > 1:
            for short in long_to_short(" ".join(node.words)):
                alts.append(_quote(_words(short), False))
    alts = list(dict.fromkeys(alts))
    return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"


def _chain(node: Op) -> list[Node]:
    """The operands of a left-leaning chain of one associative operator (``((a AND b) AND c)`` → a, b, c),
    found without recursion; NOT is not associative, so its chain is its two sides."""
    if node.op == "NOT":
        return [node.left, node.right]
    rights: list[Node] = []
    cur: Node = node
    while isinstance(cur, Op) and cur.op == node.op:
        rights.append(cur.right)
        cur = cur.left
    return [cur, *reversed(rights)]


def fts_phrase(text: str) -> str:
    """Any text as one quoted FTS5 phrase of its words (nothing in it can act as syntax)."""
    return _quote(_words(text), False)


def _quote(words: Iterable[str], prefix: bool) -> str:
    text = " ".join(words).replace('"', '""')
    return f'"{text}"' + (" *" if prefix else "")


def as_long_form(node: Node) -> str | None:
    """A query of plain words only, as one lower-case string (it may be an acronym's long form)."""
    if isinstance(node, Term):
        return None if node.prefix else " ".join(node.words)
    if node.op != "AND":
        return None
    parts = [as_long_form(n) if isinstance(n, Term) else None for n in _chain(node)]
    return " ".join(p for p in parts if p) if all(parts) else None


# -- snippets --------------------------------------------------------------------------------

MARK_OPEN, MARK_CLOSE = "\x02", "\x03"


def snippets(highlighted: str, most: int = 3, width: int = 220) -> list[str]:
    """Up to ``most`` windows of the text around its marked matches, best first, with matches in
    ``[``…``]``; a literal bracket of the article is written ``\\[`` or ``\\]``."""
    text = highlighted.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    spans: list[tuple[int, int]] = []
    pos = 0
    plain = []
    marks: list[tuple[int, int]] = []
    for m in re.finditer(f"{MARK_OPEN}(.*?){MARK_CLOSE}", text, re.S):
        plain.append(text[pos : m.start()])
        start = sum(len(p) for p in plain)
        plain.append(m.group(1))
        marks.append((start, start + len(m.group(1))))
        pos = m.end()
    plain.append(text[pos:])
    body = "".join(plain)
    if not marks:
        return []
    # windows centred on marks, greedily chosen to cover the most marks, without overlap
    candidates = []
    for a, _ in marks:
        lo = max(0, a - width // 2)
        hi = min(len(body), lo + width)
        lo = max(0, hi - width)
        count = sum(1 for x, y in marks if x >= lo and y <= hi)
        candidates.append((count, -lo, lo, hi))
    candidates.sort(reverse=True)
    for _, _, lo, hi in candidates:
        if len(spans) == most:
            break
        if all(hi <= s or lo >= e for s, e in spans):
            spans.append((lo, hi))
    out = []
    for lo, hi in spans:
        lo, hi = _word_edges(body, lo, hi)
        piece = []
        cur = lo
        for a, b in marks:
            if a >= lo and b <= hi:
                piece.append(body[cur:a] + "[" + body[a:b] + "]")
                cur = b
        piece.append(body[cur:hi])
        snippet = " ".join("".join(piece).split())
        snippet = re.sub(r"(?<!\\)\] \[", " ", snippet)  # adjacent matches read as one: [Military Education]
        out.append(("…" if lo > 0 else "") + snippet + ("…" if hi < len(body) else ""))
    return out


def _word_edges(body: str, lo: int, hi: int) -> tuple[int, int]:
    if lo > 0:
        space = body.find(" ", lo)
        if 0 <= space < lo + 30:
            lo = space + 1
    if hi < len(body):
        space = body.rfind(" ", lo, hi)
        if space > hi - 30:
            hi = space
    return lo, hi


# -- the SQL ---------------------------------------------------------------------------------------


def search(store: Store, query: str, *, since: dt.date | None = None, until: dt.date | None = None,
           outlet: Sequence[str] = (), agency: Sequence[str] = (), limit: int = 20) -> list[Hit]:
    """BM25-ranked articles for a query, with up to three marked snippets each. ``outlet`` and
    ``agency``: any of these (part of the name, any case); both when both are given."""
    import sqlite3

    node = parse_query(query)
    limit = max(1, min(limit, MAX_LIMIT))  # SQLite's integers end at 2**63 - 1; no corpus is near this
    whole = as_long_form(node)
    extra = store.short_forms(whole) if whole and " " in whole else []
    # Ranking needs no long forms: every article containing one carries its acronym in `aliases`.
    # Highlighting does, so the full expansion marks the snippets of the rows returned.
    expr = to_fts(node, None, store.short_forms)
    marks = to_fts(node, store.long_forms, store.short_forms)
    if extra:  # the whole query is a long form: its acronyms count too
        also = "".join(" OR " + fts_phrase(s) for s in extra)
        expr, marks = f"({expr}{also})", f"({marks}{also})"
    where, args = _where(expr, since, until, {"outlet": outlet, "agency": agency})
    sql = ("SELECT a.docid, a.id, a.title, a.date, a.outlet, a.agency, fts.rank FROM fts JOIN articles a"
           f" ON a.docid = fts.rowid WHERE {' AND '.join(where)} ORDER BY fts.rank LIMIT ?")
    if len(where) == 1:  # no filter on the articles: only the best rows are read from them (joined first,
        # every match's row would be); BM25 called by name costs a third less than `rank` (the same
        # function, declared in the schema); ties in rowid order, as `ORDER BY rank` leaves them
        from .store import BM25_WEIGHTS

        sql = ("SELECT a.docid, a.id, a.title, a.date, a.outlet, a.agency, f.score FROM (SELECT rowid,"
               f" bm25(fts, {BM25_WEIGHTS}) AS score FROM fts WHERE fts MATCH ? ORDER BY score, rowid LIMIT ?) f"
               " JOIN articles a ON a.docid = f.rowid ORDER BY f.score, f.rowid")
    try:
        rows = store.con.execute(sql, [*args, limit]).fetchall()
        marked = dict(store.con.execute(
            f"SELECT rowid, highlight(fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}') FROM fts WHERE fts MATCH ?"
            f" AND rowid IN ({','.join('?' * len(rows))})", [marks, *(r[0] for r in rows)]).fetchall())
    except sqlite3.OperationalError as exc:
        raise BadQuery(f"the query cannot be searched ({exc}); simplify it or quote it as a \"phrase\"") from None
    return [
        Hit(ident, title, dt.date.fromisoformat(date) if date else None, out, ag, -rank,
            tuple(snippets(marked.get(docid, ""))))
        for docid, ident, title, date, out, ag, rank in rows
    ]


def _where(expr: str, since: dt.date | None, until: dt.date | None,
           any_of: dict[str, Sequence[str]]) -> tuple[list[str], list[Any]]:
    """The WHERE terms: the query, the dates, and per column of ``any_of`` an OR of LIKEs (a new
    repeatable filter on an article column is one more entry)."""
    where = ["fts MATCH ?"]
    args: list[Any] = [expr]
    if since:
        where.append("a.date >= ?")
        args.append(since.isoformat())
    if until:
        where.append("a.date <= ?")
        args.append(until.isoformat())
    for column, values in any_of.items():
        if values:
            where.append("(" + " OR ".join(f"a.{column} LIKE ? ESCAPE '\\'" for _ in values) + ")")
            args.extend("%" + v.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                        for v in values)
    return where, args

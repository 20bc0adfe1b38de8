"""Scoring of the evaluation: each page's fields, snippets, prose and events checked against its
label, the totals, and the gate (floors and ceilings) that ``tests/test_layouts.py`` holds."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .labels import FIELDS, NORMALISE, ExpectedEvent, Label, expected_prose, fold, label_problems, short, words, ws

OUTCOMES = ("right", "wrong", "missed", "invented")
# --failures lists a page's prose share when it is below this.
PROSE_OK = 0.95

# The gate: metric -> minimum (FLOORS) or maximum (CEILINGS), checked on the total over every
# collection evaluated. A ratchet: each bound is the value measured on tests/layouts + seeds when
# it was last raised, rounded towards failing; raise it whenever the parser improves, never lower
# it to let a change through. The comment on each line is the target.
FLOORS: dict[str, float] = {
    "lead_kept": 1.0,  # target 1.00 (measured 1.000 on 65 pages)
    "end_kept": 0.99,  # target 0.95 (measured 1.000)
    "title_right": 0.98,  # target 0.95 (measured 1.000)
    "date_right": 0.99,  # target 0.95 (measured 1.000)
    "agency_right": 0.98,  # target 0.95 (measured 0.985)
    "outlet_right": 0.88,  # (measured 0.882 on 85 pages)
    "dateline_right": 0.88,  # (measured 0.882 on 85 pages)
    "prose_kept": 0.99,  # (measured 0.999)
    "event_recall": 0.78,  # (measured 0.788 on 85 pages: the relevant events `timeline` shows)
    "event_precision": 0.76,  # (measured 0.765)
}

CEILINGS: dict[str, float] = {
    "debris_leaked": 0.02,  # target 0.03 (measured 0.015)
    "event_duplicates": 0.04,  # (measured 0.032 on 85 pages: one happening, one event)
    "title_invented": 0.0,  # target 0.00
    "date_invented": 0.0,  # target 0.00
    "outlet_invented": 0.0,
    "agency_invented": 0.0,
}


@dataclass(frozen=True)
class Extracted:
    """What pakus made of one page: its fields as strings, its body, its events as (date, text)."""

    fields: tuple[tuple[str, str | None], ...]
    body: str
    events: tuple[tuple[str, str], ...] = ()
    curated: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Ratio:
    num: int
    den: int

    @property
    def value(self) -> float | None:
        return self.num / self.den if self.den else None

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.num + other.num, self.den + other.den)


@dataclass(frozen=True)
class FieldCheck:
    name: str
    expected: str | None
    got: str | None
    outcome: str  # one of OUTCOMES, or "curated" (not scored)


@dataclass(frozen=True)
class EventCheck:
    expected: int
    matched: int
    produced: int
    correct: int
    missed: tuple[ExpectedEvent, ...]
    extra: tuple[tuple[str, str], ...]
    duplicates: int = 0


@dataclass(frozen=True)
class PageResult:
    file: str
    fields: tuple[FieldCheck, ...]
    lead_kept: bool | None
    end_kept: bool | None
    must: Ratio
    must_missing: tuple[str, ...]
    debris: Ratio
    debris_leaked: tuple[str, ...]
    prose: Ratio | None
    events: EventCheck | None
    notes: tuple[str, ...] = ()

    def failures(self) -> list[str]:
        """Each failed check of the page, as a line a developer can act on."""
        out = list(self.notes)
        for fc in self.fields:
            if fc.outcome not in ("right", "curated"):
                out.append(f"{fc.name} {fc.outcome}: expected {fc.expected!r}, got {fc.got!r}")
        out += _snippet_failures(self)
        if self.events is not None:
            out += [f"event missed: {e.date} {e.text!r}" for e in self.events.missed]
            out += [f"event not expected: {d} {short(t)!r}" for d, t in self.events.extra]
        return out


@dataclass(frozen=True)
class Tally:
    """The metrics over a set of pages."""

    pages: int
    fields: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # field -> ((outcome, count), ...)
    lead_kept: Ratio
    end_kept: Ratio
    must_kept: Ratio
    debris_leaked: Ratio
    prose_kept: Ratio
    event_recall: Ratio
    event_precision: Ratio
    event_duplicates: Ratio = Ratio(0, 0)

    def counts(self, name: str) -> dict[str, int]:
        return dict(dict(self.fields)[name])

    def metrics(self) -> dict[str, Ratio]:
        """Every metric by name: ``title_right`` .. ``dateline_invented``, ``lead_kept`` ..."""
        out: dict[str, Ratio] = {}
        for name, _ in self.fields:
            counts = self.counts(name)
            scored = sum(counts[o] for o in OUTCOMES)
            for o in OUTCOMES:
                out[f"{name}_{o}"] = Ratio(counts[o], scored)
        for key in ("lead_kept", "end_kept", "must_kept", "debris_leaked", "prose_kept",
                    "event_recall", "event_precision", "event_duplicates"):
            out[key] = getattr(self, key)
        return out


@dataclass(frozen=True)
class CollectionScores:
    name: str
    pages: tuple[PageResult, ...]
    notes: tuple[str, ...] = ()

    @property
    def tally(self) -> Tally:
        return tally(self.pages)


@dataclass(frozen=True)
class Scores:
    collections: tuple[CollectionScores, ...]

    @property
    def total(self) -> Tally:
        return tally([p for c in self.collections for p in c.pages])


@dataclass(frozen=True)
class Shortfall:
    metric: str
    value: float
    bound: float
    kind: str = field(default="floor")  # "floor" (a minimum) or "ceiling" (a maximum)

    def __str__(self) -> str:
        sign = "<" if self.kind == "floor" else ">"
        return f"{self.metric} {self.value:.3f} {sign} {self.kind} {self.bound:.2f}"


# -- scoring ---------------------------------------------------------------------------------


def outcome(name: str, expected: str | None, got: str | None) -> str:
    """right / wrong / missed / invented for one field."""
    if expected is None:
        return "right" if got is None else "invented"
    if got is None:
        return "missed"
    norm = NORMALISE[name]
    return "right" if norm(expected) == norm(got) else "wrong"


def _check_fields(label: Label, got: Extracted | None) -> tuple[FieldCheck, ...]:
    values = dict(got.fields) if got else {}
    curated = got.curated if got else frozenset()
    out = []
    for name, expected in label.fields:
        value = values.get(name)
        kind = "curated" if name in curated else outcome(name, expected, value)
        out.append(FieldCheck(name, expected, value, kind))
    return tuple(out)


def _event_matches(expected: ExpectedEvent, produced: tuple[str, str]) -> bool:
    date, text = produced
    return date == expected.date and fold(expected.text) in fold(text)


def check_events(expected: Sequence[ExpectedEvent], produced: Sequence[tuple[str, str]]) -> EventCheck:
    missed = tuple(e for e in expected if not any(_event_matches(e, p) for p in produced))
    extra = tuple(p for p in produced if not any(_event_matches(e, p) for e in expected))
    return EventCheck(len(expected), len(expected) - len(missed), len(produced), len(produced) - len(extra),
                      missed, extra, _duplicates(expected, produced))


def _duplicates(expected: Sequence[ExpectedEvent], produced: Sequence[tuple[str, str]]) -> int:
    """Produced events beyond one per happening: events whose sentences report the same expected
    happenings (whatever date each was given), less the number of those happenings."""
    groups: Counter[frozenset[int]] = Counter()
    for _, text in produced:
        told = frozenset(i for i, e in enumerate(expected) if fold(e.text) in fold(text))
        if told:
            groups[told] += 1
    return sum(max(0, n - len(told)) for told, n in groups.items())


def _prose(text: str | None, label: Label, body: str) -> Ratio | None:
    prose = expected_prose(text, label) if text is not None else None
    if prose is None:
        return None
    want = words(" ".join(prose))
    have = words(body)
    return Ratio(sum(min(n, have[w]) for w, n in want.items()), sum(want.values()))


def score_page(file: str, label: Label, got: Extracted | None, text: str | None,
               notes: Sequence[str] = ()) -> PageResult:
    """Score what pakus made of one page (``got``, None when it made no article) against its
    label; ``text`` is the dump (for the expected prose and the label's own checks)."""
    body = ws(got.body) if got else ""
    kept = [s for s in label.must if ws(s) in body]
    leaked = [s for s in label.must_not if ws(s) in body]
    events = None
    if label.events is not None:
        events = check_events(label.events, got.events if got else ())
    all_notes = list(notes) + (label_problems(label, text) if text is not None else [])
    return PageResult(
        file=file,
        fields=_check_fields(label, got),
        lead_kept=ws(label.lead) in body if label.lead else None,
        end_kept=ws(label.end) in body if label.end else None,
        must=Ratio(len(kept), len(label.must)),
        must_missing=tuple(s for s in label.must if s not in kept),
        debris=Ratio(len(leaked), len(label.must_not)),
        debris_leaked=tuple(leaked),
        prose=_prose(text, label, got.body if got else ""),
        events=events,
        notes=tuple(all_notes),
    )


def _kept(flags: Iterable[bool | None]) -> Ratio:
    known = [f for f in flags if f is not None]
    return Ratio(sum(known), len(known))


def _sum(ratios: Iterable[Ratio | None]) -> Ratio:
    total = Ratio(0, 0)
    for r in ratios:
        if r is not None:
            total = total + r
    return total


def tally(pages: Sequence[PageResult]) -> Tally:
    counts = {name: Counter[str]() for name in FIELDS}
    for page in pages:
        for fc in page.fields:
            counts[fc.name][fc.outcome] += 1
    events = [p.events for p in pages if p.events is not None]
    return Tally(
        pages=len(pages),
        fields=tuple((name, tuple((o, counts[name][o]) for o in (*OUTCOMES, "curated"))) for name in FIELDS),
        lead_kept=_kept(p.lead_kept for p in pages),
        end_kept=_kept(p.end_kept for p in pages),
        must_kept=_sum(p.must for p in pages),
        debris_leaked=_sum(p.debris for p in pages),
        prose_kept=_sum(p.prose for p in pages),
        event_recall=_sum(Ratio(e.matched, e.expected) for e in events),
        event_precision=_sum(Ratio(e.correct, e.produced) for e in events),
        # a produced event that only repeats a happening another produced event already matched
        event_duplicates=_sum(Ratio(e.duplicates, e.produced) for e in events),
    )


def check(scores: Scores) -> list[Shortfall]:
    """The metrics of the total that are below their floor or above their ceiling (empty: pass).
    A metric with nothing to measure (no pages with events, say) is not checked."""
    measured = scores.total.metrics()
    out = []
    for kind, bounds in (("floor", FLOORS), ("ceiling", CEILINGS)):
        for metric, bound in bounds.items():
            value = measured[metric].value
            if value is None:
                continue
            if (value < bound - 1e-9) if kind == "floor" else (value > bound + 1e-9):
                out.append(Shortfall(metric, value, bound, kind))
    return out


def ratchet(scores: Scores) -> dict[str, float]:
    """The gated metrics as measured now, rounded towards failing (floors down, ceilings up, to
    two places): the values to write into FLOORS and CEILINGS when the parser has improved."""
    measured = scores.total.metrics()
    out: dict[str, float] = {}
    for metric in (*FLOORS, *CEILINGS):
        value = measured[metric].value
        if value is not None:
            hundredths = value * 100
            rounded = math.floor(hundredths + 1e-9) if metric in FLOORS else math.ceil(hundredths - 1e-9)
            out[metric] = rounded / 100
    return out


def fmt_ratio(r: Ratio, digits: int = 3) -> str:
    v = r.value
    return "–" if v is None else f"{v:.{digits}f}"


def _snippet_failures(page: PageResult) -> list[str]:
    out = []
    if page.lead_kept is False:
        out.append("lead not kept")
    if page.end_kept is False:
        out.append("end not kept")
    out += [f"must missing: {s!r}" for s in page.must_missing]
    out += [f"debris leaked: {s!r}" for s in page.debris_leaked]
    if page.prose is not None and (page.prose.value or 0.0) < PROSE_OK and page.prose.den:
        out.append(f"prose words kept {fmt_ratio(page.prose, 2)} ({page.prose.num}/{page.prose.den})")
    return out

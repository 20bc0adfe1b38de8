"""The fast forms of the word patterns find what the plain forms find.

Finding events runs a few hundred word lists over every article, so they are built for speed: word
lists as tries (``text.alternation``), cue lists searched together (``text.CueSet``), a person's
office searched from the titles (``actors._people_in``), date rules run only when the sentence
holds the words they need. Each is checked here against the plain form it stands for.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pakus_cli import actors, dates, text
from pakus_cli.article import parse
from pakus_cli.corpus import decode

from .conftest import COMPILED

LAYOUTS = Path(__file__).parent / "layouts"
ALPHABET = "aAbBcCsSkKiI .-"
FOLDING = "\u017f\u0131\u0130\u212a\u00e9\u00c9"  # long s, dotless i, dotted I, Kelvin sign, é, É


def _flat(options: list[str], word: bool = False) -> str:
    """The alternation as it was: every word, longest first."""
    items = sorted(set(options), key=len, reverse=True)
    body = "|".join(re.escape(i).replace(r"\ ", r"\s+") for i in items)
    return rf"\b(?:{body})\b" if word else f"(?:{body})"


words = st.lists(st.text(ALPHABET + "\u00e9", max_size=5), max_size=7)
texts = st.lists(st.text(ALPHABET + FOLDING + "x", max_size=14), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(words, texts, st.sampled_from([(0, False), (re.I, True), (re.I, False)]), st.booleans())
def test_a_trie_matches_what_the_word_list_matches(options: list[str], samples: list[str],
                                                   mode: tuple[int, bool], word: bool) -> None:
    flags, fold = mode
    plain = re.compile(_flat(options, word), flags)
    trie = re.compile(text.alternation(options, word=word, fold=fold), flags)
    for sample in samples:
        assert [m.span() for m in trie.finditer(sample)] == [m.span() for m in plain.finditer(sample)]


def test_case_twins_keep_longest_first() -> None:
    """Under re.I, "ab" and "Abcd" would be sibling branches; the longest word must still win."""
    rx = re.compile(text.alternation(["Abcd", "Ab", "abc"]), re.I)
    assert rx.match("abcx")[0] == "abc"  # type: ignore[index]


cue_lists = st.dictionaries(st.sampled_from("pqrs"), st.lists(st.text("absk -", min_size=1, max_size=4).map(
    lambda c: c.strip() or "a").flatmap(lambda c: st.sampled_from([c, c + "$"])), min_size=1, max_size=4),
    min_size=1, max_size=4)


def test_folded_letters_match_what_re_i_matches() -> None:
    """Every character beyond ASCII that re.I takes for an ASCII letter is in that letter's class."""
    letter = re.compile("[a-z]", re.I)
    for code in range(0x80, 0x10000):
        ch = chr(code)
        if letter.fullmatch(ch):
            twin = next(a for a in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(a, ch, re.I))
            assert re.fullmatch(text.alternation([twin], fold=True), ch), hex(code)


@settings(max_examples=300, deadline=None)
@given(cue_lists, st.text("aAbBsk -,x" + FOLDING, max_size=30))
def test_a_cue_set_finds_each_names_first_cue(named: dict[str, list[str]], sample: str) -> None:
    expected = {name: m.start() for name, cues in named.items() if (m := text.cue_pattern(cues).search(sample))}
    assert text.CueSet(named.items()).first(sample) == expected


def _paragraphs() -> list[str]:
    out: list[str] = []
    for path in sorted(LAYOUTS.glob("*.txt")):
        out += parse(decode(path.read_bytes())[0], ident=path.stem, file=path.name).paragraphs
    return out


def test_people_are_found_as_the_office_pattern_finds_them() -> None:
    person = actors._office()[0]
    paragraphs = _paragraphs()
    assert paragraphs
    made = [
        "Commander of US Central Command General Michael Kurilla met Gen Asim Munir and Lt. Gen. Sahir Mirza.",
        "The US Secretary of Defense Lloyd Austin, Secretary General Antonio Guterres and PM Shehbaz Sharif spoke.",
        "(General Qamar Bajwa) and Ambassador Masood Khan, and the Foreign Minister of Pakistan Bilawal Zardari.",
        # the words before a title read back from near it: long words, runs of spaces, a far start
        "word " * 90 + "Of The  US\tDefence Secretary Lloyd Austin and " + "x" * 300
        + " of the Army Chief General Asim Munir",
        "Commander " + "y" * 500 + " Of Us And The For Central Command General Michael Kurilla.",
        "A B C D E F G H General Michael Kurilla " + "z " * 200 + "I J K L M N O Ambassador Masood Khan",
    ]
    found = 0
    for para in paragraphs + made:
        expected = [m.groupdict() | {"span": m.span()} for m in person.finditer(para)]
        assert [m.groupdict() | {"span": m.span()} for m in actors._people_in(para)] == expected
        found += len(expected)
    assert found > 20


def _tags(sentences: list[str]) -> list[list[tuple[str, int, int, object, object]]]:
    ctx = dates.Context(dates.dt.date(2024, 6, 15), dates.dt.date(2024, 6, 10), 2024)
    return [[(v.text, v.begin, v.finish, v.start, v.end) for v in dates.tag(s, ctx)] for s in sentences]


def test_a_rule_skipped_for_want_of_its_words_would_have_found_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every sentence of the layout pages, and date forms of every rule, tagged with the needs and
    with every rule run: the same time expressions."""
    from pakus_cli.text import sentences

    sample = [s for para in _paragraphs() for s in sentences(para)]
    sample += ["Talks ran from October 2 to October 15 and between 28 February and 3 March 2023.",
               "The drill of June 22-24, 2024 followed 13 to 16 February 2023, the last week of February.",
               "In July last year, and in November of that year, early March 2022, on June 26, the 5th of March.",
               "In July, since January, from Monday to Thursday, on Sunday, earlier this week, the coming month.",
               "Two years ago, a day earlier, the day before, yesterday, early 2021, the 1990s, in 2014, recently.",
               "Maritime summary: a doctor's decision in Marchx.", "It was the last week of Mayor Khan's term.",
               "Talks inMarch, Sept 5 and mid-Sept."]
    with_needs = _tags(sample)
    monkeypatch.setattr(dates, "_rules_for", lambda present: dates.rules()[0])
    assert _tags(sample) == with_needs
    assert sum(map(len, with_needs)) > 100


def _present_plain(lower: str) -> set[str]:
    """``dates._present`` as it was: one scan, the longest word at each place and the needs of every
    word it begins with; the whole words ("mar$") in a scan of their own."""
    by_word: dict[str, set[str]] = {}
    for need, words_ in dates._needs():
        for w in words_:
            by_word.setdefault(w, set()).add(need)
    plain = [w for w in by_word if not w.endswith("$")]
    whole = [w[:-1] for w in by_word if w.endswith("$")]
    present: set[str] = set()
    for words_, tail in ((plain, ""), (whole, "(?![a-z])")):
        for m in re.finditer(f"(?=({text.alternation(words_, space=' ')}{tail}))", lower):
            for v, needs in by_word.items():
                b = v.removesuffix("$")
                w = m[1]
                if w.startswith(b) and (not v.endswith("$") or len(w) == len(b) or not w[len(b)].isalpha()):
                    present |= needs
    return present


def test_the_needs_a_sentence_meets_are_those_one_scan_finds() -> None:
    from pakus_cli.text import sentences

    sample = [s.lower() for para in _paragraphs() for s in sentences(para)]
    sample += ["maritime mayday in marchx, sept. 5 and mid-sept", "the 1990s, yesterday's holiday, nowadays",
               "that same year; that year; some time; previously; currently; lately; later", "0s", "may"]
    met = 0
    for s in sample:
        assert dates._present(s) == _present_plain(s), s
        met += len(_present_plain(s))
    assert met > 1000


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["day", "to", "yester", "mon", "year", "s", "that ", "same ", "0", "1", " ", "mar",
                                 "ch", "sep", "t", "x", "late", "ly", "r", "previous", "ago", "-", ".", "\t",
                                 "\xa0", "\n", "some", " time"]), max_size=12))
def test_the_needs_of_any_words_are_those_one_scan_finds(parts: list[str]) -> None:
    sample = "".join(parts)
    assert dates._present(sample) == _present_plain(sample)
    assert dates._present(sample) == _present_plain(sample)  # (the second time from the words' memo)


@pytest.mark.skipif(COMPILED, reason="compiled, dates reads its memo's bound where no monkeypatch reaches")
def test_the_needs_are_found_the_same_when_the_words_memo_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "_WORD_NEEDS", {})
    monkeypatch.setattr(dates, "_WORD_NEEDS_MOST", 3)
    sample = ["yesterday in mar. 2021 and early the same year", "that same year, some time ago: mid-sept",
              "maritime monday", "yesterday in mar. 2021 and early the same year",
              "see https://example.com/2021/mar/yesterday-monday-" + "x" * 60 + " today"]
    for s in sample:
        assert dates._present(s) == _present_plain(s), s
        assert len(dates._WORD_NEEDS) <= 3 + len(s.split())
    assert all(len(w) <= dates._WORD_KEPT_LEN for w in dates._WORD_NEEDS)  # (a long run is not kept)


# ``text._SPLIT_AT`` as it was: the stop behind the split point, a look-behind tried at every place
_SPLIT = re.compile(r"(?<=[.?!])([\"'”’)\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])")
# the word before a stop, as ``text._last_word`` reads it back
_LAST_WORD = re.compile(r"([\w.'’]+)\.$")


def _sentences_plain(paragraph: str) -> list[str]:
    """``text.sentences`` as it was: the split points found after their stops, the word before each
    stop looked for from the sentence's start."""
    out: list[str] = []
    start = 0
    for m in _SPLIT.finditer(paragraph):
        end = m.start() + len(m.group(1))
        last = _LAST_WORD.search(paragraph, start, m.start())
        if last and (last.group(1).lower() in text._abbreviations()
                     or (len(last.group(1)) == 1 and last.group(1).isalpha())):
            continue
        out.append(paragraph[start:end].strip())
        start = m.end()
    tail = paragraph[start:].strip()
    return [s for s in [*out, tail] if s]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Gen.", "U.S.", "a", "Talks", "x" * 45 + ".", "end.", "Jan.", "5.", "He", "’s.",
                                 "A.", "“Yes.”", "said.", "(APP)"]), max_size=30))
def test_sentences_split_where_they_did(tokens: list[str]) -> None:
    paragraph = " ".join(tokens)
    assert text.sentences(paragraph) == _sentences_plain(paragraph)


names = st.lists(st.sampled_from(["Khan", "Khan-Ali", "O'Brien", "O", "Austin", "Aus", "Munir", "de Mistura", "Éric"]),
                 max_size=5)


@settings(max_examples=300, deadline=None)
@given(names, st.lists(st.sampled_from(["Khan", "Khan-Ali", "O'Brien", "O", "Austin", "Aus", "Munir", "de", "Mistura",
                                        "Éric", "Khans", "-", "'", " ", ",", "x", "AusKhan"]), max_size=12))
def test_an_articles_names_are_found_as_their_pattern_finds_them(known: list[str], parts: list[str]) -> None:
    sample = "".join(parts)
    pattern = re.compile(rf"(?<![\w-])(?:{text.alternation(known)})(?![\w-])")
    expected = [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(sample)] if known else []
    assert list(text.Names(known).finditer(sample)) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Pak", "US", "us", "Sikh", "ask", "U.S.", "k", "IS"]), min_size=1, max_size=5),
       st.text("PakUSsuikh .-" + FOLDING, max_size=30))
def test_a_finder_finds_what_each_pattern_finds(forms: list[str], sample: str) -> None:
    upper = [f for f in forms if f.isupper()] or ["IS"]
    exact = re.compile(rf"(?<![\w.])(?:{text.alternation(upper)})(?!\w|\.\w)")
    blind = re.compile(rf"(?<![\w.])(?:{text.alternation(forms, fold=True)})(?!\w|\.\w)", re.I)
    found = text.Finder((exact, blind), [*forms, *upper]).finditer(sample)
    expected = [[m.span() for m in rx.finditer(sample)] for rx in (exact, blind)]
    assert [[m.span() for m in ms] for ms in found] == expected


def test_a_rule_run_over_the_lower_cased_sentence_finds_what_it_finds() -> None:
    from pakus_cli.text import sentences

    sample = [s for para in _paragraphs() for s in sentences(para)]
    sample += ["IN JULY LAST YEAR, Two Years Ago, EARLY MARCH 2022, the Next Day, Yesterday, In The Coming Weeks.",
               "ſince Mayday, İn July, the laſt week of March, Some Time ago."]
    lowered = [r for r in dates.rules()[0] if r.lower is not None]
    assert len(lowered) > 10
    hits = 0
    for s in sample:
        low = text.lowered(s)
        for rule in lowered:
            expected = [(m.span(), m.groupdict()) for m in rule.pattern.finditer(s)]
            assert [(m.span(), m.groupdict()) for m in rule.finditer(s, low)] == expected, (rule.name, s)
            hits += len(expected)
    assert hits > 100


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["word", " ", "  " * 30, ".", "?", "”", "’", "(APP)", " — Reuters", ",", "1", "(", ")",
                                 "x" * 50, "\u00a0", "a.", " -- AP"]), max_size=20))
def test_a_sentence_end_is_found_in_the_tail_as_in_the_whole(parts: list[str]) -> None:
    sample = "".join(parts)
    assert text.ends_a_sentence(sample) == bool(text.SENTENCE_END.search(sample))


def _lines() -> list[str]:
    from pakus_cli.lines import normalise_line

    pages = [decode(path.read_bytes())[0] for path in sorted(LAYOUTS.glob("*.txt"))]
    return [normalise_line(ln) for page in pages for ln in page.split("\n")]


def test_a_blind_pattern_finds_what_its_case_blind_pattern_finds() -> None:
    from pakus_cli import events, outlets

    blind = [events._VERB, outlets._HINT]
    sample = _lines() + ["DOWNLOAD THE APP", "He SIGNED it", "ſaid İt", "(C) 2024", "Kelvin \u212ae\u212a"]
    found = 0
    for line in sample:
        for rx in blind:
            expected = bool(rx.pattern.search(line))
            assert rx.found_in(line) == expected, (rx.pattern.pattern, line)
            found += expected
    assert found > 100


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Said", "said", "ed", "S", "a", "İ", "ı", "ſ", "\u212a", "é", " ", "©", "(c)", "(C)",
                                 "Follow", "DOWNLOAD", "Ed", "visit", "x", "-"]), max_size=10))
def test_a_blind_pattern_agrees_on_any_text(parts: list[str]) -> None:
    from pakus_cli import events, outlets

    sample = "".join(parts)
    for rx in (events._VERB, outlets._HINT):
        assert rx.found_in(sample) == bool(rx.pattern.search(sample))


def _agency_prefix_plain(text: str) -> str | None:
    """``tables.agency_prefix`` as it was: every full name tried in turn, longest first."""
    from pakus_cli import tables

    by_abbr, _, by_lower = tables._agencies()
    low = text.lower()
    for full, name in by_lower.items():
        if low.startswith(full) and (len(low) == len(full) or not low[len(full)].isalnum()):
            return name
    parts = re.split(r"[\s|,/:]+", text.strip())
    return by_abbr.get(parts[0]) if len(parts) <= 4 and len(parts[0]) >= 3 else None


def test_an_agency_opening_a_line_is_found_as_each_name_in_turn_finds_it() -> None:
    from pakus_cli import tables

    fulls = list(tables._agencies()[2])
    sample = _lines() + [f + tail for f in fulls for tail in ("", " Washington", "x", "-", " | AFP", "s")]
    sample += [f.upper() for f in fulls] + [f[:-1] for f in fulls]
    found = 0
    for line in sample:
        assert tables.agency_prefix(line) == _agency_prefix_plain(line), line
        found += tables.agency_prefix(line) is not None
    assert found > 20


def test_an_office_side_is_found_as_the_pattern_that_gives_letters_back_finds_it() -> None:
    fast = actors._office_side_pattern()
    plain = re.compile(fast.pattern.replace("*+", "*"))
    assert plain.pattern != fast.pattern
    sample = _paragraphs() + ["Pakistan's ambassador, US. envoy, U.S.’s Envoy Pakistan’sx chief the USA's  Minister",
                              "NATO.Chief Us.Army ChiefX chief.Pakistani envoy A's's envoy Pak_1 secretary"]
    found = 0
    for para in sample:
        expected = [(m.span(), m.groupdict()) for m in plain.finditer(para)]
        assert [(m.span(), m.groupdict()) for m in fast.finditer(para)] == expected
        found += len(expected)
    assert found > 20


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["word", " ", "ß", "ﬁ", "İ", "x" * 40, "-", "Σ", "é", "a1"]), max_size=400))
def test_the_words_of_a_copy_key_are_the_texts_first_words(parts: list[str]) -> None:
    from pakus_cli import copies

    for sample in ("".join(parts), " ".join(_paragraphs()[:3]), "w " * 499 + "ßß" + " v" * 200):
        words = copies.head_words(sample)
        every = re.findall(r"\w+", sample.casefold())
        assert words == every[: len(words)] and (words == every or len(words) > copies.COPY_WORDS)


def test_cue_lists_searched_in_pairs_find_what_each_finds_alone() -> None:
    from pakus_cli import events
    from pakus_cli.text import sentences

    clause_cues, sentence_cues = events._paired()
    types = text.CueSet((row["name"], row["cues"]) for row in events.tables.load("events.toml")["type"])
    tags = text.CueSet(events.tables.tags().items())  # (each table's lists alone: the plain forms)
    sample = [s for para in _paragraphs() for s in sentences(para)]
    sample += ["The IMET programme was frozen, the two sides said; talks on aid and an aide's training resumed."]
    found = 0
    for s in sample:
        pair, other = clause_cues.first(s), sentence_cues.first(s)
        assert events._part(pair, "type") == types.first(s)
        assert events._part(pair, "relevance") == events._part(other, "relevance") == actors.cues_in(s)
        assert events.tags_for(s) == tuple(t for t in events.tables.tags() if t in tags.first(s))
        found += len(pair) + len(other)
    assert found > 200


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Which", "who", "WHEN", "that", "After", "soon after", "a", "An", "led by", "Such As",
                                 ",", ", ", " ", "  ", "x", "ſince", "İ", "data", "\u212a", "."]), max_size=14))
def test_clause_openers_are_found_as_the_case_blind_pattern_finds_them(parts: list[str]) -> None:
    from pakus_cli import clauses

    sample = "".join(parts)
    expected = [(m.span(), m.groupdict()) for m in clauses._openers().finditer(sample)]
    assert [(m.span(), m.groupdict()) for m in clauses._opener_matches(sample)] == expected


def test_clause_openers_of_the_layout_sentences_are_found_as_the_case_blind_pattern_finds_them() -> None:
    from pakus_cli import clauses
    from pakus_cli.text import sentences

    found = 0
    for s in [s for para in _paragraphs() for s in sentences(para)]:
        expected = [(m.span(), m.groupdict()) for m in clauses._openers().finditer(s)]
        assert [(m.span(), m.groupdict()) for m in clauses._opener_matches(s)] == expected
        found += len(expected)
    assert found > 100


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Talks", "held", " ", "  ", "\u00a0", "-", "—", "–", "--", ".", "!", "Reuters", "AP",
                                 "X", "said", ",", "\t"]), max_size=14))
def test_a_credit_is_cut_where_the_credit_pattern_cuts_it(parts: list[str]) -> None:
    """``headline_words`` looks for a credit only after a space and a dash: its text's only white space
    by then is single spaces, and without one the pattern finds nothing."""
    from pakus_cli import clauses

    sample = " ".join("".join(parts).split())
    credit = clauses._headline_patterns()["credit"]
    if " -" not in sample and " –" not in sample and " —" not in sample:
        assert credit.search(sample) is None
    assert clauses.headline_words("".join(parts)) == clauses.headline_words(sample)


@settings(max_examples=500, deadline=None)
@given(st.text("ab1_.'’ \u00e9\u00b2-,", max_size=20), st.integers(0, 25), st.integers(0, 25))
def test_the_word_before_a_stop_is_read_back_as_the_pattern_finds_it(sample: str, lo: int, end: int) -> None:
    end = min(end, len(sample))
    m = _LAST_WORD.search(sample, lo, end)
    at = text._last_word(sample, lo, end)
    assert ((m.start(), m[1]) == (at, sample[at:end - 1])) if m else at is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Share", "x", " ", "  ", "|", "•", "·", ",", "\u00a0", "\u2028", "\x1c", "É", "İ"]),
                max_size=12))
def test_a_lines_tokens_are_what_splitting_at_the_separators_leaves(parts: list[str]) -> None:
    from pakus_cli import lines

    sample = "".join(parts)
    assert lines._tokens(sample) == [t for t in re.split(r"[\s|•·,]+", sample.lower()) if t]


def _is_meta_plain(bare: str) -> bool:
    """``lines.is_meta`` as it was: the line split at its separators whether or not it has a date."""
    from pakus_cli import lines, tables

    if lines.words(bare) > 20:
        return False
    if bare == "|":
        return True
    has_date = bool(dates.find_literals(bare))
    if has_date and lines.META_WORD.search(bare):
        return True
    tokens = [t.strip() for t in lines._META_SEP.split(bare) if t.strip()]
    if tokens and tables.agency_name(tokens[0]) and (has_date or "|" in bare or len(tokens) == 1):
        return True
    if has_date and (bare.lower().startswith(("by ", "posted ", "published"))):
        return True
    return has_date and len(lines._WORD.findall(lines.strip_dates(bare))) <= 4


def test_a_meta_line_is_found_as_the_split_line_finds_it() -> None:
    from pakus_cli import lines, tables

    agencies = [*tables._agencies()[0], *tables._agencies()[2]]
    sample = _lines() + [f"{a}{tail}" for a in agencies for tail in ("", " ", ",", ", x", " • x", "·", " | 2024")]
    sample += [" (AP) ", "[Reuters]", "AP,Reuters", "x , AFP", ""]
    found = 0
    for line in sample:
        assert lines.is_meta(line) == _is_meta_plain(line), line
        found += _is_meta_plain(line)
    assert found > 50


def test_the_sentence_starts_of_the_marked_sentences_are_the_casts_own() -> None:
    from pakus_cli import events

    done = 0
    for path in sorted(LAYOUTS.glob("*.txt")):
        article = parse(decode(path.read_bytes())[0], ident=path.stem, file=path.name)
        marked = events._marked(article, article.date)
        for para, starts in zip(article.paragraphs, events._sentence_starts(article.paragraphs, marked), strict=True):
            if starts is not None:
                assert starts == actors._sentence_starts(para)
                done += 1
    assert done > 100


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["• ", "•", "- ", "x", " ", "\t", "&amp;", "&#160;", "\u200b", "\x85", "Word", "\u2028",
                                 "* ", "·", "\x00"]), max_size=12))
def test_a_line_classified_with_its_word_count_is_the_line_classified_alone(parts: list[str]) -> None:
    from pakus_cli import lines

    raw = "".join(parts)
    assert lines.classify(*lines._normalised(raw)) == lines.classify(lines.normalise_line(raw))


def test_the_normalised_lines_of_a_page_are_its_raw_lines_classified() -> None:
    from pakus_cli import lines

    pages = [decode(path.read_bytes())[0] for path in sorted(LAYOUTS.glob("*.txt"))]
    for page in pages:
        expected = [lines.classify(lines.normalise_line(raw)) for raw in lines.raw_lines(page)]
        assert lines.normalised_lines(page) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["International", "Military", "Education", "and", "Training", " ", "  ", "\u00a0", "x",
                                 "(IMET)", "(US)", "(Ab-C)", ".", "\n"]), max_size=40), st.integers(1, 20))
def test_the_last_words_split_off_alone_are_the_last_words_of_the_split(parts: list[str], limit: int) -> None:
    """``search.acronyms`` reads the words before a parenthesis with ``rsplit``: the last words only."""
    sample = "".join(parts)
    assert sample.rsplit(None, limit)[-limit:] == sample.split()[-limit:]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["word", " ", "  ", "\n", "\u00a0", "x.", "."]), max_size=40))
def test_a_heading_counts_its_words_as_the_whole_split_does(parts: list[str]) -> None:
    sample = "".join(parts)
    assert text.is_heading(sample) == (len(sample.split()) <= 15 and not text.ends_a_sentence(sample.rstrip()))


def _head_words_plain(sample: str) -> list[str]:
    """``copies.head_words`` as it was: every word of the first ``_HEAD`` characters."""
    from pakus_cli import copies

    words = re.findall(r"\w+", sample[: copies._HEAD].casefold())
    whole = len(words) <= copies.COPY_WORDS and len(sample) > copies._HEAD
    return re.findall(r"\w+", sample.casefold()) if whole else words


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["word", " ", "ß", "ﬁ", "İ", "x" * 40, "-", "Σ", "é", "a1", "  "]), max_size=400))
def test_a_copy_key_reads_the_words_the_whole_head_gives(parts: list[str]) -> None:
    from pakus_cli import copies

    for sample in ("".join(parts), " ".join(_paragraphs()[:3]), "w " * 499 + "ßß" + " v" * 200, "ab " * 170):
        words, plain = copies.head_words(sample), _head_words_plain(sample)
        assert words[: copies.COPY_WORDS] == plain[: copies.COPY_WORDS]
        assert (len(words) < copies.COPY_WORDS // 2) == (len(plain) < copies.COPY_WORDS // 2)


def test_a_line_seen_before_has_the_kind_it_would_be_given_afresh() -> None:
    """``normalised_lines`` takes lines of a site's furniture it has seen from memory: on every test
    page, read in either order and read again, its lines are those classified one by one."""
    from pakus_cli import lines

    pages = [decode(path.read_bytes())[0] for path in sorted(LAYOUTS.glob("*.txt"))]
    pages += [decode(path.read_bytes())[0] for path in sorted((LAYOUTS.parent.parent / "seeds").glob("*.txt"))]
    fresh = [[lines.classify(*lines._normalised(raw)) for raw in lines.raw_lines(p)] for p in pages]
    lines._SEEN.clear()
    for order in (pages, pages[::-1]):  # from an empty memory, then from one filled in the other order
        got = {p: lines.normalised_lines(p) for p in order}
        assert [got[p] for p in pages] == fresh
    assert lines._SEEN and all(v.kind not in lines._PROSE_KINDS for v in lines._SEEN.values())

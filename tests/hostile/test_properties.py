"""Property tests: any search string, any quote text, any displayed text.

(a) Search: every user word reaches FTS5 inside a double-quoted string with its
    inner quotes doubled, and the expression never makes FTS5 (or the Library's
    search and count) raise.
(b) Markdown: whatever a quote, a name, a title or a summary holds, the dossier
    keeps its structure (the same top-level blocks as with plain words) and
    renders back to the same words.
(c) Display: whatever text is shown, no control sequence and no markup reaches
    the terminal, the visible text is the cleaned input, and highlights land on
    the characters they were meant for.
"""

from __future__ import annotations

import io
import re
import shutil
import sqlite3

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st
from .literal import FORBIDDEN, SGR, rendered, squash
from ..test_exporters import MD, blockquotes, plain, skeleton, small_library, split_front_matter

from coup_explorer.db import connect, paths
from coup_explorer.db.exporters import Selection, export
from coup_explorer.db.search import fold, parse, to_fts, tokens
from coup_explorer.tui.display import clean, highlighted

BOUNDED = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])

# What people type, and what breaks query languages, Markdown and terminals.
PIECES = ['"', '""', "'", "NEAR(", "NEAR", "OR", "AND", "NOT", "*", "^", ":", "(", ")", "-", "+",
          "{", "}", ",", ".", "#", ">", "|", "`", "```", "[", "]", "](", "<", "</", "&", "&amp;",
          "\\", "_", "~", "!", "=", "1.", "1)", "---", "***", " ", "  ", "\n", "\n\n", "\t",
          "a", "Mam", "áñez", "Lechín", "COB", "ß", "İ", "ǅ", "ﬁ", "\u0301", "\u202e", "\u2066",
          "\u200b", "\u200d", "\ufeff", "\xa0", "🙂", "[bold]", "[/]", "[@click=app.quit]",
          "[link=http://x]", "<script>", "\x1b[31m", "\x1b]8;;http://x\x07", "\x1b]52;c;eA==\x07",
          "\x00", "\x07", "\x08", "\r", "\x9b", "\x85"]
HOSTILE = st.one_of(st.text(max_size=40),
                    st.lists(st.sampled_from(PIECES), max_size=16).map("".join),
                    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)),
                             max_size=12).map("".join))

# -- (a) search ------------------------------------------------------------------------------

_TERM = re.compile(r'"((?:[^"]|"")*)"(\*?)')


@BOUNDED
@given(HOSTILE)
def test_every_word_reaches_fts_quoted(query: str) -> None:
    expression = to_fts(query)
    terms = parse(query)
    if expression is None:
        assert terms == () and not tokens(query)
        return
    assert re.fullmatch(r'"(?:[^"]|"")*"\*?(?: "(?:[^"]|"")*"\*?)*', expression), expression
    found = [(m.group(1).replace('""', '"'), m.group(2) == "*") for m in _TERM.finditer(expression)]
    assert found == [(" ".join(t.words), t.prefix) for t in terms]
    folded = {fold(w) for w in tokens(query)}
    assert all(word in folded for t in terms for word in t.words)


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2', "
                 "prefix = '1 2')")
    conn.executemany("INSERT INTO t(x) VALUES (?)", [("Áñez and the COB",), ("Mamani said “no”",),
                                                      ("NEAR OR AND NOT",), ("ß İ ǅ ﬁ 🙂",)])
    return conn


@BOUNDED
@given(HOSTILE)
def test_fts5_takes_every_translated_query(fts: sqlite3.Connection, query: str) -> None:
    expression = to_fts(query)
    if expression is not None:
        fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()


@pytest.fixture(scope="module")
def story_read_only(tmp_path_factory: pytest.TempPathFactory):
    target = tmp_path_factory.mktemp("story") / "story.db"
    shutil.copyfile(paths.bundled_story(), target)
    lib = connect(target, write=False)
    yield lib
    lib.close()


@BOUNDED
@given(HOSTILE, st.sampled_from(["quotes", "events", "actors", "all"]))
def test_library_search_and_count_never_raise(story_read_only, query: str, within: str) -> None:
    hits = story_read_only.search(query, within=within, limit=5)
    total = story_read_only.count_matches(query, within)  # no word: everything is counted
    assert total >= len(hits)
    if to_fts(query) is None:
        assert hits == []


# -- (b) Markdown ----------------------------------------------------------------------------

STORED = HOSTILE.map(lambda s: re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", s)).filter(
    lambda s: s.strip() != "")  # what a library can hold: import refuses control characters


def dossier(text: str, *, hostile_fields: bool) -> tuple[dict, str]:
    """The front matter and Markdown body of a library whose quote (and, if asked, every other
    field) is ``text``."""
    fields = dict(name=text, title=text, summary=text, role=text) if hostile_fields else {}
    lib = small_library([text], **fields)
    out = io.StringIO()
    export(lib, Selection(), "md", out, title=text if hostile_fields else "Dossier")
    lib.close()
    front, body = split_front_matter(out.getvalue())
    return yaml.safe_load(front), body


PLAIN_SHAPE = skeleton(MD.parse(dossier("plain words", hostile_fields=False)[1]))


def flat(text: str) -> str:
    return " ".join(text.split())


@settings(BOUNDED, max_examples=150)
@given(STORED)
def test_markdown_keeps_its_structure_and_the_words(text: str) -> None:
    front, body = dossier(text, hostile_fields=True)
    assert front["title"] == text and front["sources"] == [text]  # the YAML reads back exactly
    tokens_ = MD.parse(body)
    assert [s.split(":")[0] for s in skeleton(tokens_)] == [s.split(":")[0] for s in PLAIN_SHAPE]
    headings = [s for s in skeleton(tokens_) if s.startswith("h")]
    assert headings[1:] == [s for s in PLAIN_SHAPE if s.startswith("h2")]
    assert flat(plain(tokens_[1])) == flat(text)  # the h1: the title, as its words
    [(quoted, types, attribution)] = blockquotes(tokens_)
    assert flat(quoted) == flat(text)
    assert not {"html_inline", "link_open", "strong_open", "em_open", "code_inline", "image",
                "s_open"} & set(types)
    assert attribution.startswith(f"— {flat(text)}, April 1952")
    inlines = [plain(t) for t in tokens_ if t.type == "inline"]
    assert any(flat(line).startswith(f"April 1952 — {flat(text)}") for line in inlines)  # timeline
    assert any(flat(line).startswith(f"{flat(text)} (person): {flat(text)}") for line in inlines)


# -- (c) display -----------------------------------------------------------------------------

# Whole sequences: a lone ESC or CSI before text takes the next characters with it, on a
# terminal as in clean(), so it cannot sit just before the words the test expects to see.
CONTROL = st.sampled_from(["\x1b[31m", "\x1b[0m", "\x1b[38;5;196m", "\x1b]8;;http://x\x07",
                           "\x1b]8;;\x07", "\x1b]52;c;eA==\x07", "\x1b]0;title\x1b\\", "\x1bc",
                           "\x1b(B", "\x1b7", "\x9b31m", "\x9d0;t\x9c", "\x07", "\x00", "\r", "\x08",
                           "\x0b", "\x85", "\u202e", "\u2066", "\u2069"])
VISIBLE = st.text(st.characters(exclude_categories=("Cc", "Cs"),
                                exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
                                                   "\u2068\u2069"), max_size=12)


@BOUNDED
@given(st.one_of(st.text(max_size=60), HOSTILE))
def test_display_never_emits_control_sequences_or_markup(value: str) -> None:
    shown = highlighted(value, [(0, len(value) // 2)])
    assert shown.plain == clean(value)
    assert not FORBIDDEN.search(shown.plain)
    out = SGR.sub("", rendered(shown))
    assert "\x1b" not in out and not FORBIDDEN.search(out)
    assert squash(out) == squash(clean(value))


@BOUNDED
@given(st.lists(st.tuples(VISIBLE, st.booleans(), st.lists(CONTROL, max_size=2)), max_size=8))
def test_highlights_land_on_their_words_whatever_lies_between(
        pieces: list[tuple[str, bool, list[str]]]) -> None:
    value, spans, wanted = "", [], []
    for words, marked, controls in pieces:
        value += "".join(controls)  # escapes and controls between the pieces, never shown
        if marked and words:
            spans.append((len(value), len(value) + len(words)))
            wanted.append(words)
        value += words
    shown = highlighted(value, spans)
    assert shown.plain == "".join(words for words, _, _ in pieces)
    styled = [shown.plain[s.start:s.end] for s in sorted(shown.spans, key=lambda s: s.start)]
    assert "".join(styled) == "".join(wanted)

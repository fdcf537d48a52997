"""Each import limit, just over: refused with a clear line, or cut as the README documents."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from .support import cli, fingerprint, one_error_line

from coup_explorer.db import connect
from coup_explorer.db.exchange import MAX_INT
from coup_explorer.db.importers import ArticleMeta
from coup_explorer.db.importers.articles import (
    MAX_ARTICLE_CHARS, MAX_HTML_CHARS, MAX_TITLE_CHARS, parse_article,
)
from coup_explorer.db.importers.extract import MAX_ITEMS, SUMMARY_CHARS
from coup_explorer.db.importers.files import MAX_BYTES
from coup_explorer.db.importers.lines import MAX_LINE_BYTES
from coup_explorer.db.search import MAX_TERMS, parse
from coup_explorer.tui.display import MAX_MESSAGE, one_line


def refused(library: Path, path: Path, *args: str) -> str:
    before = fingerprint(library)
    line = one_error_line(cli("import", "--db", str(library), *args, "--", str(path)))
    assert line.startswith(f"coup-explorer: error: {path}: ")
    assert fingerprint(library) == before
    return line


def test_a_file_over_64_mb_is_refused_unread(library: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    with big.open("wb") as handle:  # sparse: nothing is written, nothing is read
        handle.truncate(MAX_BYTES + 1)
    assert "file is too large (67,108,865 bytes; at most 64 MB)" in refused(library, big)


def test_an_article_over_2_million_characters_is_refused(library: Path, tmp_path: Path) -> None:
    words = ("word " * (MAX_ARTICLE_CHARS // 5))[:MAX_ARTICLE_CHARS]
    at_limit = parse_article("txt", words, tmp_path / "a.txt", ArticleMeta())
    assert at_limit.text == words and len(words) == MAX_ARTICLE_CHARS
    over = tmp_path / "over.txt"
    over.write_text(words + "xy", encoding="utf-8")
    assert ("too long for an article (2,000,002 characters; at most 2,000,000)"
            in refused(library, over))


def test_a_saved_page_over_10_million_characters_is_refused(library: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    head, tail = "<html><body><p>", "</p></body></html>"
    page.write_text(head + "x" * (MAX_HTML_CHARS + 1 - len(head) - len(tail)) + tail, encoding="utf-8")
    assert ("too large for a saved page (10,000,001 characters; at most 10,000,000)"
            in refused(library, page))


def test_quotes_and_events_beyond_the_cap_are_left_out_and_said(library: Path, tmp_path: Path,
                                                                 monkeypatch) -> None:
    """The cap is 2,000 of each per article; lowered here so that the test stays quick."""
    assert MAX_ITEMS == 2000
    for module in ("extract", "store"):  # "extract" alone is also the function's name
        monkeypatch.setattr(import_module(f"coup_explorer.db.importers.{module}"), "MAX_ITEMS", 5)
    article = tmp_path / "many.txt"
    article.write_text("\n\n".join(f"“We want pay rise number {i},” said Ana Quispe in March 1990."
                                   for i in range(8)), encoding="utf-8")
    (tmp_path / "other.txt").write_text("“Enough,” said Ana Quispe.", encoding="utf-8")
    result = cli("import", "--db", str(library), "--title", "Many", str(article),
                 str(tmp_path / "other.txt"))  # among several files: said all the same
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert f"{article}: added" in said and "other.txt: added" not in said
    assert "only the first 5 quotes kept: 3 more left out" in said
    assert "only the first 5 events kept: 3 more left out" in said
    with connect(library) as lib:
        [source_id] = lib.conn.execute(
            "SELECT id FROM sources WHERE text LIKE '%number 7,%'").fetchone()
        for table in ("quotes", "events"):
            assert lib.conn.execute(f"SELECT count(*) FROM {table} WHERE source_id = ?",
                                    (source_id,)).fetchone()[0] == 5
        last = lib.conn.execute("SELECT text FROM quotes WHERE source_id = ? ORDER BY char_start "
                                "DESC LIMIT 1", (source_id,)).fetchone()[0]
        assert last == "We want pay rise number 4,"  # the first ones are kept


def test_a_title_over_500_characters_is_cut(library: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("“Enough,” said Ana Quispe.", encoding="utf-8")
    title = "T" * (MAX_TITLE_CHARS + 1)
    assert cli("import", "--db", str(library), "--title", title, str(article)).exit_code == 0
    with connect(library) as lib:
        assert lib.conn.execute("SELECT count(*) FROM sources WHERE title = ?",
                                ("T" * MAX_TITLE_CHARS,)).fetchone()[0] == 1


def test_numbers_beyond_the_range_are_refused(library: Path, tmp_path: Path) -> None:
    doc = tmp_path / "range.json"
    doc.write_text('{"format": "coup-explorer/1", "sources": [{"id": "r", "title": "t", '
                   '"text": "Some words."}], "quotes": [{"id": "q", "text": "Some", "source_id": "r", '
                   f'"paragraph": {MAX_INT + 1}, "char_start": 0, "char_end": 4}}]}}', encoding="utf-8")
    assert "quotes[0]: paragraph: the number is out of range" in refused(library, doc)


def test_search_takes_the_first_32_words() -> None:
    words = [f"w{i}" for i in range(MAX_TERMS + 5)]
    terms = parse(" ".join(words))
    assert [t.words[0] for t in terms] == words[:MAX_TERMS]
    assert not terms[-1].prefix  # the word being typed was dropped: no prefix on a whole word


def test_an_error_line_is_cut_at_300_characters() -> None:
    line = one_line("x: " + "9" * 5000)
    assert len(line) == MAX_MESSAGE and line.endswith("…")


def test_the_readme_states_the_limits_the_code_has() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Bad input and limits", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ")}
    on = [tuple(cell.strip() for cell in line.split("|")[1:3]) for line in section.splitlines()
          if line.startswith("| ")]
    assert any(limit == f"{MAX_BYTES // 2**20} MB" and what.startswith("any file but JSON Lines")
               for limit, what in on)
    assert any(limit == f"{MAX_LINE_BYTES // 2**20} MB" and what.startswith("a line of a JSON Lines")
               for limit, what in on)
    assert MAX_INT == 2**62
    assert rows >= {f"{MAX_BYTES // 2**20} MB", f"{MAX_HTML_CHARS:,} characters",
                    f"{MAX_ARTICLE_CHARS:,} characters", f"{MAX_ITEMS:,} quotes, {MAX_ITEMS:,} events",
                    f"{MAX_TITLE_CHARS} characters", f"{SUMMARY_CHARS} characters", "±2^62",
                    f"{MAX_TERMS} words", f"{MAX_MESSAGE} characters"}

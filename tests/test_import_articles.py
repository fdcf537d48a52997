"""Importing articles into a library: sources, linked actors, extracted items, safety."""

from __future__ import annotations

import codecs
import threading
from pathlib import Path

import pytest

from coup_explorer.db import Filter, Library, connect, create_empty
from coup_explorer.db.importers import ArticleMeta, ImportOptions, import_file, import_paths

CORPUS = Path(__file__).parent / "corpus"

ARTICLE = """Vitaliano Mamani declared: “The COB will defend every worker in every mine of the country.”

“We are not going back to the streets for nothing,” said Juan José Flores, a miners’ leader.

On Tuesday, Mamani met the “provisional” labour minister in La Paz.
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(lib: Library, *paths: Path, **options) -> list:
    meta = options.pop("meta", ArticleMeta())
    return list(import_paths(lib, list(paths), ImportOptions(meta=meta, **options)))


def test_article_is_extracted_and_linked_to_known_actors(story: Library, tmp_path: Path) -> None:
    path = write(tmp_path, "cob.txt", ARTICLE)
    [result] = run(story, path, meta=ArticleMeta(title="COB", date="2019-12-17"))
    assert result.status == "added", result.message
    mamani = story.find_actor("Vitalino Mamani")
    assert story.find_actor("Vitaliano Mamani").id == mamani.id  # the misspelling is an alias now
    source = story.sources(limit=10)[-1]
    assert (source.title, source.published) == ("COB", "2019-12-17")
    quotes = story.quotes(Filter(source=source.id))
    by_text = {q.text: q for q in quotes}
    said = by_text["The COB will defend every worker in every mine of the country."]
    assert said.speaker_id == mamani.id and said.origin == "extracted"
    assert 0 < said.confidence <= 1
    flores = by_text["We are not going back to the streets for nothing,"]
    assert flores.speaker == "Juan José Flores"  # not merged with Juan José Torres
    assert story.find_actor("Juan José Torres").id != flores.speaker_id
    assert by_text["provisional"].kind == "term"
    text = story.source_text(source.id)
    for q in quotes:
        assert text[q.char_start:q.char_end] == q.text
    [event] = story.timeline(Filter(source=source.id))
    assert (event.date, event.date_precision, event.date_text) == ("2019-12-10", "day", "On Tuesday")
    assert mamani.id in event.actor_ids and event.origin == "extracted"
    assert all(p not in {a.name for a in story.actors(limit=500)} for p in ("La Paz",))


def test_same_file_again_is_already_imported(story: Library, tmp_path: Path) -> None:
    path = write(tmp_path, "cob.md", "---\ntitle: COB\ndate: 2019-12-17\n---\n" + ARTICLE)
    assert run(story, path)[0].status == "added"
    before = story.stats()
    [again] = run(story, path)
    assert (again.status, again.message) == ("skipped", "already imported")
    assert story.stats() == before


def test_encodings_and_line_endings_give_the_same_source(tmp_path: Path) -> None:
    text = ARTICLE.replace("\n", "\r\n")
    variants = [
        write(tmp_path, "lf.txt", ARTICLE),
        write(tmp_path, "crlf.txt", text.encode("utf-8")),
        write(tmp_path, "cr.txt", ARTICLE.replace("\n", "\r").encode("utf-8")),
        write(tmp_path, "bom.txt", codecs.BOM_UTF8 + text.encode("utf-8")),
        write(tmp_path, "utf16le.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
        write(tmp_path, "utf16be.txt", codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be")),
    ]
    lib = create_empty()
    results = run(lib, *variants)
    assert [r.status for r in results] == ["added"] + ["skipped"] * 5
    source = lib.sources()[0]
    assert source.paragraphs == 3
    assert "\r" not in lib.source_text(source.id)


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n \r\n", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary file, not text (a PNG image)"),
    ("nul.txt", b"hello\x00world", "binary file"),
    ("latin1.txt", "Lechín dijo".encode("latin-1"), "byte 0xed at offset 4"),
    ("badyaml.md", b"---\ntitle: [unclosed\n---\nText here.", "front matter"),
    ("unsafe.md", b"---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\nText.", "front matter"),
    ("baddate.md", b"---\ntitle: T\ndate: 2019-02-30\n---\nText.", "date"),
    ("nothing.html", b"<html><body><nav>Home</nav></body></html>", "no article text"),
])
def test_hostile_files_fail_with_one_line_and_change_nothing(story: Library, tmp_path: Path,
                                                             name: str, data: bytes, message: str) -> None:
    before = story.stats()
    [result] = run(story, write(tmp_path, name, data))
    assert result.status == "failed"
    assert message in result.message and "\n" not in result.message
    assert story.stats() == before


def test_a_failing_file_does_not_stop_the_others(story: Library, tmp_path: Path) -> None:
    good = write(tmp_path, "b-good.txt", ARTICLE)
    bad = write(tmp_path, "a-bad.txt", b"\xff\xfe\xfa")
    results = run(story, tmp_path)
    assert [(r.path.name, r.status) for r in results] == [("a-bad.txt", "failed"), ("b-good.txt", "added")]
    assert bad.exists() and good.exists()


def test_folders_are_read_recursively_skipping_hidden_and_unknown(tmp_path: Path) -> None:
    write(tmp_path, "one.txt", "First article text with enough words.")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "two.md", "Second article text with enough words.")
    write(tmp_path / "sub", "image.png", b"\x89PNG")
    write(tmp_path, ".hidden.txt", "Hidden.")
    results = run(create_empty(), tmp_path)
    assert sorted(r.path.name for r in results) == ["one.txt", "two.md"]


def test_dry_run_counts_without_writing(story: Library, tmp_path: Path) -> None:
    before = story.stats()
    [result] = run(story, write(tmp_path, "cob.txt", ARTICLE), dry_run=True)
    assert result.status == "added" and result.message.startswith("would add")
    assert result.counts["quotes"] == 3 and result.examples
    assert story.stats() == before
    assert run(story, tmp_path / "cob.txt")[0].counts == result.counts


def test_markdown_front_matter_and_html_metadata(tmp_path: Path) -> None:
    lib = create_empty()
    md = CORPUS / "01-cob-strike.md"
    html = CORPUS / "08-saved-page.html"
    results = run(lib, md, html)
    assert [r.status for r in results] == ["added", "added"], [r.message for r in results]
    second, first = lib.sources()  # in order of publication
    assert (first.title, first.published, first.outlet, first.author) == (
        "Bolivian unions call general strike over fuel prices", "2019-12-17",
        "Andean Labour Review", "Carla Rojas")
    assert second.title == "Cochabamba farmers vow to keep roads closed"
    assert second.published == "2019-11-18" and second.outlet == "Valley Times"
    assert second.url == "https://valleytimes.example/2019/11/18/farmers-roads"
    text = lib.source_text(second.id)
    assert "Most read" not in text and "Subscribe" not in text and "Copyright" not in text
    assert "Our brothers died with their hands raised" in text


def test_options_fill_what_the_file_does_not_say(tmp_path: Path) -> None:
    lib = create_empty()
    meta = ArticleMeta(title="Given", date="2020-01-02", url="https://x.example/a", outlet="O",
                       author="A")
    run(lib, write(tmp_path, "a.md", "---\ntitle: Own title\n---\nBody text here."), meta=meta)
    source = lib.sources()[0]
    assert (source.title, source.published, source.url, source.outlet, source.author) == (
        "Own title", "2020-01-02", "https://x.example/a", "O", "A")


def test_a_reader_sees_new_data_and_nobody_is_locked(story_path: Path, tmp_path: Path) -> None:
    for i in range(5):
        write(tmp_path, f"a{i}.txt", ARTICLE.replace("nothing", f"nothing {i}"))
    reader = connect(story_path, write=False)
    app_writer = connect(story_path, write=True)
    before = reader.stats().sources
    errors: list[Exception] = []

    def mark_while_importing() -> None:
        try:
            for _ in range(20):
                with app_writer.transaction():
                    app_writer.toggle_mark("actor", 1)
                reader.count_quotes()
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    thread = threading.Thread(target=mark_while_importing)
    importer = connect(story_path, write=True)
    thread.start()
    results = run(importer, tmp_path)
    thread.join()
    assert not errors
    assert all(r.status == "added" for r in results)
    assert reader.stats().sources == before + 5
    for lib in (reader, app_writer, importer):
        lib.close()


def test_import_file_is_one_transaction(story: Library, tmp_path: Path, monkeypatch) -> None:
    from coup_explorer.db.importers import store

    def broken(*args, **kwargs):
        raise store.InvalidInput("quote 'x': text is not the source's characters 1..2")

    monkeypatch.setattr(story, "add_quote", broken)
    before = story.stats()
    result = import_file(story, write(tmp_path, "cob.txt", ARTICLE))
    assert result.status == "failed" and "quote" in result.message
    assert story.stats() == before

"""The exporters: Markdown that holds whatever the text holds, JSON that round-trips, and the rest."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from coup_explorer.db import Filter, InvalidInput, Library, create_empty, exchange
from coup_explorer.db.exporters import (
    FORMATS, ExportSummary, Selection, export, format_for_path, write_file,
)

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])  # GFM's extras must not fire either
URL = "https://example.org/story?a=1&b=(2)_x"
ALL = Selection()


def run(lib: Library, fmt: str, selection: Selection = ALL, **kw: object) -> str:
    out = io.StringIO()
    summary = export(lib, selection, fmt, out, **kw)  # type: ignore[arg-type]
    assert isinstance(summary, ExportSummary) and summary.format == fmt
    return out.getvalue()


def flat(text: str) -> str:
    return " ".join(text.split())


def split_front_matter(doc: str) -> tuple[str, str]:
    assert doc.startswith("---\n")
    end = doc.index("\n---\n", 4)
    return doc[4:end], doc[end + 5:]


def plain(inline: Token) -> str:
    """The text a reader sees in an inline token (line breaks as newlines)."""
    parts = []
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        else:
            parts.append(child.content)
    return "".join(parts)


def blockquotes(tokens: list[Token]) -> list[tuple[str, list[str], str]]:
    """(text, inline child types, the following paragraph's text) for each top-level blockquote."""
    found = []
    for i, tok in enumerate(tokens):
        if tok.type == "blockquote_open" and tok.level == 0:
            j, texts, types = i + 1, [], []
            while not (tokens[j].type == "blockquote_close" and tokens[j].level == 0):
                if tokens[j].type == "inline":
                    texts.append(plain(tokens[j]))
                    types += [c.type for c in tokens[j].children or []]
                j += 1
            after = tokens[j + 2] if tokens[j + 1].type == "paragraph_open" else None
            found.append(("\n".join(texts), types, plain(after) if after else ""))
    return found


def skeleton(tokens: list[Token]) -> list[str]:
    """The top-level blocks: h1, h2:Title, ul, blockquote, p."""
    shape = []
    for i, tok in enumerate(tokens):
        if tok.level == 0 and tok.type.endswith("_open"):
            shape.append(f"h2:{tokens[i + 1].content}" if tok.tag == "h2" else tok.tag)
    return shape


def small_library(quotes: list[str], *, name: str = "Speaker", title: str = "A source",
                  summary: str = "An event", url: str | None = URL, role: str | None = None,
                  origin: str = "imported", confidence: float | None = None) -> Library:
    """A library with one source whose paragraphs are ``quotes``, each quoted whole, one event."""
    lib = create_empty(name="Hostile")
    text, spans = "", []
    for q in quotes:
        spans.append((len(text), len(text) + len(q)))
        text += q + "\n\n\n"
    with lib.transaction():
        source = lib.add_source(uid="s1", title=title, text=text, outlet="The Outlet", url=url,
                                published="2019-12-17", paragraphs=spans)
        speaker = lib.add_actor(uid="a1", name=name, kind="person", role=role,
                                aliases=[name + " alias"])
        for n, (q, (start, end)) in enumerate(zip(quotes, spans), 1):
            lib.add_quote(uid=f"q{n}", text=q, kind="speech", source_id=source, paragraph=n,
                          char_start=start, char_end=end, speaker_id=speaker, date="1952-04",
                          date_precision="month", origin=origin, confidence=confidence)
        lib.add_event(uid="e1", date="1952-04", date_precision="month", summary=summary,
                      source_id=source, paragraph=1, char_start=spans[0][0], char_end=spans[0][1],
                      actor_ids=[speaker], date_text="In April 1952", origin=origin,
                      confidence=confidence)
        lib.index_mentions(source)
    return lib


# -- Markdown ---------------------------------------------------------------------


def test_story_markdown_holds_every_quote_as_a_blockquote_with_its_citation(story: Library) -> None:
    doc = run(story, "md")
    tokens = MD.parse(split_front_matter(doc)[1])
    found = blockquotes(tokens)
    quotes = list(story.iter_items("quote"))
    assert len(found) == len(quotes) == 17
    source = story.sources()[0]
    for quote, (text, _, attribution) in zip(quotes, found):
        assert flat(text) == flat(quote.text)
        assert attribution.startswith(f"— {quote.speaker}" if quote.speaker else "— unattributed")
        assert source.title in attribution and source.outlet in attribution
        assert f"¶{quote.paragraph}" in attribution and source.url in attribution
    hrefs = {t.attrGet("href") for t in tokens if t.type == "inline"
             for t in t.children or [] if t.type == "link_open"}
    assert hrefs == {source.url}
    assert skeleton(tokens)[:3] == ["h1", "h2:Timeline", "ul"]
    assert "h2:Actors" in skeleton(tokens) and skeleton(tokens)[-2:] == ["h2:Sources", "ul"]


def test_markdown_dates_keep_their_precision(story: Library) -> None:
    doc = run(story, "md")
    assert "**April 1952** — " in doc and "1 April 1952" not in doc
    assert "**week of 9 December 2019**" in doc and "**2000–2005**" in doc
    assert "— Vitalino Mamani, April 2014" in doc


def test_markdown_front_matter_is_yaml(story: Library) -> None:
    yaml = pytest.importorskip("yaml")
    title = 'He said: "no" — #1 \\ [x]\n---\tnext: \x85\u2028\x7f\ufeff\x00 &amp;'
    meta = yaml.safe_load(split_front_matter(run(story, "md", title=title))[0])
    assert meta["title"] == title and meta["library"] == story.name
    assert meta["sources"] == [story.sources()[0].title] and meta["generated"].startswith("20")


def test_markdown_leaves_out_sections_with_nothing_selected(story: Library) -> None:
    doc = run(story, "md", Selection(only=frozenset({"quote"})))
    assert "## Quotes" in doc and "## Sources" in doc
    assert "## Timeline" not in doc and "## Actors" not in doc
    doc = run(story, "md", Selection(only=frozenset({"actors"})))  # plurals are understood
    assert "## Actors" in doc and "## Sources" not in doc and "sources: []" in doc
    assert "## " not in run(story, "md", Selection(marked=True))


HOSTILE = {
    "heading": "# not a heading\n## nor this",
    "pipes": "a | b\n---|---\nc | d",
    "greater": "> nested?\n>> deeper",
    "backticks": "`code` and ``more``",
    "fence": "```python\nimport os\n```",
    "tilde fence": "~~~\nx\n~~~ and ~~struck~~",
    "stars": "*emph* **bold** * not a list",
    "star list": "* item\n* item",
    "underscores": "_under_ __strong__ snake_case_name",
    "link": "[click](https://evil.example) ![img](x.png) <https://auto.example>",
    "reference": "[ref]: https://evil.example\n[ref]",
    "html": "<script>alert('x')</script> <b>bold</b>",
    "html block": "<div>\n\n**inside**\n\n</div>",
    "comment": "<!-- hidden --> shown",
    "entities": "AT&amp;T &copy; &#169; &#x27; & plain",
    "newlines": "line one\nline two\n\nafter a blank line\n\n\n\nafter several",
    "trailing backslash": "ends with a backslash\\",
    "backslash break": "back\\\nslash \\* \\\\",
    "leading spaces": "    indented code\n\ttabbed\n  two",
    "ordered": "1. first\n2) second\n10. tenth",
    "bullets": "- dash\n+ plus",
    "rule": "---",
    "setext": "Title\n===\nSub\n---",
    "thematic": "text\n***\n___\n- - -",
    "quote marks": "“provisional” ‘x’ \"y\"",
    "unicode lines": "a\u2028b\u2029c\x0bd",
    "carriage returns": "one\r\ntwo\rthree",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_markdown_keeps_any_text_inside_its_own_blockquote(text: str) -> None:
    name = flat(text) or "x"
    lib = small_library([text, "plain words"], name=name, title=text, summary=text, role=text,
                        url=URL)
    doc = run(lib, "md", title=text)
    _, body = split_front_matter(doc)
    tokens = MD.parse(body)
    assert skeleton(tokens) == ["h1", "h2:Timeline", "ul", "h2:Actors", "ul", "h2:Quotes",
                                "blockquote", "p", "blockquote", "p", "h2:Sources", "ul"]
    assert flat(plain(tokens[1])) == flat(text)
    (first, types, attribution), (second, _, _) = blockquotes(tokens)
    assert flat(first) == flat(text) and flat(second) == "plain words"
    assert set(types) <= {"text", "softbreak", "hardbreak"}, types
    assert flat(attribution).startswith(f"— {name}, April 1952")
    assert flat(text) in flat(attribution) and "¶1" in attribution
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert not kinds & {"html_block", "html_inline", "code_block", "fence", "code_inline", "hr",
                        "table_open", "s_open", "image", "ordered_list_open"}
    links = [c.attrGet("href") for t in tokens for c in t.children or [] if c.type == "link_open"]
    assert links and all(href == MD.normalizeLink(URL) for href in links)
    items = [plain(t) for t in tokens if t.type == "inline" and t.level == 3]
    assert flat(items[0]).startswith(f"April 1952 — {flat(text)}")
    assert flat(items[1]).startswith(f"{name} (person): {flat(text)}")


def test_markdown_links_only_web_urls() -> None:
    lib = small_library(["words"], url="javascript:alert(1)")
    tokens = MD.parse(split_front_matter(run(lib, "md"))[1])
    assert not [c for t in tokens for c in t.children or [] if c.type == "link_open"]
    assert "javascript:alert(1)" in run(lib, "md")


def test_markdown_notes_extracted_items() -> None:
    lib = small_library(["words"], origin="extracted", confidence=0.82)
    doc = run(lib, "md")
    assert doc.count("(extracted, confidence 0.82)") == 2  # the quote and the event
    assert "(extracted" not in run(small_library(["words"]), "md")


# -- JSON and JSON Lines -------------------------------------------------------------


def test_json_round_trips_through_import(story: Library) -> None:
    first = run(story, "json")
    data = json.loads(first)
    assert data["format"] == exchange.FORMAT
    assert [len(data[k]) for k in exchange.SECTIONS] == [1, 41, 39, 17]
    assert list(data["quotes"][0]) == ["id", "text", "speaker", "speaker_id", "kind", "date",
                                       "date_precision", "source_id", "paragraph", "char_start",
                                       "char_end", "origin", "confidence"]
    copy = create_empty(name=story.name)
    with copy.transaction():
        exchange.load(copy, data)
    assert run(copy, "json") == first
    source = data["sources"][0]
    for quote in data["quotes"]:
        start, end = source["paragraphs"][quote["paragraph"] - 1]
        assert start <= quote["char_start"] and quote["char_end"] <= end
        assert source["text"][quote["char_start"]:quote["char_end"]] == quote["text"]


def test_json_is_self_contained_when_actors_are_not_selected(story: Library) -> None:
    mamani = story.find_actor("Mamani")
    assert mamani is not None
    selection = Selection(Filter(actor=mamani.id), only=frozenset({"quote", "event"}))
    data = json.loads(run(story, "json", selection))
    uids = {a["id"] for a in data["actors"]}
    assert "vitalino-mamani" in uids and len(uids) < 41
    assert {q["speaker_id"] for q in data["quotes"]} - {None} <= uids
    assert {u for e in data["events"] for u in e["actor_ids"]} <= uids
    copy = create_empty()
    with copy.transaction():
        counts = exchange.load(copy, data)
    assert counts.added["quotes"] == len(data["quotes"]) > 0
    assert json.loads(run(copy, "json", Selection(only=frozenset({"quote", "event"})))) == data


def test_json_of_an_empty_selection_is_a_valid_document(story: Library) -> None:
    data = json.loads(run(story, "json", Selection(marked=True)))
    assert data == {"format": exchange.FORMAT, "sources": [], "actors": [], "events": [],
                    "quotes": []}


def test_jsonl_puts_sources_and_actors_first(story: Library) -> None:
    rows = [json.loads(line) for line in run(story, "jsonl").splitlines()]
    types = [r["type"] for r in rows]
    assert types == ["source"] + ["actor"] * 41 + ["event"] * 39 + ["quote"] * 17
    assert rows[-1]["text"] == json.loads(run(story, "json"))["quotes"][-1]["text"]


def test_jsonl_lines_hold_whatever_the_text_holds() -> None:
    texts = [HOSTILE["unicode lines"], "nel\x85 ls\u2028 ps\u2029 ctl\x1c\x1d\x1e\x0c end"]
    lib = small_library(texts)
    rows = [json.loads(line) for line in run(lib, "jsonl").splitlines()]
    assert [r["text"] for r in rows if r["type"] == "quote"] == texts
    assert json.loads(run(lib, "json"))["quotes"][1]["text"] == texts[1]


# -- selections --------------------------------------------------------------------


def test_marked_only_selection(story: Library) -> None:
    quotes = [q for q in story.iter_items("quote") if q.speaker_id is not None]
    first, second = quotes[0], next(q for q in quotes if q.speaker_id != quotes[0].speaker_id)
    event = next(story.iter_items("event"))
    with story.transaction():
        story.mark("quote", first.id)
        story.mark("quote", second.id)
        story.mark("event", event.id)
    data = json.loads(run(story, "json", Selection(marked=True)))
    assert {q["id"] for q in data["quotes"]} == {first.uid, second.uid}
    assert [e["id"] for e in data["events"]] == [event.uid]
    speakers = {q["speaker_id"] for q in data["quotes"]}
    assert {a["id"] for a in data["actors"]} == speakers | set(data["events"][0]["actor_ids"])
    # marked and filtered: the marked items that the filter shows
    selection = Selection(Filter(speaker=second.speaker_id), marked=True, only=frozenset({"quote"}))
    rows = list(csv.DictReader(io.StringIO(run(story, "csv", selection))))
    assert [r["id"] for r in rows] == [second.uid]


def test_filters_narrow_every_format(story: Library) -> None:
    mamani = story.find_actor("Mamani")
    assert mamani is not None
    data = json.loads(run(story, "json", Selection(Filter(actor=mamani.id))))
    assert data["events"] and all("vitalino-mamani" in e["actor_ids"] for e in data["events"])
    assert data["actors"][0]["id"] == "vitalino-mamani"
    assert len(data["quotes"]) == story.count_quotes(Filter(actor=mamani.id))
    dated = json.loads(run(story, "json", Selection(Filter(since="2019-11", until="2019-11"))))
    assert dated["events"] and all(e["date"].startswith("2019-11") for e in dated["events"])
    found = json.loads(run(story, "json", Selection(Filter(text="independence"))))
    assert found["quotes"] and all("independence" in q["text"] for q in found["quotes"])
    doc = run(story, "md", Selection(Filter(text="independence"), only=frozenset({"quote"})))
    assert len(blockquotes(MD.parse(doc))) == len(found["quotes"])


def test_selection_checks_kinds() -> None:
    assert Selection(only=frozenset({"quotes", "event"})).kinds == ("event", "quote")
    assert Selection().kinds == ("event", "actor", "quote")
    with pytest.raises(InvalidInput, match="source"):
        Selection(only=frozenset({"source"}))


def test_exports_walk_past_one_page() -> None:
    lib = small_library([f"quote number {n}" for n in range(1234)])
    rows = list(csv.DictReader(io.StringIO(run(lib, "csv"))))
    assert len(rows) == 1234 and len({r["id"] for r in rows}) == 1234
    assert len(blockquotes(MD.parse(run(lib, "md", Selection(only=frozenset({"quote"})))))) == 1234


# -- CSV and TimelineJS ------------------------------------------------------------


def test_csv_parses_back_one_kind_per_file(story: Library) -> None:
    quotes = list(csv.DictReader(io.StringIO(run(story, "csv"))))
    assert len(quotes) == 17 and list(quotes[0])[:3] == ["id", "text", "speaker"]
    stored = {q.uid: q for q in story.iter_items("quote")}
    assert all(stored[r["id"]].text == r["text"] for r in quotes)  # line breaks and all
    events = list(csv.DictReader(io.StringIO(run(story, "csv", Selection(only=frozenset({"event"}))))))
    assert len(events) == 39 and "date_end" in events[0] and "; " in events[1]["actors"]
    actors = list(csv.DictReader(io.StringIO(run(story, "csv", Selection(only=frozenset({"actor"}))))))
    assert len(actors) == 41 and {"Mamani", "Vitaliano Mamani"} <= set(
        next(a for a in actors if a["id"] == "vitalino-mamani")["aliases"].split("; "))
    several = run(story, "csv", Selection(only=frozenset({"actor", "event"})))
    assert several.startswith("id,text,speaker,")  # several kinds: the quotes


def test_csv_keeps_formula_like_text_exactly() -> None:
    texts = ['=HYPERLINK("http://x","y")', "+1, said \"he\"\nand left", "@cmd", "-2"]
    lib = small_library(texts)
    rows = list(csv.DictReader(io.StringIO(run(lib, "csv"), newline="")))
    assert [r["text"] for r in rows] == texts


def test_timelinejs_gives_only_the_date_parts_the_precision_has(story: Library) -> None:
    data = json.loads(run(story, "timelinejs", title="Bolivia <1952>"))
    assert data["title"]["text"]["headline"] == "Bolivia &lt;1952&gt;"
    assert len(data["events"]) == 39
    events = {e["unique_id"]: e for e in data["events"]}
    for event in story.iter_items("event"):
        slide = events[event.uid]
        assert set(slide["start_date"]) == {"year": {"year"}, "month": {"year", "month"}}.get(
            event.date_precision, {"year", "month", "day"})
    april = [e for e in data["events"] if e["display_date"] == "April 1952"]
    assert april and all("day" not in e["start_date"] for e in april)
    week = next(e for e in data["events"] if e["display_date"].startswith("week of"))
    assert week["start_date"] == {"year": 2019, "month": 12, "day": 9}
    assert week["end_date"] == {"year": 2019, "month": 12, "day": 15}
    span = next(e for e in data["events"] if e["display_date"] == "2000–2005")
    assert span["end_date"] == {"year": 2005}


def test_timelinejs_escapes_html() -> None:
    lib = small_library(["<b>x</b>"], summary="<script>alert(1)</script>", name="A & B",
                        url="javascript:alert(1)")
    event = json.loads(run(lib, "timelinejs"))["events"][0]
    assert event["text"]["headline"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert event["group"] == "A &amp; B" and "<a " not in event["text"]["text"]
    assert "A &amp; B" in event["text"]["text"]


# -- files and formats -------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [
    ("d.md", "md"), ("D.MARKDOWN", "md"), ("d.json", "json"), ("d.jsonl", "jsonl"),
    ("d.ndjson", "jsonl"), ("d.csv", "csv"), ("d.timeline.json", "timelinejs"),
    ("dir.v2/d.Timeline.JSON", "timelinejs"),
])
def test_format_follows_the_extension(name: str, fmt: str) -> None:
    assert format_for_path(name) == fmt and fmt in FORMATS


@pytest.mark.parametrize("name", ["d.txt", "d", "d.json.bak", ".md"])
def test_unknown_extension_is_invalid_input(name: str) -> None:
    with pytest.raises(InvalidInput) as err:
        format_for_path(name)
    assert "\n" not in str(err.value) and ".timeline.json" in str(err.value)


def test_unknown_format_is_invalid_input(story: Library) -> None:
    with pytest.raises(InvalidInput, match="xml"):
        export(story, Selection(), "xml", io.StringIO())


def test_write_file_refuses_to_overwrite_unless_forced(story: Library, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "dossier.md"
    summary = write_file(story, Selection(), target)
    assert summary.quotes == 17 and summary.describe() == "39 events, 41 actors, 17 quotes, 1 source"
    assert target.read_text(encoding="utf-8").startswith("---\ntitle: ")
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(InvalidInput, match="exists: use --force to overwrite"):
        write_file(story, Selection(), target)
    assert target.read_text(encoding="utf-8") == "mine"
    write_file(story, Selection(only=frozenset({"quote"})), target, "csv", force=True)
    assert target.read_text(encoding="utf-8").startswith("id,text,")
    assert [p.name for p in target.parent.iterdir()] == ["dossier.md"]


def test_write_file_leaves_nothing_behind_on_error(story: Library, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(InvalidInput):
        write_file(story, Selection(), tmp_path / "out.xml")
    with pytest.raises(InvalidInput, match="no directory"):
        write_file(story, Selection(), tmp_path / "missing" / "out.md")

    def broken(lib: Library, selection: Selection, out: io.TextIOBase, **kw: object) -> None:
        out.write("half")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(FORMATS, "md", broken)
    (tmp_path / "kept.md").write_text("old", encoding="utf-8")
    for target, force in [(tmp_path / "new.md", False), (tmp_path / "kept.md", True)]:
        with pytest.raises(RuntimeError):
            write_file(story, Selection(), target, force=force)
    assert (tmp_path / "kept.md").read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [tmp_path / "kept.md"]


def test_exporters_do_not_import_the_interface() -> None:
    import subprocess
    import sys

    code = ("import sys, coup_explorer.db.exporters; "
            "sys.exit(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

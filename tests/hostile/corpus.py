"""The hostile corpus: every file as bytes, with what importing it must do.

Each case is rejected (one stderr line naming the file and ``expect``, exit 1, the
library unchanged) or imported (``expect`` is a quote the library must then hold
exactly, show literally and export literally; ``None`` when no quote is expected
and the source's text is checked instead). Big files are built when asked for,
never kept in the repository. ``python tests/hostile/corpus.py DIR`` writes them
all to DIR, to try by hand.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FORMAT = "coup-explorer/1"
SAID = " said Ana Quispe on Monday.\n"
PLAIN = "“We will not give up the fight for our wages,”" + SAID
BIDI = "Pay \u202eevil\u202c the \u200bworkers\u200d now,"
MARKUP = "[bold]x[/] [@click=app.quit]x[/] [link=http://e.org]y[/link] [/] now,"
MARKDOWN = "``` | a | b | <script>alert(1)</script> [x](y) ***bold*** **** # no \\"


@dataclass(frozen=True)
class Case:
    name: str
    data: Callable[[], bytes]
    outcome: str  # "rejected" or "imported"
    expect: str | None  # rejected: part of the message; imported: the quote held exactly

    def __str__(self) -> str:
        return self.name


def utf8(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


def raw(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def doc(**sections: object) -> Callable[[], bytes]:
    return lambda: json.dumps({"format": FORMAT, **sections}).encode("utf-8")


def source(uid: str, text: str = "Some words here.", **more: object) -> dict:
    return {"id": uid, "title": "A dataset", "text": text, **more}


def quote(uid: str, text: str, source_id: str, start: int = 0, **more: object) -> dict:
    return {"id": uid, "text": text, "source_id": source_id, "paragraph": 1,
            "char_start": start, "char_end": start + len(text), **more}


def timeline(start: dict) -> Callable[[], bytes]:
    return lambda: json.dumps({"events": [{"start_date": start,
                                           "text": {"headline": "A strike"}}]}).encode()


def front(matter: str) -> Callable[[], bytes]:
    return utf8(f"---\n{matter}\n---\n" + PLAIN)


HOSTILE_QUOTE = "Tab\there, [bold]not bold[/bold], \u202eRLO, `code`, <b>x</b>, \\ end"

CASES = [
    # -- not text ---------------------------------------------------------------------
    Case("pdf.txt", raw(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "rejected",
         "binary file, not text (a PDF document)"),
    Case("png.txt", raw(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "rejected",
         "binary file, not text (a PNG image)"),
    Case("empty.txt", raw(b""), "rejected", "empty file"),
    Case("whitespace.md", raw(b"  \n\t\n \r\n\xc2\xa0\n"), "rejected", "empty file (only white space)"),
    Case("nul.txt", raw(b"Workers\x00 said Ana"), "rejected", "binary file, not text (NUL at character 7)"),
    # -- other encodings ---------------------------------------------------------------
    Case("latin1.txt", raw("Lechín dijo “no”".encode("latin-1", "replace")), "rejected",
         "not UTF-8 text: byte 0xed at offset 4 (save the file as UTF-8)"),
    Case("cp1252.txt", raw(b"He said \x93enough\x94 today."), "rejected",
         "not UTF-8 text: byte 0x93 at offset 8"),
    Case("stray-byte.txt", raw(PLAIN.encode()[:12] + b"\xff" + PLAIN.encode()[12:]), "rejected",
         "not UTF-8 text: byte 0xff at offset 12"),
    Case("utf16-no-bom.txt", raw(PLAIN.encode("utf-16-le")), "rejected",
         "UTF-16 text without a byte-order mark (save the file as UTF-8)"),
    Case("utf16-le-bom.txt", raw(codecs.BOM_UTF16_LE + PLAIN.encode("utf-16-le")), "imported",
         "We will not give up the fight for our wages,"),
    Case("utf16-be-bom.txt", raw(codecs.BOM_UTF16_BE + ("“Bread and work,”" + SAID).encode("utf-16-be")),
         "imported", "Bread and work,"),
    Case("utf8-bom.md", raw(codecs.BOM_UTF8 + ("“Land and freedom,”" + SAID).encode()), "imported",
         "Land and freedom,"),
    # -- control characters and terminal escapes ------------------------------------------
    Case("ansi.txt", utf8("Red \x1b[31mtext\x1b[0m. " + PLAIN), "rejected",
         "control character 0x1b (ESC) at character 4"),
    Case("osc8-link.txt", utf8("\x1b]8;;http://x\x07link\x1b]8;;\x07 " + PLAIN), "rejected",
         "control character 0x1b (ESC) at character 0"),
    Case("osc52-clipboard.md", utf8("Copy \x1b]52;c;cm0gLXJmIH4=\x07 " + PLAIN), "rejected",
         "control character 0x1b (ESC) at character 5"),
    Case("c1-quotes.txt", utf8("He said \u0093enough\u0094 today."), "rejected",
         "control character 0x93 at character 8"),
    Case("bidi-zero-width.txt", utf8(f"“{BIDI}”{SAID}"), "imported", BIDI),
    # -- markup -----------------------------------------------------------------------------
    Case("rich-markup.txt", utf8(f"“{MARKUP}”{SAID}"), "imported", MARKUP),
    Case("markdown.md", utf8(f"# A heading\n\n> quoted\n\n---\n\n“{MARKDOWN}”{SAID}\n1. list\n\n"
                             "trailing \\\n\n**** ***"), "imported", MARKDOWN),
    Case("page.html", utf8("<html><head><title>[red]Page[/red]</title><script>alert(1)</script>"
                           "</head><body><article><p>“[bold]Power[/bold] to the unions now,”"
                           f"{SAID}</p><p>The strike went on for a week in La Paz.</p>"
                           "</article></body></html>"), "imported", "[bold]Power[/bold] to the unions now,"),
    # -- front matter --------------------------------------------------------------------
    Case("yaml-python.md", front("title: !!python/object/apply:os.system ['echo PWNED']"), "rejected",
         "front matter at line 2: could not determine a constructor for the tag"),
    Case("yaml-custom-tag.md", front("title: !custom x"), "rejected",
         "front matter at line 2: could not determine a constructor for the tag '!custom'"),
    Case("yaml-list.md", front("- a\n- b"), "rejected", "front matter: expected 'key: value' lines"),
    Case("yaml-nested.md", front("title: " + "[" * 1000), "rejected", "front matter: nested too deeply"),
    # -- impossible dates ----------------------------------------------------------------
    Case("date-feb-30.md", front("date: 2019-02-30"), "rejected",
         "date: not a date: '2019-02-30' (day 30 does not exist in that month)"),
    Case("date-month-13.md", front("date: 2019-13-01"), "rejected", "(month 13 does not exist)"),
    Case("date-year-0.md", front("date: 0000-01-01"), "rejected", "(there is no year 0)"),
    Case("date-year-99999.md", front("date: 99999-01-01"), "rejected",
         "date: '99999-01-01' is not a date written YYYY-MM-DD"),
    Case("published-year-0.json", doc(sources=[source("y0", published="0000-05-01")]), "rejected",
         "sources[0]: source 'y0': published: not a date: '0000-05-01' (there is no year 0)"),
    Case("event-feb-30.json", doc(sources=[source("e30")], events=[{
        "id": "e", "date": "2019-02-30", "date_precision": "day", "summary": "s", "source_id": "e30",
        "paragraph": 1, "char_start": 0, "char_end": 4}]), "rejected", "(day 30 does not exist"),
    Case("timeline-feb-30.json", timeline({"year": "2019", "month": "2", "day": "30"}), "rejected",
         "(day 30 does not exist in that month)"),
    Case("timeline-month-13.json", timeline({"year": 2019, "month": 13}), "rejected",
         "(month 13 does not exist)"),
    Case("timeline-year-99999.json", timeline({"year": 99999}), "rejected",
         "events[0].start_date.year: 99999 is outside 1000-9999"),
    # -- JSON: malformed, deep, wrongly shaped ----------------------------------------------
    Case("malformed.json", raw(b'{"format": "coup-explorer/1", "sources": ['), "rejected",
         "invalid JSON: Expecting value at line 1 column 43"),
    Case("deep-array.json", raw(b"[" * 100_000 + b"]" * 100_000), "rejected", "invalid JSON: nested too deeply"),
    Case("deep-object.json", raw(b'{"a":' * 50_000 + b"1" + b"}" * 50_000), "rejected",
         "invalid JSON: nested too deeply"),
    Case("a-list.json", raw(b"[1, 2, 3]"), "rejected", "the document is not a JSON object"),
    Case("sources-an-object.json", doc(sources={"id": "x"}), "rejected", "sources: expected a list"),
    Case("numbers-for-text.json", doc(sources=[{"id": 1, "title": 2, "text": 3}]), "rejected",
         "sources[0]: id: missing or not text"),
    Case("missing-text.json", doc(quotes=[{"id": "q"}]), "rejected", "quotes[0]: text: missing or not text"),
    Case("huge-number.json", raw(b'{"format": "coup-explorer/1", "n": ' + b"9" * 5000 + b"}"), "rejected",
         "invalid JSON: a number with too many digits"),
    Case("huge-paragraph.json", doc(sources=[source("hp")], quotes=[quote("q", "Some", "hp", paragraph=10**30)]),
         "rejected", "quotes[0]: paragraph: the number is out of range"),
    Case("escape-in-json.json", doc(sources=[source("esc", title="Red \u001b[31mtitle")]), "rejected",
         "sources[0]: title: control character 0x1b (ESC) at character 4"),
    Case("surrogate.json", raw(b'{"format": "coup-explorer/1", "actors": [{"id": "s", "name": "x\\ud800",'
                               b' "kind": "person"}]}'), "rejected",
         "actors[0]: name: not valid Unicode (lone surrogate 0xd800) at character 1"),
    Case("jsonl-list-line.jsonl", raw(b'{"type": "actor", "id": "a", "name": "A", "kind": "person"}\n[1]\n'),
         "rejected", "line 2: expected a JSON object"),
    Case("jsonl-type-list.jsonl", raw(b'{"type": ["quote"], "id": "q"}\n'), "rejected",
         "line 1: type: expected one of source, actor, event, quote; found ['quote']"),
    Case("jsonl-escape.jsonl", raw(b'{"type": "actor", "id": "a", "name": "\\u001b[2Jx", "kind": "person"}\n'),
         "rejected", "line 1: name: control character 0x1b (ESC) at character 0"),
    Case("bad-number.csv", raw(b"id,text,speaker,char_start,char_end,paragraph,source_id\nq1,hi,,x,1,1,s\n"),
         "rejected", "bad-number.csv row 1: char_start: expected a whole number"),
    Case("hostile-quote.json", doc(sources=[source("hq", HOSTILE_QUOTE + "\n")],
                                   quotes=[quote("hq1", HOSTILE_QUOTE, "hq")]), "imported", HOSTILE_QUOTE),
    # -- big: built when the test runs -------------------------------------------------------
    Case("long-line.txt", lambda: b"x" * 5_000_000, "rejected",
         "too long for an article (5,000,000 characters; at most 2,000,000)"),
    Case("unclosed-quote.txt", lambda: ("He said “" + "words and more " * 75_000).encode(), "imported",
         None),
    # -- names that look like options -----------------------------------------------------
    Case("-rf.txt", utf8("“No more,” said Ana Quispe.\n"), "imported", "No more,"),
]

BY_NAME = {case.name: case for case in CASES}


def write(case: Case, directory: Path) -> Path:
    path = directory / case.name
    path.write_bytes(case.data())
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        print(write(case, target))

"""Deep pages: read from an anchor (a sort key taken every so many rows) or from the top,
a page is the same rows; a broad search is found in one walk of its index."""

from __future__ import annotations

import pytest
from coup_explorer.db import Filter, Library, connect
from coup_explorer.db import queries
from coup_explorer.tui import explorer as explorer_module
from coup_explorer.tui.explorer import Explorer


def chain(lib: Library, kind: str, flt: Filter, step: int) -> list[tuple]:
    """The sort keys of rows step, 2 x step, ... of a list."""
    keys: list[tuple] = []
    key = lib.anchor(kind, flt, None, step)
    while key is not None:
        keys.append(key)
        key = lib.anchor(kind, flt, key, step)
    return keys


def filters(lib: Library) -> list[Filter]:
    mamani = lib.find_actor("Mamani").id
    return [Filter(), Filter(actor=mamani), Filter(since="1985", until="2019-11"),
            Filter(text="c"), Filter(speaker=mamani), Filter(marked=True)]


@pytest.mark.parametrize("kind", ["quote", "event"])
@pytest.mark.parametrize("step", [1, 2, 5])
def test_a_page_from_an_anchor_is_the_page_from_the_top(
        story: Library, monkeypatch: pytest.MonkeyPatch, kind: str, step: int) -> None:
    monkeypatch.setattr(queries, "RANK_LIMIT", 2)  # searches here are broad: listed by rowid
    with story.transaction():
        story.mark_all(kind, Filter(since="2019"))
    for flt in filters(story):
        everything = [i.id for i in story.page_of(kind, flt, limit=1000)]
        keys = chain(story, kind, flt, step)
        assert len(keys) == max(0, (len(everything) - 1) // step)
        for offset in range(len(everything) + 1):
            for row in range(0, min(offset, len(everything) - 1) + 1, step):
                start = (row, keys[row // step - 1]) if row else None
                for limit in (1, 3):
                    page = story.page_of(kind, flt, limit=limit, offset=offset, start=start)
                    assert [i.id for i in page] == everything[offset:offset + limit], (flt, row)


def test_lists_not_in_the_order_of_a_key_have_no_anchors(story: Library,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert story.anchor("quote", Filter(text="the"), None, 1) is None  # ranked
    assert story.anchor("actor", Filter(), None, 1) is None  # by weight, heaviest first
    monkeypatch.setattr(queries, "RANK_LIMIT", 2)
    assert story.anchor("quote", Filter(text="the"), None, 1) is not None  # broad: by rowid
    # A broad search with other filters too: walking it by key could cost more than walking it.
    assert story.anchor("quote", Filter(text="the", since="1985"), None, 1) is None
    with pytest.raises(ValueError, match="not at or before"):
        story.page_of("quote", Filter(), offset=1, start=(2, ("2019", 1, 1, 1)))


def test_a_broad_search_lists_by_rowid_and_a_narrow_one_by_rank(
        story: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    ranked = [q.id for q in story.page_of("quote", Filter(text="the"), limit=100)]
    assert ranked != sorted(ranked)
    monkeypatch.setattr(queries, "RANK_LIMIT", len(ranked) - 1)
    broad = [q.id for q in story.page_of("quote", Filter(text="the"), limit=100)]
    assert broad == sorted(ranked)
    assert [q.id for q in story.page_of("quote", Filter(text="the"), limit=3, offset=2)] == \
        broad[2:5]
    assert story.count("quote", Filter(text="the")) == len(broad)


@pytest.mark.parametrize("kind", ["quote", "event"])
def test_the_explorer_reads_deep_pages_from_anchors(
        story_path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setattr(explorer_module, "ANCHOR_EVERY", 3)
    monkeypatch.setattr(queries, "RANK_LIMIT", 2)
    with connect(story_path, write=True) as library:
        explorer = Explorer(library)
        for flt in filters(library):
            everything = [i.id for i in library.page_of(kind, flt, limit=1000)]
            for offset in [len(everything) - 1, 0, *range(len(everything))]:
                page = explorer.page(kind, flt, max(offset, 0), limit=2)
                assert [i.id for i in page.items] == everything[max(offset, 0):offset + 2]
            if len(everything) > 3:
                assert explorer._anchors[kind].keys  # taken on the way
        # Another connection's write (an import, marks): the keys are taken again.
        flt = Filter(marked=True)
        explorer.page(kind, flt, 4, limit=2)
        with connect(story_path, write=True) as other, other.transaction():
            other.mark_all(kind, Filter())
        everything = [i.id for i in library.page_of(kind, flt, limit=1000)]
        for offset in range(len(everything)):
            assert [i.id for i in explorer.page(kind, flt, offset, limit=2).items] == \
                everything[offset:offset + 2]
        # The explorer's own writes, on a library whose lanes are its own connection too.
        explorer.close()


def test_anchors_follow_the_explorers_own_marks_in_a_library_in_memory(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from coup_explorer.db import create_empty

    monkeypatch.setattr(explorer_module, "ANCHOR_EVERY", 2)
    library = create_empty()
    source = library.add_source(uid="s", title="One", text="x" * 400)
    with library.transaction():
        for n in range(20):
            library.add_event(uid=f"e{n}", date=f"19{50 + n}", date_precision="year",
                              summary=f"Event {n}", source_id=source, paragraph=1,
                              char_start=n, char_end=n + 1)
    explorer = Explorer(library)
    assert explorer.lane("event") is library
    marked = Filter(marked=True)
    assert explorer.page("event", marked, 0).items == ()
    events = explorer.page("event", Filter(), 0).items
    for event in events[::2]:
        explorer.toggle_mark(event)
    ids = [e.id for e in events[::2]]
    for offset in range(len(ids)):
        assert [e.id for e in explorer.page("event", marked, offset, limit=1).items] == \
            ids[offset:offset + 1]
    explorer.toggle_mark(events[0])
    assert [e.id for e in explorer.page("event", marked, 8, limit=5).items] == ids[9:]


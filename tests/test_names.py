"""Finding actors' names in a text: the same places as one regular expression of every name,
whether the finder scans with its tree of words or with its expression."""

from __future__ import annotations

import gc
import math
import re

import pytest
from hypothesis import given, settings, strategies as st

from coup_explorer.db.names import NameFinder


def by_one_expression(names: dict[str, int], text: str) -> set[tuple[int, int, int]]:
    """What index_mentions found before the finder: one alternation, longest first, then each
    name of an actor not found, alone."""
    if not names:
        return set()
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(
        re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\w)")
    found = {(m.start(), m.end(), names[m.group()]) for m in pattern.finditer(text)}
    seen = {actor_id for _, _, actor_id in found}
    for name, actor_id in names.items():
        if actor_id not in seen and name in text:
            found |= {(m.start(), m.end(), actor_id) for m in re.finditer(
                rf"(?<!\w){re.escape(name)}(?!\w)", text)}
    return found


# How long a finder scans with its tree of words: for ever, or not at all.
ENGINES = pytest.mark.parametrize("switch_after", [math.inf, 0], ids=["words", "expression"])


def finder(names: dict[str, int], switch_after: float) -> NameFinder:
    """A finder of ``names`` that scans with the engine ``switch_after`` says."""
    found = NameFinder(names, switch_after)
    found.places("")
    assert (found.expression is None) == (switch_after == math.inf or not names)
    return found


NAMES = {"Hernán Siles Zuazo": 1, "Siles Zuazo": 2, "Siles": 3, "COB": 4, "Central Obrera": 5,
         "Central Obrera Boliviana": 4, "(MAS)": 6, "Juan Lechín": 7, "Lechín": 7, "—": 8,
         "Evo": 9, "Evo Evo": 10, "a.b.": 11, "Mamani": 12, "Vitalino Mamani": 12}


@ENGINES
def test_longest_first_and_names_inside_longer_ones(switch_after: float) -> None:
    text = ("El gobierno de Hernán Siles Zuazo y la COB; la Central Obrera Boliviana (MAS) — "
            "Juan Lechín, Lechín; Evo Evo Evo; a.b.c a.b. Mamani, Vitalino Mamani, Mamaniz")
    found = finder(NAMES, switch_after).find(text)
    assert found == by_one_expression(NAMES, text)
    assert (text.index("Hernán"), text.index("Hernán") + len("Hernán Siles Zuazo"), 1) in found
    assert (text.index("Siles"), text.index("Siles") + len("Siles Zuazo"), 2) in found  # inside
    assert not any(start == text.index("Mamaniz") for start, _, _ in found)


def P(names: str, text: str, *mentions: tuple[str, int], id: str):  # noqa: A002
    """A case: names ("|" between them, each its own actor), a text and its mentions as
    ``(the words, start)``."""
    return pytest.param({name: actor for actor, name in enumerate(names.split("|"))}, text,
                        set(mentions), id=id)


CASES = [
    P("Evo|Evo Evo", "Evo Evo Evo", ("Evo Evo", 0), ("Evo", 8), id="a name begins another"),
    # Evo is not found by the first pass: all its places are, inside Evo Evo too.
    P("Evo|Evo Evo", "Evo Evo, Evo Evo Evox", ("Evo Evo", 0), ("Evo Evo", 9), ("Evo", 0),
      ("Evo", 4), ("Evo", 9), ("Evo", 13), id="a name inside another"),
    # B C begins inside A B and runs past its end; B and D lie inside A B and C D E.
    P("A B|B C|C D E|D|B", "A B C D E", ("A B", 0), ("B C", 2), ("B", 2), ("C D E", 4),
      ("D", 6), id="names overlap across a boundary"),
    P("A B|B C|B", "A B Cx", ("A B", 0), ("B", 2), id="a name overlaps no further than a word"),
    P("(MAS)|MAS|—", "el (MAS) y MAS — x—y", ("(MAS)", 3), ("MAS", 11), ("—", 15),
      id="names begin and end with other characters"),
    # Around its brackets, (MAS) wants no word character; MAS, inside them, stands alone.
    P("(MAS)|MAS", "x(MAS) (MAS)x", ("MAS", 2), ("MAS", 8), id="words around brackets"),
    P("a.b.|b.", "a.b.c a.b.", ("a.b.", 6), ("b.", 8), id="a name ends with a full stop"),
    P("Evo|Lechín", "Evo y Lechín", ("Evo", 0), ("Lechín", 6), id="the start and the end"),
    P("(MAS)", "(MAS)", ("(MAS)", 0), id="the whole text"),
    # U+0301 after e is not \w: "Jose" stands alone in "José" written with it.
    P("Jose|Jose\u0301 Paz|\u0301", "Jose\u0301 Paz, Jose\u0301, \u0301", ("Jose\u0301 Paz", 0),
      ("Jose", 11), ("\u0301", 18), id="combining accents are no word characters"),
    P("Central\nObrera|\nCOB|Obrera", "la Central\nObrera, x\nCOB; \nCOB", ("Central\nObrera", 3),
      ("Obrera", 11), ("\nCOB", 26), id="newlines inside and at the start of a name"),
]


@ENGINES
@pytest.mark.parametrize("names, text, mentions", CASES)
def test_names_where_they_touch_and_overlap(switch_after: float, names: dict[str, int], text: str,
                                            mentions: set[tuple[str, int]]) -> None:
    found = finder(names, switch_after)
    assert found.places(text) == finder(names, math.inf).places(text)  # every occurrence
    found = found.find(text)
    assert found == by_one_expression(names, text)
    assert {(text[start:end], start) for start, end, _ in found} == mentions


def test_a_finder_scans_with_its_tree_until_the_text_pays_for_its_expression() -> None:
    names = {"Siles Zuazo": 1, "Zuazo": 2}  # 16 characters: the expression pays after 32
    text = "Siles Zuazo, Zuazo. "  # 20
    found = NameFinder(names, switch_after=2)
    assert found.find(text) == by_one_expression(names, text)
    assert found.expression is None
    assert found.find(text) == by_one_expression(names, text)  # 40 with this one
    assert found.expression is not None
    assert found.find(text * 3) == by_one_expression(names, text * 3)
    told = NameFinder(names, switch_after=2)
    told.expect(20)
    assert told.expression is None  # 20 characters do not pay for it
    told.expect(40)  # these do: built before the first of them is scanned
    assert told.expression is not None and told.scanned == 0
    assert told.find(text) == by_one_expression(names, text)


@pytest.mark.parametrize("collecting", [True, False])
def test_building_the_expression_leaves_the_collector_as_it_was(collecting: bool) -> None:
    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        assert NameFinder(NAMES, switch_after=0).find("Evo") == {(0, 3, 9)}
        assert gc.isenabled() == collecting
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("depth", [50, 150])
def test_names_nested_too_deep_for_one_expression_keep_the_tree(depth: int) -> None:
    # Each name begins the next: the expression nests a group for each.
    names = {" ".join(["a"] * words): words for words in range(1, depth + 1)}
    text = " ".join(["a"] * (depth + 5)) + " b a"
    found = NameFinder(names, switch_after=0)
    assert found.find(text) == by_one_expression(names, text)
    assert (found.expression is None) == (depth == 150)


def assert_both_find_what_one_expression_finds(names: dict[str, int], text: str) -> None:
    by_words, by_expression = finder(names, math.inf), finder(names, 0)
    assert by_words.places(text) == by_expression.places(text)  # every occurrence, alike
    assert by_words.find(text) == by_expression.find(text) == by_one_expression(names, text)


def text_and_names(pieces: list[str], size: int, name_size: int,
                   count: int) -> st.SearchStrategy[tuple[str, dict[str, int]]]:
    """A text of up to ``size`` pieces and up to ``count`` names of up to ``name_size``."""
    piece = st.sampled_from(pieces)
    return st.tuples(st.lists(piece, max_size=size).map("".join),
                     st.dictionaries(st.lists(piece, min_size=1, max_size=name_size).map("".join),
                                     st.integers(1, 5), max_size=count))


EXAMPLES = settings(max_examples=300, deadline=None, derandomize=True, database=None)
PIECES = ["Siles", "Zuazo", "Hernán", "COB", "Central", "Obrera", "Boliviana", "(MAS)", "MAS",
          "Juan", "Lechín", "—", "Evo", "a.b.", "a", "b", "Mamani", "Vitalino", "x", "_", "é",
          "\u0301", " ", "  ", ", ", "\n", "-", ".", "(", ")"]


@EXAMPLES
@given(text_and_names(PIECES, 30, 4, 8))
def test_any_text_and_names_give_the_places_one_expression_gives(
        case: tuple[str, dict[str, int]]) -> None:
    text, names = case
    names = {n: a for n, a in {**NAMES, **names}.items() if n.strip()}
    assert_both_find_what_one_expression_finds(names, text)


@EXAMPLES
@given(text_and_names(["a", "b", " ", ".", "\n", "é", "\u0301"], 40, 6, 10))
def test_names_of_few_characters_overlap_every_way(case: tuple[str, dict[str, int]]) -> None:
    text, names = case
    assert_both_find_what_one_expression_finds(names, text)

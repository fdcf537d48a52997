"""Finding actors' names in a text: the same places as one regular expression of every name."""

from __future__ import annotations

import re

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


NAMES = {"Hernán Siles Zuazo": 1, "Siles Zuazo": 2, "Siles": 3, "COB": 4, "Central Obrera": 5,
         "Central Obrera Boliviana": 4, "(MAS)": 6, "Juan Lechín": 7, "Lechín": 7, "—": 8,
         "Evo": 9, "Evo Evo": 10, "a.b.": 11, "Mamani": 12, "Vitalino Mamani": 12}


def test_longest_first_and_names_inside_longer_ones() -> None:
    text = ("El gobierno de Hernán Siles Zuazo y la COB; la Central Obrera Boliviana (MAS) — "
            "Juan Lechín, Lechín; Evo Evo Evo; a.b.c a.b. Mamani, Vitalino Mamani, Mamaniz")
    found = NameFinder(NAMES).find(text)
    assert found == by_one_expression(NAMES, text)
    assert (text.index("Hernán"), text.index("Hernán") + len("Hernán Siles Zuazo"), 1) in found
    assert (text.index("Siles"), text.index("Siles") + len("Siles Zuazo"), 2) in found  # inside
    assert not any(start == text.index("Mamaniz") for start, _, _ in found)


PIECES = ["Siles", "Zuazo", "Hernán", "COB", "Central", "Obrera", "Boliviana", "(MAS)", "MAS",
          "Juan", "Lechín", "—", "Evo", "a.b.", "a", "b", "Mamani", "Vitalino", "x", "_", "é",
          "\u0301", " ", "  ", ", ", "\n", "-", ".", "(", ")"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30),
       st.dictionaries(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join),
                       st.integers(1, 5), max_size=8))
def test_any_text_and_names_give_the_places_one_expression_gives(pieces: list[str],
                                                                names: dict[str, int]) -> None:
    text = "".join(pieces)
    names = {n: a for n, a in {**NAMES, **names}.items() if n.strip()}
    assert NameFinder(names).find(text) == by_one_expression(names, text)

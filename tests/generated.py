"""Small generated news articles with quotes, speakers and dates, for import tests."""

from __future__ import annotations

import random
from pathlib import Path

FIRST = ["Juan", "María", "Carla", "Luis", "Ana", "Pedro", "Rosa", "Jorge", "Elena", "Óscar"]
LAST = ["Quispe", "Mamani", "Rojas", "Flores", "Choque", "Gutiérrez", "Vargas", "Condori",
        "Ticona", "Zárate"]
GROUPS = [("Miners Federation", "FSTMB"), ("Teachers Union", "CTEUB"),
          ("Peasant Confederation", "CSUTCB"), ("Transport Chamber", "CTP")]
VERBS = ["said", "told reporters", "declared", "warned"]
WORDS = ("wages strike fuel prices mine factory government workers union march road blockade "
         "talks minister decree contract pension water").split()
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def article(rng: random.Random, number: int) -> tuple[str, str]:
    """(file name, text) of one article: front matter or not, 3 to 6 paragraphs."""
    year, month, day = rng.randint(2015, 2020), rng.randint(1, 12), rng.randint(1, 28)
    group, acronym = rng.choice(GROUPS)
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
        when = f"On {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(1980, 2019)}"
        paragraphs.append(
            f"{when}, the {group} ({acronym}) held a meeting about {words} in article {number}. "
            f"“The {words} will not wait,” {rng.choice(VERBS)} {person}, a leader of the "
            f"{acronym}. {person.split()[1]} added: “We stand with the workers of {number}.”")
    body = "\n\n".join(paragraphs) + "\n"
    if number % 2:
        return f"a{number:04}.txt", f"{group} meets, report {number}\n\n{body}"
    head = (f"---\ntitle: The {group} and the {rng.choice(WORDS)} question ({number})\n"
            f"date: {year}-{month:02}-{day:02}\noutlet: Andean Wire\nauthor: {rng.choice(FIRST)}"
            f" {rng.choice(LAST)}\n---\n")
    return f"a{number:04}.md", head + body


def write_articles(folder: Path, count: int, seed: int = 6) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(count):
        name, text = article(rng, number)
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written

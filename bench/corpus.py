"""A realistic synthetic corpus, written as the exchange format's JSON Lines.

    python bench/corpus.py --quotes 1000000 --output /tmp/corpus   # a folder of part-NNN.jsonl

What a large user library looks like, generated from a seed so every run makes
the same file:

* words drawn with Zipf's law (the weight of the word of rank r is 1/r) from a
  vocabulary of common English and Spanish words with their accents, then
  invented words for the long tail, so that "the" matches most quotes and a
  rare word a handful, as in real text;
* actors with Spanish names (given names and two surnames, accents included;
  the surname alone as an alias), unions, parties, governments and companies
  with their acronyms;
* sources of ``PER_SOURCE`` quotes each, every quote at its exact span in the
  article's text, the speaker named beside it, paragraphs as the article has
  them;
* one dated event per ``PER_EVENT`` quotes, naming one to three actors, dated
  1950 to 2020 at year, month, week or day precision.

Lines come in the order an import reads best: the actors, then each source
followed by its events and quotes.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import random
import shutil
import time
from pathlib import Path

PART_BYTES = 48 * 1024 * 1024
VERSION = 3  # bump when the generated corpus changes, so cached libraries are remade
PER_SOURCE = 200
PER_EVENT = 20
FIRST_DAY = dt.date(1950, 1, 1).toordinal()
LAST_DAY = dt.date(2020, 12, 31).toordinal()

COMMON = """the of and to a in that is was he for it with as his on be at by had not are but
from or have an they which one you were her all she there would their we him been has when
who will more no if out so said what up its about into than them can only other new some
could time these two may then do first any my now such like our over man me even most made
after also did many before must through back years where much your way well down should
because each just those people how too little state good very make world still own see men
work long get here between both life being under never day same another know while last
might us great old year off come since against go came right used take three workers union
government strike miners coup police army election president minister party congress
struggle class capitalist working power state military regime protest demands wages""".split()
SPANISH = """gobierno huelga sindicato minería elección represión nación trabajadores obreros
campesinos marcha bloqueo policía ejército presidenta ministro asamblea central obrera
boliviana federación minera cooperativa dirigente compañero lucha pueblo democracia
constitución transición pacificación diálogo acuerdo masacre senkata sacaba huanuni
cochabamba potosí oruro sucre tarija beni pando chuquisaca altiplano yungas chapare
petróleo estaño litio gas hidrocarburos salario jornada reivindicación movilización
paro indefinido convocatoria revolución nacionalización reforma agraria""".split()
SYLLABLES = ("ta pa ri lo me nu ca so ve ra mi to la ne sa co pi du ga ba fe ju que cho "
             "ña ñu llá rró tí ó ú é á ch qu").split()

GIVEN = """José María Jesús Martín Andrés Inés Sofía Ramón Raúl Héctor Óscar Álvaro Begoña
Mónica Iván Ángel Joaquín Nicolás Julián Sebastián Lucía Verónica Adrián Germán Rubén Efraín
Fermín Benjamín Ignacio Juan Luis Carlos Evo Jeanine Rosa Ana Elena Juana Tomás Víctor Simón
Agustín Cristóbal Matías Zoé Noemí Dolores Asunción Ximena Gonzalo Máximo""".split()
SURNAMES = """Pérez González Rodríguez Fernández López Martínez Sánchez Gómez Díaz Álvarez Muñoz
Hernández Jiménez Ramírez Suárez Domínguez Vásquez Gutiérrez Chávez Quispe Mamani Choque
Huanca Condori Añez Núñez Ibáñez Peñaranda Ordóñez Bolívar Cárdenas Tórrez Sáenz Velásquez
Ríos Ávila Cáceres Limachi Apaza Ticona Colque Flores Rojas Vargas Cruz Guzmán Zárate
Achá Villarroel Paz Estenssoro Siles Lechín Zuazo Echazú Beltrán""".split()
ORG_KINDS = (
    ("organization", ("Sindicato", "Federación", "Central", "Confederación", "Asociación")),
    ("party", ("Partido", "Movimiento", "Frente", "Alianza", "Unión")),
    ("government", ("Ministerio", "Gobernación", "Alcaldía", "Viceministerio", "Gobierno")),
    ("company", ("Empresa", "Corporación", "Compañía", "Cooperativa", "Grupo")),
)
ORG_OF = """Trabajadores Mineros Fabriles Campesinos Maestros Petroleros Constructores Gremiales
Transportistas Ferroviarios Nacional Revolucionario Popular Democrático Socialista Boliviano
Andino Oriental Minería Hidrocarburos Trabajo Energía Justicia Huanuni Potosí Oruro
Cochabamba Sucre Tarija""".split()
VERBS = ("said", "told reporters", "declared", "warned", "added", "insisted", "wrote", "dijo",
         "afirmó")
OUTLETS = ("La Razón", "Página Siete", "Los Tiempos", "El Deber", "Opinión", "Erbol",
           "World Socialist Web Site", "Agencia de Noticias Fides", "Correo del Sur")


class Words:
    """Words drawn in bulk and handed out in runs: Zipf-distributed over a made-up vocabulary
    of ``size`` words, or, given ``vocabulary``, uniformly from it (a text's own words, which
    are Zipf-distributed already)."""

    def __init__(self, rng: random.Random, size: int = 40_000,
                 vocabulary: list[str] | None = None) -> None:
        self.rng = rng
        self.cumulative: list[float] | None = None
        if vocabulary is None:
            vocabulary = list(dict.fromkeys(COMMON + SPANISH))
            seen = set(vocabulary)
            while len(vocabulary) < size:
                word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
                if word not in seen:
                    seen.add(word)
                    vocabulary.append(word)
            self.cumulative = list(itertools.accumulate(1 / r for r in range(1, size + 1)))
        self.vocabulary = vocabulary
        self.pool: list[str] = []
        self.at = 0

    def take(self, n: int) -> list[str]:
        if self.at + n > len(self.pool):
            self.pool = self.rng.choices(self.vocabulary, cum_weights=self.cumulative,
                                         k=max(500_000, n))
            self.at = 0
        run = self.pool[self.at:self.at + n]
        self.at += n
        return run

    def sentence(self, lo: int, hi: int) -> str:
        text = " ".join(self.take(self.rng.randint(lo, hi)))
        return text[:1].upper() + text[1:]


def make_actors(rng: random.Random, count: int) -> list[dict]:
    actors, names = [], set()
    while len(actors) < count:
        if rng.random() < 0.7:
            surname, second = rng.sample(SURNAMES, 2)
            name = f"{rng.choice(GIVEN)} {surname} {second}"
            kind, aliases, role = "person", [f"{surname} {second}"], "dirigente"
        else:
            kind, heads = rng.choice(ORG_KINDS)
            words = rng.sample(ORG_OF, rng.randint(1, 3))
            name = f"{rng.choice(heads)} de {' '.join(words)}"
            acronym = "".join(w[0] for w in name.split() if w[0].isupper())
            aliases, role = [acronym] if len(acronym) > 2 else [], None
        if name in names:
            continue
        names.add(name)
        actors.append({"type": "actor", "id": f"a{len(actors) + 1}", "name": name,
                       "kind": kind, "role": role, "aliases": aliases})
    return actors


def date(rng: random.Random) -> tuple[str, str, str]:
    """(ISO value, precision, the words an article would use), 1950 to 2020."""
    day = dt.date.fromordinal(rng.randint(FIRST_DAY, LAST_DAY))
    precision = rng.choices(("year", "month", "week", "day"), weights=(3, 4, 1, 4))[0]
    if precision == "year":
        return f"{day.year}", precision, f"in {day.year}"
    if precision == "month":
        return f"{day.year}-{day.month:02d}", precision, f"in {day:%B %Y}"
    if precision == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday.isoformat(), precision, f"in the week of {monday.day} {monday:%B %Y}"
    return day.isoformat(), precision, f"on {day.day} {day:%B %Y}"


class Article:
    """A source's text as it is written, with where each piece lands."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def put(self, piece: str) -> tuple[int, int]:
        self.parts.append(piece)
        self.pos += len(piece)
        return self.pos - len(piece), self.pos


def write(output: Path, quotes: int, *, seed: int = 1) -> dict[str, int]:
    """Write the corpus into the folder ``output`` as ``part-NNN.jsonl`` files of at most
    ``PART_BYTES`` each (a JSON Lines file may be of any size; parts keep G8 to one 48 MB
    file, and were once under the importer's 64 MB limit for every file); returns how many records
    of each type it holds. The first part holds the actors; every part is whole sources."""
    rng = random.Random(seed)
    words = Words(rng)
    actors = make_actors(rng, max(40, min(5_000, quotes // 200)))
    # A few actors speak most: speakers are Zipf-distributed too.
    speaker_weights = list(itertools.accumulate(1 / r for r in range(1, len(actors) + 1)))
    counts = dict.fromkeys(("source", "actor", "event", "quote"), 0)
    counts["actor"] = len(actors)
    partial = output.with_name(output.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    parts = _Parts(partial)
    parts.write("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in actors))
    made, number = 0, 0
    while made < quotes:
        number += 1
        n = min(PER_SOURCE, quotes - made)
        made += n
        counts["source"] += 1
        counts["quote"] += n
        lines = _source(rng, words, actors, speaker_weights, number, n, counts)
        parts.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines))
    parts.close()
    partial.replace(output)
    return counts


def parts(folder: Path) -> list[Path]:
    """The corpus's files, in the order they must be imported."""
    return sorted(folder.glob("part-*.jsonl"))


class _Parts:
    """Lines appended to part-000.jsonl, part-001.jsonl, ...: a new part when one is full."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.number, self.size, self.out = folder, 0, 0, None

    def write(self, text: str) -> None:
        size = len(text.encode("utf-8"))
        if self.out is None or (self.size and self.size + size > PART_BYTES):
            self.close()
            self.out = (self.folder / f"part-{self.number:03d}.jsonl").open("w", encoding="utf-8")
            self.number, self.size = self.number + 1, 0
        self.out.write(text)
        self.size += size

    def close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None


def _source(rng: random.Random, words: Words, actors: list[dict], weights: list[float],
            number: int, n: int, counts: dict[str, int]) -> list[dict]:
    source_id = f"s{number}"
    published = dt.date.fromordinal(rng.randint(FIRST_DAY, LAST_DAY)).isoformat()
    sizes: list[int] = []
    while sum(sizes) < n:
        sizes.append(min(rng.randint(1, 4), n - sum(sizes)))
    with_event = set(rng.sample(range(len(sizes)), min(max(1, round(n / PER_EVENT)), len(sizes))))
    article = Article()
    put = article.put
    paragraphs, items = [], []
    for index, size in enumerate(sizes):
        if index:
            put("\n\n")
        p_start = article.pos
        paragraph = index + 1
        if index in with_event:
            value, precision, date_text = date(rng)
            named = rng.sample(actors, rng.randint(1, 3))
            summary = f"{words.sentence(5, 12)}, {' and '.join(a['name'] for a in named)}"
            start, end = put(f"{summary} {date_text}.")
            put(" ")
            counts["event"] += 1
            items.append({"type": "event", "id": f"e{counts['event']}", "date": value,
                          "date_precision": precision, "date_text": date_text,
                          "summary": summary, "actor_ids": [a["id"] for a in named],
                          "actors": [a["name"] for a in named],
                          "source_id": source_id, "paragraph": paragraph,
                          "char_start": start, "char_end": end})
        for i in range(size):
            if i:
                put(" ")
            speaker = None
            if rng.random() < 0.85:
                speaker = actors[bisect.bisect(weights, rng.random() * weights[-1])]
            who = speaker["name"] if speaker else "A spokesperson"
            put("“")
            said = words.sentence(4, 30)
            start, end = put(said)
            put(f",” {who} {rng.choice(VERBS)}. ")
            put(words.sentence(6, 16) + ".")
            quote = {"type": "quote", "id": f"q{source_id}-{paragraph}-{i}",
                     "text": said, "kind": "speech" if rng.random() < 0.95
                     else "term", "source_id": source_id, "paragraph": paragraph,
                     "char_start": start, "char_end": end}
            if speaker:  # the id, and the name as an export writes it beside the id
                quote["speaker_id"], quote["speaker"] = speaker["id"], speaker["name"]
            if rng.random() < 0.6:
                quote["date"], quote["date_precision"], _ = date(rng)
            items.append(quote)
        paragraphs.append([p_start, article.pos])
    source = {"type": "source", "id": source_id, "title": words.sentence(4, 9),
              "author": f"Reportera {number % 97}", "outlet": OUTLETS[number % len(OUTLETS)],
              "url": f"https://example.org/{source_id}", "published": published,
              "paragraphs": paragraphs, "text": "".join(article.parts)}
    return [source, *items]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = write(args.output, args.quotes, seed=args.seed)
    print(f"{args.output}: {counts} in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()

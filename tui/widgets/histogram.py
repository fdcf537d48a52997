"""A picture of when things happened: events per year (or per decade when years do not fit)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...db.models import Facet

BARS = " ▁▂▃▄▅▆▇█"


def bins(facets: list[Facet], width: int) -> tuple[str, list[tuple[str, int]]]:
    """(unit, [(label, count)]) covering every year from first to last, by year or decade."""
    years = {}
    for facet in facets:
        if facet.value[:4].isdigit():
            years[int(facet.value[:4])] = years.get(int(facet.value[:4]), 0) + facet.count
    if not years:
        return "year", []
    first, last = min(years), max(years)
    if last - first + 1 <= max(1, width // 2):
        return "year", [(str(y), years.get(y, 0)) for y in range(first, last + 1)]
    decades: dict[int, int] = {}
    for year, count in years.items():
        decades[year // 10 * 10] = decades.get(year // 10 * 10, 0) + count
    start, end = min(decades), max(decades)
    return "decade", [(f"{d}s", decades.get(d, 0)) for d in range(start, end + 1, 10)]


class Histogram(Widget):
    """Bars of ``height - 1`` rows over a line of labels; the screen sets ``facets``."""

    DEFAULT_CSS = "Histogram { height: 6; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.facets: list[Facet] = []
        self.border_title = "Events by year"

    def show(self, facets: list[Facet]) -> None:
        self.facets = facets
        self.refresh()

    def render(self) -> Text:
        width, height = self.content_region.width, self.content_region.height
        unit, data = bins(self.facets, width)
        self.border_title = f"Events by {unit}"
        if not data:
            return Text("no dated events", style="dim")
        col = max(1, width // len(data))
        rows = max(1, height - 1)
        peak = max(count for _, count in data) or 1
        text = Text()
        for level in range(rows, 0, -1):
            for _, count in data:
                eighths = round(count / peak * rows * 8) - (level - 1) * 8
                bar = BARS[max(0, min(8, eighths))]
                text.append((bar * max(1, col - 1)).ljust(col), style="")
            text.append("\n")
        text.append(self._labels(data, col, width), style="dim")
        return text

    @staticmethod
    def _labels(data: list[tuple[str, int]], col: int, width: int) -> str:
        line = [" "] * width
        step = max(1, -(-(len(data[0][0]) + 1) // col))
        for index in range(0, len(data), step):
            label = data[index][0]
            at = index * col
            if at + len(label) <= width:
                line[at:at + len(label)] = label
        return "".join(line)

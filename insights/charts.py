"""Bar charts as plain data for hand-written SVG templates (no JavaScript, nothing inline to
trip the CSP: colours are SVG presentation attributes, not style attributes).

A chart is drawn in a fixed coordinate system (its viewBox) and scales with the page; every
chart template also renders the same numbers as a table, which is what assistive technology
and a reader who wants exact values use.
"""

from dataclasses import dataclass, field

# Distinguishable with the common colour-vision deficiencies, and dark enough to keep 3:1
# against white (WCAG non-text contrast). The last is for "everything else".
PALETTE = ["#0b5ed7", "#b35900", "#198754", "#a8307e", "#0f7b8a", "#6f42c1", "#8a6d00"]
OTHER_COLOR = "#6c757d"
MUTED_COLOR = "#adb5bd"

WIDTH, HEIGHT = 600, 260
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 28


@dataclass
class Series:
    name: str
    values: list
    color: str


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    color: str
    label: str


@dataclass
class Tick:
    value: int
    y: float


@dataclass
class Category:
    label: str
    x: float  # centre of its band, where the label goes


@dataclass
class BarChart:
    """Everything a template needs to draw one chart and its table."""

    slug: str
    title: str
    description: str
    categories: list
    series: list
    stacked: bool
    # Table layout: one row per category (year), or one row per series when there are many.
    rows_are_series: bool = False
    rects: list = field(default_factory=list)
    ticks: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: float = HEIGHT - BOTTOM

    @property
    def rows(self):
        """Table rows: (category, [value per series], total)."""
        return [
            (category, values, sum(values))
            for category, values in zip(
                self.categories, zip(*(s.values for s in self.series), strict=True), strict=True
            )
        ]

    @property
    def series_rows(self):
        """Table rows when transposed: (series name, [value per category], total)."""
        return [(s.name, s.values, sum(s.values)) for s in self.series]

    @property
    def is_empty(self):
        return not any(any(s.values) for s in self.series)


def nice_step(maximum, target_ticks=5):
    """The smallest of 1, 2, 5, 10, 20, 50… that draws at most `target_ticks` intervals."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if maximum <= factor * magnitude * target_ticks:
                return factor * magnitude
        magnitude *= 10


def bar_chart(*, slug, title, categories, series, stacked, unit, rows_are_series=False):
    """Lay out a vertical bar chart: grouped bars, or stacked ones when `stacked`."""
    chart = BarChart(
        slug=slug,
        title=title,
        description=_describe(categories, series, unit),
        categories=list(categories),
        series=list(series),
        stacked=stacked,
        rows_are_series=rows_are_series,
    )
    if not chart.categories or chart.is_empty:
        return chart
    columns = list(zip(*(s.values for s in series), strict=True))
    peak = max(sum(col) if stacked else max(col) for col in columns)
    step = nice_step(peak)
    top_value = -(-peak // step) * step  # round up to a whole step
    plot_height = chart.baseline - TOP
    scale = plot_height / top_value

    chart.ticks = [
        Tick(value, chart.baseline - value * scale) for value in range(0, top_value + 1, step)
    ]
    band = (chart.right - chart.left) / len(chart.categories)
    group = min(band * 0.7, 120)  # a year or two should not become one wide slab
    bar = group if stacked else group / len(series)
    for i, (category, column) in enumerate(zip(chart.categories, columns, strict=True)):
        centre = chart.left + band * (i + 0.5)
        chart.labels.append(Category(str(category), round(centre, 1)))
        x = centre - group / 2
        stacked_top = chart.baseline
        for j, value in enumerate(column):
            height = value * scale
            if stacked:
                y = stacked_top - height
                stacked_top = y
                left = x
            else:
                y = chart.baseline - height
                left = x + j * bar
            if value:
                chart.rects.append(
                    Rect(
                        x=round(left, 1),
                        y=round(y, 1),
                        width=round(bar, 1),
                        height=round(height, 1),
                        color=series[j].color,
                        label=f"{category} – {series[j].name}: {value}",
                    )
                )
    return chart


def _describe(categories, series, unit):
    """A sentence per category with every value, for the SVG's <desc>."""
    parts = []
    for i, category in enumerate(categories):
        values = ", ".join(f"{s.name} {s.values[i]}" for s in series if s.values[i])
        parts.append(f"{category}: {values or 'none'}")
    return f"{unit.capitalize()} by year. " + "; ".join(parts) + "." if parts else "No data yet."

"""A standalone HTML report of a Labeler: one bokeh page that opens offline, without Jupyter.

The page holds the map coloured by label (WebGL) with each point's text on hover, the drawn regions
as translucent patches, cluster outlines with their names, the class counts and, when given, the
map coloured by doubt. BokehJS is inlined (no CDN), so the file works with no network.

Every text from the user reaches the page as text: hover values go through bokeh's ``@field``
placeholders, which escape HTML (never ``{safe}``); names on the map, the legend and the bar
chart's axis are drawn on the canvas; bokeh escapes the page title, the header is escaped here.

>>> import numpy as np, tempfile, os
>>> from corral import Labeler, HashingEmbedder
>>> lab = Labeler(["rain", "sun", "<b>jazz</b>"], embedder=HashingEmbedder(),
...               coords=np.array([[0, 0], [1, 0], [0, 1]]))
>>> _ = lab.assign([0, 1], "weather")
>>> path = lab.to_html(os.path.join(tempfile.mkdtemp(), "report.html"), title="Weather & music")
>>> page = path.read_text()
>>> "<title>Weather &amp; music</title>" in page, "<b>jazz</b>" in page, "cdn.bokeh.org" in page
(True, False, False)
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from corral.core.palette import UNLABELED as UNLABELED_COLOR
from corral.core.sampling import fixed_sample
from corral.core.palette import UNLABELED_NAME, colors_for

MAX_TOOLTIP_CHARS = 300
MAP_SIZE = (760, 620)  # the label map (legend inside); the counts chart beside it: 1,080 px, fits 1,400
TITLE_PX = 34  # the map's title and borders, above and below its frame
NAME_FONT_PX = 12  # names over the map (9 pt)


def unlabeled_name(categories) -> str:
    """The name of the unlabeled points: the widget legend's ("unlabeled"), unless a label has it.

    >>> unlabeled_name(["a"]), unlabeled_name(["unlabeled"])
    ('unlabeled', '(unlabeled)')
    """
    return UNLABELED_NAME if UNLABELED_NAME not in categories else "(unlabeled)"


def label_order(codes: np.ndarray, categories: list[str]) -> list[tuple[str, str, int]]:
    """(name, colour, count) of the legend rows, as the map widget lists them: labels in code order
    with the palette's colours (labels left with no texts omitted), then the unlabeled points.

    >>> label_order(np.array([1, 1, -1, 2]), ["gone", "b", "a"])
    [('b', '#f28e2b', 2), ('a', '#e15759', 1), ('unlabeled', '#9e9e9e', 1)]
    """
    counts = np.bincount(codes[codes >= 0], minlength=len(categories))
    rows = [(name, color, int(c)) for name, color, c in zip(categories, colors_for(len(categories)), counts) if c]
    unlabeled = int((codes < 0).sum())
    return rows + ([(unlabeled_name(categories), UNLABELED_COLOR, unlabeled)] if unlabeled else [])


def write_report(labeler, path, *, title: str | None = None, max_points: int = 50_000, doubt=None,
                 clusters="auto") -> Path:
    """Write :func:`report_page` to ``path``; returns the path."""
    page = report_page(labeler, title=title, max_points=max_points, doubt=doubt, clusters=clusters)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def report_page(labeler, *, title: str | None = None, max_points: int = 50_000, doubt=None, clusters="auto") -> str:
    """:func:`build_report`'s layout as one HTML page with BokehJS inlined."""
    from bokeh.embed import file_html
    from bokeh.resources import INLINE

    title = title if title is not None else f"corral report: {len(labeler):,} texts"
    layout = build_report(labeler, title=title, max_points=max_points, doubt=doubt, clusters=clusters)
    return file_html(layout, resources=INLINE, title=title)  # bokeh escapes the title


def build_report(labeler, *, title: str, max_points: int = 50_000, doubt=None, clusters="auto"):
    """The report's bokeh layout (see the module docstring)."""
    from bokeh.layouts import column, row
    from bokeh.models import Div

    if not isinstance(max_points, (int, np.integer)) or max_points < 1:
        raise ValueError(f"max_points must be a positive integer, got {max_points!r}")
    coords = np.asarray(labeler.coords, dtype=np.float64)
    n = len(labeler)
    shown = _sample(n, int(max_points))
    categories = list(labeler.session.categories)
    doubt_values = _doubt_values(labeler, doubt)
    table = _cluster_table(labeler, clusters)

    source = _point_source(labeler, coords, categories, shown, doubt_values)
    rows = label_order(labeler.session.codes, categories)
    outlines = _outlines(coords, table)
    frame = map_frame(rows)
    ranges = map_ranges(np.vstack([coords[shown]] + [o["polygon"] for o in outlines]
                                  + [p for ps in labeler.regions.values() for p in ps]), frame)
    label_map = _label_map(source, categories, rows, frame, ranges)
    regions = _draw_regions(label_map, labeler.regions, categories)
    if outlines:
        _draw_clusters(label_map, outlines)
    _draw_names(label_map, outlines, regions, frame, ranges)
    header = Div(text=_header_html(title, labeler, shown, n, table), width=MAP_SIZE[0])
    parts = [header, row(label_map, _counts_chart(rows))]
    if doubt_values is not None:  # below, not beside: the page stays within a 1,400 px window
        parts.append(_doubt_map(source, label_map))
    return column(*parts)


# -- pieces ---------------------------------------------------------------------------------------
def _sample(n: int, max_points: int) -> np.ndarray:
    return fixed_sample(n, max_points)


def _doubt_values(labeler, doubt) -> np.ndarray | None:
    if doubt is None or doubt is False:
        return None
    if doubt is True:
        doubt = labeler.doubt()
    if isinstance(doubt, pd.DataFrame):
        if "doubt" not in doubt.columns:
            raise KeyError("doubt: the DataFrame has no 'doubt' column")
        doubt = doubt["doubt"]
    if isinstance(doubt, pd.Series):
        doubt = doubt.reindex(labeler.index)
    values = np.asarray(doubt, dtype=np.float64)
    if values.shape != (len(labeler),):
        raise ValueError(f"doubt must hold one value per text ({len(labeler)}), got shape {values.shape}")
    return values


def _cluster_table(labeler, clusters):
    from corral.review.table import ClusterTable
    from corral.review.session import CLUSTERS_STATE

    if clusters is None or clusters is False:
        return None
    if isinstance(clusters, str):
        if clusters != "auto":
            raise ValueError(f"clusters must be 'auto', True, False, a Clusters or an assignment, got {clusters!r}")
        saved = labeler.session.state.get(CLUSTERS_STATE)  # the clusters of the review in progress
        if saved:
            return ClusterTable.from_json(saved)
        clusters = True
    if clusters is True:
        clusters = labeler.clusters()
        if not clusters.ids:
            return None
    return ClusterTable.from_clusters(clusters, len(labeler))


def _point_source(labeler, coords, categories, shown, doubt_values):
    from bokeh.models import ColumnDataSource

    codes = labeler.session.codes[shown]
    texts = [_clip(labeler.texts[i]) for i in shown.tolist()]
    data = {"x": coords[shown, 0], "y": coords[shown, 1], "text": texts,
            "label": np.array(categories + [unlabeled_name(categories)], dtype=object)[codes].tolist()}
    if doubt_values is not None:
        data["doubt"] = doubt_values[shown]
    return ColumnDataSource(data)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TOOLTIP_CHARS else text[: MAX_TOOLTIP_CHARS - 1] + "…"


def map_frame(rows) -> tuple[int, int]:
    """(width, height) in px of the map's plotting area: the map is MAP_SIZE with its legend, whose
    width is estimated from the longest label name (bokeh's 13 px legend text, 28 rows a column),
    so the names over the map can be sized in data units (see placement.text_box).

    >>> map_frame([("zero", "#000", 3)]), map_frame([("x" * 200, "#000", 3)])
    ((660, 586), (390, 586))
    """
    longest = max((len(name) for name, _, _ in rows), default=0)
    columns = 1 + len(rows) // 28
    legend = 40 + columns * (30 + min(longest, 40) * 7.5)
    return max(380, int(MAP_SIZE[0] - legend)), MAP_SIZE[1] - TITLE_PX


def map_ranges(points: np.ndarray, frame: tuple[int, int]) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1): the points' extent with a margin, widened so that one data unit is as many
    pixels across as up (an undistorted map) in a plotting area of ``frame`` px.

    >>> map_ranges(np.array([[0.0, 0.0], [10.0, 1.0]]), (200, 100))
    (-0.5, 10.5, -2.25, 3.25)
    """
    lo, hi = points.min(axis=0), points.max(axis=0)
    span = np.maximum(hi - lo, 1e-9)
    lo, hi = lo - 0.05 * span, hi + 0.05 * span
    per_px = max((hi[0] - lo[0]) / frame[0], (hi[1] - lo[1]) / frame[1])
    mid = (lo + hi) / 2
    half = np.array(frame) * per_px / 2
    return tuple(round(float(v), 9) for v in (mid[0] - half[0], mid[0] + half[0], mid[1] - half[1], mid[1] + half[1]))


def _figure(title: str, frame: tuple[int, int], **kw):
    from bokeh.plotting import figure

    fig = figure(title=title, frame_width=frame[0], frame_height=frame[1], output_backend="webgl",
                 tools="pan,wheel_zoom,box_zoom,reset,save", active_scroll="wheel_zoom", **kw)
    fig.xaxis.visible = fig.yaxis.visible = False
    fig.grid.visible = False
    return fig


def _tooltips(source) -> list[tuple[str, str]]:
    tips = [("text", "@text"), ("label", "@label")]  # @field values are HTML-escaped by bokeh
    if "doubt" in source.data:
        tips.append(("doubt", "@doubt{0.00}"))
    return tips


def _label_map(source, categories: list[str], rows, frame, ranges):
    from bokeh.models import HoverTool, Legend, LegendItem, Range1d
    from bokeh.transform import factor_cmap

    fig = _figure("map coloured by label", frame, x_range=Range1d(ranges[0], ranges[1]),
                  y_range=Range1d(ranges[2], ranges[3]))
    colors = factor_cmap("label", palette=colors_for(len(categories)) + [UNLABELED_COLOR],
                         factors=categories + [unlabeled_name(categories)])  # coloured in the browser
    points = fig.scatter("x", "y", source=source, color=colors, size=5, alpha=0.8)
    fig.add_tools(HoverTool(renderers=[points], tooltips=_tooltips(source)))
    first = {}
    for i, name in enumerate(source.data["label"]):
        first.setdefault(name, i)
    items = [LegendItem(label=name, renderers=[points], index=first[name]) for name, _, _ in rows if name in first]
    legend = Legend(items=items, click_policy="hide", ncols=1 + len(items) // 28)  # the widget's order
    fig.add_layout(legend, "right")
    return fig


def _doubt_map(source, label_map):
    from bokeh.models import ColorBar, HoverTool, LinearColorMapper
    from bokeh.models import ColumnDataSource
    from bokeh.palettes import Inferno256

    fig = _figure("map coloured by doubt (dark: most doubtful)", (label_map.frame_width, label_map.frame_height),
                  x_range=label_map.x_range, y_range=label_map.y_range)
    # pale yellow (sure) to near-black (most doubtful) on white, the most doubtful drawn last (on top)
    mapper = LinearColorMapper(palette=Inferno256[::-1][24:], low=0.0, high=1.0, nan_color="#e8e8e8")
    doubt = np.asarray(source.data["doubt"], dtype=np.float64)
    order = np.argsort(np.where(np.isnan(doubt), -1.0, doubt), kind="stable")
    ranked = ColumnDataSource({k: np.asarray(v)[order] if k in ("x", "y", "doubt") else [v[i] for i in order]
                               for k, v in source.data.items()})
    points = fig.scatter("x", "y", source=ranked, color={"field": "doubt", "transform": mapper}, size=5, alpha=0.8)
    fig.add_tools(HoverTool(renderers=[points], tooltips=_tooltips(source)))
    fig.add_layout(ColorBar(color_mapper=mapper, title="doubt"), "right")
    return fig


def _draw_regions(fig, regions: dict, categories: list[str]) -> list[tuple[str, str, np.ndarray]]:
    """Draw the regions; returns their (name, colour, polygon)."""
    if not regions:
        return []
    names = sorted(regions)
    palette = colors_for(len(categories) + len(names))
    extra = iter(palette[len(categories):])
    drawn = []
    for name in names:
        color = palette[categories.index(name)] if name in categories else next(extra)
        drawn += [(name, color, np.asarray(polygon, dtype=np.float64)) for polygon in regions[name]]
    colors = [c for _, c, _ in drawn]
    fig.patches([p[:, 0].tolist() for _, _, p in drawn], [p[:, 1].tolist() for _, _, p in drawn],
                fill_color=colors, fill_alpha=0.15, line_color=colors, line_alpha=0.6, line_width=1.5)
    return drawn


def _outlines(coords, table) -> list[dict]:
    from corral.review.table import cluster_outlines

    return [] if table is None else cluster_outlines(coords, table)


def _draw_clusters(fig, outlines) -> None:
    fig.patches([o["polygon"][:, 0].tolist() for o in outlines], [o["polygon"][:, 1].tolist() for o in outlines],
                fill_alpha=0.0, line_color="#333333", line_alpha=0.55, line_dash="dashed")


def _area(polygon: np.ndarray) -> float:
    x, y = polygon[:, 0], polygon[:, 1]
    return abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))) / 2


def _draw_names(fig, outlines, regions, frame, ranges) -> None:
    """Cluster names just above their outlines, region names at their middle: placed without
    overlap, larger shape first, whole inside the plot (report/placement.py), on a light background.
    Canvas text: never HTML."""
    from corral.report.placement import fit_text, place_names, text_box

    per_px = ((ranges[1] - ranges[0]) / frame[0], (ranges[3] - ranges[2]) / frame[1])
    max_chars = int((frame[0] - 8) / (0.62 * NAME_FONT_PX))
    names, items, kinds, colors = [], [], [], []
    for o in outlines:
        name = fit_text(str(o["name"]), max_chars)
        w, h = text_box(name, NAME_FONT_PX, per_px)
        top = o["polygon"][np.argmax(o["polygon"][:, 1])]
        names.append(name); kinds.append("cluster"); colors.append("#222222")
        items.append((float(top[0]), float(top[1]) + h / 2, w, h, _area(o["polygon"])))
    for name, color, polygon in regions:
        name = fit_text(str(name), max_chars)
        w, h = text_box(name, NAME_FONT_PX, per_px)
        middle = polygon.mean(axis=0)
        names.append(name); kinds.append("region"); colors.append(color)
        items.append((float(middle[0]), float(middle[1]), w, h, _area(polygon)))
    centres = place_names(items, ranges)
    for kind in ("cluster", "region"):
        keep = [i for i, c in enumerate(centres) if c is not None and kinds[i] == kind]
        if not keep:
            continue
        fig.text([centres[i][0] for i in keep], [centres[i][1] for i in keep], text=[names[i] for i in keep],
                 name=f"{kind} names", text_font_size=f"{NAME_FONT_PX}px", text_align="center",
                 text_baseline="middle", text_color=[colors[i] for i in keep] if kind == "region" else "#222222",
                 text_font_style="bold" if kind == "region" else "normal", padding=2,
                 background_fill_color="white", background_fill_alpha=0.8)


def _counts_chart(rows):
    from bokeh.models import ColumnDataSource, HoverTool, NumeralTickFormatter
    from bokeh.plotting import figure

    order = [name for name, _, _ in rows]  # top to bottom as in the map's legend
    source = ColumnDataSource({"label": order, "count": [c for _, _, c in rows], "color": [c for _, c, _ in rows]})
    fig = figure(title="texts per label", y_range=list(reversed(order)), width=320,
                 height=max(200, min(MAP_SIZE[1], 40 + 22 * len(order))), tools="")
    fig.hbar(y="label", right="count", height=0.7, source=source, color="color")
    fig.add_tools(HoverTool(tooltips=[("label", "@label"), ("texts", "@count")]))
    fig.x_range.start = 0
    fig.xaxis.formatter = NumeralTickFormatter(format="0,0")  # 200,000 rather than 2.000e+5
    fig.xaxis.ticker.desired_num_ticks = 4
    fig.xaxis.major_label_orientation = 0.6
    fig.ygrid.visible = False
    return fig


def _header_html(title: str, labeler, shown: np.ndarray, n: int, table) -> str:
    counts = labeler.session.counts()
    labeled = sum(counts.values())
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"<h2>{html.escape(title)}</h2>",
             f"<p>{n:,} texts · {labeled:,} labeled ({labeled / n:.0%}) · {len(counts)} labels"
             + (f" · {len(table.ids())} clusters" if table is not None else "") + f" · made {when} by corral</p>"]
    if len(shown) < n:
        parts.append(f'<p class="corral-sample-note"><b>The map shows a random sample of {len(shown):,} of the '
                     f"{n:,} texts</b> (max_points={len(shown):,}); the counts cover all of them.</p>")
    return f'<div class="corral-report-header">{"".join(parts)}</div>'

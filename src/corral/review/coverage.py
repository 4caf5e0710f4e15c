"""Coverage: how many texts each label has, whether the classes are badly imbalanced, and which
parts of the map are still mostly unlabeled (per suggested cluster or per grid cell).

>>> import numpy as np
>>> labels = np.array(["a"] * 30 + ["b"] * 2 + [None] * 8, dtype=object)
>>> result = coverage(labels, groups=np.repeat([0, 1], 20), names={0: "left", 1: "right"})
>>> result.counts.to_dict()
{'a': 30, 'b': 2}
>>> result.warnings
['the largest label has 15.0x the texts of the smallest (a: 30, b: 2)']
>>> result.regions[["name", "size", "unlabeled", "unlabeled_share"]].values.tolist()
[['right', 20, 8, 0.4], ['left', 20, 0, 0.0]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

IMBALANCE_RATIO = 10.0
RARE_SHARE = 0.01


@dataclass(frozen=True, eq=False)  # holds arrays: compared by identity
class Coverage:
    """``counts``: texts per label (largest first); ``labeled_share``: labeled / all texts;
    ``regions``: one row per cluster or grid cell (size, labeled, unlabeled, unlabeled_share),
    the worst covered first; ``warnings``: imbalance messages (also emitted as warnings)."""

    counts: pd.Series
    labeled_share: float
    regions: pd.DataFrame
    warnings: list[str]
    unit: str = "region"  # what a row of ``regions`` is: "suggested cluster", "grid cell"
    empty: str | None = None  # said instead of the regions when there are none to speak of

    def __repr__(self) -> str:
        """A summary; it speaks of suggested clusters or grid cells, never of drawn regions.

        >>> coverage(np.array(["a", "b"], dtype=object), groups=[0, 0], unit="grid cell")
        Coverage: 100.0% labeled, 2 labels
          every grid cell is fully labeled (1 grid cell)
        """
        lines = [f"Coverage: {self.labeled_share:.1%} labeled, {len(self.counts)} labels"]
        lines += [f"  warning: {w}" for w in self.warnings]
        if self.empty or not len(self.regions):
            lines.append(f"  {self.empty or f'no {self.unit}s'}")
        elif self.regions["unlabeled"].sum() == 0:
            n = len(self.regions)
            lines.append(f"  every {self.unit} is fully labeled ({n} {self.unit}{'s' if n != 1 else ''})")
        elif len(self.regions):
            worst = self.regions.iloc[0]
            lines.append(f"  least covered: {worst['name']} ({worst['unlabeled']} of {worst['size']} unlabeled)")
        return "\n".join(lines)


def imbalance_warnings(counts: pd.Series, *, ratio: float = IMBALANCE_RATIO, rare: float = RARE_SHARE) -> list[str]:
    """Messages when the largest label has more than ``ratio`` times the texts of the smallest,
    or labels hold under ``rare`` of the labeled texts.

    >>> imbalance_warnings(pd.Series({"a": 500, "b": 60, "c": 3}))
    ['the largest label has 166.7x the texts of the smallest (a: 500, c: 3)', '1 label(s) have under 1% of the labeled texts: c (3)']
    >>> imbalance_warnings(pd.Series({"a": 5, "b": 4}))
    []
    """
    counts = counts[counts > 0].sort_values(ascending=False)
    if len(counts) < 2:
        return []
    out = []
    largest, smallest = counts.index[0], counts.index[-1]
    if counts.iloc[0] > ratio * counts.iloc[-1]:
        out.append(f"the largest label has {counts.iloc[0] / counts.iloc[-1]:.1f}x the texts of the smallest "
                   f"({largest}: {counts.iloc[0]}, {smallest}: {counts.iloc[-1]})")
    few = counts[counts < rare * counts.sum()]
    if len(few):
        listed = ", ".join(f"{name} ({count})" for name, count in few.head(10).items())
        out.append(f"{len(few)} label(s) have under {rare:.0%} of the labeled texts: {listed}"
                   f"{' ...' if len(few) > 10 else ''}")
    return out


def coverage(labels, *, groups, names=None, extra: pd.DataFrame | None = None, unit: str = "region",
             empty: str | None = None) -> Coverage:
    """Coverage of ``labels`` (object array, None = unlabeled) over ``groups`` (one region id per
    text: a suggested cluster, -1 for noise, or a grid cell). ``names``: a name per region id;
    ``extra``: more columns per region id (e.g. a cell's bounds)."""
    labels = np.asarray(labels, dtype=object)
    groups = np.asarray(groups)
    if groups.shape != labels.shape:
        raise ValueError(f"groups must have one entry per text ({labels.size}), got shape {groups.shape}")
    present = pd.notna(labels)
    counts = pd.Series(labels[present], dtype=object).value_counts().rename("count").rename_axis("label")
    warnings = imbalance_warnings(counts)
    frame = pd.DataFrame({"region": groups, "labeled": present})
    table = frame.groupby("region").agg(size=("labeled", "size"), labeled=("labeled", "sum"))
    table["unlabeled"] = table["size"] - table["labeled"]
    table["unlabeled_share"] = table["unlabeled"] / table["size"]
    names = names or {}
    table.insert(0, "name", [names.get(r, str(r)) for r in table.index])
    if extra is not None:
        table = table.join(extra)
    table = table.sort_values(["unlabeled_share", "unlabeled"], ascending=False, kind="stable")
    share = float(present.mean()) if labels.size else 0.0
    return Coverage(counts.astype("int64"), share, table, warnings, unit, empty)


def grid_cells(coords, size: int = 8) -> tuple[np.ndarray, pd.DataFrame]:
    """Cell id per point on a ``size`` x ``size`` grid over the points' bounding box, and each
    occupied cell's name and bounds (x0, x1, y0, y1).

    >>> cells, bounds = grid_cells(np.array([[0, 0], [1, 1], [0.1, 0.2]]), size=2)
    >>> cells.tolist(), bounds.loc[3, "name"]
    ([0, 3, 0], 'cell (1, 1)')
    """
    coords = np.asarray(coords, dtype=np.float64)
    if coords.ndim != 2 or coords.shape[1] != 2:
        raise ValueError(f"coords must be n x 2, got shape {coords.shape}")
    if not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"the grid size must be a positive integer, got {size!r}")
    low, high = coords.min(axis=0), coords.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    ij = np.minimum((size * (coords - low) / span).astype(np.int64), size - 1)
    cells = ij[:, 1] * size + ij[:, 0]
    occupied = np.unique(cells)
    col, row = occupied % size, occupied // size
    step = span / size
    bounds = pd.DataFrame({"name": [f"cell ({c}, {r})" for c, r in zip(col, row)],
                           "x0": low[0] + col * step[0], "x1": low[0] + (col + 1) * step[0],
                           "y0": low[1] + row * step[1], "y1": low[1] + (row + 1) * step[1]}, index=occupied)
    return cells, bounds


def coverage_by(labels: np.ndarray, by: str, *, clusters=None, coords=None, grid_size: int = 8) -> Coverage:
    """:func:`coverage` over suggested clusters (``by="cluster"``: ``clusters()`` gives a
    :class:`~corral.review.clusters.Clusters`, noise counted as one region) or over a
    ``grid_size`` squared grid on ``coords`` (``by="grid"``)."""
    from corral.review.clusters import NOISE, NOISE_NAME

    if by == "cluster":
        found = clusters()
        empty = None if found.ids else f"no suggested clusters: every text is in {NOISE_NAME}"
        return coverage(labels, groups=found.assignment, names={**found.names, NOISE: NOISE_NAME},
                        unit="suggested cluster", empty=empty)
    if by == "grid":
        cells, bounds = grid_cells(coords, grid_size)
        return coverage(labels, groups=cells, names=bounds["name"].to_dict(), extra=bounds.drop(columns="name"),
                        unit="grid cell")
    raise ValueError(f"by must be 'cluster' or 'grid', got {by!r}")

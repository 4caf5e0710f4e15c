"""The per-point arrays in a real page (harness tier), with frames of 64 KiB so that a 20,000-point
map travels in many of them: pulled and reassembled by each view, label changes as patches (in
frames too), a second view of the same widget, undo, a selection from Python as a bitset."""

from __future__ import annotations

import numpy as np
import pytest
from corral_gestures import js_hook, legend_counts
from corral_harness import assert_no_errors, flush, mount

import corral
from corral.map import protocol as P

N = 20_000


def wait_legend(page, view: str, want: dict) -> None:
    """Until the legend of ``view`` counts ``want`` (other rows at 0: a label with no point left)."""
    page.wait_for_function(
        """([view, want]) => { const rows = document.querySelectorAll(`#${view} .corral-legend-row`);
            const got = {}; rows.forEach(r => { got[r.querySelector('.corral-label').textContent] =
              Number(r.querySelector('.corral-count').textContent.replace(/,/g, '')); });
            return Object.entries(want).every(([k, v]) => got[k] === v)
              && Object.entries(got).every(([k, v]) => k in want || v === 0); }""",
        arg=[view, want], polling=50, timeout=30_000)


def test_arrays_in_frames_patches_and_a_second_view(page, monkeypatch):
    monkeypatch.setattr(P, "CHUNK_BYTES", 64 * 1024)  # coordinates 160 kB: 3 frames, codes 80 kB: 2
    rng = np.random.default_rng(0)
    lab = corral.Labeler([f"text {i}" for i in range(N)], coords=rng.normal(size=(N, 2)),
                         embedder=corral.HashingEmbedder())
    widget = lab.show()
    mount(page, widget)
    frames = page.evaluate("harness.received.filter(m => m.kind === 'chunk').length")
    assert frames == 5
    assert page.evaluate(f"{js_hook()}.arrays()") == {"loaded": True, "points": N,
                                                      "versions": {"coords": 1, "codes": 1, "values": 1}}
    assert legend_counts(page) == {"unlabeled": N}
    xy = page.evaluate(f"[{js_hook()}.scatterplot.get('points')[N - 1]]".replace("N - 1", str(N - 1)))
    assert len(xy[0]) == 4  # the last point made it through the frames

    lab.assign(np.arange(0, N, 2), "even")  # 10,000 changed codes: a patch of 80 kB, in 2 frames
    before = page.evaluate("harness.received.length")
    flush(page)
    kinds = page.evaluate(f"harness.received.slice({before}).map(m => m.kind)")
    assert P.MSG_PATCH not in kinds and kinds.count(P.MSG_CHUNK) == 2  # the patch, framed
    wait_legend(page, "mount", {"even": N // 2, "unlabeled": N // 2})
    assert page.evaluate(f"{js_hook()}.arrays().versions.codes") == 2

    mount(page, widget, view="second")  # a second view of the same widget: its own pull, the labels in it
    assert legend_counts(page, "second") == {"even": N // 2, "unlabeled": N // 2}

    lab.undo()
    flush(page)
    for view in ("mount", "second"):
        wait_legend(page, view, {"unlabeled": N})

    lab.selection = np.arange(0, 15_000)  # from Python: a bitset of 1,875 bytes, not 60 kB of indices
    assert len(widget.selection) == 4 + 15_000 // 8
    flush(page)
    for view in ("mount", "second"):
        page.wait_for_function(f"document.querySelector('#{view} .corral-selected').textContent === '15,000 selected'",
                               polling=50, timeout=30_000)
    assert_no_errors(page)


@pytest.mark.parametrize("count", [3, 12_000])
def test_a_lasso_sized_selection_reaches_python_as_a_point_set(page, count):
    rng = np.random.default_rng(1)
    lab = corral.Labeler([f"text {i}" for i in range(N)], coords=rng.normal(size=(N, 2)),
                         embedder=corral.HashingEmbedder())
    mount(page, lab.show())
    chosen = np.sort(rng.choice(N, size=count, replace=False))
    page.evaluate(f"{js_hook()}.scatterplot.select({chosen.tolist()})")  # publishes select, as a lasso does
    page.wait_for_function("harness.saves > 0", polling=50, timeout=30_000)
    page.wait_for_function("harness.acked >= harness.saves", polling=50, timeout=30_000)
    assert np.array_equal(lab.selection, chosen)
    size = len(lab._views.widgets[0].selection)
    assert size == min(4 + 4 * count, 4 + (int(chosen[-1]) + 8) // 8)  # indices or a bitset, the smaller

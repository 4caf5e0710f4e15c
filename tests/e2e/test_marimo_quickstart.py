"""notebooks/quickstart_marimo.py itself, run by marimo: as a script and in ``marimo edit``.

* ``marimo export html`` runs every cell (the real all-MiniLM-L6-v2 model, offline, and UMAP) in a
  fresh folder and exits 0 only when no cell raised;
* ``marimo edit`` on another copy, in headless Chromium: the map is drawn with all 3,000 texts, its
  legend shows the labels the notebook's ``lab.assign`` cell gave (counted here from the same
  rules), no cell raised or wrote a traceback, and a lasso re-runs the cell that shows
  "N selected" with the map's own count.

Both share the session's corral cache with the JupyterLab tier (the same texts and model), so
after the quickstart ran there, the embeddings and the UMAP map are cache hits.
"""

from __future__ import annotations

import shutil
import subprocess
import time

import numpy as np
import pandas as pd
import pytest
from corral_lab import REPO, lasso, lasso_path, pick_cluster
from corral_marimo import (
    MARIMO,
    READY,
    cell_errors,
    fail_on_page_errors,
    map_positions,
    marimo_edit,
    marimo_env,
    marimo_page,
    python_says,
    selected_points,
    toolbar_count,
)

pytestmark = pytest.mark.e2e

NOTEBOOK = REPO / "notebooks" / "quickstart_marimo.py"
N_TEXTS = 3000


def _expected_counts() -> dict[str, int]:
    """The counts the notebook's labeling cell gives (the same rules, applied in the same order)."""
    from corral.datasets import load_snips

    text = load_snips().text
    labels = pd.Series(np.nan, index=text.index, dtype=object)
    labels[text.str.contains("weather|forecast|rain|snow|sunny", case=False)] = "weather"
    labels[text.str.contains(r"\bplay\b", case=False)] = "music"
    return {k: int(v) for k, v in labels.value_counts().items()}


def _legend(page) -> dict[str, int]:
    rows = page.locator(READY).locator(".corral-legend-row").evaluate_all(
        "rows => rows.map(r => [r.querySelector('.corral-label').textContent, r.querySelector('.corral-count').textContent])")
    return {name: int(count.replace(",", "")) for name, count in rows}


def test_quickstart_marimo_runs_as_a_script(tmp_path, shared_cache, artifacts):
    folder = tmp_path / "script"
    folder.mkdir()
    shutil.copy(NOTEBOOK, folder / NOTEBOOK.name)
    out = folder / "quickstart_marimo.html"
    t0 = time.monotonic()
    run = subprocess.run([str(MARIMO), "export", "html", NOTEBOOK.name, "-o", str(out)], cwd=folder,
                         env=marimo_env(tmp_path / "home", shared_cache), capture_output=True, text=True, timeout=480)
    seconds = time.monotonic() - t0
    assert run.returncode == 0, f"marimo export failed after {seconds:.0f} s:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    assert "failed" not in run.stderr.lower(), run.stderr[-3000:]
    page = out.read_text()
    assert "corral quickstart (marimo)" in page
    assert (folder / "quickstart_marimo.journal").stat().st_size > 0  # its labeling cells ran, journaled
    (artifacts / "e2e-marimo-quickstart-export.txt").write_text(f"marimo export html: {seconds:.1f} s\n")


def test_quickstart_marimo_renders_in_marimo_edit(e2e_browser, tmp_path, shared_cache, artifacts):
    folder = tmp_path / "edit"
    folder.mkdir()
    shutil.copy(NOTEBOOK, folder / NOTEBOOK.name)
    want = _expected_counts()
    with marimo_edit(folder / NOTEBOOK.name, tmp_path, shared_cache) as url, \
            marimo_page(e2e_browser, url, artifacts, "marimo-quickstart", timeout_ms=300_000) as page:
        deadline = time.monotonic() + 300  # the labeling cells run after the map is drawn
        while _legend(page) != {**want, "unlabeled": N_TEXTS - sum(want.values())} and time.monotonic() < deadline:
            fail_on_page_errors(page)
            assert cell_errors(page) == []
            page.wait_for_timeout(500)
        legend = _legend(page)
        assert legend == {**want, "unlabeled": N_TEXTS - sum(want.values())}, (legend, want)
        python_says(page, r"\n0 selected\n", timeout=60)

        # a lasso: the cell reading map_view.value re-runs with the map's count
        deadline = time.monotonic() + 300  # UMAP replaces the PCA view when ready: lasso the final map
        while time.monotonic() < deadline:
            xy, box = map_positions(page)
            page.wait_for_timeout(1500)
            again, _ = map_positions(page)
            if np.allclose(xy, again, atol=0.5, equal_nan=True):
                break
        center = pick_cluster(xy, box, radius=40)
        lasso(page, lasso_path(center, 40))
        deadline = time.monotonic() + 20
        while not (toolbar_count(page) and toolbar_count(page) == len(selected_points(page))) and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        shown = toolbar_count(page)
        assert shown > 0
        python_says(page, rf"\n{shown} selected\n", timeout=30)
        assert cell_errors(page) == []
        page.screenshot(path=str(artifacts / "e2e-marimo-quickstart.png"))
        fail_on_page_errors(page)
